import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, staffOf, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { departmentNames, generalOffice } from '../../departments/service.js';
import { leadsDepartments } from '../../publishing/service/columns.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import {
  can,
  decisionRefusal,
  hostList,
  hostOf,
  isGovernmentHost,
  LINK_APPROVERS,
  LINK_READERS,
  LINK_REVIEWERS,
  LINK_STATUS_LABELS,
  seesAllLinks,
  type LinkDecision,
  type LinkStatus,
  type LinkStep,
} from '../rules.js';
import type { linkApplicationBody, linkDecisionBody } from '../schemas.js';
import { linkApplications, linkDecisions } from '../tables.js';
import type { LinkDeps } from './deps.js';
import { syncLinkWorkflow } from './sync.js';

export type LinkApplicationInput = z.infer<typeof linkApplicationBody>;
export type LinkDecisionInput = z.infer<typeof linkDecisionBody>;
type Row = typeof linkApplications.$inferSelect;

const bump = { changeSeq: sql`${linkApplications.changeSeq} + 1` };
const lv = (viewer: Viewer) => {
  const s = staffOf(viewer);
  return { roles: s.roles, departmentId: s.departmentId };
};

/** The open step's limit from `from` (LINK_STEP_WORKING_DAYS working days, counted by the calendar). */
const stepClock = (deps: LinkDeps, from: Date) => {
  const due = deps.calendar.deadline(from, deps.env.LINK_STEP_WORKING_DAYS);
  return { stepStartedAt: from, stepDueAt: due.dueAt, stepDueOn: due.dueDate, stepOverdue: false };
};
const noStep = { stepStartedAt: null, stepDueAt: null, stepDueOn: null, stepOverdue: false };

const view = (r: Row, department: string) => ({
  id: r.id,
  departmentId: r.departmentId,
  department,
  placement: r.placement,
  targetUrl: r.targetUrl,
  targetHost: r.targetHost,
  siteName: r.siteName,
  siteOwner: r.siteOwner,
  purpose: r.purpose,
  government: r.government,
  justification: r.justification,
  flagged: !r.government,
  status: r.status,
  statusLabel: LINK_STATUS_LABELS[r.status],
  submittedAt: r.submittedAt.toISOString(),
  stepDueOn: r.stepDueOn,
  stepOverdue: r.stepOverdue,
});

/** A department asks to link to another website (measures Art. 24); a non-government target needs a justification. */
export async function submitLinkApplication(deps: LinkDeps, viewer: Viewer, input: LinkApplicationInput, now = new Date()) {
  const s = staffOf(viewer);
  if (s.departmentId === null || !can(lv(viewer), 'apply', s.departmentId)) throw forbidden('只有处室工作人员可以申请外部链接');
  const host = hostOf(input.targetUrl)!;
  const government = isGovernmentHost(host, hostList(deps.env.LINK_GOVERNMENT_HOSTS));
  const justification = input.justification?.trim() || null;
  if (!government && !justification) {
    throw badRequest('提交的内容有误，请检查标注的字段', {
      'body.justification': '链接到非政府网站须说明理由（《网站管理办法》第二十七条（二）：不得链接违法、商业网站）',
    });
  }
  const id = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(linkApplications)
      .values({
        departmentId: s.departmentId!,
        placement: input.placement,
        targetUrl: input.targetUrl,
        targetHost: host,
        siteName: input.siteName,
        siteOwner: input.siteOwner,
        purpose: input.purpose,
        government,
        justification,
        status: 'at_office',
        submittedBy: s.id,
        submittedAt: now,
        ...stepClock(deps, now),
      })
      .returning({ id: linkApplications.id });
    await recordAudit(tx, actorFor(viewer, ['handler', 'dept_leader']), {
      action: 'link.apply',
      recordType: 'link_application',
      recordId: row!.id,
      after: { targetUrl: input.targetUrl, government },
    });
    return row!.id;
  });
  await syncLinkWorkflow(deps, id);
  return getLinkApplication(deps, viewer, id);
}

/** The bureau leader in charge of the general office (leader assignments of publishing, Art. 20(二)). */
async function leadsOffice(db: Executor, leaderId: number): Promise<boolean> {
  const office = await generalOffice(db);
  if (!office) return false;
  return (await leadsDepartments(db, leaderId)).includes(office.id);
}

const STEP_OF: Partial<Record<LinkStatus, LinkStep>> = { at_office: 'office', at_leader: 'leader' };

/**
 * A decision on an application: the office approves (to the leader) or returns it with a reason; the
 * bureau leader in charge of the office approves (the link may go up) or refuses with a reason; an
 * approved link is withdrawn by its department or the office. One transaction, the row locked.
 */
export async function decideLinkApplication(deps: LinkDeps, viewer: Viewer, id: number, input: LinkDecisionInput, now = new Date()) {
  const s = staffOf(viewer);
  const reason = input.reason?.trim() || null;
  if ((input.decision === 'return' || input.decision === 'refuse') && !reason) {
    throw badRequest('提交的内容有误，请检查标注的字段', { 'body.reason': '退回或不同意时请填写理由' });
  }
  await deps.db.transaction(async (tx) => {
    const [app] = await tx.select().from(linkApplications).where(eq(linkApplications.id, id)).for('update');
    if (!app || !can(lv(viewer), 'view', app.departmentId)) throw notFound('未找到该外部链接申请');
    const decision: LinkDecision = input.decision;
    // Not now (a decided application) is said before whose step it would be.
    const refusal = decisionRefusal(app.status, decision);
    if (refusal) throw conflict(refusal);
    const step: LinkStep = decision === 'withdraw' ? 'withdraw' : STEP_OF[app.status]!;
    if (decision === 'withdraw') {
      if (!can(lv(viewer), 'withdraw', app.departmentId)) throw forbidden('只有申请处室或办公室可以撤销链接');
    } else if (step === 'office') {
      if (!can(lv(viewer), 'review', app.departmentId)) throw forbidden('由办公室审核外部链接申请');
    } else if (!can(lv(viewer), 'approve', app.departmentId) || !(await leadsOffice(tx, s.id))) {
      throw forbidden('由分管办公室的局领导审批外部链接申请');
    }
    const next: Record<LinkDecision, LinkStatus> = {
      approve: app.status === 'at_office' ? 'at_leader' : 'approved',
      return: 'returned',
      refuse: 'refused',
      withdraw: 'withdrawn',
    };
    const status = next[decision];
    const open = status === 'at_leader';
    await tx
      .update(linkApplications)
      .set({ status, ...(open ? stepClock(deps, now) : noStep), closedAt: open ? null : now, ...bump })
      .where(eq(linkApplications.id, id));
    await tx
      .insert(linkDecisions)
      .values({ applicationId: id, step, decision, decidedBy: s.id, decidedByName: s.displayName, reason, decidedAt: now });
    await recordAudit(tx, actorFor(viewer, [...LINK_REVIEWERS, ...LINK_APPROVERS, 'handler', 'dept_leader']), {
      action: `link.${decision}`,
      recordType: 'link_application',
      recordId: id,
      before: { status: app.status },
      after: { status, reason },
    });
  });
  await syncLinkWorkflow(deps, id);
  return getLinkApplication(deps, viewer, id);
}

async function names(db: Executor) {
  return new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
}

export async function getLinkApplication(deps: { db: Executor }, viewer: Viewer, id: number) {
  demand(viewer, !!viewer.staff && viewer.staff.roles.some((r) => (LINK_READERS as readonly string[]).includes(r)));
  const [app] = await deps.db.select().from(linkApplications).where(eq(linkApplications.id, id));
  if (!app || !can(lv(viewer), 'view', app.departmentId)) throw notFound('未找到该外部链接申请');
  const decisions = await deps.db.select().from(linkDecisions).where(eq(linkDecisions.applicationId, id)).orderBy(linkDecisions.id);
  return {
    ...view(app, (await names(deps.db)).get(app.departmentId) ?? ''),
    decisions: decisions.map((d) => ({
      step: d.step,
      decision: d.decision,
      decidedBy: d.decidedByName,
      reason: d.reason,
      decidedAt: d.decidedAt.toISOString(),
    })),
  };
}

/** The applications the viewer may see (their department's, or all for the bureau-wide readers), newest first. */
export async function listLinkApplications(deps: { db: Executor }, viewer: Viewer, q: { status?: LinkStatus | undefined } = {}) {
  const v = lv(viewer);
  demand(
    viewer,
    viewer.staff!.roles.some((r) => (LINK_READERS as readonly string[]).includes(r)),
  );
  const where = and(
    q.status ? eq(linkApplications.status, q.status) : undefined,
    seesAllLinks(v) ? undefined : eq(linkApplications.departmentId, v.departmentId ?? -1),
  );
  const rows = await deps.db.select().from(linkApplications).where(where).orderBy(desc(linkApplications.id)).limit(500);
  const dept = await names(deps.db);
  return { items: rows.map((r) => view(r, dept.get(r.departmentId) ?? '')) };
}

/** Every approved link, for the watcher (system code: no viewer). */
export async function approvedLinks(db: Executor) {
  return db
    .select({
      id: linkApplications.id,
      url: linkApplications.targetUrl,
      departmentId: linkApplications.departmentId,
      siteName: linkApplications.siteName,
    })
    .from(linkApplications)
    .where(eq(linkApplications.status, 'approved'));
}

/** Applications at a step, for the digest (system code). */
export async function openLinkStepsForDigest(db: Executor) {
  return db
    .select({
      id: linkApplications.id,
      siteName: linkApplications.siteName,
      departmentId: linkApplications.departmentId,
      status: linkApplications.status,
      dueOn: linkApplications.stepDueOn,
      dueAt: linkApplications.stepDueAt,
    })
    .from(linkApplications)
    .where(inArray(linkApplications.status, ['at_office', 'at_leader']));
}
