import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AnswerLetterInputError,
  answerLetter,
  answerLetterProblems,
  outcomeName,
  type AnswerLetter,
  type AnswerLetterInput,
} from '../../src/requests/answer-letter.js';
import { answerLetterArticle, answerLetterPage } from '../../src/requests/answer-letter-html.js';
import { answerLetterPdf } from '../../src/requests/answer-letter-pdf.js';
import { computeFee } from '../../src/requests/fee-rules.js';
import { OUTCOME_FACTS, REQUEST_OUTCOMES, isAppealFirst, type RequestOutcome } from '../../src/requests/outcomes.js';
import { pdfText } from '../support/pdf-text.js';

// The answer letter (告知书) of every outcome: 条例 Art. 36 (the decision, how and where to get the information,
// reasons, the responsible agency), Art. 37 (reasons for the withheld part), the remedies of Art. 51, 行政复议法 2023
// Arts. 20, 23(四), 24 (reconsideration first for 不予公开, to 福建省人民政府, 60 days) and 行政诉讼法 Arts. 45, 46.

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

function inputFor(outcome: RequestOutcome, over: Partial<AnswerLetterInput> = {}): AnswerLetterInput {
  const group = OUTCOME_FACTS[outcome].group;
  return {
    requestNumber: 'GK20260042',
    applicant: { name: '林晓梅', type: 'natural_person' },
    receivedOn: '2026-11-02',
    sought: { title: '关于开展2026年产品质量监督抽查的通知', documentNumber: '闽市监质〔2026〕12号' },
    outcome,
    reasons: group === 'disclosed' ? null : '该信息的附件涉及第三方企业的生产工艺参数。',
    access: ['disclosed', 'partly_disclosed'].includes(group)
      ? { form: '电子邮件', place: 'linxm@example.com', time: '本答复书送达之日起' }
      : null,
    responsibleAgency: outcome === 'cannot_not_held' ? { name: '福州市市场监督管理局', contact: '0591-00000000' } : null,
    office: '福建省市场监督管理局',
    signedOn: '2026-11-27',
    ...over,
  };
}

const paragraph = (l: AnswerLetter, section: string) => l.paragraphs.find((p) => p.section === section)?.text ?? '';
const flat = (s: string) => s.replaceAll('\n', '');

describe('one answer letter for every outcome (21), each with its basis and the right remedies', () => {
  it.each(REQUEST_OUTCOMES)('%s: renders, cites its legal basis and offers the remedies of its kind', async (outcome) => {
    const letter = answerLetter(inputFor(outcome));
    const group = OUTCOME_FACTS[outcome].group;
    expect(letter.title).toBe(['not_processed', 'other'].includes(group) ? '政府信息公开申请告知书' : '政府信息公开申请答复书');
    expect(letter.salutation).toBe('林晓梅：');
    expect(letter.outcomeLine).toBe(`处理结果：${outcomeName(outcome)}`);
    expect(paragraph(letter, 'request')).toBe(
      '本机关于2026年11月2日收到您提出的政府信息公开申请（申请编号：GK20260042），申请获取“关于开展2026年产品质量监督抽查的通知”（文号：闽市监质〔2026〕12号）。',
    );
    expect(paragraph(letter, 'decision')).toContain(`依据：${OUTCOME_FACTS[outcome].basis}。`);
    if (group !== 'disclosed') expect(paragraph(letter, 'decision')).toContain('理由：该信息的附件涉及第三方企业的生产工艺参数。');

    const remedies = paragraph(letter, 'remedies');
    expect(remedies).toContain('六十日内，向福建省人民政府申请行政复议');
    expect(remedies).toContain('《中华人民共和国政府信息公开条例》第五十一条');
    expect(letter.appealFirst).toBe(isAppealFirst(outcome));
    if (isAppealFirst(outcome)) {
      // 行政复议法 Art. 23(四): reconsideration first; court only against the reconsideration decision.
      expect(remedies).toContain('应当先申请行政复议');
      expect(remedies).toContain('第二十三条第一款第（四）项');
      expect(remedies).toContain('对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内，依法向人民法院提起行政诉讼');
      expect(remedies).not.toContain('六个月');
      expect(remedies).not.toContain('第四十六条');
      expect(remedies).not.toMatch(/也可以[^。；]*人民法院/);
    } else {
      expect(remedies).toContain('也可以自收到');
      expect(remedies).toContain('六个月内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）');
      expect(remedies).not.toContain('应当先');
    }

    // The HTML page carries the same paragraphs.
    const page = answerLetterPage(letter, { area: 'public', pdfHref: '/x.pdf' });
    expect(page).toContain(`<h1>${letter.title}</h1>`);
    expect(page).toContain(OUTCOME_FACTS[outcome].basis);
    expect(page).toContain(`data-appeal-first="${isAppealFirst(outcome)}"`);
    expect(page).toContain('<p class="letter-paragraph" data-section="remedies">');

    // The PDF's text holds the applicant, the outcome and the basis.
    const pdf = await answerLetterPdf(letter);
    expect(pdf.ok).toBe(true);
    if (!pdf.ok) return;
    expect(pdf.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    const text = flat(pdfText(pdf.pdf));
    expect(text).toContain(letter.title);
    expect(text).toContain('林晓梅：');
    expect(text).toContain(letter.outcomeLine);
    expect(text).toContain(OUTCOME_FACTS[outcome].basis);
    expect(text).toContain(flat(remedies));
  });
});

describe('the letter’s paragraphs, written out', () => {
  it('不予公开（属于国家秘密）: 条例 Art. 14, reasons, reconsideration first', () => {
    const l = answerLetter(inputFor('withheld_state_secret', { reasons: '该文件已依法定密。' }));
    expect(l.letterNumber).toBe('闽市监依申〔2026〕GK20260042号');
    expect(l.outcomeLine).toBe('处理结果：不予公开（属于国家秘密）');
    expect(l.paragraphs.map((p) => p.section)).toEqual(['request', 'decision', 'remedies']);
    expect(paragraph(l, 'decision')).toBe(
      '经审查，您申请获取的政府信息属于国家秘密，本机关决定不予公开。理由：该文件已依法定密。依据：《中华人民共和国政府信息公开条例》第十四条。',
    );
    expect(paragraph(l, 'remedies')).toBe(
      '您如对本答复书中不予公开的决定不服，应当先申请行政复议：可以自收到本答复书之日起六十日内，向福建省人民政府申请行政复议（《中华人民共和国行政复议法》第二十条、第二十三条第一款第（四）项和第二款、第二十四条）；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十五条）。您也可以向上一级行政机关或者福建省人民政府办公厅（政府信息公开工作主管部门）投诉、举报（《中华人民共和国政府信息公开条例》第五十一条）。',
    );
    expect([l.office, l.date]).toEqual(['福建省市场监督管理局', '2026年11月27日']);
  });

  it('予以公开: Art. 36(一)(二) how, where and when; both remedies', () => {
    const l = answerLetter(inputFor('disclosed'));
    expect(l.paragraphs.map((p) => p.section)).toEqual(['request', 'decision', 'access', 'remedies']);
    expect(paragraph(l, 'access')).toBe(
      '您可以通过以下方式获取该政府信息：获取方式：电子邮件；获取地点：linxm@example.com；获取时间：本答复书送达之日起。',
    );
    expect(paragraph(l, 'remedies')).toBe(
      '您如对本答复书不服，可以自收到本答复书之日起六十日内，向福建省人民政府申请行政复议（《中华人民共和国行政复议法》第二十条、第二十四条）；也可以自收到本答复书之日起六个月内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。您也可以向上一级行政机关或者福建省人民政府办公厅（政府信息公开工作主管部门）投诉、举报（《中华人民共和国政府信息公开条例》第五十一条）。',
    );
  });

  it('部分公开: Art. 37, the reasons are those of the withheld part', () => {
    expect(paragraph(answerLetter(inputFor('partly_disclosed')), 'decision')).toContain(
      '不予公开部分的理由：该信息的附件涉及第三方企业的生产工艺参数。',
    );
  });

  it('无法提供（不掌握）: Art. 36(五) names the responsible agency and its contact when known, nothing otherwise', () => {
    expect(paragraph(answerLetter(inputFor('cannot_not_held')), 'responsible_agency')).toBe(
      '经确认，负责公开该政府信息的行政机关为福州市市场监督管理局（联系方式：0591-00000000），您可以向其提出申请（《中华人民共和国政府信息公开条例》第三十六条第（五）项）。',
    );
    const unknown = answerLetter(inputFor('cannot_not_held', { responsibleAgency: null }));
    expect(unknown.paragraphs.map((p) => p.section)).toEqual(['request', 'decision', 'remedies']);
    expect(paragraph(unknown, 'decision').startsWith('经检索，本机关不掌握您申请获取的政府信息。')).toBe(true);
  });

  it('不予处理（重复申请）is a 告知书 that tells, with both remedies', () => {
    const l = answerLetter(
      inputFor('not_processed_repeated', { reasons: '本机关已于2026年10月20日作出答复（闽市监依申〔2026〕GK20260007号）。' }),
    );
    expect(l.title).toBe('政府信息公开申请告知书');
    expect(paragraph(l, 'decision')).toBe(
      '本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同的政府信息，本机关不予重复处理。理由：本机关已于2026年10月20日作出答复（闽市监依申〔2026〕GK20260007号）。依据：《中华人民共和国政府信息公开条例》第三十六条第（六）项。',
    );
    expect(paragraph(l, 'remedies')).toContain('您如对本告知书不服，可以自收到本告知书之日起六十日内');
  });

  it('a fee (109号) is shown with its calculation', () => {
    const fee = computeFee({ method: 'per_page', pages: 130 });
    const l = answerLetter(inputFor('disclosed', { fee }));
    const p = l.paragraphs.find((x) => x.section === 'fee')!;
    expect(p.text).toBe('依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本申请收取信息处理费1300元，计算如下：');
    expect(p.lines).toEqual([
      '按量计收（国办函〔2020〕109号第五条）：本申请共130页。',
      '第1—30页：30页，不收费',
      '第31—100页：10元/页 × 70页 = 700元',
      '第101—200页：20元/页 × 30页 = 600元',
      '合计：1300元',
    ]);
  });

  it('an organisation is addressed as 贵单位 throughout', () => {
    const l = answerLetter(
      inputFor('withheld_third_party', { applicant: { name: '福建某某律师事务所', type: 'legal_service_institution' } }),
    );
    const all = l.paragraphs.map((p) => p.text).join('');
    expect(all).not.toContain('您');
    expect(paragraph(l, 'request')).toContain('收到贵单位提出的政府信息公开申请');
    expect(paragraph(l, 'remedies')).toContain('贵单位如对本答复书中不予公开的决定不服');
  });

  it('a letter number given by the office is kept', () => {
    expect(answerLetter(inputFor('disclosed', { letterNumber: '闽市监信公〔2026〕5号' })).letterNumber).toBe('闽市监信公〔2026〕5号');
  });
});

describe('the input is checked before a letter is made (field-level Chinese messages)', () => {
  it('reasons are required for every outcome but 予以公开 (Arts. 36(三), 37)', () => {
    for (const outcome of REQUEST_OUTCOMES) {
      const fields = answerLetterProblems(inputFor(outcome, { reasons: '  ' })).map((p) => p.field);
      expect(fields.includes('reasons'), outcome).toBe(outcome !== 'disclosed');
    }
    expect(() => answerLetter(inputFor('withheld_internal_affairs', { reasons: null }))).toThrow(AnswerLetterInputError);
  });

  it('how, where and when are required for 予以公开 and 部分公开 (Art. 36(二))', () => {
    expect(answerLetterProblems(inputFor('disclosed', { access: null }))).toEqual([
      { field: 'access', message: '予以公开或者部分公开的，须写明获取信息的方式、地点和时间' },
    ]);
    expect(
      answerLetterProblems(inputFor('partly_disclosed', { access: { form: '纸质', place: '', time: '工作日' } })).map((p) => p.field),
    ).toEqual(['access']);
  });

  it('a responsible agency only on 不掌握; an applicant name, the information sought and real dates always', () => {
    expect(
      answerLetterProblems(
        inputFor('cannot_needs_creation', {
          responsibleAgency: { name: '某局' },
          applicant: { name: ' ', type: 'natural_person' },
          sought: { title: '', documentNumber: null },
          receivedOn: '2026-02-30',
          signedOn: '27/11/2026',
        }),
      ).map((p) => p.field),
    ).toEqual(['applicant.name', 'receivedOn', 'signedOn', 'sought', 'responsibleAgency']);
  });
});

describe('the HTML letter escapes everything', () => {
  it('an applicant name and reasons with markup are shown as text', () => {
    const l = answerLetter(
      inputFor('withheld_law_forbids', {
        applicant: { name: '<script>alert(1)</script>', type: 'natural_person' },
        reasons: '见"第3条" & <b>附件</b>',
      }),
    );
    const out = answerLetterArticle(l).value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;：');
    expect(out).toContain('见&quot;第3条&quot; &amp; &lt;b&gt;附件&lt;/b&gt;。');
  });
});

describe('the PDF', () => {
  it('without the Chinese font the renderer says so, never a broken file', async () => {
    expect(await answerLetterPdf(answerLetter(inputFor('disclosed')), '/nonexistent/wqy-microhei.ttc')).toEqual({
      ok: false,
      reason: 'font_missing',
    });
  });

  it('a long letter breaks onto a second page and keeps all its text', async () => {
    const reasons = '该信息涉及多家第三方企业的商业秘密。'.repeat(60);
    const l = answerLetter(inputFor('partly_disclosed', { reasons, fee: computeFee({ method: 'per_page', pages: 260 }) }));
    const pdf = await answerLetterPdf(l);
    if (!pdf.ok) throw new Error('font missing');
    expect(pdf.pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(2);
    const text = flat(pdfText(pdf.pdf));
    expect(text).toContain(flat(reasons));
    expect(text).toContain('合计：5100元');
    expect(text.endsWith('福建省市场监督管理局2026年11月27日')).toBe(true);
  });

  it('writes sample letters to test/screenshots/ for a human to look at', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const samples: [string, AnswerLetterInput][] = [
      ['answer-letter-disclosed', inputFor('disclosed', { fee: computeFee({ method: 'per_page', pages: 130 }) })],
      ['answer-letter-partly-disclosed', inputFor('partly_disclosed')],
      [
        'answer-letter-withheld-third-party',
        inputFor('withheld_third_party', { applicant: { name: '福建某某律师事务所', type: 'legal_service_institution' } }),
      ],
      ['answer-letter-cannot-not-held', inputFor('cannot_not_held')],
      ['answer-letter-not-processed-repeated', inputFor('not_processed_repeated')],
    ];
    for (const [name, input] of samples) {
      const letter = answerLetter(input);
      const pdf = await answerLetterPdf(letter);
      if (!pdf.ok) throw new Error('font missing');
      writeFileSync(`${SHOTS}${name}.pdf`, pdf.pdf);
      writeFileSync(`${SHOTS}${name}.html`, answerLetterPage(letter, { area: 'staff' }));
      expect(flat(pdfText(pdf.pdf))).toContain(letter.salutation);
    }
  });
});
