import { execFileSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import type { YearSchedule } from '../../src/calendar/data/types.js';
import { noticeReachStart } from '../../src/calendar/working-days.js';

const DAY_MS = 86_400_000;

function parse(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function weekday(isoDate: string): number {
  return parse(isoDate).getUTCDay(); // 0 = Sunday … 6 = Saturday
}

function isWeekend(isoDate: string): boolean {
  const w = weekday(isoDate);
  return w === 0 || w === 6;
}

function* days(from: string, to: string): Generator<string> {
  for (let t = parse(from).getTime(); t <= parse(to).getTime(); t += DAY_MS) yield iso(new Date(t));
}

function holidayDates(s: YearSchedule): string[] {
  return s.holidays.flatMap((h) => h.dates);
}

function workdayDates(s: YearSchedule): string[] {
  return s.adjustedWorkdays.flatMap((h) => h.dates);
}

/** Working days of one calendar year: Mon–Fri, minus holiday dates, plus adjusted workdays (only dates inside the year). */
function countWorkingDays(s: YearSchedule): number {
  const off = new Set(holidayDates(s));
  const on = new Set(workdayDates(s));
  let n = 0;
  for (const d of days(`${s.year}-01-01`, `${s.year}-12-31`)) {
    if (on.has(d)) n++;
    else if (!off.has(d) && !isWeekend(d)) n++;
  }
  return n;
}

const byYear = new Map(bundledSchedules.map((s) => [s.year, s]));
function year(y: number): YearSchedule {
  const s = byYear.get(y);
  if (!s) throw new Error(`no schedule for ${y}`);
  return s;
}

/** Merged view over all bundled years: date → { work, name }. */
const merged = new Map<string, { work: boolean; name: string }>();
for (const s of bundledSchedules) {
  for (const h of s.holidays) for (const d of h.dates) merged.set(d, { work: false, name: h.name });
  for (const w of s.adjustedWorkdays) for (const d of w.dates) merged.set(d, { work: true, name: w.name });
}
function ourIsWorkday(d: string): boolean {
  const m = merged.get(d);
  return m ? m.work : !isWeekend(d);
}

describe('bundled holiday schedules 2020–2026', () => {
  it('has the seven years in order', () => {
    expect(bundledSchedules.map((s) => s.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });

  it('records the notices', () => {
    expect(bundledSchedules.map((s) => s.notice.number)).toEqual([
      '国办发明电〔2019〕16号',
      '国办发明电〔2020〕27号',
      '国办发明电〔2021〕11号',
      '国办发明电〔2022〕16号',
      '国办发明电〔2023〕7号',
      '国办发明电〔2024〕12号',
      '国办发明电〔2025〕7号',
    ]);
    for (const s of bundledSchedules) {
      expect(s.notice.title).toBe(`国务院办公厅关于${s.year}年部分节假日安排的通知`);
      expect(s.notice.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(s.notice.date < `${s.year}-01-01`).toBe(true);
    }
    expect(year(2020).amendments).toEqual([
      { title: '国务院办公厅关于延长2020年春节假期的通知', number: '国办发明电〔2020〕1号', date: '2020-01-26' },
    ]);
    for (const y of [2021, 2022, 2023, 2024, 2025, 2026]) expect(year(y).amendments).toEqual([]);
  });

  // Hand counts. Weekdays (Mon–Fri) of a year = 260 + the weekdays among the 1 (or 2, leap year) days
  // after the 52 full weeks. "Holiday weekdays" are the Mon–Fri dates of the year's holiday periods that
  // fall inside the calendar year; make-up days are the 上班 weekend days of the notice.
  const expected: [number, number, string][] = [
    // 国办发明电〔2019〕16号 + 国办发明电〔2020〕1号: 366 days, 262 weekdays (1 Jan Wed; 30, 31 Dec Wed, Thu).
    // Holiday weekdays 19: 元旦 1 (1/1), 春节 6 (1/24, 1/27–1/31 incl. the extension's 1/31), 清明 1 (4/6),
    // 劳动 3 (5/1, 5/4, 5/5), 端午 2 (6/25, 6/26), 国庆中秋 6 (10/1, 10/2, 10/5–10/8).
    // Make-up 6: 1/19, 4/26, 5/9, 6/28, 9/27, 10/10 (2/1 cancelled by the extension). 262 − 19 + 6 = 249.
    [2020, 249, '262 − 19 + 6'],
    // 国办发明电〔2020〕27号: 365 days, 261 weekdays (1 Jan and 31 Dec are Fridays).
    // Holiday weekdays 18: 元旦 1 (1/1), 春节 5 (2/11, 2/12, 2/15–2/17), 清明 1 (4/5), 劳动 3 (5/3–5/5),
    // 端午 1 (6/14), 中秋 2 (9/20, 9/21), 国庆 5 (10/1, 10/4–10/7).
    // Make-up 7: 2/7, 2/20, 4/25, 5/8, 9/18, 9/26, 10/9. 261 − 18 + 7 = 250.
    [2021, 250, '261 − 18 + 7'],
    // 国办发明电〔2021〕11号: 365 days, 260 weekdays (1 Jan and 31 Dec are Saturdays).
    // Holiday weekdays 18: 元旦 1 (1/3), 春节 5 (1/31–2/4), 清明 2 (4/4, 4/5), 劳动 3 (5/2–5/4), 端午 1 (6/3),
    // 中秋 1 (9/12), 国庆 5 (10/3–10/7). (12/31, a Saturday, belongs to the 2023 schedule.)
    // Make-up 7: 1/29, 1/30, 4/2, 4/24, 5/7, 10/8, 10/9. 260 − 18 + 7 = 249.
    [2022, 249, '260 − 18 + 7'],
    // 国办发明电〔2022〕16号: 365 days, 260 weekdays (1 Jan and 31 Dec are Sundays).
    // Holiday weekdays 18: 元旦 1 (1/2; 2022-12-31 is outside the year), 春节 5 (1/23–1/27), 清明 1 (4/5),
    // 劳动 3 (5/1–5/3), 端午 2 (6/22, 6/23), 中秋国庆 6 (9/29, 10/2–10/6).
    // Make-up 7: 1/28, 1/29, 4/23, 5/6, 6/25, 10/7, 10/8. 260 − 18 + 7 = 249.
    [2023, 249, '260 − 18 + 7'],
    // 国办发明电〔2023〕7号: 366 days, 262 weekdays (1 Jan Mon; 30, 31 Dec Mon, Tue).
    // Holiday weekdays 19: 元旦 1 (1/1), 春节 5 (2/12–2/16), 清明 2 (4/4, 4/5), 劳动 3 (5/1–5/3), 端午 1 (6/10),
    // 中秋 2 (9/16, 9/17), 国庆 5 (10/1–10/4, 10/7).
    // Make-up 8: 2/4, 2/18, 4/7, 4/28, 5/11, 9/14, 9/29, 10/12. 262 − 19 + 8 = 251.
    [2024, 251, '262 − 19 + 8'],
    // 国办发明电〔2024〕12号: 365 days, 261 weekdays (1 Jan and 31 Dec are Wednesdays).
    // Holiday weekdays 18: 元旦 1 (1/1), 春节 6 (1/28–1/31, 2/3, 2/4), 清明 1 (4/4), 劳动 3 (5/1, 5/2, 5/5),
    // 端午 1 (6/2), 国庆中秋 6 (10/1–10/3, 10/6–10/8).
    // Make-up 5: 1/26, 2/8, 4/27, 9/28, 10/11. 261 − 18 + 5 = 248.
    [2025, 248, '261 − 18 + 5'],
    // 国办发明电〔2025〕7号: 365 days, 261 weekdays (1 Jan and 31 Dec are Thursdays).
    // Holiday weekdays 19: 元旦 2 (1/1, 1/2), 春节 6 (2/16–2/20, 2/23), 清明 1 (4/6), 劳动 3 (5/1, 5/4, 5/5),
    // 端午 1 (6/19), 中秋 1 (9/25), 国庆 5 (10/1, 10/2, 10/5–10/7).
    // Make-up 6: 1/4, 2/14, 2/28, 5/9, 9/20, 10/10. 261 − 19 + 6 = 248.
    [2026, 248, '261 − 19 + 6'],
  ];

  for (const [y, count, how] of expected) {
    it(`${y} has ${count} working days (${how})`, () => {
      expect(countWorkingDays(year(y))).toBe(count);
    });
  }

  it('names holiday and make-up days', () => {
    const cases: [string, boolean, string][] = [
      ['2020-01-01', false, '元旦'],
      ['2020-01-31', false, '春节'], // added by the extension notice 国办发明电〔2020〕1号
      ['2020-02-01', false, '春节'], // was a make-up day before the extension
      ['2020-01-19', true, '春节'],
      ['2020-10-08', false, '国庆节、中秋节'],
      ['2021-09-18', true, '中秋节'],
      ['2022-04-02', true, '清明节'],
      ['2022-12-31', false, '元旦'], // 2023's 元旦 starts in December 2022
      ['2023-09-29', false, '中秋节、国庆节'],
      ['2023-10-08', true, '中秋节、国庆节'],
      ['2024-02-10', false, '春节'],
      ['2024-04-07', true, '清明节'],
      ['2024-10-01', false, '国庆节'],
      ['2025-01-28', false, '春节'], // 除夕, a statutory day from 2025 (Decree 795)
      ['2025-05-02', false, '劳动节'],
      ['2025-10-06', false, '国庆节、中秋节'],
      ['2026-01-04', true, '元旦'],
      ['2026-02-14', true, '春节'],
      ['2026-02-23', false, '春节'],
      ['2026-09-20', true, '国庆节'],
    ];
    for (const [d, work, name] of cases) expect([d, merged.get(d)]).toEqual([d, { work, name }]);
    // Ordinary days are not in the data: the 2024 除夕 was only "encouraged" as a day off.
    expect(merged.get('2024-02-09')).toBeUndefined();
  });

  for (const s of bundledSchedules) {
    it(`${s.year}: structure`, () => {
      const all = [...holidayDates(s), ...workdayDates(s)];
      expect(new Set(all).size).toBe(all.length); // no duplicates, no date both off and on
      for (const d of all) {
        expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(iso(parse(d))).toBe(d); // a real date
        // Within the notice's reach (scheduleProblems enforces the same window for a loaded year).
        expect(d >= noticeReachStart(s.year) && d <= `${s.year}-12-31`).toBe(true);
      }
      for (const d of workdayDates(s)) expect([d, isWeekend(d)]).toEqual([d, true]);
      for (const h of [...s.holidays, ...s.adjustedWorkdays]) {
        expect(h.dates.length).toBeGreaterThan(0);
        expect([...h.dates].sort()).toEqual(h.dates);
      }
      // Each holiday period is a run of consecutive days.
      for (const h of s.holidays) {
        for (let i = 1; i < h.dates.length; i++) {
          expect(parse(h.dates[i]!).getTime() - parse(h.dates[i - 1]!).getTime()).toBe(DAY_MS);
        }
      }
      // Make-up days are tagged with a holiday period of the same year.
      const names = new Set(s.holidays.map((h) => h.name));
      for (const w of s.adjustedWorkdays) expect(names.has(w.name)).toBe(true);
    });
  }

  it('no date appears in two years', () => {
    const all = bundledSchedules.flatMap((s) => [...holidayDates(s), ...workdayDates(s)]);
    expect(new Set(all).size).toBe(all.length);
  });

  // chinese-days (dist/chinese-days.json) agrees with the notices on every day checked; no exceptions needed.
  // (Naming differs in places — e.g. it leaves 2024-06-08/09 and 2023-12-30/31 as plain weekends, as we do,
  // and labels combined 中秋/国庆 days separately — but only working/rest status is compared here.)
  const KNOWN_CHINESE_DAYS_ERRORS = new Set<string>([]);

  // chinese-days reads 'YYYY-MM-DD' as UTC midnight but then uses local fields (also when building its tables),
  // so west of UTC (TZ=America/Los_Angeles) it is a day off. Ask it in a child process pinned to China time.
  function chineseDaysIsWorkday(from: string, to: string): Map<string, boolean> {
    const script = `import cd from 'chinese-days';
      const [from, to] = process.argv.slice(1), out = [];
      for (let t = Date.parse(from); t <= Date.parse(to); t += 864e5) { const d = new Date(t).toISOString().slice(0, 10); out.push([d, cd.isWorkday(d)]); }
      console.log(JSON.stringify(out));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, '--', from, to], {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, TZ: 'Asia/Shanghai' },
      encoding: 'utf8',
    });
    return new Map(JSON.parse(stdout) as [string, boolean][]);
  }

  it('agrees with chinese-days on every day 2020-01-01..2026-12-31', () => {
    const theirAnswers = chineseDaysIsWorkday('2020-01-01', '2026-12-31');
    expect(theirAnswers.size).toBe(2557); // 7 years, 2 of them leap
    expect([theirAnswers.get('2024-09-29'), theirAnswers.get('2024-10-01')]).toEqual([true, false]); // make-up Sunday, National Day
    const mismatches: string[] = [];
    for (const d of days('2020-01-01', '2026-12-31')) {
      if (KNOWN_CHINESE_DAYS_ERRORS.has(d)) continue;
      const theirs = theirAnswers.get(d);
      const ours = ourIsWorkday(d);
      if (theirs !== ours) mismatches.push(`${d}: ours ${ours ? 'work' : 'rest'}, chinese-days ${theirs ? 'work' : 'rest'}`);
    }
    expect(mismatches).toEqual([]);
  });
});
