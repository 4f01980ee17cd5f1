import { dayToIso, parseIsoDate, weekdayOf } from './china-time.js';
import type { YearSchedule } from './data/types.js';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

export interface DayInfo {
  date: string;
  workingDay: boolean;
  kind: DayKind;
  holiday?: string;
  provisional: boolean;
}

// Dates from this day of December on can be changed by the next year's notice (the 2019 notice
// made 2018-12-29 a working day; the 2012 one, 2011-12-31), so they stay provisional until it exists.
// The same day bounds what a notice may list (validate-schedule.ts): one window, declared once.
export const NEXT_NOTICE_REACH = { month: 12, day: 25 } as const;

/** The first date `year`'s notice can reach: 25 December of the year before. */
export const noticeReachStart = (year: number) => `${year - 1}-${NEXT_NOTICE_REACH.month}-${NEXT_NOTICE_REACH.day}`;

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const KINDS: DayKind[] = ['workday', 'weekend', 'holiday', 'adjusted_workday'];

export class OutOfRangeError extends Error {}

/**
 * An immutable working-day calendar over 2000–2100, precomputed into prefix sums so that
 * isWorkingDay is an array read and addWorkingDays a binary search, never a day-by-day loop.
 * Years without a loaded notice follow the weekday rule and are flagged provisional.
 */
export class WorkingDayCalendar {
  readonly firstDay = parseIsoDate(`${FIRST_YEAR}-01-01`)!;
  readonly lastDay = parseIsoDate(`${LAST_YEAR}-12-31`)!;
  private readonly kind: Uint8Array;
  private readonly provisional: Uint8Array;
  /** working[i] = number of working days in [firstDay, firstDay + i]. */
  private readonly working: Int32Array;
  /** provisionalCount[i] = number of provisional days in [firstDay, firstDay + i]. */
  private readonly provisionalCount: Int32Array;
  private readonly holidayName = new Map<number, string>();
  readonly officialYears: ReadonlyMap<number, YearSchedule>;

  constructor(schedules: YearSchedule[]) {
    const size = this.lastDay - this.firstDay + 1;
    this.kind = new Uint8Array(size);
    this.provisional = new Uint8Array(size);
    this.working = new Int32Array(size);
    this.provisionalCount = new Int32Array(size);
    this.officialYears = new Map(schedules.map((s) => [s.year, s]));

    for (let i = 0; i < size; i++) {
      const wd = weekdayOf(this.firstDay + i);
      this.kind[i] = wd === 0 || wd === 6 ? 1 : 0;
    }
    for (const s of schedules) {
      for (const h of s.holidays) for (const d of h.dates) this.mark(d, 2, h.name);
      for (const a of s.adjustedWorkdays) for (const d of a.dates) this.mark(d, 3, a.name);
    }
    let work = 0;
    let prov = 0;
    for (let i = 0; i < size; i++) {
      const iso = dayToIso(this.firstDay + i);
      const year = Number(iso.slice(0, 4));
      const month = Number(iso.slice(5, 7));
      const dom = Number(iso.slice(8, 10));
      const lateDecember = month === NEXT_NOTICE_REACH.month && dom >= NEXT_NOTICE_REACH.day;
      const isProvisional = !this.officialYears.has(year) || (lateDecember && !this.officialYears.has(year + 1));
      this.provisional[i] = isProvisional ? 1 : 0;
      const k = this.kind[i]!;
      if (k === 0 || k === 3) work++;
      if (isProvisional) prov++;
      this.working[i] = work;
      this.provisionalCount[i] = prov;
    }
  }

  private mark(iso: string, kind: number, name: string) {
    const day = parseIsoDate(iso);
    if (day === undefined) throw new Error(`invalid date ${iso} in calendar data`);
    const i = this.index(day);
    this.kind[i] = kind;
    this.holidayName.set(day, name);
  }

  private index(day: number): number {
    if (day < this.firstDay || day > this.lastDay) {
      throw new OutOfRangeError(`date ${dayToIso(day)} is outside ${FIRST_YEAR}–${LAST_YEAR}`);
    }
    return day - this.firstDay;
  }

  inRange(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  isWorkingDay(day: number): boolean {
    const k = this.kind[this.index(day)]!;
    return k === 0 || k === 3;
  }

  isProvisional(day: number): boolean {
    return this.provisional[this.index(day)] === 1;
  }

  describe(day: number): DayInfo {
    const i = this.index(day);
    const kind = KINDS[this.kind[i]!]!;
    const info: DayInfo = {
      date: dayToIso(day),
      workingDay: kind === 'workday' || kind === 'adjusted_workday',
      kind,
      provisional: this.provisional[i] === 1,
    };
    const name = this.holidayName.get(day);
    if (name !== undefined) info.holiday = name;
    return info;
  }

  /** The n-th working day after `day` (day itself is not counted), n ≥ 1. */
  addWorkingDays(day: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
    const target = this.working[this.index(day)]! + n;
    let lo = day - this.firstDay + 1;
    let hi = this.working.length - 1;
    if (this.working[hi]! < target) throw new OutOfRangeError(`the deadline falls after ${LAST_YEAR}`);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.working[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return this.firstDay + lo;
  }

  /** The n-th working day before `day` (day itself is not counted), n ≥ 1; undefined before the supported range. */
  workingDayBefore(day: number, n: number): number | undefined {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
    // working[day] counts `day` itself only when it is a working day; the n-th one before has rank (before - n + 1).
    const before = this.working[this.index(day)]! - (this.isWorkingDay(day) ? 1 : 0);
    const target = before - n + 1;
    if (target < 1) return undefined;
    let lo = 0;
    let hi = day - this.firstDay;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.working[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return this.firstDay + lo;
  }

  /** Working days after `from` up to and including `to` (negative when `to` is before `from`). */
  countWorkingDays(from: number, to: number): number {
    return this.working[this.index(to)]! - this.working[this.index(from)]!;
  }

  /** Whether any day in (from, to] is provisional. */
  anyProvisional(from: number, to: number): boolean {
    const [a, b] = from <= to ? [from, to] : [to, from];
    return this.provisionalCount[this.index(b)]! - this.provisionalCount[this.index(a)]! > 0;
  }
}
