import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { staffDisplayNames } from '../../auth/service/staff-directory.js';
import { actorFor, type Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { departmentName } from '../../departments/service.js';
import { badRequest, conflict, forbidden } from '../../server/errors.js';
import { DRAFTERS, draftRefusal, LIVE_STATUSES } from '../rules.js';
import type { draftBody, versionBody } from '../schemas.js';
import { reviewForms, siteItems, siteItemVersions } from '../tables.js';
import { columnById, columnFacts } from './columns.js';
import { attachmentView, versionAttachments } from './attachment-records.js';
import { formViews, itemVisibleTo, participantOf, versionOf, type ItemRow, type PublishingDeps, type VersionRow } from './records.js';
import { syncReviewWorkflow } from './review-sync.js';

export type DraftInput = z.infer<typeof draftBody>;
export type VersionInput = z.infer<typeof versionBody>;

async function checkRelated(db: Executor, ids: number[], selfId?: number) {
  const wanted = [...new Set(ids)].filter((id) => id !== selfId);
  if (wanted.length === 0) return [];
  const found = await db.select({ id: siteItems.id }).from(siteItems).where(inArray(siteItems.id, wanted));
  if (found.length !== wanted.length) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.relatedItemIds': '相关信息不存在' });
  return wanted;
}

/** Writes one immutable version of an item. */
const insertVersion = (tx: Executor, itemId: number, version: number, input: VersionInput, related: number[], authorId: number) =>
  tx.insert(siteItemVersions).values({
    itemId,
    version,
    title: input.title,
    summary: input.summary,
    body: input.body,
    qaPairs: input.qaPairs,
    relatedItemIds: related,
    authorId,
  });

/** A drafter starts an item in a column their department supplies: the item and its version 1. */
export async function createDraft(deps: PublishingDeps, viewer: Viewer, input: DraftInput) {
  const p = await participantOf(deps.db, viewer);
  const column = await columnById(deps.db, input.columnId);
  if (!column) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.columnId': '栏目不存在' });
  const why = draftRefusal(p, columnFacts(column), input.contentType);
  if (why) throw forbidden(why);
  const related = await checkRelated(deps.db, input.relatedItemIds);
  const id = await deps.db.transaction(async (tx) => {
    const [item] = await tx
      .insert(siteItems)
      .values({ columnId: column.id, departmentId: p.departmentId!, drafterId: p.staffId, contentType: input.contentType })
      .returning();
    await insertVersion(tx, item!.id, 1, input, related, p.staffId);
    await recordAudit(tx, actorFor(viewer, DRAFTERS), {
      action: 'item.create',
      recordType: 'site_item',
      recordId: item!.id,
      after: { columnId: column.id, contentType: input.contentType, title: input.title },
    });
    return item!.id;
  });
  return getItem(deps, viewer, id);
}

/** The item as its drafter may change it: only the drafter, never after takedown (rechecked under the lock). */
export async function editorOf(db: Executor, viewer: Viewer, itemId: number) {
  const { item, p } = await itemVisibleTo(db, viewer, itemId);
  if (p.staffId !== item.drafterId) throw forbidden('只有起草人可以修改');
  if (item.state === 'taken_down') throw conflict('该信息已被撤下，不能修改');
  return { item, p };
}

/** One change of an item: its text (a new version of it), or what `apply` does (the attachments), or both. */
export interface ItemChange {
  /** The new version's text; absent: the newest version's text carries over. */
  content?: { input: VersionInput; related: number[] };
  /** Runs under the item's lock, before the version is written; what it returns goes into the audit row. */
  apply?: (tx: Executor, version: number) => Promise<Record<string, unknown>>;
  /** The audit action. */
  action: string;
}

/**
 * The one way an item changes (Art. 20): by its drafter, as a new version. Every review form still under
 * way for the item is voided (a change after an approval voids that approval; the item goes through the
 * chain again). A text edit and an attachment added or removed all come through here.
 */
export async function commitChange(deps: PublishingDeps, viewer: Viewer, itemId: number, change: ItemChange) {
  const { p } = await editorOf(deps.db, viewer, itemId);
  const voided = await deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(siteItems).where(eq(siteItems.id, itemId)).for('update');
    if (locked!.state === 'taken_down') throw conflict('该信息已被撤下，不能修改');
    const version = locked!.latestVersion + 1;
    const content = change.content ?? carriedOver(await versionOf(tx, itemId, locked!.latestVersion));
    const details = change.apply ? await change.apply(tx, version) : {};
    await insertVersion(tx, itemId, version, content.input, content.related, p.staffId);
    await tx.update(siteItems).set({ latestVersion: version, updatedAt: new Date() }).where(eq(siteItems.id, itemId));
    const ended = await tx
      .update(reviewForms)
      .set({ status: 'voided', step: null, closedAt: new Date(), changeSeq: sql`${reviewForms.changeSeq} + 1` })
      .where(and(eq(reviewForms.itemId, itemId), inArray(reviewForms.status, [...LIVE_STATUSES])))
      .returning({ id: reviewForms.id });
    await recordAudit(tx, actorFor(viewer, DRAFTERS), {
      action: change.action,
      recordType: 'site_item',
      recordId: itemId,
      before: { version: locked!.latestVersion },
      after: { version, title: content.input.title, voidedForms: ended.map((f) => f.id), ...details },
    });
    return ended.map((f) => f.id);
  });
  for (const formId of voided) await syncReviewWorkflow(deps, formId);
  return getItem(deps, viewer, itemId);
}

const carriedOver = (v: VersionRow) => ({
  input: { title: v.title, summary: v.summary, body: v.body, qaPairs: v.qaPairs, relatedItemIds: v.relatedItemIds },
  related: v.relatedItemIds,
});

/** The drafter saves a change of the text: a new version (commitChange). */
export async function saveVersion(deps: PublishingDeps, viewer: Viewer, itemId: number, input: VersionInput) {
  await editorOf(deps.db, viewer, itemId);
  const related = await checkRelated(deps.db, input.relatedItemIds, itemId);
  return commitChange(deps, viewer, itemId, { content: { input, related }, action: 'item.edit' });
}

async function itemDetail(db: Executor, item: ItemRow) {
  const latest = await versionOf(db, item.id, item.latestVersion);
  const forms = await db.select().from(reviewForms).where(eq(reviewForms.itemId, item.id)).orderBy(desc(reviewForms.id));
  const names = await staffDisplayNames(db, [item.drafterId, latest.authorId]);
  const column = await columnById(db, item.columnId);
  return {
    id: item.id,
    columnId: item.columnId,
    column: column?.name ?? '',
    department: await departmentName(db, item.departmentId),
    drafter: names.get(item.drafterId) ?? '',
    contentType: item.contentType,
    state: item.state,
    latestVersion: item.latestVersion,
    publishedVersion: item.publishedVersion,
    firstPublishedAt: item.firstPublishedAt && formatChinaDateTime(item.firstPublishedAt),
    updatedPublishedAt: item.updatedPublishedAt && formatChinaDateTime(item.updatedPublishedAt),
    takedownReason: item.takedownReason,
    latest: {
      version: latest.version,
      title: latest.title,
      summary: latest.summary,
      body: latest.body,
      qaPairs: latest.qaPairs,
      relatedItemIds: latest.relatedItemIds,
      author: names.get(latest.authorId) ?? '',
      createdAt: formatChinaDateTime(latest.createdAt),
    },
    forms: await formViews(db, forms),
    attachments: (await versionAttachments(db, item.id, item.latestVersion)).map(attachmentView),
  };
}

/** An item with its newest version and its review forms; 404 outside the viewer's scope. */
export async function getItem(deps: Pick<PublishingDeps, 'db'>, viewer: Viewer, itemId: number) {
  const { item } = await itemVisibleTo(deps.db, viewer, itemId);
  return itemDetail(deps.db, item);
}

/** The items of the viewer's department (department staff) or all (bureau-wide roles), newest first. */
export async function listItems(deps: Pick<PublishingDeps, 'db'>, viewer: Viewer, limit = 50) {
  const p = await participantOf(deps.db, viewer);
  const wide = !p.roles.every((r) => r === 'handler' || r === 'dept_leader');
  const rows = await deps.db
    .select({ id: siteItems.id, state: siteItems.state, latestVersion: siteItems.latestVersion, title: siteItemVersions.title })
    .from(siteItems)
    .innerJoin(siteItemVersions, and(eq(siteItemVersions.itemId, siteItems.id), eq(siteItemVersions.version, siteItems.latestVersion)))
    .where(wide ? undefined : eq(siteItems.departmentId, p.departmentId ?? -1))
    .orderBy(desc(siteItems.id))
    .limit(limit);
  return { items: rows };
}
