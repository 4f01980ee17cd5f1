// What the annual report's second page (src/annual-report, issue 18 point 6; 国办函〔2018〕12号 政府网站工作年度报表
// 信息发布 and 解读回应) needs of the site: items first published in a year, in all, in the news columns (政务动态)
// and in the interpretation columns (政策解读). Counted on China dates; an item taken down later was still
// published that year. The report reads the site only through this function.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

export interface PublishedCounts {
  total: number;
  news: number;
  interpretations: number;
}

export async function itemsFirstPublishedIn(db: Executor, year: number): Promise<PublishedCounts> {
  const rows = await db.execute<{ total: number; news: number; interpretations: number }>(sql`
    select count(*)::int total,
      count(*) filter (where c.is_news)::int news,
      count(*) filter (where 'interpretation' = any(c.content_types))::int interpretations
    from site_items i join site_columns c on c.id = i.column_id
    where i.first_published_at >= ${`${year}-01-01T00:00:00+08:00`}::timestamptz
      and i.first_published_at < ${`${year + 1}-01-01T00:00:00+08:00`}::timestamptz`);
  const r = rows[0];
  return { total: r?.total ?? 0, news: r?.news ?? 0, interpretations: r?.interpretations ?? 0 };
}
