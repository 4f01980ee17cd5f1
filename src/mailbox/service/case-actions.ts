import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import { applicationFailureOf, INVALID_DATA } from '../../temporal/activity-failures.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { caseActionUpdate, workflowIdOf } from '../../../workflows/messages.js';
import { isOpen, refusal, type ActingStaff, type CaseAction } from '../case-rules.js';
import { NOT_ALLOWED } from '../errors.js';
import { can } from '../rules.js';
import { convenienceItems } from '../tables.js';
import { startLetterWorkflow } from '../workflow-starter.js';
import { findCase, getCase, letterIdOf, letterRowOf } from './case-reads.js';
import { stateOf } from './case-records.js';

/** Where a failed action is reported (the request's logger in the API). */
export interface ActionLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface CaseActionDeps {
  db: Database;
  calendar: CalendarService;
  env: Env;
  temporal: TemporalGateway;
  log: ActionLog;
}

/** Up to 5 s to start the workflow and 30 s for its update: the action routes' request deadline covers both. */
export const CASE_ACTION_DEADLINE_MS = 40_000;

const actingStaff = (viewer: Viewer): ActingStaff => {
  const s = viewer.staff!;
  return { staffId: s.id, username: s.username, roles: s.roles, departmentId: s.departmentId };
};

/**
 * One staff action on a case, through its workflow's `caseAction` update (which serialises actions on
 * a letter). The caller's role was checked against ACTION_ROLES by the route's access declaration.
 * Answers the case as it is afterwards; 404 outside the viewer's scope, 403 when the case is no longer
 * with their department, 400 for references to departments or list items that do not exist, 409 when
 * the letter's state refuses the action, 422 when the database cannot store it, 503 without Temporal.
 */
export async function takeCaseAction(deps: CaseActionDeps, viewer: Viewer, trackingNo: string, action: CaseAction) {
  const { db, temporal } = deps;
  if (!(await findCase(deps, viewer, trackingNo))) throw notFound('未找到该信件');
  const letter = (await letterIdOf(db, trackingNo))!;
  const row = (await letterRowOf(db, letter.id))!;
  if (!can(viewer, 'act', row)) throw forbidden('该信件已不在本处室，只能查看');
  const problems = await referenceProblems(db, action);
  if (Object.keys(problems).length > 0) throw badRequest('提交的内容有误，请检查标注的字段', problems);
  // A closed letter's workflow has ended: refuse here rather than start a new run for it.
  const refusalIfClosed = (now: typeof row | undefined) =>
    now && !isOpen(now) ? refusal(stateOf(now, deps), actingStaff(viewer), action) : null;
  const closed = refusalIfClosed(row);
  if (closed) throw conflict(closed);
  const actor: ActingStaff = { ...actingStaff(viewer), ip: viewer.ip, requestId: viewer.requestId };
  try {
    // Fail fast when Temporal is unreachable (the client would otherwise retry for ~20 s).
    // Starting is a no-op when the workflow runs; it covers a letter still in the outbox.
    await temporal.client.connection.withDeadline(Date.now() + 5_000, () => startLetterWorkflow(temporal, letter));
    await temporal.client.connection.withDeadline(Date.now() + 30_000, () =>
      temporal.client.workflow.getHandle(workflowIdOf(letter.trackingNo)).executeUpdate(caseActionUpdate, { args: [action, actor] }),
    );
  } catch (err) {
    // The refusal carried by a failed update: from the validator, the handler or the activity.
    const why =
      applicationFailureOf(err, NOT_ALLOWED)?.message ??
      (await letterRowOf(db, letter.id)
        .then(refusalIfClosed)
        .catch(() => null));
    if (why) throw conflict(why);
    // The activity could not store the action and never will (it was not retried): nothing changed.
    if (applicationFailureOf(err, INVALID_DATA)) {
      deps.log.warn({ err }, 'case action refused by the database');
      throw new AppError(422, 'invalid_data', '提交的内容无法保存，请检查后重新提交；信件未作任何改动');
    }
    deps.log.error({ err }, 'case action failed');
    throw new AppError(503, 'workflow_unavailable', '办理服务暂时不可用，请稍后再试');
  }
  return getCase(deps, viewer, trackingNo);
}

/** 400 for references the body makes to departments or list items that do not exist (or no longer). */
async function referenceProblems(db: Database, action: CaseAction): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  const active = new Set((await departmentNames(db)).filter((d) => d.active).map((d) => d.id));
  const dept = (key: string, id: number) => {
    if (!active.has(id)) problems[key] = '处室不存在或已停用';
  };
  switch (action.kind) {
    case 'transfer':
      dept('body.toDepartmentId', action.toDepartmentId);
      break;
    case 'escalate':
      action.departmentIds.forEach((id, i) => dept(`body.departmentIds.${i}`, id));
      break;
    case 'arbitrate':
      dept('body.leadDepartmentId', action.leadDepartmentId);
      action.assistingDepartmentIds.forEach((id, i) => dept(`body.assistingDepartmentIds.${i}`, id));
      break;
    case 'reclassify':
      if (action.convenienceItemId === null) break;
      if (action.type !== 'complaint') problems['body.convenienceItemId'] = '只有投诉可以选择便民服务事项';
      else {
        const [item] = await db
          .select({ id: convenienceItems.id })
          .from(convenienceItems)
          .where(and(eq(convenienceItems.id, action.convenienceItemId), eq(convenienceItems.active, true)));
        if (!item) problems['body.convenienceItemId'] = '便民服务事项不存在或已停用';
      }
      break;
    default:
      break;
  }
  return problems;
}
