// What a calendar change does to a deadline already given (the earliest-move rule), which notice is
// awaited when (the calendar page's banner, the office's digest), and the one "next year" window.
// Pure; expected dates counted by hand from the bundled 2026 notice (国办发明电〔2025〕7号).
import { describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import type { YearSchedule } from '../../src/calendar/data/types.js';
import { deadlineAfterCalendarChange, type Deadline } from '../../src/calendar/deadline.js';
import { missingNotice } from '../../src/calendar/next-notice.js';
import { scheduleProblems } from '../../src/calendar/validate-schedule.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';

const y2027: YearSchedule = {
  year: 2027,
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number: '国办发明电〔2026〕99号', date: '2026-11-10' },
  amendments: [],
  holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
  adjustedWorkdays: [],
};
const cal = new WorkingDayCalendar(bundledSchedules);
const with2027 = new WorkingDayCalendar([...bundledSchedules, y2027]);

const endOf = (date: string) => parseChinaInstant(`${date}T23:59:59.999`)!;
/** A deadline as computeDeadline gives it, due at the end of `date`. */
const due = (date: string): Deadline => ({
  receivedAt: parseChinaInstant('2026-09-01T10:00')!,
  countFrom: '2026-09-01',
  workingDays: 10,
  dueDate: date,
  dueAt: endOf(date),
  dueAtIso: `${date}T23:59:59.999+08:00`,
  provisional: false,
});
const previous = (date: string) => ({ dueDate: date, dueAt: endOf(date) });
const at = (chinaTime: string) => parseChinaInstant(chinaTime)!;

describe('deadlineAfterCalendarChange (the earliest-move rule, docs/architecture.md Deadline policy)', () => {
  it('a later deadline is taken as computed', () => {
    expect(deadlineAfterCalendarChange(cal, due('2026-10-15'), previous('2026-10-12'), at('2026-09-30T10:00'))).toMatchObject({
      dueDate: '2026-10-15',
      held: false,
    });
  });

  it('an earlier deadline still after the end of the next working day is taken as computed', () => {
    // Change on Tuesday 8 September: the next working day is Wednesday 9 September.
    const d = deadlineAfterCalendarChange(cal, due('2026-09-10'), previous('2026-09-14'), at('2026-09-08T10:00'));
    expect(d).toMatchObject({ dueDate: '2026-09-10', held: false });
  });

  it('an earlier deadline on the next working day itself is taken too (the floor is inclusive)', () => {
    const d = deadlineAfterCalendarChange(cal, due('2026-09-09'), previous('2026-09-14'), at('2026-09-08T10:00'));
    expect(d).toMatchObject({ dueDate: '2026-09-09', held: false });
  });

  it('an earlier deadline in the past is held to the end of the next working day, skipping National Day (1–7 October 2026)', () => {
    // Change on Wednesday 30 September; by the new rule the letter was due Tuesday 29 September.
    // The next working day is Thursday 8 October (1–7 October off).
    const d = deadlineAfterCalendarChange(cal, due('2026-09-29'), previous('2026-10-12'), at('2026-09-30T10:00'));
    expect(d).toMatchObject({ dueDate: '2026-10-08', held: true, dueAtIso: '2026-10-08T23:59:59.999+08:00' });
    expect(d.dueAt.toISOString()).toBe(endOf('2026-10-08').toISOString());
  });

  it('never later than the deadline it replaces: an earlier computed date keeps the old one when that comes first', () => {
    // Old deadline Wednesday 30 September (today), new rule 29 September: the old one stands, not 8 October.
    const d = deadlineAfterCalendarChange(cal, due('2026-09-29'), previous('2026-09-30'), at('2026-09-30T10:00'));
    expect(d).toMatchObject({ dueDate: '2026-09-30', held: true });
    expect(d.dueAt.toISOString()).toBe(endOf('2026-09-30').toISOString());
  });

  it('at the year end the floor follows the next year: Friday 1 January 2027 by the weekday rule, Monday 4 January once 元旦 is loaded', () => {
    const change = at('2026-12-31T10:00');
    expect(deadlineAfterCalendarChange(cal, due('2026-12-29'), previous('2027-01-08'), change)).toMatchObject({
      dueDate: '2027-01-01',
      held: true,
    });
    expect(deadlineAfterCalendarChange(with2027, due('2026-12-29'), previous('2027-01-08'), change)).toMatchObject({
      dueDate: '2027-01-04',
      held: true,
    });
  });
});

describe('missingNotice (nextYearNoticeMissing): from 1 November, China time', () => {
  it('absent on 31 October, present from 1 November while 2027 is not loaded (provisional from 25 December 2026)', () => {
    expect(missingNotice(cal, at('2026-10-31T23:59'))).toBeNull();
    expect(missingNotice(cal, at('2026-11-01T00:00'))).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
    // 2026-10-31T16:30Z is already 1 November in China.
    expect(missingNotice(cal, new Date('2026-10-31T16:30:00Z'))).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
    expect(missingNotice(cal, at('2026-12-31T12:00'))).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
  });

  it("a year that began without its notice is still missing (the current year's), any day", () => {
    expect(missingNotice(cal, at('2027-01-05T09:00'))).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
    expect(missingNotice(cal, at('2027-06-01T09:00'))).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
  });

  it('absent once loaded; a year later the next one is awaited', () => {
    expect(missingNotice(with2027, at('2026-11-01T09:00'))).toBeNull();
    expect(missingNotice(with2027, at('2027-10-31T09:00'))).toBeNull();
    expect(missingNotice(with2027, at('2027-11-01T09:00'))).toEqual({ year: 2028, provisionalFrom: '2027-12-25' });
  });
});

describe("one 'next year' window: a notice may list dates from 25 December of the year before, where provisional days start", () => {
  const withDate = (d: string): YearSchedule => ({ ...y2027, holidays: [{ name: '元旦', dates: [d, '2027-01-01'] }] });
  it('25 December 2026 is accepted in the 2027 notice, 24 December is refused', () => {
    expect(scheduleProblems(withDate('2026-12-25'))).toEqual({});
    expect(scheduleProblems(withDate('2026-12-24'))).toEqual({ 'body.holidays.0.dates.0': '日期须在 2026-12-25 至 2027-12-31 之间' });
  });

  it('and 25 December 2026 is the first provisional day while 2027 is missing', () => {
    expect(cal.isProvisional(Date.parse('2026-12-24') / 86_400_000)).toBe(false);
    expect(cal.isProvisional(Date.parse('2026-12-25') / 86_400_000)).toBe(true);
    expect(with2027.isProvisional(Date.parse('2026-12-25') / 86_400_000)).toBe(false);
  });
});
