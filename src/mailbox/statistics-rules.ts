// The public statistics' pure rules (issue 14 point 8; 国办秘函〔2019〕19号 checks that handling
// statistics are public): the period asked for, when rates are shown, and how they are rounded. No I/O;
// the figures themselves come from the record (service/statistics.ts). README, *Public statistics*.
import { dayToIso, parseIsoDate } from '../calendar/china-time.js';

/**
 * A department (or the bureau) with fewer letters received in the period shows its counts but no
 * rates or averages: a share of three letters says little and can point at a writer.
 */
export const MIN_LETTERS_FOR_RATES = 5;

// The writer's satisfaction ratings, declared once in rating-rules.ts (the 'rated' events carry them).
export { RATINGS, RATING_LABELS, type Rating } from './rating-rules.js';

/** The timeline event kinds the statistics count (letter_events.kind). */
export const COUNTED_EVENT_KINDS = ['transferred', 'arbitrated', 'reopened', 'rated', 'published', 'unpublished'] as const;
export type CountedEventKind = (typeof COUNTED_EVENT_KINDS)[number];

/** A period of China dates, both days included: a month, or a year from 1 January up to today. */
export interface StatisticsPeriod {
  year: number;
  /** Null for the year to date. */
  month: number | null;
  from: string;
  to: string;
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (year: number, month: number, day: number) =>
  `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/**
 * The period a query names, seen on China date `today` (days since epoch): a month, or without one the
 * year to date. A period still running ends today (its figures so far); one that has not started is
 * refused with the field to blame.
 */
export function periodOf(
  q: { year?: number; month?: number },
  today: number,
): StatisticsPeriod | { field: 'year' | 'month'; message: string } {
  const todayIso = dayToIso(today);
  const thisYear = Number(todayIso.slice(0, 4));
  const thisMonth = Number(todayIso.slice(5, 7));
  const year = q.year ?? thisYear;
  if (year > thisYear) return { field: 'year', message: `${year} 年尚未开始，没有统计数据` };
  if (q.month !== undefined && year === thisYear && q.month > thisMonth) {
    return { field: 'month', message: `${year} 年 ${q.month} 月尚未开始，没有统计数据` };
  }
  const from = q.month === undefined ? iso(year, 1, 1) : iso(year, q.month, 1);
  const end = q.month === undefined ? iso(year, 12, 31) : iso(year, q.month, lastDayOfMonth(year, q.month));
  return { year, month: q.month ?? null, from, to: parseIsoDate(end)! > today ? todayIso : end };
}

/** How the page and the JSON name a period: 2026年11月, or 2026年1月1日至12月3日 for the year to date. */
export function periodLabel(p: StatisticsPeriod): string {
  if (p.month !== null) return `${p.year}年${p.month}月`;
  const md = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
  return `${p.year}年${md(p.from)}至${md(p.to)}`;
}

/** Whether a department's (or the bureau's) rates are shown: enough letters received in the period. */
export const ratesShown = (received: number) => received >= MIN_LETTERS_FOR_RATES;

/** A share between 0 and 1, rounded to 4 places (0.6667); null when nothing to divide by or rates are withheld. */
export function share(part: number, whole: number, shown: boolean): number | null {
  if (!shown || whole === 0) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/** An average rounded to 2 places; null when there is nothing to average or rates are withheld. */
export function average(sum: number, count: number, shown: boolean): number | null {
  if (!shown || count === 0) return null;
  return Math.round((sum / count) * 100) / 100;
}
