// The digest's pure rules: which group a letter is in, the words shown, the office's notice line and
// the Schedule's catch-up window. Art. 22 of the measures: every working day, every letter held.
import { describe, expect, it } from 'vitest';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import { chinaMidnight, parseIsoDate } from '../../src/calendar/china-time.js';
import { missingNotice } from '../../src/calendar/next-notice.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';
import { digestEmail } from '../../src/digest/email.js';
import { dueLabel, groupOf, letterNotes, missingNoticeLine, type DigestLetter, type OfficeDigest } from '../../src/digest/rules.js';
import { restOfChinaDayMs } from '../../src/digest/schedule.js';

const days = { today: '2026-10-09', nextWorkingDay: '2026-10-10' }; // Fri; Sat Oct 10 is a make-up working day

describe('groupOf: exactly one group, the most urgent that applies (Art. 22)', () => {
  it.each([
    // overdue, due date, new → group
    [true, '2026-10-08', true, 'overdue'],
    [true, '2026-10-08', false, 'overdue'],
    [false, '2026-10-09', true, 'dueToday'],
    [false, '2026-10-10', true, 'dueNextWorkingDay'], // a new letter due the next working day
    [false, '2026-10-10', false, 'dueNextWorkingDay'],
    [false, '2026-10-12', true, 'newLetters'],
    [false, '2026-10-12', false, 'others'],
  ] as const)('overdue=%s due %s new=%s → %s', (overdue, dueDate, isNew, group) => {
    expect(groupOf({ overdue, dueDate, isNew }, days)).toBe(group);
  });
});

describe('labels say what the code computes', () => {
  const letter: DigestLetter = {
    trackingNo: '261009-ABCD1',
    subject: '来信',
    type: '投诉',
    dueDate: '2026-10-12',
    departmentName: '执法稽查局',
  };

  it('a due date is shown as X（含当日）前: due by the end of that day', () => {
    expect(dueLabel('2026-10-12')).toBe('2026年10月12日（含当日）前');
  });

  it('marks and counts, in order', () => {
    expect(letterNotes({ ...letter, workingDaysLeft: 3, role: 'assisting', opinionOwed: true, isNew: true })).toEqual([
      '办理期限 2026年10月12日（含当日）前',
      '剩余 3 个工作日（不含今日）',
      '协办（承办：执法稽查局）',
      '待提交协办意见',
      '新收',
    ]);
    expect(letterNotes({ ...letter, workingDaysOverdue: 2, transferred: true, inArbitration: true })).toEqual([
      '办理期限 2026年10月12日（含当日）前',
      '已超期 2 个工作日',
      '转办来信（答复，或提出异议）',
      '办公室协调中',
    ]);
  });

  it('the e-mail names the group 下一工作日到期, never 明日', () => {
    const empty = { overdue: [], dueToday: [], newLetters: [], others: [] };
    const mail = digestEmail('2026-10-09', { kind: 'department', departmentName: '登记注册局', ...empty, dueNextWorkingDay: [letter] });
    expect(mail.text).toContain('下一工作日到期（1 件）\n- 261009-ABCD1 ［投诉］来信（办理期限 2026年10月12日（含当日）前）');
    expect(mail.subject).toBe('【局长信箱】2026-10-09 待办提醒：登记注册局（1 件）');
    expect(mail.text + mail.html).not.toContain('明日');
  });
});

describe("the office's line while next year's notice is missing (from 1 November)", () => {
  // What the digest asks the calendar service (nextYearNoticeMissing), on the China midnight of `day`.
  const missingNextYearNotice = (deps: { calendar: { current: WorkingDayCalendar } }, day: string) =>
    missingNotice(deps.calendar.current, chinaMidnight(parseIsoDate(day)!));
  const without2026 = { calendar: { current: new WorkingDayCalendar(bundledSchedules.filter((s) => s.year !== 2026)) } };
  const bundled = { calendar: { current: new WorkingDayCalendar(bundledSchedules) } };

  it('starts on 1 November, names the first provisional day (25 December, working-days.ts) and goes when the year is loaded', () => {
    expect(missingNextYearNotice(without2026, '2025-10-31')).toBeNull();
    expect(missingNextYearNotice(without2026, '2025-11-01')).toEqual({ year: 2026, provisionalFrom: '2025-12-25' });
    expect(missingNextYearNotice(without2026, '2025-12-31')).toEqual({ year: 2026, provisionalFrom: '2025-12-25' });
    expect(missingNextYearNotice(bundled, '2025-11-01')).toBeNull(); // 2026's notice is bundled
    expect(missingNextYearNotice(bundled, '2026-11-01')).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
    expect(missingNoticeLine({ year: 2027, provisionalFrom: '2026-12-25' })).toBe(
      '2027年节假日安排尚未录入，2026年12月25日（含当日）起的日期暂按周末规则计算，办理期限落在这些日期的信件期限为暂定。',
    );
  });

  it('the office is e-mailed the line even on a day with no letter to list', () => {
    const office: OfficeDigest = {
      kind: 'office',
      departmentName: '办公室',
      overdue: [],
      awaitingArbitration: [],
      perDepartment: [],
      missingNotice: { year: 2027, provisionalFrom: '2026-12-25' },
    };
    const mail = digestEmail('2026-11-02', office);
    expect(mail.text).toContain('2027年节假日安排尚未录入，2026年12月25日（含当日）起');
    expect(mail.html).toContain('<p><strong>2027年节假日安排尚未录入');
  });
});

describe("the Schedule's catch-up window ends at China midnight (a missed digest runs the same day only)", () => {
  it.each([
    ['08:30', 15.5 * 3600_000],
    ['00:00', 24 * 3600_000],
    ['23:59', 60_000],
  ])('DIGEST_TIME %s → %i ms', (time, ms) => {
    expect(restOfChinaDayMs(time)).toBe(ms);
  });
});
