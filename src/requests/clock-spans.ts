// The paused spans of a request's clock and the count of working days around them: pure arithmetic on
// the calendar's prefix counts (clock-rules.ts replays the events into these spans).
import type { WorkingDayCalendar } from '../calendar/working-days.js';

export type WorkingDays = Pick<WorkingDayCalendar, 'isWorkingDay' | 'addWorkingDays' | 'countWorkingDays'>;

/** A paused span: the working days after `from` up to and including `to` are not counted; `to` null = open-ended. */
export interface Pause {
  from: number;
  to: number | null;
  reason: string;
}

/**
 * The day the `needed`-th counted working day after `start` falls on, skipping the paused spans; null when
 * an open-ended pause stops the count first. Works span by span with the calendar's prefix counts.
 */
export function countWithPauses(cal: WorkingDays, start: number, needed: number, pauses: Pause[]): number | null {
  const spans = mergePauses(pauses.filter((p) => p.to === null || p.to > start));
  let cursor = start;
  let remaining = needed;
  for (const p of spans) {
    const from = Math.max(p.from, cursor);
    const available = from > cursor ? cal.countWorkingDays(cursor, from) : 0;
    if (available >= remaining) return cal.addWorkingDays(cursor, remaining);
    remaining -= available;
    if (p.to === null) return null;
    cursor = Math.max(cursor, p.to);
  }
  return cal.addWorkingDays(cursor, remaining);
}

export function mergePauses(pauses: Pause[]): Pause[] {
  const sorted = [...pauses].sort((a, b) => a.from - b.from);
  const out: Pause[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && (last.to === null || p.from <= last.to)) {
      last.to = last.to === null || p.to === null ? null : Math.max(last.to, p.to);
    } else out.push({ ...p });
  }
  return out;
}

/** Working days in the merged spans that fall after `start` and up to `until` (the deadline or today). */
export function pausedDays(cal: WorkingDays, start: number, until: number, pauses: Pause[]): number {
  let n = 0;
  for (const p of mergePauses(pauses)) {
    const from = Math.max(p.from, start);
    const to = Math.min(p.to ?? until, until);
    if (to > from) n += cal.countWorkingDays(from, to);
  }
  return n;
}
