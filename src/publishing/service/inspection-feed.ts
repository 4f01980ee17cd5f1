// What the daily self-inspection (src/inspection) needs of the public site: the newest new item on the
// home page and, per column, its last update and how many items it shows. Published items only, as the
// public sees them (src/publishing/service/site.ts: the home page lists every active column that holds
// items). The inspection reads the site only through these functions, never the publishing tables.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { ColumnSection, ContentType } from '../rules.js';

export interface InspectionFeedColumn {
  id: number;
  slug: string;
  name: string;
  section: ColumnSection;
  isNews: boolean;
  contentTypes: ContentType[];
  updateEveryDays: number | null;
  /** The newest 发布时间 or 更新时间 of its published items, up to `now`; null: none. */
  lastUpdateAt: Date | null;
  publishedCount: number;
}

/** The newest 发布时间 up to `now` of an item on the home page (an active column that holds items), or null. */
export async function newestHomeItemAt(db: Executor, now: Date): Promise<Date | null> {
  const rows = await db.execute<{ at: string | Date | null }>(sql`
    select max(i.first_published_at) as at from site_items i join site_columns c on c.id = i.column_id
    where i.state = 'published' and c.active and c.accepts_items and i.first_published_at <= ${now.toISOString()}`);
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}

/** Every active column that holds items, with its last update and published count as of `now`. One statement. */
export async function columnFreshness(db: Executor, now: Date): Promise<InspectionFeedColumn[]> {
  const t = now.toISOString();
  const rows = await db.execute<{
    id: number;
    slug: string;
    name: string;
    section: ColumnSection;
    is_news: boolean;
    content_types: string;
    update_every_days: number | null;
    last_at: string | Date | null;
    published: string;
  }>(sql`
    select c.id, c.slug, c.name, c.section, c.is_news, c.content_types::text as content_types, c.update_every_days,
           s.last_at, coalesce(s.published, 0) as published
    from site_columns c
    left join lateral (
      select max(greatest(i.first_published_at, case when i.updated_published_at <= ${t} then i.updated_published_at end)) as last_at,
             count(*) as published
      from site_items i where i.column_id = c.id and i.state = 'published' and i.first_published_at <= ${t}) s on true
    where c.active and c.accepts_items
    order by c.sort_order, c.id`);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    section: r.section,
    isNews: r.is_news,
    contentTypes: r.content_types.replace(/[{}]/g, '').split(',').filter(Boolean) as ContentType[],
    updateEveryDays: r.update_every_days,
    lastUpdateAt: r.last_at ? new Date(r.last_at) : null,
    publishedCount: Number(r.published),
  }));
}

export interface FindingItem {
  id: number;
  title: string;
  departmentId: number;
  /** Whether the public sees it now: published, in an active column. */
  onSite: boolean;
}

/** An item an inspection finding names (issue 21 point 6): its title, department and whether it is on the site. */
export async function itemForFinding(db: Executor, itemId: number): Promise<FindingItem | null> {
  const rows = await db.execute<{ id: number; title: string; department_id: number; on_site: boolean }>(sql`
    select i.id, coalesce(v.title, d.title) as title, i.department_id,
      (i.state = 'published' and c.active) as on_site
    from site_items i join site_columns c on c.id = i.column_id
    left join site_item_versions v on v.item_id = i.id and v.version = i.published_version
    left join lateral (select title from site_item_versions where item_id = i.id order by version desc limit 1) d on true
    where i.id = ${itemId}`);
  const r = rows[0];
  return r ? { id: Number(r.id), title: r.title, departmentId: r.department_id, onSite: r.on_site } : null;
}
