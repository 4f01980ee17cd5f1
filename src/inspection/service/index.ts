// The daily self-inspection (Art. 27(三)(四); 国办秘函〔2019〕19号): computed from the record, stored per
// day, read by the office and the service centre.
import { and, asc, gte, lte } from 'drizzle-orm';
import { viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import type { Database, Executor } from '../../db/client.js';
import { badRequest, forbidden } from '../../server/errors.js';
import { historyCsv } from '../history-csv.js';
import { computeInspection, INSPECTION_READERS, type InspectionReport } from '../rules.js';
import { inspectionResults } from '../tables.js';
import { gatherFacts } from './facts.js';
import { withFlags, type FlaggedReport } from '../flag-rules.js';

/** The longest history one request returns (about a year and a half of days). */
export const HISTORY_MAX_DAYS = 550;

const mayRead = (viewer: Viewer) => {
  if (!viewerHolds(viewer, INSPECTION_READERS)) throw forbidden();
};

/** The results as of `now`, computed now (not stored): the dashboard and GET /api/inspection/latest. */
export async function latestInspection(deps: { db: Executor }, viewer: Viewer, now = new Date()): Promise<FlaggedReport> {
  mayRead(viewer);
  const facts = await gatherFacts(deps.db, now);
  return withFlags(computeInspection(facts), facts);
}

/**
 * The daily run, for system code (the digest build): computes the results as of `now` and stores them
 * as that China day's row, replacing an earlier run of the same day.
 */
export async function runDailyInspection(deps: { db: Executor }, now = new Date()): Promise<InspectionReport> {
  const report = computeInspection(await gatherFacts(deps.db, now));
  const row = { computedAt: now, vetoed: report.vetoed, red: report.red, amber: report.amber, report };
  await deps.db
    .insert(inspectionResults)
    .values({ day: report.day, ...row })
    .onConflictDoUpdate({ target: inspectionResults.day, set: row });
  return report;
}

export interface HistoryRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** The range asked for, defaulting to the 30 days up to today; refused when reversed or too long. */
function rangeOf(q: HistoryRange, now: Date): { from: string; to: string } {
  const to = q.to ?? dayToIso(chinaDayOf(now));
  const from = q.from ?? dayToIso(parseIsoDate(to)! - 29);
  if (from > to) throw badRequest('起始日期不能晚于结束日期', { from: '起始日期不能晚于结束日期' });
  if (parseIsoDate(to)! - parseIsoDate(from)! >= HISTORY_MAX_DAYS) {
    throw badRequest(`查询范围不能超过 ${HISTORY_MAX_DAYS} 天`, { from: `查询范围不能超过 ${HISTORY_MAX_DAYS} 天` });
  }
  return { from, to };
}

/** The stored days in the range, oldest first. */
export async function inspectionHistory(deps: { db: Database }, viewer: Viewer, q: HistoryRange, now = new Date()) {
  mayRead(viewer);
  const { from, to } = rangeOf(q, now);
  const rows = await deps.db
    .select({ report: inspectionResults.report, computedAt: inspectionResults.computedAt })
    .from(inspectionResults)
    .where(and(gte(inspectionResults.day, from), lte(inspectionResults.day, to)))
    .orderBy(asc(inspectionResults.day));
  return { from, to, days: rows.map((r) => ({ ...r.report, computedAt: r.computedAt.toISOString() })) };
}

/** The same range as CSV. */
export async function inspectionHistoryCsv(deps: { db: Database }, viewer: Viewer, q: HistoryRange, now = new Date()) {
  const h = await inspectionHistory(deps, viewer, q, now);
  return { filename: `inspection-${h.from}-${h.to}.csv`, csv: historyCsv(h.days) };
}
