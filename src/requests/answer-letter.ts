// The answer letter (答复书 / 告知书) of a disclosure request: one content model from the record, which the
// HTML page (answer-letter-html.ts) and the PDF (answer-letter-pdf.ts) both draw, so they cannot disagree.
// What it must say: 条例 Art. 36 (the decision and, where provided, how, where and when to get it; reasons for
// a refusal; the responsible agency where known), Art. 37 (reasons for the withheld part), and the remedies
// (Art. 51; 行政复议法 2023 Arts. 20, 23(四), 24; 行政诉讼法 Arts. 45, 46). Pure: no I/O, no clock.
import { parseIsoDate } from '../calendar/china-time.js';
import { feeText, type FeeCalculation } from './fee-rules.js';
import {
  OUTCOME_FACTS,
  OUTCOME_GROUP_LABELS,
  isAppealFirst,
  type ApplicantType,
  type OutcomeGroup,
  type RequestOutcome,
} from './outcomes.js';
import type { SoughtInformation } from './repeat-rules.js';

export interface AnswerLetterInput {
  requestNumber: string;
  applicant: { name: string; type: ApplicantType };
  /** The receipt date by the channel's rule (条例 Art. 31), a China date YYYY-MM-DD. */
  receivedOn: string;
  sought: SoughtInformation;
  outcome: RequestOutcome;
  /** Why; required where the letter refuses or cannot provide (see `REASONS_REQUIRED`). */
  reasons?: string | null;
  /** How and where to get the information (Art. 36(一)(二)); required for 予以公开 and 部分公开. */
  access?: { form: string; place: string; time: string } | null;
  /** The agency responsible for the information, if known (Art. 36(五)); only for cannot_not_held. */
  responsibleAgency?: { name: string; contact?: string | null } | null;
  fee?: FeeCalculation | null;
  /** The office in whose name the letter goes out, and the day it signs (China date). */
  office: string;
  signedOn: string;
  /** The letter's own number; by default `letterNumberOf(requestNumber, signedOn)`. */
  letterNumber?: string | null;
}

export type LetterSection = 'request' | 'decision' | 'access' | 'responsible_agency' | 'fee' | 'remedies';

export interface LetterParagraph {
  section: LetterSection;
  text: string;
  /** Lines printed under the text (the fee calculation). */
  lines?: string[];
}

export interface AnswerLetter {
  title: string;
  letterNumber: string;
  salutation: string;
  /** 处理结果：不予公开（属于国家秘密） — the outcome as the annual report names it. */
  outcomeLine: string;
  paragraphs: LetterParagraph[];
  appealFirst: boolean;
  office: string;
  /** 2026年12月3日 */
  date: string;
}

/** 答复书 for a decision on the information; 告知书 where the request is not processed as one. */
const TITLE_OF_GROUP: Record<OutcomeGroup, string> = {
  disclosed: '政府信息公开申请答复书',
  partly_disclosed: '政府信息公开申请答复书',
  withheld: '政府信息公开申请答复书',
  cannot_provide: '政府信息公开申请答复书',
  not_processed: '政府信息公开申请告知书',
  other: '政府信息公开申请告知书',
};
export const letterTitle = (o: RequestOutcome) => TITLE_OF_GROUP[OUTCOME_FACTS[o].group];

/** The groups (and the open leaf 其他) whose letter must give reasons (Arts. 36(三), 37). */
const REASONS_REQUIRED: readonly (OutcomeGroup | RequestOutcome)[] = [
  'partly_disclosed',
  'withheld',
  'cannot_provide',
  'not_processed',
  'other',
];
export const reasonsRequired = (o: RequestOutcome) => REASONS_REQUIRED.includes(OUTCOME_FACTS[o].group) || REASONS_REQUIRED.includes(o);
export const accessRequired = (o: RequestOutcome) => ['disclosed', 'partly_disclosed'].includes(OUTCOME_FACTS[o].group);

/** 行政复议法 2023 Art. 24(一): a department of the provincial government → that government. */
export const RECONSIDERATION_BODY = '福建省人民政府';
/** 条例 Art. 3: the provincial general office is the disclosure authority (主管部门) for Art. 51 complaints. */
export const DISCLOSURE_AUTHORITY = '福建省人民政府办公厅';
/** The prefix of the letter's number; the office may replace it with its registered 文号 prefix. */
export const LETTER_NUMBER_PREFIX = '闽市监依申';

export const letterNumberOf = (requestNumber: string, signedOn: string) =>
  `${LETTER_NUMBER_PREFIX}〔${signedOn.slice(0, 4)}〕${requestNumber}号`;

/** 2026-12-03 → 2026年12月3日 */
export const chineseDate = (iso: string) => `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

/**
 * What the letter states for each outcome, after 经审查 / 经检索: the finding. Reasons and the legal basis
 * follow it; the texts follow Arts. 14–16, 30, 35–39 and 109号.
 */
const FINDING: Record<RequestOutcome, string> = {
  disclosed: '您申请获取的政府信息属于可以公开的政府信息，本机关决定予以公开。',
  partly_disclosed:
    '您申请获取的政府信息中，部分内容可以公开，部分内容不予公开，且能够区分处理。本机关决定对可以公开的部分予以公开，对其余部分不予公开。',
  withheld_state_secret: '您申请获取的政府信息属于国家秘密，本机关决定不予公开。',
  withheld_law_forbids: '您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。',
  withheld_security_stability: '您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。',
  withheld_third_party: '您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开。',
  withheld_internal_affairs: '您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，本机关决定不予公开。',
  withheld_process_information: '您申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开。',
  withheld_enforcement_file: '您申请获取的政府信息属于行政执法案卷信息，本机关决定不予公开。',
  withheld_query_matter:
    '您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的行政查询事项，本机关不作为政府信息予以公开，请您按照相关法律、行政法规的规定办理。',
  cannot_not_held: '本机关不掌握您申请获取的政府信息。',
  cannot_needs_creation: '本机关没有您申请获取的现成信息，该信息需要本机关对现有政府信息进行加工、分析方能形成，本机关不予提供。',
  cannot_unclear_after_correction: '本机关已告知您对申请作出补正，经补正后申请内容仍不明确，本机关无法确定您申请获取的政府信息，无法提供。',
  not_processed_petition: '您提出的申请实为信访、投诉、举报事项，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。',
  not_processed_repeated: '本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同的政府信息，本机关不予重复处理。',
  not_processed_publication: '您申请获取的是公开出版物，本机关不作为政府信息公开申请处理，您可以通过公开出版物的发行渠道获取。',
  not_processed_excessive: '您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，您说明的理由不合理，本机关不予处理。',
  not_processed_confirmation:
    '您的申请是要求本机关确认或者重新出具已经获取的信息，不属于政府信息公开申请，本机关不作为政府信息公开申请处理。',
  other_no_correction: '本机关已告知您对申请作出补正，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。',
  other_fee_unpaid: '本机关已向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费，本机关不再处理该政府信息公开申请。',
  other: '本机关对您的申请作如下处理。',
};

/** Leading 经审查 / 经检索: a search for 不掌握, a review otherwise; none where the letter only tells. */
const lead = (o: RequestOutcome) =>
  o === 'cannot_not_held' ? '经检索，' : ['not_processed', 'other'].includes(OUTCOME_FACTS[o].group) ? '' : '经审查，';

/** The outcome as the report prints it, without its numbering: 不予公开（属于国家秘密）. */
export function outcomeName(o: RequestOutcome): string {
  const f = OUTCOME_FACTS[o];
  const group = OUTCOME_GROUP_LABELS[f.group].replace(/^（.）/, '').replace(/（.*）$/, '');
  const leaf = f.label.replace(/^\d+\./, '');
  return leaf === group ? group : `${group}（${leaf}）`;
}

export interface LetterProblem {
  field: string;
  message: string;
}

/** What is missing or wrong in the input, with Chinese messages for the form that collects it. */
export function answerLetterProblems(input: AnswerLetterInput): LetterProblem[] {
  const problems: LetterProblem[] = [];
  const blank = (s: string | null | undefined) => !s || !s.trim();
  if (blank(input.applicant.name)) problems.push({ field: 'applicant.name', message: '请填写申请人姓名或者名称' });
  if (parseIsoDate(input.receivedOn) === undefined) problems.push({ field: 'receivedOn', message: '收到申请日期无效' });
  if (parseIsoDate(input.signedOn) === undefined) problems.push({ field: 'signedOn', message: '答复日期无效' });
  if (blank(input.sought.title) && blank(input.sought.documentNumber) && blank(input.sought.description))
    problems.push({ field: 'sought', message: '请填写申请获取的政府信息（名称、文号或者描述）' });
  if (reasonsRequired(input.outcome) && blank(input.reasons)) problems.push({ field: 'reasons', message: '该处理结果须说明理由' });
  if (accessRequired(input.outcome) && (!input.access || blank(input.access.form) || blank(input.access.place) || blank(input.access.time)))
    problems.push({ field: 'access', message: '予以公开或者部分公开的，须写明获取信息的方式、地点和时间' });
  if (input.responsibleAgency && input.outcome !== 'cannot_not_held')
    problems.push({ field: 'responsibleAgency', message: '只有“本机关不掌握相关政府信息”的答复才写明负责公开的机关' });
  if (blank(input.office)) problems.push({ field: 'office', message: '请填写答复机关' });
  return problems;
}

export class AnswerLetterInputError extends Error {
  constructor(readonly problems: LetterProblem[]) {
    super(`answer letter input: ${problems.map((p) => p.field).join(', ')}`);
  }
}

function soughtText(s: SoughtInformation): string {
  const parts: string[] = [];
  if (s.title?.trim()) parts.push(`“${s.title.trim()}”`);
  if (s.documentNumber?.trim()) parts.push(`（文号：${s.documentNumber.trim()}）`);
  const what = parts.join('');
  const description = s.description?.trim();
  if (what && description) return `${what}，内容描述为：${description}`;
  return what || `以下内容的政府信息：${description}`;
}

/** The remedies paragraph: reconsideration first for the appeal-first outcomes, a free choice for the others. */
export function remediesText(o: RequestOutcome, title: string): string {
  const doc = title.endsWith('告知书') ? '本告知书' : '本答复书';
  const complaint = `您也可以向上一级行政机关或者${DISCLOSURE_AUTHORITY}（政府信息公开工作主管部门）投诉、举报（《中华人民共和国政府信息公开条例》第五十一条）。`;
  if (isAppealFirst(o))
    return (
      `您如对${doc}中不予公开的决定不服，应当先申请行政复议：可以自收到${doc}之日起六十日内，向${RECONSIDERATION_BODY}申请行政复议` +
      `（《中华人民共和国行政复议法》第二十条、第二十三条第一款第（四）项和第二款、第二十四条）；对行政复议决定不服的，` +
      `可以自收到行政复议决定书之日起十五日内，依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十五条）。` +
      complaint
    );
  return (
    `您如对${doc}不服，可以自收到${doc}之日起六十日内，向${RECONSIDERATION_BODY}申请行政复议` +
    `（《中华人民共和国行政复议法》第二十条、第二十四条）；也可以自收到${doc}之日起六个月内，` +
    `依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。` +
    complaint
  );
}

/** The letter of one request. Throws AnswerLetterInputError when `answerLetterProblems` finds any. */
export function answerLetter(input: AnswerLetterInput): AnswerLetter {
  const problems = answerLetterProblems(input);
  if (problems.length > 0) throw new AnswerLetterInputError(problems);
  const o = input.outcome;
  const title = letterTitle(o);
  const you = input.applicant.type === 'natural_person' ? '您' : '贵单位';
  const personal = (s: string) => (you === '您' ? s : s.replaceAll('您', '贵单位'));
  const paragraphs: LetterParagraph[] = [
    {
      section: 'request',
      text: personal(
        `本机关于${chineseDate(input.receivedOn)}收到您提出的政府信息公开申请（申请编号：${input.requestNumber}），申请获取${soughtText(input.sought)}。`,
      ),
    },
  ];
  const reasons = input.reasons?.trim();
  const reasonsLabel = o === 'partly_disclosed' ? '不予公开部分的理由：' : '理由：';
  paragraphs.push({
    section: 'decision',
    text: personal(
      `${lead(o)}${FINDING[o]}${reasons ? `${reasonsLabel}${reasons.replace(/[。.]?$/, '。')}` : ''}依据：${OUTCOME_FACTS[o].basis}。`,
    ),
  });
  if (input.access && accessRequired(o)) {
    const a = input.access;
    paragraphs.push({
      section: 'access',
      text: personal(`您可以通过以下方式获取该政府信息：获取方式：${a.form}；获取地点：${a.place}；获取时间：${a.time}。`),
    });
  }
  if (input.responsibleAgency && o === 'cannot_not_held') {
    const r = input.responsibleAgency;
    paragraphs.push({
      section: 'responsible_agency',
      text: personal(
        `经确认，负责公开该政府信息的行政机关为${r.name}${r.contact?.trim() ? `（联系方式：${r.contact.trim()}）` : ''}，您可以向其提出申请（《中华人民共和国政府信息公开条例》第三十六条第（五）项）。`,
      ),
    });
  }
  if (input.fee) {
    const f = input.fee;
    paragraphs.push({
      section: 'fee',
      text: personal(
        f.amountYuan > 0
          ? `依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本申请收取信息处理费${f.amountYuan}元，计算如下：`
          : `依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本申请不收取信息处理费，计算如下：`,
      ),
      lines: feeText(f),
    });
  }
  paragraphs.push({ section: 'remedies', text: personal(remediesText(o, title)) });
  return {
    title,
    letterNumber: input.letterNumber?.trim() || letterNumberOf(input.requestNumber, input.signedOn),
    salutation: `${input.applicant.name.trim()}：`,
    outcomeLine: `处理结果：${outcomeName(o)}`,
    paragraphs,
    appealFirst: isAppealFirst(o),
    office: input.office.trim(),
    date: chineseDate(input.signedOn),
  };
}
