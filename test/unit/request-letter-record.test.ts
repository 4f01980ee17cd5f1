import { describe, expect, it } from 'vitest';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import type { YearSchedule } from '../../src/calendar/data/types.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';
import { answerLetter } from '../../src/requests/answer-letter.js';
import { computeFee } from '../../src/requests/fee-rules.js';
import type { EventRow, RequestRow } from '../../src/requests/service/clock.js';
import { letterInputOf } from '../../src/requests/service/letter.js';
import { deliveryViewOf, feeViewOf, letterReady } from '../../src/requests/service/record-views.js';
import { NOTICE_2027 } from '../support/time-skipping.js';

// What the views and the letter take from a stored request (issue 17 points 6, 10, 11): the fee of the
// latest notice (109号), the delivery judged on its day (235号), when the letter is out, and the builder's
// input from the row. Pure over rows; dates written out (春节 2027: 2/4–2/10 off, Saturday 2/20 worked).

const cal = new WorkingDayCalendar([...bundledSchedules, { year: 2027, amendments: [], ...NOTICE_2027 } satisfies YearSchedule]);

const row = (over: Partial<RequestRow> = {}): RequestRow =>
  ({
    id: 1,
    number: '270125-K7Q3M',
    status: 'concluded',
    applicantType: 'commercial_enterprise',
    applicantName: '福州某食品有限公司',
    idDocumentType: 'unified_credit_code',
    idDocumentNumber: '91350100MA00000000',
    receivedOn: '2027-01-25',
    infoTitle: '2026年度食品抽检不合格企业名单',
    infoDocNumber: '',
    infoDescription: '',
    outcome: 'cannot_not_held',
    concludedOn: '2027-02-26',
    signedAt: new Date('2027-02-25T07:00:00Z'),
    reasons: '该名单由国家市场监督管理总局汇总发布',
    access: null,
    responsibleAgency: { name: '国家市场监督管理总局', contact: '010-00000000' },
    deliveryMethod: null,
    deliveryPostedOn: null,
    deliverySignedOn: null,
    deliveryCountsOn: null,
    deliveryDeadline: null,
    deliveryInTime: null,
    ...over,
  }) as RequestRow;

let nextId = 1;
const ev = (kind: EventRow['kind'], on: string, over: Partial<EventRow> = {}): EventRow =>
  ({ id: nextId++, requestId: 1, kind, on, days: null, fee: null, actorId: 3, actorUsername: 'office', detail: '', ...over }) as EventRow;

describe('the fee of the latest notice (109号)', () => {
  const calculation = computeFee({ method: 'per_page', pages: 120 });
  const notice = ev('fee_notified', '2027-01-28', { days: 5, fee: { method: 'per_page', quantity: 120, calculation } });

  it('120 pages: 30 free, 70 at 10 元, 20 at 20 元 = 1100 元, payable to 2027-02-11 across 春节', () => {
    expect(feeViewOf(cal, [notice])).toEqual({
      method: 'per_page',
      quantity: 120,
      amountYuan: 1100,
      notifiedOn: '2027-01-28',
      dueOn: '2027-02-11',
      paid: false,
      lines: [
        '按量计收（国办函〔2020〕109号第五条）：本申请共120页。',
        '第1—30页：30页，不收费',
        '第31—100页：10元/页 × 70页 = 700元',
        '第101—200页：20元/页 × 20页 = 400元',
        '合计：1100元',
      ],
    });
  });

  it('paid after the notice: no payable-to day; no notice: no fee', () => {
    expect(feeViewOf(cal, [notice, ev('fee_paid', '2027-02-02')])).toMatchObject({ paid: true, dueOn: null });
    expect(feeViewOf(cal, [ev('supplement_received', '2027-01-27')])).toBeNull();
  });
});

describe('the delivery judged on the day that counts (235号)', () => {
  it('posted on the deadline day, signed for four days later: in time on the 交邮日', () => {
    const d = deliveryViewOf(
      row({ deliveryMethod: 'post', deliveryPostedOn: '2027-02-26', deliverySignedOn: '2027-03-02', deliveryDeadline: '2027-02-26' }),
    );
    expect(d).toMatchObject({ countsOn: '2027-02-26', countsAs: '交邮日', inTime: true, daysLate: 0 });
  });

  it('handed over through another agency on 2027-03-01, after the deadline 2027-02-26: three days late', () => {
    const d = deliveryViewOf(row({ deliveryMethod: 'via_agency', deliverySignedOn: '2027-03-01', deliveryDeadline: '2027-02-26' }));
    expect(d).toMatchObject({ methodLabel: '委托其他机关代为送达', countsAs: '签收日', inTime: false, daysLate: 3 });
    expect(deliveryViewOf(row())).toBeNull();
  });
});

describe('when the letter is out, and what the builder gets from the row', () => {
  it('concluded and signed, or concluded by the workflow; not while in progress or concluded unsigned by staff', () => {
    const concluded = ev('concluded', '2027-02-26', { outcome: 'cannot_not_held' });
    expect(letterReady(row(), [concluded])).toBe(true);
    expect(letterReady(row({ signedAt: null }), [concluded])).toBe(false);
    expect(letterReady(row({ status: 'in_progress', outcome: null }), [])).toBe(false);
    const bySystem = ev('concluded', '2027-02-12', { outcome: 'other_fee_unpaid', actorId: null, actorUsername: 'system:request-clock' });
    expect(letterReady(row({ signedAt: null, outcome: 'other_fee_unpaid' }), [bySystem])).toBe(true);
  });

  it('不掌握 (Art. 36(五)): the responsible agency and its contact, an organisation addressed as 贵单位, signed 2027-02-25', () => {
    const letter = answerLetter(letterInputOf('福建省市场监督管理局', row(), []));
    expect(letter).toMatchObject({ salutation: '福州某食品有限公司：', date: '2027年2月25日', appealFirst: false });
    expect(letter.paragraphs.find((p) => p.section === 'responsible_agency')!.text).toBe(
      '经确认，负责公开该政府信息的行政机关为国家市场监督管理总局（联系方式：010-00000000），贵单位可以向其提出申请（《中华人民共和国政府信息公开条例》第三十六条第（五）项）。',
    );
    expect(letter.paragraphs[0]!.text).toContain('本机关于2027年1月25日收到贵单位提出的政府信息公开申请');
  });

  it('a stored agency is not passed on for another outcome; the workflow’s conclusion is dated its own day', () => {
    const input = letterInputOf(
      '福建省市场监督管理局',
      row({ outcome: 'other_fee_unpaid', signedAt: null, concludedOn: '2027-02-12' }),
      [],
    );
    expect(input).toMatchObject({ responsibleAgency: null, signedOn: '2027-02-12', outcome: 'other_fee_unpaid' });
  });
});
