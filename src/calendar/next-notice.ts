import { chinaDayOf, dayToIso } from './china-time.js';
import { noticeReachStart, type WorkingDayCalendar } from './working-days.js';

/**
 * From this day (China time) the next year's State Council notice is awaited: it is usually published
 * in November or December (the 2023 notice on 2022-12-08, the 2026 one on 2025-11-04), and from 25
 * December (NEXT_NOTICE_REACH) deadlines stay provisional until it is loaded.
 */
export const NEXT_NOTICE_AWAITED_FROM = { month: 11, day: 1 } as const;

export interface MissingNotice {
  /** The year whose notice is not loaded. */
  year: number;
  /** The first date counted by the weekday rule because of it (ISO date). */
  provisionalFrom: string;
}

/**
 * The notice a calendar still lacks on `today`: the current year's (any day), or from 1 November the
 * next year's. Null when nothing is awaited. Pure; the calendar service and its pages, and the
 * office's digest, ask through `nextYearNoticeMissing` in service.ts.
 */
export function missingNotice(cal: WorkingDayCalendar, today: Date): MissingNotice | null {
  const [year, month, day] = dayToIso(chinaDayOf(today)).split('-').map(Number) as [number, number, number];
  if (!cal.officialYears.has(year)) return { year, provisionalFrom: noticeReachStart(year) };
  const awaited = month * 100 + day >= NEXT_NOTICE_AWAITED_FROM.month * 100 + NEXT_NOTICE_AWAITED_FROM.day;
  if (awaited && !cal.officialYears.has(year + 1)) return { year: year + 1, provisionalFrom: noticeReachStart(year + 1) };
  return null;
}
