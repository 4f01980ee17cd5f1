import { describe, expect, it } from 'vitest';
import { lateReportOn, reminderOn } from '../../src/annual-report/deadline-rules.js';

// 条例 Art. 49: a provincial department publishes the report on the year before "每年1月31日前"; the internal
// deadline is the office's own (default 20 January, national-rules.md §2.6); reminders from 2 January.

describe('the office’s reminder (issue 18 point 5)', () => {
  const draft = { status: 'draft' as const, internalDeadline: '01-20' };
  it('starts on 2 January, due at the internal deadline, then at 31 January', () => {
    expect(reminderOn('2027-01-01', draft)).toBeNull();
    expect(reminderOn('2027-01-02', draft)).toMatchObject({ year: 2026, dueDate: '2027-01-20' });
    expect(reminderOn('2027-01-20', draft)).toMatchObject({ dueDate: '2027-01-20' });
    expect(reminderOn('2027-01-21', draft)).toMatchObject({ dueDate: '2027-01-31', statutoryDeadline: '2027-01-31' });
    expect(reminderOn('2027-03-01', draft)).toMatchObject({ year: 2026, dueDate: '2027-01-31' });
  });
  it('follows a set internal deadline, says what is left, and stops once published', () => {
    expect(reminderOn('2027-01-05', { status: 'approved', internalDeadline: '01-26' })).toEqual({
      year: 2026,
      stepLabel: '已审定，待发布（内部时限 2027-01-26，法定时限 2027-01-31，《条例》第四十九条）',
      dueDate: '2027-01-26',
      internalDeadline: '2027-01-26',
      statutoryDeadline: '2027-01-31',
    });
    expect(reminderOn('2027-01-05', { status: 'published', internalDeadline: '01-20' })).toBeNull();
  });
  it('reminds of a year the system holds no report for only in January', () => {
    const none = { status: null, internalDeadline: '01-20' };
    expect(reminderOn('2027-01-31', none)).toMatchObject({ year: 2026 });
    expect(reminderOn('2027-02-01', none)).toBeNull();
  });
});

describe('the inspection flag: not published by 31 January (条例 Art. 49)', () => {
  it('flags from 1 February until published', () => {
    expect(lateReportOn('2027-01-31', 'approved')).toBeNull();
    expect(lateReportOn('2027-02-01', 'approved')).toBe(2026);
    expect(lateReportOn('2027-02-01', null)).toBe(2026);
    expect(lateReportOn('2027-02-01', 'published')).toBeNull();
  });
});
