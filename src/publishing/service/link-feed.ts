// What the link watcher (src/links) needs of the public site: the published items with their published
// text and attachments, and the active columns' pages. Published items only, as the public sees them.
// The watcher reads the site only through these functions, never the publishing tables.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

export interface LinkFeedItem {
  id: number;
  title: string;
  departmentId: number;
  body: string;
  attachmentIds: number[];
}

/** Published items after `afterId`, `limit` at a time (keyset order), with their published body and attachments. */
export async function publishedItemsForLinks(db: Executor, afterId: number, limit: number): Promise<LinkFeedItem[]> {
  const rows = await db.execute<{
    id: string | number;
    title: string;
    department_id: number;
    body: string;
    attachments: (string | number)[] | null;
  }>(sql`
    select i.id, v.title, i.department_id, v.body,
      (select array_agg(a.id order by a.id) from site_attachments a
        where a.item_id = i.id and a.from_version <= i.published_version
          and (a.until_version is null or a.until_version > i.published_version)) as attachments
    from site_items i
    join site_item_versions v on v.item_id = i.id and v.version = i.published_version
    join site_columns c on c.id = i.column_id
    where i.state = 'published' and c.active and i.id > ${afterId}
    order by i.id limit ${limit}`);
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    departmentId: r.department_id,
    body: r.body,
    attachmentIds: (r.attachments ?? []).map(Number),
  }));
}

/** The public paths of an item and its attachments, as the site serves them. */
export const itemPath = (id: number) => `/items/${id}`;
export const attachmentPath = (itemId: number, attachmentId: number) => `/items/${itemId}/attachments/${attachmentId}`;

/** The slugs of the active columns (each has a public page /columns/:slug). */
export async function activeColumnSlugs(db: Executor): Promise<string[]> {
  const rows = await db.execute<{ slug: string }>(sql`select slug from site_columns where active order by id`);
  return rows.map((r) => r.slug);
}
