import { sql } from 'drizzle-orm';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { BUREAU_WIDE_READERS } from '../rules.js';
import { catalogueEntries } from '../tables.js';
import { departmentMap } from './views.js';

/**
 * The on-time share of proactive disclosure per department for the rounds due in `year` (条例 Art. 26;
 * it feeds the annual report and the inspection): published by the due date, late (published after it,
 * or superseded while overdue), open and overdue, open and not yet due. A round superseded before its
 * due date is not counted: its document was changed and the new round counts instead.
 */
export async function catalogueTimeliness(deps: { db: Executor }, viewer: Viewer, year: number, now = new Date()) {
  demand(viewer, viewerHolds(viewer, BUREAU_WIDE_READERS));
  const today = dayToIso(chinaDayOf(now));
  const publishedOn = sql`(${catalogueEntries.publishedAt} at time zone 'Asia/Shanghai')::date`;
  const rows = await deps.db
    .select({
      departmentId: catalogueEntries.departmentId,
      published: sql<number>`count(*) filter (where ${catalogueEntries.status} = 'published')::int`,
      onTime: sql<number>`count(*) filter (where ${catalogueEntries.status} = 'published' and ${publishedOn} <= ${catalogueEntries.dueOn})::int`,
      cancelledLate: sql<number>`count(*) filter (where ${catalogueEntries.status} = 'cancelled' and ${catalogueEntries.overdue})::int`,
      open: sql<number>`count(*) filter (where ${catalogueEntries.status} = 'open')::int`,
      overdueOpen: sql<number>`count(*) filter (where ${catalogueEntries.status} = 'open' and ${catalogueEntries.dueOn} < ${today})::int`,
    })
    .from(catalogueEntries)
    .where(
      sql`extract(year from ${catalogueEntries.dueOn}) = ${year} and (${catalogueEntries.status} <> 'cancelled' or ${catalogueEntries.overdue})`,
    )
    .groupBy(catalogueEntries.departmentId);
  const names = await departmentMap(deps.db);
  return {
    year,
    departments: rows
      .map((r) => ({
        departmentId: r.departmentId,
        department: names.get(r.departmentId) ?? '',
        due: r.published + r.cancelledLate + r.open,
        published: r.published,
        onTime: r.onTime,
        late: r.published - r.onTime + r.cancelledLate,
        open: r.open,
        overdueOpen: r.overdueOpen,
      }))
      .sort((a, b) => a.departmentId - b.departmentId),
  };
}
