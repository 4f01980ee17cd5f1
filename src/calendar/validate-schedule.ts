import { parseIsoDate, weekdayOf } from './china-time.js';
import type { YearSchedule } from './data/types.js';
import { noticeReachStart } from './working-days.js';

/**
 * Checks a notice beyond its shape: every date within the notice's reach ([year-1]-12-25 to
 * [year]-12-31: the late-December days that stay provisional until this notice exists, and its own
 * year), no date listed twice, make-up days on weekends. Returns field → message.
 */
export function scheduleProblems(s: YearSchedule): Record<string, string> {
  const problems: Record<string, string> = {};
  const firstIso = noticeReachStart(s.year);
  const first = parseIsoDate(firstIso)!;
  const last = parseIsoDate(`${s.year}-12-31`)!;
  const seen = new Map<string, string>();
  const check = (group: 'holidays' | 'adjustedWorkdays', gi: number, di: number, iso: string) => {
    const key = `body.${group}.${gi}.dates.${di}`;
    const day = parseIsoDate(iso)!;
    if (day < first || day > last) problems[key] = `日期须在 ${firstIso} 至 ${s.year}-12-31 之间`;
    else if (seen.has(iso)) problems[key] = `日期 ${iso} 重复（已出现在 ${seen.get(iso)}）`;
    else if (group === 'adjustedWorkdays' && weekdayOf(day) !== 0 && weekdayOf(day) !== 6)
      problems[key] = `调休上班日 ${iso} 应为周六或周日`;
    seen.set(iso, key);
  };
  s.holidays.forEach((g, gi) => g.dates.forEach((d, di) => check('holidays', gi, di, d)));
  s.adjustedWorkdays.forEach((g, gi) => g.dates.forEach((d, di) => check('adjustedWorkdays', gi, di, d)));
  return problems;
}
