// What the daily digest (src/digest) needs of the annual report: the general office's reminder from 2 January
// until the report on the year before is published (条例 Art. 49; issue 18 point 5), and what the inspection
// needs: whether that report is late. Computed from the record at each digest build, like the hand-in reminders
// (docs/architecture.md): no timer, no Schedule; the reminder stops the day the report is published.
import { endOfChinaDate } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { lateReportOn, reminderOn } from '../deadline-rules.js';
import { DEFAULT_INTERNAL_DEADLINE_MONTH_DAY } from '../rules.js';
import { reportRow } from './figures.js';

export interface DigestFeedAnnualReportTask {
  kind: 'annualReport';
  /** The report's year. */
  ref: number;
  title: string;
  stepLabel: string;
  /** -1: no supplying department; the general office acts. */
  departmentId: number;
  actingKind: 'general_office';
  dueDate: string;
  dueAt: Date;
}

/** The reminder of `day` (a China date), if any. One statement. */
export async function annualReportTasksForDigest(db: Executor, day: string): Promise<DigestFeedAnnualReportTask[]> {
  const year = Number(day.slice(0, 4)) - 1;
  const row = await reportRow(db, year);
  const r = reminderOn(day, {
    status: row?.status ?? null,
    internalDeadline: row?.internalDeadline ?? DEFAULT_INTERNAL_DEADLINE_MONTH_DAY,
  });
  if (!r) return [];
  return [
    {
      kind: 'annualReport',
      ref: r.year,
      title: `${r.year}年政府信息公开工作年度报告`,
      stepLabel: r.stepLabel,
      departmentId: -1,
      actingKind: 'general_office',
      dueDate: r.dueDate,
      dueAt: endOfChinaDate(r.dueDate),
    },
  ];
}

/** The year whose report is late on `day` (not published after 31 January), or null: for the inspection. */
export async function lateAnnualReport(db: Executor, day: string): Promise<number | null> {
  const row = await reportRow(db, Number(day.slice(0, 4)) - 1);
  return lateReportOn(day, row?.status ?? null);
}
