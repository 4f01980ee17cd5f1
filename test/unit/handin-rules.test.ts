import { describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { schedule as schedule2026 } from '../../src/calendar/data/2026.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';
import {
  can,
  handInDueAt,
  handInDueDate,
  handInOpensOn,
  parseQuarterKey,
  quarterEnded,
  quarterKey,
  quarterLabel,
  quarterOf,
  quarterPeriod,
} from '../../src/handin/rules.js';
import { NOTICE_2027 } from '../support/time-skipping.js';

// Measures Art. 20(四): each department hands the previous quarter's 审核单 to the general office
// "每季度首月5日前" — due by the end of the 4th, calendar days; HANDIN_REST_DAY_RULE=next_working_day
// moves a 4th that is a rest day to the next working day. The bundled 2026 calendar (元旦 1–3 January,
// Sunday 4 January worked; 清明 4–6 April; 国庆 1–7 October) and the 2027 test notice (春节 only).
const cal = new WorkingDayCalendar([schedule2026, { year: 2027, amendments: [], ...NOTICE_2027 }]);
const at = (t: string) => parseChinaInstant(t)!;

describe('Art. 20(四) the quarter of a review form (its submission time, China time)', () => {
  it('takes the China date, not the UTC one', () => {
    expect(quarterOf(at('2026-12-31 23:59'))).toEqual({ year: 2026, q: 4 });
    expect(quarterOf(at('2027-01-01 00:00'))).toEqual({ year: 2027, q: 1 });
    // 2026-09-30 16:30 UTC is 1 October 00:30 in China: Q4.
    expect(quarterOf(new Date('2026-09-30T16:30:00Z'))).toEqual({ year: 2026, q: 4 });
    expect(quarterOf(new Date('2026-09-30T15:59:00Z'))).toEqual({ year: 2026, q: 3 });
  });
  it('gives the quarter period as China midnights', () => {
    const p = quarterPeriod({ year: 2026, q: 4 });
    expect(p.from.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(handInOpensOn({ year: 2026, q: 4 })).toBe('2027-01-01');
    expect(handInOpensOn({ year: 2027, q: 1 })).toBe('2027-04-01');
  });
  it('names quarters and parses their keys', () => {
    expect(quarterLabel({ year: 2026, q: 4 })).toBe('2026年第四季度');
    expect(quarterKey({ year: 2026, q: 4 })).toBe('2026-Q4');
    expect(parseQuarterKey('2027-Q1')).toEqual({ year: 2027, q: 1 });
    expect(parseQuarterKey('2027-Q5')).toBeUndefined();
    expect(parseQuarterKey('2027Q1')).toBeUndefined();
  });
  it('a quarter can be handed in once it has ended', () => {
    expect(quarterEnded({ year: 2026, q: 4 }, at('2026-12-31 23:59'))).toBe(false);
    expect(quarterEnded({ year: 2026, q: 4 }, at('2027-01-01 00:00'))).toBe(true);
  });
});

describe('Art. 20(四) due "5日前": by the end of the 4th of the quarter\'s first month', () => {
  const due = (year: number, q: 1 | 2 | 3 | 4, rule: 'calendar' | 'next_working_day') => handInDueDate({ year, q }, rule, cal);

  it('calendar (default): the 4th stands whatever day it is', () => {
    expect(due(2025, 4, 'calendar')).toBe('2026-01-04'); // Sunday, a make-up working day of 元旦 2026
    expect(due(2026, 1, 'calendar')).toBe('2026-04-04'); // Saturday, 清明
    expect(due(2026, 2, 'calendar')).toBe('2026-07-04'); // Saturday
    expect(due(2026, 3, 'calendar')).toBe('2026-10-04'); // Sunday, 国庆
    expect(due(2026, 4, 'calendar')).toBe('2027-01-04'); // Monday
    expect(due(2027, 1, 'calendar')).toBe('2027-04-04'); // Sunday
  });

  it('next_working_day: a rest day moves to the next working day (holidays and make-up days from the calendar)', () => {
    expect(due(2025, 4, 'next_working_day')).toBe('2026-01-04'); // the worked Sunday stays
    expect(due(2026, 1, 'next_working_day')).toBe('2026-04-07'); // 清明 4–6 April → Tuesday 7th
    expect(due(2026, 2, 'next_working_day')).toBe('2026-07-06'); // Saturday → Monday
    expect(due(2026, 3, 'next_working_day')).toBe('2026-10-08'); // 国庆 1–7 October → Thursday 8th
    expect(due(2026, 4, 'next_working_day')).toBe('2027-01-04'); // a Monday: unchanged
    expect(due(2027, 1, 'next_working_day')).toBe('2027-04-05'); // Sunday → Monday (the 2027 fixture has no 清明)
    expect(due(2027, 2, 'next_working_day')).toBe('2027-07-05'); // Sunday → Monday
    expect(due(2027, 3, 'next_working_day')).toBe('2027-10-04'); // Monday
  });

  it('is late from 00:00 China time of the day after the due date', () => {
    expect(handInDueAt('2027-01-04').toISOString()).toBe('2027-01-04T16:00:00.000Z');
  });
});

describe("Art. 20(四) who may see and confirm a department's hand-in", () => {
  it("the department's leader confirms its own; staff see their own; the office sees all", () => {
    expect(can({ roles: ['dept_leader'], departmentId: 5 }, 'confirm', 5)).toBe(true);
    expect(can({ roles: ['dept_leader'], departmentId: 5 }, 'confirm', 6)).toBe(false);
    expect(can({ roles: ['handler'], departmentId: 5 }, 'confirm', 5)).toBe(false);
    expect(can({ roles: ['handler'], departmentId: 5 }, 'view', 5)).toBe(true);
    expect(can({ roles: ['handler'], departmentId: 5 }, 'view', 6)).toBe(false);
    expect(can({ roles: ['office'], departmentId: 1 }, 'view', 6)).toBe(true);
    expect(can({ roles: ['office'], departmentId: 1 }, 'confirm', 6)).toBe(false);
    expect(can({ roles: ['publicity'], departmentId: 3 }, 'view', 3)).toBe(false);
  });
});
