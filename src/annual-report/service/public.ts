// The published reports as the public reads them (issue 18 point 4; 条例 Art. 49): each year's frozen snapshot,
// only once published, never the live figures, the suggestions or the office's notes. No viewer: public.
import { desc, eq, and } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { annualReports } from '../tables.js';

/** The published years, newest first, with their publication time and site item. */
export async function publishedReports(db: Executor) {
  const rows = await db
    .select({ year: annualReports.year, publishedAt: annualReports.publishedAt, itemId: annualReports.publishedItemId })
    .from(annualReports)
    .where(eq(annualReports.status, 'published'))
    .orderBy(desc(annualReports.year));
  return rows.map((r) => ({ year: r.year, publishedAt: r.publishedAt!, itemId: r.itemId }));
}

/** A published year's report as approved (its snapshot); 404 for a year not published. */
export async function publishedReport(db: Executor, year: number) {
  const [row] = await db
    .select()
    .from(annualReports)
    .where(and(eq(annualReports.year, year), eq(annualReports.status, 'published')));
  if (!row?.snapshot || !row.publishedAt) throw notFound('未找到该年度的政府信息公开工作年度报告');
  const { texts, table, computed, active, remedies } = row.snapshot;
  return { year, texts, table, computed, active, remedies, publishedAt: row.publishedAt, itemId: row.publishedItemId };
}
