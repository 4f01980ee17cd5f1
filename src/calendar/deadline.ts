import { subMilliseconds } from 'date-fns';
import { chinaDayOf, chinaMidnight, chinaMinuteOfDay, dayToIso, formatChinaDateTime, parseIsoDate } from './china-time.js';
import type { DayInfo, WorkingDayCalendar } from './working-days.js';

export interface ReceiptPolicy {
  /** When true, a receipt after office hours (or on a rest day) counts as received on the next working day. */
  afterHoursNextDay: boolean;
  /** Minutes after China midnight when office hours end, e.g. 17:30 → 1050. */
  officeEndMinute: number;
}

export interface Deadline {
  receivedAt: Date;
  /** The China date the count starts after (the receipt date, or the next working day under the after-hours policy). */
  countFrom: string;
  workingDays: number;
  dueDate: string;
  /** The last instant of the due date, China time. */
  dueAt: Date;
  dueAtIso: string;
  provisional: boolean;
}

export const parseClock = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Deadline rule: the receipt day is not counted; day 1 is the first working day after the receipt
 * date (China time), also when that date is a rest day; the deadline is the end (24:00) of day N.
 */
export function computeDeadline(cal: WorkingDayCalendar, receivedAt: Date, workingDays: number, policy: ReceiptPolicy): Deadline {
  const receipt = chinaDayOf(receivedAt);
  let start = receipt;
  if (policy.afterHoursNextDay && (!cal.isWorkingDay(start) || chinaMinuteOfDay(receivedAt) >= policy.officeEndMinute)) {
    start = cal.addWorkingDays(start, 1);
  }
  const due = cal.addWorkingDays(start, workingDays);
  const dueAt = subMilliseconds(chinaMidnight(due + 1), 1);
  return {
    receivedAt,
    countFrom: dayToIso(start),
    workingDays,
    dueDate: dayToIso(due),
    dueAt,
    dueAtIso: formatChinaDateTime(dueAt),
    // Every day after the receipt decides the answer, and under the after-hours setting the receipt day too.
    provisional: cal.anyProvisional(receipt, due) || (policy.afterHoursNextDay && cal.isProvisional(receipt)),
  };
}

/** A deadline recomputed after a calendar change; `held` when the earliest-move rule decided it. */
export interface MovedDeadline extends Deadline {
  held: boolean;
}

/**
 * The deadline a letter keeps after the calendar changed (a new year, a corrected notice). A later
 * deadline is taken as computed. An earlier one is taken too, but never earlier than the end of the
 * first working day after the day of the change (China time) and never later than the deadline it
 * replaces: a notice published today cannot make a letter overdue in the past, and the department
 * keeps at least one working day's warning (docs/architecture.md, *Deadline policy*).
 */
export function deadlineAfterCalendarChange(
  cal: WorkingDayCalendar,
  computed: Deadline,
  previous: { dueDate: string; dueAt: Date },
  changedAt: Date,
): MovedDeadline {
  if (computed.dueAt.getTime() >= previous.dueAt.getTime()) return { ...computed, held: false };
  const floorDay = cal.addWorkingDays(chinaDayOf(changedAt), 1);
  const floorAt = subMilliseconds(chinaMidnight(floorDay + 1), 1);
  if (computed.dueAt.getTime() >= floorAt.getTime()) return { ...computed, held: false };
  const keepPrevious = previous.dueAt.getTime() <= floorAt.getTime();
  const dueAt = keepPrevious ? previous.dueAt : floorAt;
  const dueDate = keepPrevious ? previous.dueDate : dayToIso(floorDay);
  return { ...computed, dueDate, dueAt, dueAtIso: formatChinaDateTime(dueAt), held: true };
}

export interface DeadlineExplanation extends Deadline {
  days: (DayInfo & { counted: boolean; ordinal?: number; reason: string })[];
}

const SKIP_REASON: Record<string, string> = { weekend: '周末休息日', holiday: '法定节假日' };

/** Every day from the receipt date to the due date, with why it was or was not counted. */
export function explainDeadline(
  cal: WorkingDayCalendar,
  receivedAt: Date,
  workingDays: number,
  policy: ReceiptPolicy,
  /** Why the first day is not counted: the receipt (default), or the transfer that restarted the clock. */
  startReason = '收到当日不计入',
): DeadlineExplanation {
  const deadline = computeDeadline(cal, receivedAt, workingDays, policy);
  const receiptDay = chinaDayOf(receivedAt);
  const days: DeadlineExplanation['days'] = [];
  const receiptInfo = cal.describe(receiptDay);
  days.push({ ...receiptInfo, counted: false, reason: startReason });
  let ordinal = 0;
  const dueDay = parseIsoDate(deadline.dueDate)!;
  for (let d = receiptDay + 1; d <= dueDay; d++) {
    const info = cal.describe(d);
    const beforeCount = dayToIso(d) <= deadline.countFrom;
    if (info.workingDay && !beforeCount) {
      ordinal++;
      const reason = info.kind === 'adjusted_workday' ? `调休上班日，第${ordinal}个工作日` : `第${ordinal}个工作日`;
      days.push({ ...info, counted: true, ordinal, reason });
    } else {
      const skipped = info.holiday ? `${SKIP_REASON[info.kind]}（${info.holiday}）` : (SKIP_REASON[info.kind] ?? '不计入');
      const reason = beforeCount ? '下班后或休息日收到，视为下一工作日收到' : skipped;
      days.push({ ...info, counted: false, reason });
    }
  }
  return { ...deadline, days };
}
