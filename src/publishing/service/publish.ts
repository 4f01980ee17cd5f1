import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '../../audit/record.js';
import { actorFor, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { badRequest, conflict } from '../../server/errors.js';
import type { publishBody } from '../schemas.js';
import { ownHostsOf, unapprovedHostsIn } from '../../links/service/approved.js';
import { reviewForms, siteItems, siteItemVersions } from '../tables.js';
import { getForm, type FormRow, type PublishingDeps } from './records.js';
import { bump, checked } from './review.js';
import { syncReviewWorkflow } from './review-sync.js';

export type PublishInput = z.infer<typeof publishBody>;

/**
 * Puts the approved version on the site. The publication time is the system's clock at this moment
 * (never an input: a forged date is a veto item of the national inspection); 更新时间 when the item was
 * already published. Used by the publish action and by the review workflow for a scheduled one.
 */
export async function putOnSite(tx: Executor, form: FormRow, publisherId: number | null, actor: Actor, now: Date) {
  const [item] = await tx.select().from(siteItems).where(eq(siteItems.id, form.itemId)).for('update');
  if (item!.state === 'taken_down') throw conflict('该信息已被撤下，不能发布');
  const first = item!.firstPublishedAt === null;
  await tx
    .update(siteItems)
    .set({
      state: 'published',
      publishedVersion: form.version,
      firstPublishedAt: first ? now : item!.firstPublishedAt,
      updatedPublishedAt: first ? null : now,
      updatedAt: now,
    })
    .where(eq(siteItems.id, form.itemId));
  await tx
    .update(reviewForms)
    .set({ status: 'published', publishedAt: now, publishedBy: publisherId, closedAt: now, ...bump })
    .where(eq(reviewForms.id, form.id));
  await recordAudit(tx, actor, {
    action: 'item.publish',
    recordType: 'site_item',
    recordId: form.itemId,
    before: { publishedVersion: item!.publishedVersion },
    after: { publishedVersion: form.version, formId: form.id, publishedAt: now.toISOString() },
  });
}

/** Publishes an approved form now, or at a later time (stamped when it happens). */
export async function publishForm(deps: PublishingDeps, viewer: Viewer, formId: number, input: PublishInput, now = new Date()) {
  const at = input.at ? new Date(input.at) : null;
  await deps.db.transaction(async (tx) => {
    const { form } = await checked(tx, viewer, formId, { kind: 'publish' });
    // Measures Art. 24: a link to another website goes up only once its 外部链接审核表 is approved.
    const [text] = await tx
      .select({ body: siteItemVersions.body })
      .from(siteItemVersions)
      .where(and(eq(siteItemVersions.itemId, form.itemId), eq(siteItemVersions.version, form.version)));
    const unapproved = await unapprovedHostsIn(tx, text?.body ?? '', ownHostsOf(deps.env.SITE_ORIGINS));
    if (unapproved.length > 0) {
      throw conflict(
        `正文链接的外部网站未经审批，不能发布：${unapproved.join('、')}。请先提交外部链接审核表，经办公室审核、分管局领导批准后再发布（《网站管理办法》第二十四条）`,
      );
    }
    const actor = actorFor(viewer, ['handler', 'dept_leader', 'service_center']);
    if (at && at.getTime() > now.getTime() + 60_000) {
      await tx
        .update(reviewForms)
        .set({ status: 'scheduled', scheduledFor: at, publishedBy: actor.staffId, ...bump })
        .where(eq(reviewForms.id, formId));
      await recordAudit(tx, actor, {
        action: 'item.schedule',
        recordType: 'review_form',
        recordId: formId,
        after: { at: at.toISOString() },
      });
      return;
    }
    if (at && at.getTime() < now.getTime() - 60_000) {
      throw badRequest('提交的内容有误，请检查标注的字段', { 'body.at': '定时发布时间不能早于现在；发布时间由系统在发布时记录' });
    }
    await putOnSite(tx, form, actor.staffId, actor, now);
  });
  await syncReviewWorkflow(deps, formId);
  return getForm(deps, viewer, formId);
}
