import { and, eq, sql, type SQL } from 'drizzle-orm';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import type { ContentType } from '../rules.js';
import { siteColumns, siteItems, siteItemVersions } from '../tables.js';

// The rows the public site reads: an item in state 'published' joined to its published version (never
// the drafter's newest version, never a draft or a version under review) in an active column.

/** The join and the condition every public read starts from. */
export const publishedJoin = and(eq(siteItems.state, 'published'), eq(siteColumns.active, true));

const versionJoin = and(eq(siteItemVersions.itemId, siteItems.id), eq(siteItemVersions.version, siteItems.publishedVersion));

/**
 * Newest first by 发布时间, as the partial indexes on published items are ordered (DESC NULLS LAST): plain
 * DESC means NULLS FIRST, which the indexes cannot serve, and PostgreSQL would sort the whole column.
 */
export const byNewest = [sql`${siteItems.firstPublishedAt} desc nulls last`, sql`${siteItems.id} desc nulls last`];

export const summaryFields = {
  id: siteItems.id,
  title: siteItemVersions.title,
  summary: siteItemVersions.summary,
  column: siteColumns.name,
  columnSlug: siteColumns.slug,
  departmentId: siteItems.departmentId,
  contentType: siteItems.contentType,
  firstPublishedAt: siteItems.firstPublishedAt,
  updatedPublishedAt: siteItems.updatedPublishedAt,
};

/** Published items (summary fields) with their published version and column, filtered by `where`. */
export const summaryQuery = (db: Executor, where?: SQL) =>
  db
    .select(summaryFields)
    .from(siteItems)
    .innerJoin(siteItemVersions, versionJoin)
    .innerJoin(siteColumns, eq(siteColumns.id, siteItems.columnId))
    .where(and(publishedJoin, where));

/** The same with the body, the Q&A pairs and the related items (an item page, search snippets). */
export const fullQuery = (db: Executor, where?: SQL) =>
  db
    .select({
      ...summaryFields,
      body: siteItemVersions.body,
      qaPairs: siteItemVersions.qaPairs,
      relatedItemIds: siteItemVersions.relatedItemIds,
    })
    .from(siteItems)
    .innerJoin(siteItemVersions, versionJoin)
    .innerJoin(siteColumns, eq(siteColumns.id, siteItems.columnId))
    .where(and(publishedJoin, where));

export interface SummaryRow {
  id: number;
  title: string;
  summary: string;
  column: string;
  columnSlug: string;
  departmentId: number;
  contentType: ContentType;
  firstPublishedAt: Date | null;
  updatedPublishedAt: Date | null;
}

/** What the public sees of an item in a list (publicItemSummary). */
export async function summaries(db: Executor, rows: SummaryRow[]) {
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary,
    column: r.column,
    columnSlug: r.columnSlug,
    department: depts.get(r.departmentId) ?? '',
    contentType: r.contentType,
    publishedAt: formatChinaDateTime(r.firstPublishedAt!),
    updatedAt: r.updatedPublishedAt ? formatChinaDateTime(r.updatedPublishedAt) : null,
  }));
}

/**
 * The site's (or a column's) newest publication and newest takedown: a list's Last-Modified, as either
 * changes what a list page shows (a new item pushes the others down, a takedown removes one).
 */
export async function listMarks(db: Executor, columnId?: number): Promise<Date[]> {
  const inColumns = columnId === undefined ? sql`` : sql`and column_id = ${columnId}`;
  const rows = await db.execute<{ published: string | null; taken_down: string | null }>(sql`
    select (select max(first_published_at) from site_items where state = 'published' ${inColumns}) as published,
           (select max(taken_down_at) from site_items where state = 'taken_down' ${inColumns}) as taken_down`);
  const row = rows[0];
  return [row?.published, row?.taken_down].filter((v): v is string => !!v).map((v) => new Date(v));
}

/** The newest of the instants (epoch when none): the Last-Modified of what they describe. */
export const newest = (instants: (Date | null | undefined)[]) =>
  new Date(Math.max(0, ...instants.filter((d): d is Date => !!d).map((d) => d.getTime())));
