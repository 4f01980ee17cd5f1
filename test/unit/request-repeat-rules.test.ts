import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from '../../src/requests/outcomes.js';
import {
  findRepeatedRequest,
  normaliseDocumentNumber,
  normaliseTitle,
  type RepeatCandidate,
  type SoughtInformation,
} from '../../src/requests/repeat-rules.js';

// 条例 Art. 36(六): the office has answered, and the same applicant asks again for the same information → staff are
// offered 不予处理（重复申请）. Same applicant = the same identity document; same information = the same 文号, or
// (where either lacks one) the same title once full-width/half-width, spaces, 《》 and punctuation are ignored.

const ID = { type: '居民身份证', number: '35010219800101123X' };
const OTHER_ID = { type: '居民身份证', number: '350102198001011248' };
const ANSWERED = new Date('2026-10-20T10:00:00+08:00');
const NOW = new Date('2026-11-16T09:00:00+08:00');

interface Row extends RepeatCandidate {
  id: number;
}
let nextId = 1;
const row = (sought: SoughtInformation, over: Partial<Row> = {}): Row => ({
  id: nextId++,
  identity: ID,
  sought,
  outcome: 'disclosed' as RequestOutcome,
  answeredAt: ANSWERED,
  ...over,
});
const ask = (sought: SoughtInformation, identity = ID) => ({ identity, sought, receivedAt: NOW });

describe('Art. 36(六): a repeated request after an answer is recognised', () => {
  it('the same 文号 with other brackets, full-width digits and spaces', () => {
    const earlier = row({ title: '关于开展产品质量监督抽查的通知', documentNumber: '闽市监质〔2026〕12号' });
    const m = findRepeatedRequest(ask({ documentNumber: '闽市监质 [２０２６] 12 号' }), [earlier]);
    expect(m).toEqual({ earlier, by: 'document_number' });
    expect(normaliseDocumentNumber('闽市监质（2026）12号')).toBe(normaliseDocumentNumber('闽市监质〔2026〕12号'));
  });

  it('the same title with 《》, punctuation, spaces and full-width Latin ignored', () => {
    const earlier = row({ title: '《福建省市场监督管理局2025年政府信息公开工作年度报告》' });
    const m = findRepeatedRequest(ask({ title: '福建省市场监督管理局 ２０２５ 年政府信息公开工作年度报告。' }), [earlier]);
    expect(m).toEqual({ earlier, by: 'title' });
    expect(normaliseTitle('关于“ＡＢＣ”项目的批复')).toBe(normaliseTitle('关于ABC项目的批复'));
  });

  it('the identity number as typed on the card: spaces and a lower-case x are the same number', () => {
    const earlier = row({ title: '某某通知' });
    expect(
      findRepeatedRequest(ask({ title: '某某通知' }, { type: '居民身份证', number: '3501 0219 8001 0112 3x' }), [earlier])?.earlier,
    ).toBe(earlier);
  });

  it('of several earlier answers, the latest is returned', () => {
    const first = row({ title: '某某通知' }, { answeredAt: new Date('2026-09-01T10:00:00+08:00') });
    const second = row({ title: '某某通知' }, { answeredAt: new Date('2026-10-30T10:00:00+08:00') });
    expect(findRepeatedRequest(ask({ title: '某某通知' }), [second, first])?.earlier).toBe(second);
    expect(findRepeatedRequest(ask({ title: '某某通知' }), [first, second])?.earlier).toBe(second);
  });
});

describe('Art. 36(六) near misses are not repeats', () => {
  const earlier = row({ title: '关于开展产品质量监督抽查的通知', documentNumber: '闽市监质〔2026〕12号' });

  it('another applicant asking for the same document', () => {
    expect(findRepeatedRequest(ask({ documentNumber: '闽市监质〔2026〕12号' }, OTHER_ID), [earlier])).toBeUndefined();
  });

  it('the same identity number under another kind of document', () => {
    expect(
      findRepeatedRequest(ask({ documentNumber: '闽市监质〔2026〕12号' }, { type: '护照', number: ID.number }), [earlier]),
    ).toBeUndefined();
  });

  it('a 文号 one digit or one year apart, even with the same title', () => {
    for (const documentNumber of ['闽市监质〔2026〕13号', '闽市监质〔2025〕12号', '闽市监规〔2026〕12号']) {
      expect(
        findRepeatedRequest(ask({ title: '关于开展产品质量监督抽查的通知', documentNumber }), [earlier]),
        documentNumber,
      ).toBeUndefined();
    }
  });

  it('a title one character apart, or a longer title containing the earlier one', () => {
    expect(findRepeatedRequest(ask({ title: '关于开展产品质量监督检查的通知' }), [earlier])).toBeUndefined();
    expect(findRepeatedRequest(ask({ title: '关于开展产品质量监督抽查的通知的附件' }), [earlier])).toBeUndefined();
  });

  it('a description alone, even word for word (staff judge those)', () => {
    const described = row({ description: '2026年第三季度的抽查结果' });
    expect(findRepeatedRequest(ask({ description: '2026年第三季度的抽查结果' }), [described])).toBeUndefined();
  });

  it('a title that is only punctuation does not match another such title', () => {
    const odd = row({ title: '《》' });
    expect(findRepeatedRequest(ask({ title: '“”' }), [odd])).toBeUndefined();
  });

  it('an earlier request not yet answered, withdrawn, abandoned after 补正 or fee, or answered after this one arrived', () => {
    const sought = { documentNumber: '闽市监质〔2026〕12号' };
    const rows = [
      row(sought, { outcome: null, answeredAt: null }),
      row(sought, { outcome: 'other_no_correction' }),
      row(sought, { outcome: 'other_fee_unpaid' }),
      row(sought, { outcome: 'disclosed', answeredAt: new Date('2026-11-16T10:00:00+08:00') }),
    ];
    expect(findRepeatedRequest(ask(sought), rows)).toBeUndefined();
  });

  it('a refusal is an answer too: a repeat after 不予公开 is recognised', () => {
    const refused = row({ documentNumber: '闽市监质〔2026〕12号' }, { outcome: 'withheld_process_information' });
    expect(findRepeatedRequest(ask({ documentNumber: '闽市监质〔2026〕12号' }), [refused])?.earlier).toBe(refused);
  });
});
