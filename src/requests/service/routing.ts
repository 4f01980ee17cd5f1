import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { DEPARTMENT_STAFF } from '../../auth/roles.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { isActiveDepartment } from '../../departments/service.js';
import { badRequest, conflict, notFound } from '../../server/errors.js';
import { HANDLING_STEP_LABELS, NEXT_STEP } from '../routing-rules.js';
import { disclosureRequests } from '../tables.js';
import { chinaToday } from './clock.js';
import type { RequestDeps } from './deps.js';
import { getRequest } from './reads.js';

const OFFICE = ['office'] as const;

/** Moves the request along its handling route (批办 → 拟办 → 签发); each step begins today (China time). */
async function advance(
  deps: RequestDeps,
  viewer: Viewer,
  id: number,
  action: keyof typeof NEXT_STEP,
  check: (row: typeof disclosureRequests.$inferSelect) => void,
  set: Partial<typeof disclosureRequests.$inferInsert>,
  now: Date,
) {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(disclosureRequests).where(eq(disclosureRequests.id, id)).for('update');
    if (!row) throw notFound('未找到该申请');
    check(row);
    if (row.status !== 'in_progress') throw conflict('该申请不在办理中');
    const step = NEXT_STEP[action];
    if (!row.handlingStep || !step.from.includes(row.handlingStep))
      throw conflict(`该申请当前处于“${row.handlingStep ? HANDLING_STEP_LABELS[row.handlingStep] : '待确认收到'}”环节，不能执行此操作`);
    await tx
      .update(disclosureRequests)
      .set({ ...set, handlingStep: step.to, stepSince: chinaToday(now) })
      .where(eq(disclosureRequests.id, id));
    await recordAudit(tx, actorFor(viewer), {
      action: `request.${action}`,
      recordType: 'disclosure_request',
      recordId: id,
      before: { step: row.handlingStep },
      after: { step: step.to, ...set },
    });
  });
  return getRequest(deps, viewer, id, now);
}

/** The general office routes the request to the department holding the information (批办). */
export async function routeRequest(deps: RequestDeps, viewer: Viewer, id: number, departmentId: number, now = new Date()) {
  demand(viewer, viewerHolds(viewer, OFFICE));
  if (!(await isActiveDepartment(deps.db, departmentId)))
    throw badRequest('提交的内容有误，请检查标注的字段', { 'body.departmentId': '承办处室不存在或已停用' });
  return advance(deps, viewer, id, 'route', () => undefined, { holdingDepartmentId: departmentId }, now);
}

/** The holding department submits its draft answer (拟办); staff of other departments get 404. */
export async function draftAnswer(deps: RequestDeps, viewer: Viewer, id: number, draft: string, now = new Date()) {
  demand(viewer, viewerHolds(viewer, DEPARTMENT_STAFF));
  const own = (row: typeof disclosureRequests.$inferSelect) => {
    if (row.holdingDepartmentId === null || row.holdingDepartmentId !== viewer.staff!.departmentId) throw notFound('未找到该申请');
  };
  return advance(deps, viewer, id, 'draft', own, { draft }, now);
}

/** The head of the disclosure office signs the answer (签发). */
export async function signAnswer(deps: RequestDeps, viewer: Viewer, id: number, now = new Date()) {
  demand(viewer, viewerHolds(viewer, OFFICE));
  return advance(deps, viewer, id, 'sign', () => undefined, { signedBy: viewer.staff!.id, signedAt: now }, now);
}
