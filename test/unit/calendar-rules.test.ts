// Working-day rules and deadlines, pure (no database). Expected dates are counted by hand from the
// State Council notices in src/calendar/data; each case's comment shows the count.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaDayOf, dayToIso, parseChinaInstant, parseIsoDate } from '../../src/calendar/china-time.js';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import type { YearSchedule } from '../../src/calendar/data/types.js';
import { computeDeadline, explainDeadline, parseClock, type ReceiptPolicy } from '../../src/calendar/deadline.js';
import { OutOfRangeError, WorkingDayCalendar } from '../../src/calendar/working-days.js';

const cal = new WorkingDayCalendar(bundledSchedules);
const OFF: ReceiptPolicy = { afterHoursNextDay: false, officeEndMinute: parseClock('17:30') };
const ON: ReceiptPolicy = { afterHoursNextDay: true, officeEndMinute: parseClock('17:30') };

const day = (iso: string) => {
  const d = parseIsoDate(iso);
  if (d === undefined) throw new Error(`bad date ${iso}`);
  return d;
};
/** A China local date-time ("2024-09-29T10:00") or a UTC instant ("…Z"). */
const at = (text: string) => {
  const t = parseChinaInstant(text);
  if (!t) throw new Error(`bad instant ${text}`);
  return t;
};
const due = (from: string, n: number, policy = OFF, c = cal) => computeDeadline(c, at(from), n, policy);

/** A plausible 2027 notice, for "a loaded year becomes official". */
const fixture2027: YearSchedule = {
  year: 2027,
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', number: '国办发明电〔2026〕99号', date: '2026-11-01' },
  amendments: [],
  holidays: [
    { name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }, // Fri–Sun
    {
      name: '春节',
      dates: ['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13', '2027-02-14'],
    },
  ],
  adjustedWorkdays: [
    // Hypothetical, like the 2019 notice making 2018-12-29 a working day: a Saturday of late 2026 made a working day.
    { name: '元旦', dates: ['2026-12-26'] },
    { name: '春节', dates: ['2027-02-20'] },
  ],
};
const with2027 = new WorkingDayCalendar([...bundledSchedules, fixture2027]);

// Independent oracle: straight from the notices, weekday from Date#getUTCDay, one day at a time.
function naiveCalendar(schedules: YearSchedule[]) {
  const off = new Set(schedules.flatMap((s) => s.holidays.flatMap((h) => h.dates)));
  const on = new Set(schedules.flatMap((s) => s.adjustedWorkdays.flatMap((h) => h.dates)));
  const isWorking = (d: number) => {
    const iso = new Date(d * 86_400_000).toISOString().slice(0, 10);
    if (on.has(iso)) return true;
    if (off.has(iso)) return false;
    const wd = new Date(d * 86_400_000).getUTCDay();
    return wd !== 0 && wd !== 6;
  };
  return {
    isWorking,
    add(d: number, n: number) {
      for (let k = 0; k < n;) if (isWorking(++d)) k++;
      return d;
    },
    before(d: number, n: number) {
      for (let k = 0; k < n;) if (isWorking(--d)) k++;
      return d;
    },
    count(from: number, to: number) {
      let c = 0;
      for (let d = Math.min(from, to) + 1; d <= Math.max(from, to); d++) if (isWorking(d)) c++;
      return to >= from ? c : 0 - c; // 0 - c, not -c: no -0
    },
  };
}
const naive = naiveCalendar(bundledSchedules);

describe('WorkingDayCalendar: single days', () => {
  it('names holidays, make-up days, weekends and ordinary days', () => {
    const cases: [string, object][] = [
      ['2024-10-01', { kind: 'holiday', workingDay: false, holiday: '国庆节', provisional: false }],
      ['2024-10-04', { kind: 'holiday', workingDay: false, holiday: '国庆节' }], // a Friday, rest by 调休
      ['2024-09-29', { kind: 'adjusted_workday', workingDay: true, holiday: '国庆节' }], // Sunday 上班
      ['2024-10-12', { kind: 'adjusted_workday', workingDay: true, holiday: '国庆节' }], // Saturday 上班
      ['2024-02-04', { kind: 'adjusted_workday', workingDay: true, holiday: '春节' }],
      ['2024-02-18', { kind: 'adjusted_workday', workingDay: true, holiday: '春节' }],
      ['2024-02-10', { kind: 'holiday', workingDay: false, holiday: '春节' }],
      ['2024-02-09', { kind: 'workday', workingDay: true }], // 2024 除夕 was only "encouraged" off
      ['2024-06-08', { kind: 'weekend', workingDay: false }], // weekend next to 端午, not listed by the notice
      ['2024-09-30', { kind: 'workday', workingDay: true }],
      ['2022-12-31', { kind: 'holiday', workingDay: false, holiday: '元旦' }], // from the 2023 notice
      ['2025-01-28', { kind: 'holiday', workingDay: false, holiday: '春节' }],
      ['2026-02-28', { kind: 'adjusted_workday', workingDay: true, holiday: '春节' }],
    ];
    for (const [d, expected] of cases) {
      expect([d, cal.describe(day(d))]).toEqual([d, expect.objectContaining({ date: d, ...expected })]);
      expect(cal.isWorkingDay(day(d))).toBe((expected as { workingDay: boolean }).workingDay);
    }
    expect(cal.describe(day('2024-02-09')).holiday).toBeUndefined();
  });

  it('marks years without a notice, and late December before the next notice, provisional', () => {
    // 2027: no notice → weekday rule. 2027-01-01 is a Friday, so a (provisional) working day.
    expect(cal.describe(day('2027-01-01'))).toEqual({ date: '2027-01-01', workingDay: true, kind: 'workday', provisional: true });
    expect(cal.describe(day('2027-01-02'))).toEqual({ date: '2027-01-02', workingDay: false, kind: 'weekend', provisional: true });
    expect(cal.isProvisional(day('2019-12-31'))).toBe(true); // 2019 is not bundled
    expect(cal.isProvisional(day('2020-01-01'))).toBe(false);
    // 2026 is official, but from 25 December the 2027 notice could still move days.
    expect(cal.isProvisional(day('2026-12-24'))).toBe(false);
    expect(cal.isProvisional(day('2026-12-25'))).toBe(true);
    expect(cal.isProvisional(day('2026-12-31'))).toBe(true);
    // Late December 2025 is settled: the 2026 notice is bundled.
    expect(cal.isProvisional(day('2025-12-31'))).toBe(false);
  });

  it('a loaded 2027 notice makes 2027 and late December 2026 official', () => {
    expect(with2027.officialYears.has(2027)).toBe(true);
    expect(with2027.describe(day('2027-01-01'))).toEqual({
      date: '2027-01-01',
      workingDay: false,
      kind: 'holiday',
      holiday: '元旦',
      provisional: false,
    });
    expect(with2027.describe(day('2026-12-26'))).toEqual({
      date: '2026-12-26',
      workingDay: true,
      kind: 'adjusted_workday',
      holiday: '元旦',
      provisional: false,
    });
    expect(with2027.isProvisional(day('2026-12-31'))).toBe(false);
    expect(with2027.isProvisional(day('2027-06-01'))).toBe(false);
    expect(with2027.isProvisional(day('2027-12-25'))).toBe(true); // now waiting for 2028
    expect(cal.describe(day('2027-01-01')).provisional).toBe(true); // the original calendar is unchanged
  });

  it('rejects dates outside 2000–2100', () => {
    expect(() => cal.describe(day('1999-12-31'))).toThrow(OutOfRangeError);
    expect(() => cal.isWorkingDay(day('2101-01-01'))).toThrow(OutOfRangeError);
    expect(() => cal.addWorkingDays(day('2100-12-30'), 5)).toThrow(OutOfRangeError);
    expect(() => cal.addWorkingDays(day('2024-01-01'), 0)).toThrow(RangeError);
    expect(cal.workingDayBefore(day('2000-01-03'), 1)).toBeUndefined(); // 2000-01-03 is the first working day
  });
});

describe('counting between dates', () => {
  it('countWorkingDays counts (from, to]', () => {
    // National Day 2024: 09-30, then 10-08..10-11, 10-12 (Sat 上班), 10-14..10-17 → 10.
    expect(cal.countWorkingDays(day('2024-09-29'), day('2024-10-17'))).toBe(10);
    expect(cal.countWorkingDays(day('2024-10-17'), day('2024-09-29'))).toBe(-10);
    expect(cal.countWorkingDays(day('2024-10-17'), day('2024-10-17'))).toBe(0);
    // Whole years, matching the hand counts in calendar-data.test.ts (1 January is always a holiday).
    expect(cal.countWorkingDays(day('2023-12-31'), day('2024-12-31'))).toBe(251);
    expect(cal.countWorkingDays(day('2024-01-01'), day('2024-12-31'))).toBe(251);
    expect(cal.countWorkingDays(day('2025-12-31'), day('2026-12-31'))).toBe(248);
    // 2027 by the weekday rule: 261 weekdays (1 Jan Friday, 31 Dec Friday).
    expect(cal.countWorkingDays(day('2026-12-31'), day('2027-12-31'))).toBe(261);
  });

  it('workingDayBefore is the n-th working day before a date, the date itself not counted', () => {
    expect(dayToIso(cal.workingDayBefore(day('2024-10-17'), 10)!)).toBe('2024-09-29'); // inverse of the 10-day count above
    expect(dayToIso(cal.workingDayBefore(day('2024-10-08'), 1)!)).toBe('2024-09-30'); // skips 10-01..10-07
    expect(dayToIso(cal.workingDayBefore(day('2024-02-18'), 1)!)).toBe('2024-02-09'); // make-up Sunday ← Friday before 春节
    expect(dayToIso(cal.workingDayBefore(day('2024-02-18'), 2)!)).toBe('2024-02-08');
    // From a rest day: the first working day before a National Day holiday is 09-30.
    expect(dayToIso(cal.workingDayBefore(day('2024-10-05'), 1)!)).toBe('2024-09-30');
    expect(dayToIso(cal.workingDayBefore(day('2024-03-02'), 1)!)).toBe('2024-03-01'); // Saturday → Friday
  });
});

describe('deadlines', () => {
  it('National Day 2024: complaint received on the make-up Sunday 2024-09-29, 10 working days', () => {
    // Receipt day not counted, even though it is a working day. 1 = 09-30; 10-01..10-07 holiday;
    // 2..5 = 10-08..10-11; 6 = 10-12 (Sat 上班); 10-13 Sun; 7..10 = 10-14..10-17.
    expect(due('2024-09-29T10:00', 10)).toMatchObject({
      countFrom: '2024-09-29',
      dueDate: '2024-10-17',
      dueAtIso: '2024-10-17T23:59:59.999+08:00',
      provisional: false,
    });
    expect(due('2024-09-29T10:00', 10).dueAt.toISOString()).toBe('2024-10-17T15:59:59.999Z');
  });

  it('Spring Festival 2024 with make-up days 02-04 and 02-18', () => {
    // Fri 02-02: 02-03 Sat rest; 1 = 02-04 (Sun 上班), 2 = 02-05, 3 = 02-06.
    expect(due('2024-02-02T10:00', 3).dueDate).toBe('2024-02-06');
    // Thu 02-08: 1 = 02-09 (除夕, a working day in 2024); 02-10..02-17 holiday; 2 = 02-18 (Sun 上班); 3..5 = 02-19..02-21.
    expect(due('2024-02-08T10:00', 5).dueDate).toBe('2024-02-21');
    expect(due('2024-02-09T10:00', 1).dueDate).toBe('2024-02-18');
  });

  it('year end 2026 into 2027, which has no notice yet: provisional', () => {
    // Mon 12-28: 1..3 = 12-29..12-31; 4 = 2027-01-01 (Fri, weekday rule); 5 = 01-04.
    expect(due('2026-12-28T10:00', 5)).toMatchObject({ dueDate: '2027-01-04', provisional: true });
    // Fri 12-18: 1..3 = 12-21..12-23, all before 25 December → official.
    expect(due('2026-12-18T10:00', 3)).toMatchObject({ dueDate: '2026-12-23', provisional: false });
    // 5 = 12-25 is still 2026 but after 25 December → provisional.
    expect(due('2026-12-18T10:00', 5)).toMatchObject({ dueDate: '2026-12-25', provisional: true });
  });

  it('the same deadlines once a 2027 notice is loaded: official, and moved by it', () => {
    // 2027-01-01..03 holiday: 4 = 01-04, 5 = 01-05.
    expect(due('2026-12-28T10:00', 5, OFF, with2027)).toMatchObject({ dueDate: '2027-01-05', provisional: false });
    expect(due('2026-12-18T10:00', 5, OFF, with2027)).toMatchObject({ dueDate: '2026-12-25', provisional: false });
    // Thu 12-24, 2 days: before, 12-25 and 12-28; the fixture's make-up Saturday 12-26 brings it forward.
    expect(due('2026-12-24T10:00', 2)).toMatchObject({ dueDate: '2026-12-28', provisional: true });
    expect(due('2026-12-24T10:00', 2, OFF, with2027)).toMatchObject({ dueDate: '2026-12-26', provisional: false });
  });

  it('receipt on a Saturday: day 1 is the Monday', () => {
    // Sat 2024-03-02: 1..5 = 03-04..03-08, 6..10 = 03-11..03-15.
    expect(due('2024-03-02T10:00', 1)).toMatchObject({ countFrom: '2024-03-02', dueDate: '2024-03-04' });
    expect(due('2024-03-02T10:00', 10).dueDate).toBe('2024-03-15');
  });

  it('receipt at 23:59 and 00:00 China time, given as UTC instants', () => {
    // 2024-09-29T15:59Z is 23:59 on the make-up Sunday → as above, due 10-17.
    expect(due('2024-09-29T15:59:00Z', 10)).toMatchObject({ countFrom: '2024-09-29', dueDate: '2024-10-17' });
    // One minute later it is 00:00 Monday 09-30 China: 1 = 10-08 … 5 = 10-12, 6..9 = 10-14..10-17, 10 = 10-18.
    expect(due('2024-09-29T16:00:00Z', 10)).toMatchObject({ countFrom: '2024-09-30', dueDate: '2024-10-18' });
    // 2024-09-30T15:59Z = 23:59 on 09-30 (a working day), 16:00Z = 00:00 on 10-01 (holiday): both → day 1 = 10-08.
    expect(due('2024-09-30T15:59:00Z', 1)).toMatchObject({ countFrom: '2024-09-30', dueDate: '2024-10-08' });
    expect(due('2024-09-30T16:00:00Z', 1)).toMatchObject({ countFrom: '2024-10-01', dueDate: '2024-10-08' });
  });

  it('inquiry (2 working days) and convenience (3 working days) examples', () => {
    // Wed 2024-04-03, 2 days: 清明 04-04..04-06 off; 1 = 04-07 (Sun 上班), 2 = 04-08.
    expect(due('2024-04-03T09:00', 2).dueDate).toBe('2024-04-08');
    // Tue 2024-04-30, 3 days: 劳动节 05-01..05-05 off; 1..3 = 05-06..05-08.
    expect(due('2024-04-30T09:00', 3).dueDate).toBe('2024-05-08');
    // Thu 2024-05-09, 3 days: 1 = 05-10, 2 = 05-11 (Sat 上班), 3 = 05-13.
    expect(due('2024-05-09T09:00', 3).dueDate).toBe('2024-05-13');
  });

  describe('AFTER_HOURS_RECEIPT_NEXT_DAY', () => {
    it('off (default): the China receipt date counts whatever the hour', () => {
      // Mon 2024-03-04 18:00 → 1 = 03-05.
      expect(due('2024-03-04T18:00', 1, OFF)).toMatchObject({ countFrom: '2024-03-04', dueDate: '2024-03-05' });
    });

    it('on: after 17:30 on a working day counts as received the next working day', () => {
      expect(due('2024-03-04T17:29:59', 1, ON)).toMatchObject({ countFrom: '2024-03-04', dueDate: '2024-03-05' });
      // 17:30 is already after hours: received 03-05, 1 = 03-06.
      expect(due('2024-03-04T17:30', 1, ON)).toMatchObject({ countFrom: '2024-03-05', dueDate: '2024-03-06' });
      // Make-up Sunday 2024-09-29 is a working day: 10:00 is in hours (due 10-17 as without the setting)…
      expect(due('2024-09-29T10:00', 10, ON)).toMatchObject({ countFrom: '2024-09-29', dueDate: '2024-10-17' });
      // …18:00 is received 09-30: 1 = 10-08 … 10 = 10-18.
      expect(due('2024-09-29T18:00', 10, ON)).toMatchObject({ countFrom: '2024-09-30', dueDate: '2024-10-18' });
      // 23:59 on Fri 02-09 (last working day before 春节) → received 02-18 (make-up Sunday), 1 = 02-19.
      expect(due('2024-02-09T15:59:00Z', 1, ON)).toMatchObject({ countFrom: '2024-02-18', dueDate: '2024-02-19' });
    });

    it('on: any hour of a rest day counts as received the next working day', () => {
      // Sat 2024-03-02 → received Mon 03-04; 1..4 = 03-05..03-08, 5..9 = 03-11..03-15, 10 = 03-18.
      expect(due('2024-03-02T09:00', 10, ON)).toMatchObject({ countFrom: '2024-03-04', dueDate: '2024-03-18' });
      // Holiday 2024-10-03 → received 10-08, 1 = 10-09.
      expect(due('2024-10-03T09:00', 1, ON)).toMatchObject({ countFrom: '2024-10-08', dueDate: '2024-10-09' });
    });

    it('on: provisional when the days deciding the deemed receipt day are', () => {
      // 2019 has no notice. Mon 2019-12-30 18:00 → received Tue 12-31 (weekday rule); 1 = 2020-01-02.
      // Every counted day is official, but whether 12-31 was a working day decided where counting starts.
      expect(due('2019-12-30T18:00', 1, ON)).toMatchObject({ countFrom: '2019-12-31', dueDate: '2020-01-02', provisional: true });
      // Off: 1 = 12-31 (provisional), 2 = 2020-01-02.
      expect(due('2019-12-30T18:00', 2, OFF)).toMatchObject({ dueDate: '2020-01-02', provisional: true });
      expect(due('2020-01-02T18:00', 1, ON)).toMatchObject({ dueDate: '2020-01-06', provisional: false });
    });

    it('respects a different OFFICE_HOURS_END', () => {
      const early: ReceiptPolicy = { afterHoursNextDay: true, officeEndMinute: parseClock('17:00') };
      expect(due('2024-03-04T17:10', 1, early).dueDate).toBe('2024-03-06');
      expect(due('2024-03-04T17:10', 1, ON).dueDate).toBe('2024-03-05');
    });
  });
});

describe('explainDeadline', () => {
  it('lists every day from receipt to due date with the reason it was or was not counted', () => {
    const e = explainDeadline(cal, at('2024-09-29T10:00'), 10, OFF);
    expect(e.dueDate).toBe('2024-10-17');
    expect(e.days.map((d) => d.date)).toEqual(Array.from({ length: 19 }, (_, i) => dayToIso(day('2024-09-29') + i)));
    const byDate = new Map(e.days.map((d) => [d.date, d]));
    expect(byDate.get('2024-09-29')).toMatchObject({ counted: false, reason: '收到当日不计入', kind: 'adjusted_workday' });
    expect(byDate.get('2024-09-30')).toMatchObject({ counted: true, ordinal: 1, reason: '第1个工作日' });
    expect(byDate.get('2024-10-01')).toMatchObject({ counted: false, reason: '法定节假日（国庆节）' });
    expect(byDate.get('2024-10-08')).toMatchObject({ counted: true, ordinal: 2 });
    expect(byDate.get('2024-10-12')).toMatchObject({ counted: true, ordinal: 6, reason: '调休上班日，第6个工作日' });
    expect(byDate.get('2024-10-13')).toMatchObject({ counted: false, reason: '周末休息日' });
    expect(byDate.get('2024-10-17')).toMatchObject({ counted: true, ordinal: 10 });
    expect(e.days.filter((d) => d.counted).map((d) => d.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('under the after-hours setting, days up to the deemed receipt day are marked as such', () => {
    const e = explainDeadline(cal, at('2024-03-02T09:00'), 1, ON);
    expect(e.days.map((d) => [d.date, d.counted, d.reason])).toEqual([
      ['2024-03-02', false, '收到当日不计入'],
      ['2024-03-03', false, '下班后或休息日收到，视为下一工作日收到'],
      ['2024-03-04', false, '下班后或休息日收到，视为下一工作日收到'],
      ['2024-03-05', true, '第1个工作日'],
    ]);
  });

  it('carries provisional flags of the days it touches', () => {
    const e = explainDeadline(cal, at('2026-12-28T10:00'), 5, OFF);
    expect(e.provisional).toBe(true);
    expect(e.days.at(-1)).toMatchObject({ date: '2027-01-04', provisional: true, counted: true, ordinal: 5 });
  });
});

// Receipt instants 2020-01-01 00:00 .. 2026-12-20 24:00 China time.
const instant = fc
  .integer({ min: Date.parse('2019-12-31T16:00:00Z'), max: Date.parse('2026-12-20T15:59:59.999Z') })
  .map((t) => new Date(t));
const workingDays = fc.integer({ min: 1, max: 60 });
const policy = fc.constantFrom(OFF, ON);
const RUNS = { numRuns: 2000 };

describe('properties', () => {
  it('the due date is a working day, counted exactly n working days after countFrom', () => {
    fc.assert(
      fc.property(instant, workingDays, policy, (at, n, p) => {
        const d = computeDeadline(cal, at, n, p);
        const dueDay = day(d.dueDate);
        expect(cal.isWorkingDay(dueDay)).toBe(true);
        expect(naive.isWorking(dueDay)).toBe(true);
        expect(cal.countWorkingDays(day(d.countFrom), dueDay)).toBe(n);
        expect(d.dueAtIso).toBe(`${d.dueDate}T23:59:59.999+08:00`);
        expect(d.countFrom >= dayToIso(chinaDayOf(at))).toBe(true);
      }),
      RUNS,
    );
  });

  it('more working days never give an earlier due date', () => {
    fc.assert(
      fc.property(instant, workingDays, workingDays, policy, (at, a, b, p) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = computeDeadline(cal, at, lo, p).dueDate;
        const y = computeDeadline(cal, at, hi, p).dueDate;
        expect(lo === hi ? x === y : x < y).toBe(true);
      }),
      RUNS,
    );
  });

  it('matches a naive day-by-day count', () => {
    fc.assert(
      fc.property(instant, workingDays, (at, n) => {
        const receipt = Math.floor((at.getTime() + 8 * 3600_000) / 86_400_000);
        expect(dayToIso(cal.addWorkingDays(receipt, n))).toBe(dayToIso(naive.add(receipt, n)));
        expect(computeDeadline(cal, at, n, OFF).dueDate).toBe(dayToIso(naive.add(receipt, n)));
        expect(dayToIso(cal.workingDayBefore(receipt, n)!)).toBe(dayToIso(naive.before(receipt, n)));
      }),
      RUNS,
    );
  });

  it('countWorkingDays matches a naive count, in both directions', () => {
    const date = fc.integer({ min: day('2019-06-01'), max: day('2027-06-30') });
    fc.assert(
      fc.property(date, fc.integer({ min: -400, max: 400 }), (a, offset) => {
        expect(cal.countWorkingDays(a, a + offset)).toBe(naive.count(a, a + offset));
      }),
      RUNS,
    );
  });

  it('explain counts exactly the working days in (countFrom, due]', () => {
    fc.assert(
      fc.property(instant, workingDays, policy, (at, n, p) => {
        const e = explainDeadline(cal, at, n, p);
        const counted = e.days.filter((d) => d.counted);
        expect(counted.map((d) => d.ordinal)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(counted.at(-1)!.date).toBe(e.dueDate);
        expect(counted.every((d) => d.workingDay && d.date > e.countFrom)).toBe(true);
        expect(e.days[0]!.date).toBe(dayToIso(chinaDayOf(at)));
        expect(e.days.at(-1)!.date).toBe(e.dueDate);
      }),
      { numRuns: 500 },
    );
  });
});
