import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { actorFor, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import { queueDepartmentNotice } from '../notices.js';
import {
  LIVE_STATUSES,
  nextStep,
  REVIEW_PARTICIPANTS,
  reviewRefusal,
  stepsFor,
  TAKEDOWN_ROLES,
  type Refusal,
  type ReviewAction,
} from '../rules.js';
import type { decisionBody, submitBody } from '../schemas.js';
import { reviewDecisions, reviewForms, siteItems, siteItemVersions } from '../tables.js';
import { columnById, columnFacts, listColumns } from './columns.js';
import {
  canSeeItem,
  formViews,
  getForm,
  itemVisibleTo,
  lockForm,
  participantOf,
  versionOf,
  type FormRow,
  type PublishingDeps,
} from './records.js';
import { syncReviewWorkflow } from './review-sync.js';

export type SubmitInput = z.infer<typeof submitBody>;
export type DecisionInput = z.infer<typeof decisionBody>;

export const bump = { changeSeq: sql`${reviewForms.changeSeq} + 1` };
const asError = (r: Refusal) => (r.kind === 'forbidden' ? forbidden(r.message) : conflict(r.message));

/** The step's time limit from `from`, in working days (setting REVIEW_STEP_WORKING_DAYS). */
const stepClock = (deps: PublishingDeps, from: Date) => {
  const due = deps.calendar.deadline(from, deps.env.REVIEW_STEP_WORKING_DAYS);
  return { stepStartedAt: from, stepDueDate: due.dueDate, stepDueAt: due.dueAt, stepOverdue: false };
};

/**
 * The drafter submits the item's newest version with the 审核单 filled in (Art. 20(一)): the four Art. 19
 * confirmations and the secrecy conclusion. Starts the chain at the department leader.
 */
export async function submitForReview(deps: PublishingDeps, viewer: Viewer, itemId: number, input: SubmitInput, now = new Date()) {
  const { item, p } = await itemVisibleTo(deps.db, viewer, itemId);
  if (p.staffId !== item.drafterId) throw forbidden('只有起草人可以送审');
  if (input.secrecy === 'secret_not_publish') throw conflict('保密审查结论为涉及国家秘密的信息不得在网站发布');
  if (input.secrecy === 'needs_secrecy_office') throw conflict('请先报保密部门审查，审查后再送审');
  const formId = await deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(siteItems).where(eq(siteItems.id, itemId)).for('update');
    if (locked!.state === 'taken_down') throw conflict('该信息已被撤下，不能再送审');
    if (locked!.publishedVersion === locked!.latestVersion) throw conflict('已发布的版本没有新的修改，无需送审');
    const [live] = await tx
      .select({ id: reviewForms.id })
      .from(reviewForms)
      .where(and(eq(reviewForms.itemId, itemId), inArray(reviewForms.status, [...LIVE_STATUSES])));
    if (live) throw conflict('该信息已在审核中');
    const column = (await columnById(tx, locked!.columnId))!;
    const steps = stepsFor(column);
    const [form] = await tx
      .insert(reviewForms)
      .values({
        itemId,
        version: locked!.latestVersion,
        columnId: column.id,
        departmentId: locked!.departmentId,
        drafterId: locked!.drafterId,
        contentType: locked!.contentType,
        art19: input.art19,
        drafterSecrecy: input.secrecy,
        steps,
        status: 'at_step',
        step: steps[0]!,
        ...stepClock(deps, now),
        submittedAt: now,
      })
      .returning();
    await recordAudit(tx, actorFor(viewer, REVIEW_PARTICIPANTS), {
      action: 'review.submit',
      recordType: 'review_form',
      recordId: form!.id,
      after: { itemId, version: form!.version, steps, secrecy: input.secrecy },
    });
    return form!.id;
  });
  await syncReviewWorkflow(deps, formId);
  return getForm(deps, viewer, formId);
}

/** Locks the form and checks the action against the chain's rules for this person. */
export async function checked(tx: Executor, viewer: Viewer, formId: number, action: ReviewAction) {
  const form = await lockForm(tx, formId);
  const p = await participantOf(tx, viewer);
  const [item] = await tx.select().from(siteItems).where(eq(siteItems.id, form.itemId));
  if (!item || !canSeeItem(p, item)) throw notFound('未找到该审核单');
  const column = (await columnById(tx, form.columnId))!;
  const why = reviewRefusal(form, columnFacts(column), p, action);
  if (why) throw asError(why);
  return { form, p, item, column };
}

/**
 * A reviewer's decision at the form's current step: 同意 (the department leader with the secrecy
 * review; the publicity office optionally with edits), 退回修改 (back to the drafter; resubmission starts
 * the chain again), or, for news at the publicity office, 不予采用.
 */
export async function decideStep(deps: PublishingDeps, viewer: Viewer, formId: number, input: DecisionInput, now = new Date()) {
  const action: ReviewAction =
    input.decision === 'approved'
      ? { kind: 'approve', secrecy: input.secrecy }
      : { kind: input.decision === 'returned' ? 'return' : 'reject' };
  if (input.decision !== 'approved' && !input.opinion) {
    throw badRequest('提交的内容有误，请检查标注的字段', { 'body.opinion': '退回或不予采用时请填写意见' });
  }
  await deps.db.transaction(async (tx) => {
    const { form, item } = await checked(tx, viewer, formId, action);
    const step = form.step!;
    if (input.edits && (step !== 'publicity' || input.decision !== 'approved')) {
      throw badRequest('提交的内容有误，请检查标注的字段', { 'body.edits': '只有应急宣传处复审新闻时可以修改内容' });
    }
    const actor = actorFor(viewer, ['dept_leader', 'publicity', 'bureau_leader']);
    let version = form.version;
    if (input.edits && Object.keys(input.edits).length > 0) {
      version = await editAsReviewer(tx, item.id, item.latestVersion, form.version, input.edits, actor.staffId!);
    }
    const staff = viewer.staff!;
    await tx.insert(reviewDecisions).values({
      formId,
      step,
      decision: input.decision,
      opinion: input.opinion,
      secrecy: step === 'dept_leader' ? (input.secrecy ?? null) : null,
      deciderId: staff.id,
      deciderName: staff.displayName,
      decidedAt: now,
      dueDate: form.stepDueDate,
      late: !!form.stepDueAt && now.getTime() > form.stepDueAt.getTime(),
      editedVersion: version !== form.version ? version : null,
    });
    const next = input.decision === 'approved' ? nextStep(form.steps, step) : null;
    const set: Partial<FormRow> =
      input.decision !== 'approved'
        ? { status: input.decision === 'returned' ? 'returned' : 'rejected', step: null, closedAt: now }
        : next
          ? { step: next, ...stepClock(deps, now) }
          : { status: 'approved', step: null };
    await tx
      .update(reviewForms)
      .set({ ...set, version, ...bump })
      .where(eq(reviewForms.id, formId));
    await recordAudit(tx, actor, {
      action: `review.${input.decision === 'approved' ? 'approve' : input.decision === 'returned' ? 'return' : 'reject'}`,
      recordType: 'review_form',
      recordId: formId,
      before: { step, version: form.version },
      after: { status: set.status ?? 'at_step', step: set.step ?? null, version, secrecy: input.secrecy ?? null, opinion: input.opinion },
    });
    if (input.decision !== 'approved') {
      const title = (await versionOf(tx, item.id, version)).title;
      const what = input.decision === 'returned' ? '退回修改' : '不予采用';
      await queueDepartmentNotice(
        tx,
        item.departmentId,
        `review-${formId}:${input.decision}`,
        `网站信息${what}：${title}`,
        `《${title}》${what}。意见：${input.opinion}`,
      );
    }
  });
  await syncReviewWorkflow(deps, formId);
  return getForm(deps, viewer, formId);
}

/** The publicity office's edits of a news item: a new version from the reviewed one, by the reviewer. */
async function editAsReviewer(
  tx: Executor,
  itemId: number,
  latest: number,
  reviewed: number,
  edits: NonNullable<DecisionInput['edits']>,
  authorId: number,
) {
  const base = await versionOf(tx, itemId, reviewed);
  const version = latest + 1;
  await tx.insert(siteItemVersions).values({
    itemId,
    version,
    title: edits.title ?? base.title,
    summary: edits.summary ?? base.summary,
    body: edits.body ?? base.body,
    qaPairs: edits.qaPairs ?? base.qaPairs,
    relatedItemIds: edits.relatedItemIds ?? base.relatedItemIds,
    authorId,
  });
  await tx.update(siteItems).set({ latestVersion: version, updatedAt: new Date() }).where(eq(siteItems.id, itemId));
  return version;
}

/** The drafter withdraws a form before publication. */
export async function withdrawForm(deps: PublishingDeps, viewer: Viewer, formId: number, now = new Date()) {
  await deps.db.transaction(async (tx) => {
    await checked(tx, viewer, formId, { kind: 'withdraw' });
    await tx
      .update(reviewForms)
      .set({ status: 'withdrawn', step: null, closedAt: now, ...bump })
      .where(eq(reviewForms.id, formId));
    await recordAudit(tx, actorFor(viewer, REVIEW_PARTICIPANTS), {
      action: 'review.withdraw',
      recordType: 'review_form',
      recordId: formId,
    });
  });
  await syncReviewWorkflow(deps, formId);
  return getForm(deps, viewer, formId);
}

/**
 * The general office takes a published item down with a reason (Art. 27(三)): the public URL then
 * answers 410, the department is told, and the item and its forms stay in the record.
 */
export async function takeDownItem(deps: PublishingDeps, viewer: Viewer, itemId: number, reason: string, now = new Date()) {
  const p = await participantOf(deps.db, viewer);
  if (!p.roles.some((r) => (TAKEDOWN_ROLES as readonly string[]).includes(r))) throw forbidden('只有办公室可以撤下网站信息');
  const voided = await deps.db.transaction(async (tx) => {
    const [item] = await tx.select().from(siteItems).where(eq(siteItems.id, itemId)).for('update');
    if (!item) throw notFound('未找到该信息');
    if (item.state !== 'published') throw conflict(item.state === 'taken_down' ? '该信息已被撤下' : '该信息尚未发布');
    const actor = actorFor(viewer, TAKEDOWN_ROLES);
    await tx
      .update(siteItems)
      .set({ state: 'taken_down', takenDownAt: now, takedownReason: reason, takenDownBy: actor.staffId, updatedAt: now })
      .where(eq(siteItems.id, itemId));
    const ended = await tx
      .update(reviewForms)
      .set({ status: 'voided', step: null, closedAt: now, ...bump })
      .where(and(eq(reviewForms.itemId, itemId), inArray(reviewForms.status, [...LIVE_STATUSES])))
      .returning({ id: reviewForms.id });
    await recordAudit(tx, actor, {
      action: 'item.take_down',
      recordType: 'site_item',
      recordId: itemId,
      before: { state: item.state },
      after: { reason },
    });
    const title = (await versionOf(tx, itemId, item.publishedVersion!)).title;
    await queueDepartmentNotice(
      tx,
      item.departmentId,
      `item-${itemId}:taken-down`,
      `网站信息已撤下：${title}`,
      `《${title}》已由办公室撤下。原因：${reason}`,
    );
    return ended.map((f) => f.id);
  });
  for (const id of voided) await syncReviewWorkflow(deps, id);
}

/** What waits for the viewer: forms at a step they decide, and approved forms they publish. */
export async function reviewQueue(deps: Pick<PublishingDeps, 'db'>, viewer: Viewer) {
  const p = await participantOf(deps.db, viewer);
  const open = await deps.db
    .select()
    .from(reviewForms)
    .where(inArray(reviewForms.status, ['at_step', 'approved', 'scheduled']))
    .orderBy(asc(reviewForms.submittedAt), asc(reviewForms.id))
    .limit(500);
  // Every column once, not once per form (a queue lists forms of few columns, the rule needs each one's facts).
  const columns = new Map((await listColumns(deps, { includeInactive: true })).items.map((c) => [c.id, c]));
  const mine: FormRow[] = [];
  for (const f of open) {
    const column = columns.get(f.columnId)!;
    const action: ReviewAction = f.status === 'at_step' ? { kind: 'return' } : { kind: 'publish' };
    const why = reviewRefusal(f, columnFacts(column), p, action);
    if (!why || (f.status === 'scheduled' && why.kind === 'state' && f.drafterId === p.staffId)) mine.push(f);
  }
  return { items: await formViews(deps.db, mine) };
}
