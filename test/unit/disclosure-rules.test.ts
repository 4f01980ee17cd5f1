// The disclosure register's pure rules (issue 16): the 20-working-day catalogue deadline of 条例
// Art. 26 on the bundled State Council calendar, the decision rules of measures Art. 30 and 条例 Art.
// 18, and the 索引号 pattern.
import { describe, expect, it } from 'vitest';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';
import { decisionRefusal, indexNumberOf, publishedOnTime } from '../../src/disclosure/rules.js';
import { catalogueDeadline } from '../../src/disclosure/service/catalogue.js';

const calendar = { current: new WorkingDayCalendar(bundledSchedules) } as Parameters<typeof catalogueDeadline>[0]['calendar'];

describe('条例 Art. 26: published within 20 working days of the day formed or changed (that day not counted)', () => {
  it.each([
    // formed (a rest day too) → 20th working day after it
    // Friday 2026-09-25 is 中秋 (25–27 off); 国庆 1–7 October off; Saturday 10 October worked:
    // 28, 29, 30 Sep; 8, 9, 10 (Sat), 12–16, 19–23, 26, 27, 28, 29 Oct.
    ['2026-09-25', '2026-10-29', false],
    // Wednesday 2026-09-30, the last working day before 国庆: 8, 9, 10 (Sat), 12–16, 19–23, 26–30 Oct, 2, 3 Nov.
    ['2026-09-30', '2026-11-03', false],
    // Sunday 2026-09-20 was worked (中秋/国庆 make-up): the count starts on Monday the 21st all the same.
    ['2026-09-20', '2026-10-23', false],
  ])('formed %s → due %s', (formed, due, provisional) => {
    const d = catalogueDeadline({ calendar }, formed);
    expect(d.dueDate).toBe(due);
    expect(d.provisional).toBe(provisional);
    // The end of the due date, China time.
    expect(d.dueAt.toISOString()).toBe(new Date(`${due}T23:59:59.999+08:00`).toISOString());
  });

  it('a year end into a year whose notice is not loaded: counted by the weekday rule and flagged provisional', () => {
    // 21–25, 28–31 Dec (9), then 2027 by weekdays: 1 Jan (Fri) … 15 Jan is the 20th.
    const d = catalogueDeadline({ calendar }, '2026-12-18');
    expect(d.dueDate).toBe('2027-01-15');
    expect(d.provisional).toBe(true);
  });

  it('published on the due date is on time; the next day is late', () => {
    expect(publishedOnTime('2026-10-29', '2026-10-29')).toBe(true);
    expect(publishedOnTime('2026-10-30', '2026-10-29')).toBe(false);
  });
});

describe('measures Art. 30 and 条例 Art. 18: what a decision needs', () => {
  const today = '2026-12-03';
  it('主动公开 needs no basis and takes none', () => {
    expect(decisionRefusal({ decision: 'proactive' }, today)).toBeNull();
    expect(decisionRefusal({ decision: 'proactive', legalBasis: 'art14_state_secret' }, today)?.field).toBe('legalBasis');
  });
  it('依申请公开 and 不予公开 need a basis from 条例 Arts. 14–16; 不予公开 a future re-review date', () => {
    expect(decisionRefusal({ decision: 'on_request' }, today)?.field).toBe('legalBasis');
    expect(decisionRefusal({ decision: 'on_request', legalBasis: 'art16_internal_affairs' }, today)).toBeNull();
    expect(decisionRefusal({ decision: 'withheld', legalBasis: 'art15_third_party' }, today)).toEqual({
      field: 'reReviewOn',
      message: '不予公开须定复核日期（条例第十八条）',
    });
    expect(decisionRefusal({ decision: 'withheld', legalBasis: 'art15_third_party', reReviewOn: today }, today)?.field).toBe('reReviewOn');
    expect(decisionRefusal({ decision: 'withheld', legalBasis: 'art15_third_party', reReviewOn: '2027-06-01' }, today)).toBeNull();
  });
});

describe('the 索引号 pattern (CATALOGUE_INDEX_PATTERN)', () => {
  it('fills the category code, the year and a five-digit sequence', () => {
    expect(indexNumberOf('FJAMR-{category}-{year}-{seq}', { category: 'regulation', year: 2026, seq: 7 })).toBe('FJAMR-01-2026-00007');
    expect(indexNumberOf('{year}/{category}/{seq}', { category: 'other', year: 2027, seq: 123456 })).toBe('2027/99/123456');
  });
});
