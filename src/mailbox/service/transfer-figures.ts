import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { BUREAU_WIDE } from '../../auth/roles.js';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { badRequest } from '../../server/errors.js';
import { letterEvents } from '../tables.js';

/** Who may read the bureau-wide transfer figures (the office, the service centre, bureau leaders, administrators). */
export const TRANSFER_FIGURE_READERS = BUREAU_WIDE;

export interface DepartmentTransferFigures {
  departmentId: number;
  departmentName: string;
  /** Transfers the department made in the period. */
  transfers: number;
  /** Of those, made later than Art. 22's "立即转交" allows (TRANSFER_EXPECTED_WORKING_DAYS after receipt). */
  late: number;
}

/**
 * Transfers and late transfers per transferring department over a period of China dates, both days
 * included (by when the transfer was made). Departments without a transfer in the period are not listed.
 * Transfers back to a department the letter already left are disputes (`transfer_disputed`), not counted.
 */
export async function lateTransfersByDepartment(
  deps: { db: Database },
  viewer: Viewer,
  period: { from: string; to: string },
): Promise<DepartmentTransferFigures[]> {
  demand(viewer, viewerHolds(viewer, TRANSFER_FIGURE_READERS));
  const from = parseIsoDate(period.from);
  const to = parseIsoDate(period.to);
  if (from === undefined || to === undefined || from > to) {
    const fields: Record<string, string> = {};
    if (from === undefined) fields.from = '日期格式应为 YYYY-MM-DD';
    if (to === undefined) fields.to = '日期格式应为 YYYY-MM-DD';
    if (from !== undefined && to !== undefined) fields.to = '结束日期不能早于开始日期';
    throw badRequest('统计期间有误', fields);
  }
  const rows = await deps.db
    .select({
      departmentId: letterEvents.departmentId,
      transfers: sql<number>`count(*)::int`,
      late: sql<number>`(count(*) filter (where ${letterEvents.late}))::int`,
    })
    .from(letterEvents)
    .where(and(eq(letterEvents.kind, 'transferred'), gte(letterEvents.at, chinaMidnight(from)), lt(letterEvents.at, chinaMidnight(to + 1))))
    .groupBy(letterEvents.departmentId);
  const names = await departmentNames(deps.db);
  return names.flatMap((d) => {
    const row = rows.find((r) => r.departmentId === d.id);
    return row ? [{ departmentId: d.id, departmentName: d.name, transfers: row.transfers, late: row.late }] : [];
  });
}
