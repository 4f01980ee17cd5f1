import { describe, expect, it } from 'vitest';
import { deliveryCountsOn, judgeDelivery } from '../../src/requests/delivery-rules.js';

// 国办公开办函〔2016〕235号: whether the answer met its deadline is judged on the day of posting (交邮之日) for
// postal delivery, and on the day the applicant signs (签收之日) for direct delivery or delivery through another
// agency — not on the day the office decided. The deadline is a China date (the last working day).

// A deadline on Friday 2026-10-23, as the clock rules would hand it over.
const DEADLINE = '2026-10-23';

describe('235号: the day that counts for "answered in time"', () => {
  it('posted: the day handed to the post (交邮日), whatever day it is signed for', () => {
    expect(deliveryCountsOn({ method: 'post', postedOn: '2026-10-23', signedOn: '2026-10-27' })).toEqual({
      countsOn: '2026-10-23',
      countsAs: '交邮日',
    });
  });

  it('direct or through another agency: the day the applicant signs (签收日)', () => {
    expect(deliveryCountsOn({ method: 'direct', signedOn: '2026-10-22' })).toEqual({ countsOn: '2026-10-22', countsAs: '签收日' });
    expect(deliveryCountsOn({ method: 'via_agency', signedOn: '2026-10-26' })).toEqual({ countsOn: '2026-10-26', countsAs: '签收日' });
  });

  it('posted on the deadline day is in time, even if signed for four days later', () => {
    const j = judgeDelivery({ method: 'post', postedOn: '2026-10-23', signedOn: '2026-10-27' }, DEADLINE);
    expect(j).toMatchObject({ inTime: true, daysLate: 0, countsOn: '2026-10-23' });
    expect(j.explanation).toBe('邮寄送达，以交邮日（2026-10-23）为准，在答复期限（2026-10-23）内（国办公开办函〔2016〕235号）。');
  });

  it('posted the day after the deadline is late by one day', () => {
    expect(judgeDelivery({ method: 'post', postedOn: '2026-10-24' }, DEADLINE)).toMatchObject({ inTime: false, daysLate: 1 });
  });

  it('direct delivery signed on the deadline day is in time; signed the next day (Saturday) is late', () => {
    expect(judgeDelivery({ method: 'direct', signedOn: '2026-10-23' }, DEADLINE).inTime).toBe(true);
    const late = judgeDelivery({ method: 'direct', signedOn: '2026-10-24' }, DEADLINE);
    expect(late).toMatchObject({ inTime: false, daysLate: 1, countsAs: '签收日' });
    expect(late.explanation).toBe('直接送达，以签收日（2026-10-24）为准，超过答复期限（2026-10-23）1日（国办公开办函〔2016〕235号）。');
  });

  it('through another agency, signed three calendar days after a Friday deadline: 3 days late', () => {
    expect(judgeDelivery({ method: 'via_agency', signedOn: '2026-10-26' }, DEADLINE)).toMatchObject({ inTime: false, daysLate: 3 });
  });

  it('refuses a malformed date, or a letter signed for before it was posted, instead of judging it', () => {
    expect(() => judgeDelivery({ method: 'direct', signedOn: '2026-02-30' }, DEADLINE)).toThrow(RangeError);
    expect(() => judgeDelivery({ method: 'direct', signedOn: '2026-10-23' }, '23/10/2026')).toThrow(RangeError);
    expect(() => judgeDelivery({ method: 'post', postedOn: '2026-10-23', signedOn: '2026-10-22' }, DEADLINE)).toThrow(RangeError);
  });
});
