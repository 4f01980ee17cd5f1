import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Executor } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { draftRefusal, isLive, reviewRefusal, TAKEDOWN_ROLES, type ContentType, type ReviewAction } from '../rules.js';
import { reviewForms, siteColumns, siteItems, siteItemVersions } from '../tables.js';
import { columnById, columnFacts, listColumns } from './columns.js';
import { getItem } from './items.js';
import { canSeeItem, getForm, itemVisibleTo, participantOf, versionOf } from './records.js';

// What the staff pages need beyond the API's answers, decided by the same rules the actions apply:
// where the viewer may draft, which of a form's actions are open to them, and the text a form covers.

/** Every column × content type the viewer may draft in (draftRefusal, as createDraft checks it). */
export async function draftPlacements(deps: { db: Executor }, viewer: Viewer) {
  const p = await participantOf(deps.db, viewer);
  const { items } = await listColumns(deps);
  const out: { columnId: number; column: string; contentType: ContentType }[] = [];
  for (const c of items) {
    for (const t of c.contentTypes) if (!draftRefusal(p, columnFacts(c), t)) out.push({ columnId: c.id, column: c.name, contentType: t });
  }
  return out;
}

/** Which actions on the form the viewer may take now (reviewRefusal, as the actions check it under the lock). */
export async function formActions(deps: { db: Executor }, viewer: Viewer, formId: number) {
  const [form] = await deps.db.select().from(reviewForms).where(eq(reviewForms.id, formId));
  if (!form) throw notFound('未找到该审核单');
  const { p } = await itemVisibleTo(deps.db, viewer, form.itemId);
  const column = columnFacts((await columnById(deps.db, form.columnId))!);
  const open = (action: ReviewAction) => reviewRefusal(form, column, p, action) === null;
  return {
    /** The viewer decides the current step (approve or return). */
    decide: open({ kind: 'return' }),
    /** 不予采用: the publicity office's step alone. */
    reject: open({ kind: 'reject' }),
    publish: open({ kind: 'publish' }),
    withdraw: open({ kind: 'withdraw' }),
  };
}
export type FormActions = Awaited<ReturnType<typeof formActions>>;

/** A form with the text of the version it covers (after the publicity office's edits, the edited one). */
export async function formWithText(deps: { db: Executor }, viewer: Viewer, formId: number) {
  const form = await getForm(deps, viewer, formId);
  const v = await versionOf(deps.db, form.itemId, form.version);
  return { form, text: { title: v.title, summary: v.summary, body: v.body, qaPairs: v.qaPairs, relatedItemIds: v.relatedItemIds } };
}
export type FormWithText = Awaited<ReturnType<typeof formWithText>>;

export const STAFF_ITEM_LIST_LIMIT = 100;

/**
 * The items list of the staff pages: the viewer's own and their department's (department staff), or
 * every department's (the bureau-wide roles and the publicity office), newest first, with the column.
 */
export async function staffItemList(deps: { db: Executor }, viewer: Viewer) {
  const p = await participantOf(deps.db, viewer);
  const wide = canSeeItem(p, { departmentId: -1 });
  const rows = await deps.db
    .select({
      id: siteItems.id,
      title: siteItemVersions.title,
      column: siteColumns.name,
      state: siteItems.state,
      latestVersion: siteItems.latestVersion,
      publishedVersion: siteItems.publishedVersion,
      mine: sql<boolean>`${siteItems.drafterId} = ${p.staffId}`,
    })
    .from(siteItems)
    .innerJoin(siteItemVersions, and(eq(siteItemVersions.itemId, siteItems.id), eq(siteItemVersions.version, siteItems.latestVersion)))
    .innerJoin(siteColumns, eq(siteColumns.id, siteItems.columnId))
    .where(wide ? undefined : or(eq(siteItems.drafterId, p.staffId), eq(siteItems.departmentId, p.departmentId ?? -1)))
    .orderBy(desc(siteItems.id))
    .limit(STAFF_ITEM_LIST_LIMIT);
  return { items: rows.map((r) => ({ ...r, mine: Boolean(r.mine) })) };
}

/** An item with what the viewer may do on its page (the same conditions the actions check; they re-check). */
export async function itemForPage(deps: { db: Database }, viewer: Viewer, itemId: number) {
  const { item, p } = await itemVisibleTo(deps.db, viewer, itemId);
  const detail = await getItem(deps, viewer, itemId);
  const drafter = p.staffId === item.drafterId;
  const live = detail.forms.find((f) => isLive(f.status));
  const open = item.state !== 'taken_down';
  return {
    item: detail,
    liveFormId: live?.id ?? null,
    may: {
      edit: drafter && open,
      submit: drafter && open && !live && item.publishedVersion !== item.latestVersion,
      withdraw: drafter && !!live,
      takeDown: p.roles.some((r) => (TAKEDOWN_ROLES as readonly string[]).includes(r)) && item.state === 'published',
    },
  };
}
export type ItemForPage = Awaited<ReturnType<typeof itemForPage>>;
