// The annual report's deadlines (条例 Art. 49; national-rules.md §2.6; issue 18 point 5): the office's reminder
// from 2 January and the inspection's flag after 31 January. Pure rules.
import { REMINDERS_FROM_MONTH_DAY, STATUTORY_DEADLINE_MONTH_DAY, deadlineOf, type ReportStatus } from './rules.js';

// ---- reminders and the inspection flag (条例 Art. 49; issue 18 point 5) ----

export interface ReminderFacts {
  /** The report's state, null while the year has no report record. */
  status: ReportStatus | null;
  /** The office's internal deadline, MM-DD of the next year. */
  internalDeadline: string;
}

export interface Reminder {
  year: number;
  stepLabel: string;
  /** The internal deadline until it has passed, then the statutory one. */
  dueDate: string;
  internalDeadline: string;
  statutoryDeadline: string;
}

/**
 * The office's reminder on `today` (a China date): from 2 January until the report on the year before is
 * published, due at the internal deadline and, once that has passed, at the statutory 31 January. After 31
 * January it goes on only for a report begun in the system (a year the system never held a report for is
 * flagged on the inspection dashboard instead, not reminded of all year).
 */
export function reminderOn(today: string, facts: ReminderFacts): Reminder | null {
  const year = Number(today.slice(0, 4)) - 1;
  if (today < deadlineOf(year, REMINDERS_FROM_MONTH_DAY) || facts.status === 'published') return null;
  if (facts.status === null && today > deadlineOf(year, STATUTORY_DEADLINE_MONTH_DAY)) return null;
  const internalDeadline = deadlineOf(year, facts.internalDeadline);
  const statutoryDeadline = deadlineOf(year, STATUTORY_DEADLINE_MONTH_DAY);
  const step = facts.status === 'approved' ? '已审定，待发布' : '编制、校验并审定';
  return {
    year,
    stepLabel: `${step}（内部时限 ${internalDeadline}，法定时限 ${statutoryDeadline}，《条例》第四十九条）`,
    dueDate: today <= internalDeadline ? internalDeadline : statutoryDeadline,
    internalDeadline,
    statutoryDeadline,
  };
}

/** The inspection's flag: the report on the year before is not published after 31 January (条例 Art. 49). */
export const lateReportOn = (today: string, status: ReportStatus | null): number | null => {
  const year = Number(today.slice(0, 4)) - 1;
  return today > deadlineOf(year, STATUTORY_DEADLINE_MONTH_DAY) && status !== 'published' ? year : null;
};
