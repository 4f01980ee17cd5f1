import { attachmentView, versionAttachments } from './attachment-records.js';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { renderBody } from '../body.js';
import { siteColumns, siteItems } from '../tables.js';
import { columnBySlug } from './columns.js';
import { byNewest, fullQuery, listMarks, newest, summaries, summaryQuery } from './site-rows.js';

// The public website's read service (issue 15 point 9): only items in state 'published', shown in their
// published version. A draft, a version under review and an approved item not yet published do not
// exist for the public (404); an item taken down answers 410 with a short notice (Art. 27(三)): its
// number and that it was withdrawn, not the office's reason, which is an internal record.

export const SITE_PAGE_SIZE = 20;
/** How many of each column's newest items the home page and a group page show. */
export const LATEST_PER_COLUMN = 5;

type Db = { db: Executor };

/** The public column as pages and the JSON show it. */
const columnView = (c: typeof siteColumns.$inferSelect) => ({
  id: c.id,
  parentId: c.parentId,
  slug: c.slug,
  name: c.name,
  section: c.section,
});

/** The column groups at the top of the tree (政务公开, 网上办事, …): the site navigation. */
export async function siteGroups({ db }: Db) {
  return db
    .select({ id: siteColumns.id, slug: siteColumns.slug, name: siteColumns.name })
    .from(siteColumns)
    .where(and(eq(siteColumns.active, true), eq(siteColumns.acceptsItems, false), isNull(siteColumns.parentId)))
    .orderBy(asc(siteColumns.sortOrder), asc(siteColumns.id));
}

/**
 * Each column's newest published items, in one query (a lateral walk of each column's index), with the
 * site's newest publication and takedown as the Last-Modified (any of them may change these blocks).
 */
async function columnsWithLatest(db: Executor, columns: (typeof siteColumns.$inferSelect)[]) {
  const ids = columns.map((c) => c.id);
  const rows =
    ids.length === 0
      ? []
      : await summaryQuery(
          db,
          sql`${siteItems.id} in (select x.id from unnest(${sql.param(ids)}::int[]) as c(id) cross join lateral (
            select i.id from site_items i where i.column_id = c.id and i.state = 'published'
            order by i.first_published_at desc nulls last, i.id desc nulls last limit ${LATEST_PER_COLUMN}) x)`,
        ).orderBy(...byNewest);
  const views = await summaries(db, rows);
  const marks = await listMarks(db);
  return {
    blocks: columns.map((c) => ({ column: columnView(c), items: views.filter((v) => v.columnSlug === c.slug) })),
    lastModified: newest([...marks, ...rows.map((r) => r.updatedPublishedAt)]),
  };
}

/** The home page: every active column that holds items, in the tree's order, with its newest items. */
export async function siteHome({ db }: Db) {
  const all = await db
    .select()
    .from(siteColumns)
    .where(eq(siteColumns.active, true))
    .orderBy(asc(siteColumns.sortOrder), asc(siteColumns.id));
  const { blocks, lastModified } = await columnsWithLatest(
    db,
    all.filter((c) => c.acceptsItems),
  );
  return { columns: blocks, lastModified };
}

/** A column group's page (e.g. 政务公开): its columns, each with its newest items. */
async function groupPage(db: Executor, group: typeof siteColumns.$inferSelect) {
  const children = await db
    .select()
    .from(siteColumns)
    .where(and(eq(siteColumns.parentId, group.id), eq(siteColumns.active, true)))
    .orderBy(asc(siteColumns.sortOrder), asc(siteColumns.id));
  const { blocks, lastModified } = await columnsWithLatest(db, children);
  return { kind: 'group' as const, column: columnView(group), columns: blocks, lastModified };
}

/** A column's page `page` (1-based, 20 a page, newest first by 发布时间), or a group's page. 404: unknown or inactive. */
export async function columnPage({ db }: Db, slug: string, page: number) {
  const column = await columnBySlug(db, slug);
  if (!column) throw notFound('未找到该栏目');
  if (!column.acceptsItems) return groupPage(db, column);
  // The offset walks the column's index alone (index-only); only the page's 20 are joined to their versions.
  const pageIds = db
    .select({ id: siteItems.id })
    .from(siteItems)
    .where(and(eq(siteItems.columnId, column.id), eq(siteItems.state, 'published')))
    .orderBy(...byNewest)
    .limit(SITE_PAGE_SIZE)
    .offset((page - 1) * SITE_PAGE_SIZE);
  // The count and the page at once (two connections): a page past the end is found empty and refused.
  const [{ total, marks }, rows] = await Promise.all([
    columnStats(db, column.id),
    summaryQuery(db, inArray(siteItems.id, pageIds)).orderBy(...byNewest),
  ]);
  const pages = Math.max(1, Math.ceil(total / SITE_PAGE_SIZE));
  if (page > pages) throw notFound('该栏目没有这一页');
  return {
    kind: 'column' as const,
    column: columnView(column),
    items: await summaries(db, rows),
    page,
    pages,
    total,
    lastModified: newest([...marks, ...rows.map((r) => r.updatedPublishedAt)]),
  };
}

/** How many items a column shows, and its newest publication and takedown (its pages' Last-Modified). */
async function columnStats(db: Executor, columnId: number) {
  const [row] = await db.execute<{ total: number; published: string | null; taken_down: string | null }>(sql`
    select count(*)::int as total, max(first_published_at) as published,
      (select max(taken_down_at) from site_items where state = 'taken_down' and column_id = ${columnId}) as taken_down
    from site_items where state = 'published' and column_id = ${columnId}`);
  const marks = [row?.published, row?.taken_down].filter((v): v is string => !!v).map((v) => new Date(v));
  return { total: row?.total ?? 0, marks };
}

/**
 * A column's published items for the JSON API (GET /api/site/columns/:id/items), by keyset: `before` is
 * the id of the last item of the previous page (its 发布时间 and id continue the order).
 */
export async function columnItems({ db }: Db, columnId: number, query: { before?: string | undefined; limit?: number | undefined }) {
  const [column] = await db.select().from(siteColumns).where(eq(siteColumns.id, columnId));
  if (!column?.active || !column.acceptsItems) throw notFound('未找到该栏目');
  if (query.before !== undefined && !/^[1-9]\d{0,15}$/.test(query.before)) {
    throw badRequest('提交的内容有误，请检查标注的字段', { 'query.before': '分页位置应为上一页最后一条信息的编号' });
  }
  const limit = query.limit ?? SITE_PAGE_SIZE;
  const after = query.before
    ? sql`(${siteItems.firstPublishedAt}, ${siteItems.id}) < (select first_published_at, id from site_items where id = ${Number(query.before)})`
    : undefined;
  const rows = await summaryQuery(db, and(eq(siteItems.columnId, column.id), after))
    .orderBy(...byNewest)
    .limit(limit + 1);
  const shown = rows.slice(0, limit);
  const marks = await listMarks(db, column.id);
  return {
    items: await summaries(db, shown),
    nextBefore: rows.length > limit ? String(shown[shown.length - 1]!.id) : null,
    lastModified: newest([...marks, ...shown.map((r) => r.updatedPublishedAt)]),
  };
}

/** An item taken down: what the public is told (410). */
export class ItemWithdrawnError extends AppError {
  constructor(
    readonly itemId: number,
    readonly takenDownAt: Date,
  ) {
    super(410, 'gone', `编号为 ${itemId} 的信息已撤下，不再公开`);
  }
}

/** The related items that are published now, with their titles; the newest change among them. */
async function relatedOf(db: Executor, ids: number[]) {
  if (ids.length === 0) return { related: [], changed: [] as (Date | null)[] };
  const rows = await summaryQuery(db, inArray(siteItems.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // One taken down since disappears from the list: its takedown time changes the page.
  const downs = await db
    .select({ at: siteItems.takenDownAt })
    .from(siteItems)
    .where(and(inArray(siteItems.id, ids), eq(siteItems.state, 'taken_down')));
  return {
    related: ids.filter((id) => byId.has(id)).map((id) => ({ id, title: byId.get(id)!.title })),
    changed: [...rows.map((r) => r.updatedPublishedAt), ...downs.map((d) => d.at)],
  };
}

/** A published item as the public sees it; 404 when not published (or its column is inactive), 410 when taken down. */
export async function publicItem({ db }: Db, itemId: number) {
  const [item] = await db
    .select({ state: siteItems.state, takenDownAt: siteItems.takenDownAt, active: siteColumns.active, version: siteItems.publishedVersion })
    .from(siteItems)
    .innerJoin(siteColumns, eq(siteColumns.id, siteItems.columnId))
    .where(eq(siteItems.id, itemId));
  if (item?.state === 'taken_down' && item.active) throw new ItemWithdrawnError(itemId, item.takenDownAt!);
  const [row] = await fullQuery(db, eq(siteItems.id, itemId));
  if (!row) throw notFound('未找到该信息');
  const [summary] = await summaries(db, [row]);
  const { related, changed } = await relatedOf(db, row.relatedItemIds);
  return {
    ...summary!,
    body: row.body,
    bodyHtml: renderBody(row.body),
    qaPairs: row.qaPairs,
    related,
    attachments: (await versionAttachments(db, itemId, item!.version!)).map(attachmentView),
    lastModified: newest([row.firstPublishedAt, row.updatedPublishedAt, ...changed]),
  };
}

export type PublicItem = Awaited<ReturnType<typeof publicItem>>;
export type ColumnPage = Awaited<ReturnType<typeof columnPage>>;
export type SiteHome = Awaited<ReturnType<typeof siteHome>>;
export const withdrawnDate = (e: ItemWithdrawnError) => formatChinaDateTime(e.takenDownAt).slice(0, 10);
