// A repeated request (条例 Art. 36(六)): "行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开
// 相同政府信息的，告知申请人不予重复处理". Recognised here so that staff are offered not_processed_repeated;
// staff decide (the system never concludes a request by itself). Pure rules, no I/O.
import { OUTCOME_FACTS, type RequestOutcome } from './outcomes.js';

export interface IdentityDocument {
  /** The kind of document (身份证, 统一社会信用代码, …) as the request records it. */
  type: string;
  number: string;
}

export interface SoughtInformation {
  title?: string | null;
  /** 文号, e.g. 闽市监规〔2021〕3号. */
  documentNumber?: string | null;
  description?: string | null;
}

/** What the rule needs of a request; the service passes its own rows, which may carry more. */
export interface RepeatCandidate {
  identity: IdentityDocument;
  sought: SoughtInformation;
  outcome: RequestOutcome | null;
  /** When the answer was given (delivered or concluded); null while open. */
  answeredAt: Date | null;
}

export interface RepeatMatch<T> {
  earlier: T;
  by: 'document_number' | 'title';
}

/** Full-width to half-width and compatibility forms (NFKC), Latin letters upper-cased, whitespace removed. */
const fold = (s: string) => s.normalize('NFKC').toUpperCase().replace(/\s+/gu, '');

/** An identity number compared as typed on a card: 11010519491231002x = 1101 0519 4912 3100 2X. */
export const normaliseIdentity = (d: IdentityDocument) => `${fold(d.type)}|${fold(d.number).replace(/[-‐－]/gu, '')}`;

/**
 * A 文号 with its brackets unified: 〔2021〕, [2021], 【2021】, (2021), （2021）, ［2021］ and ﹝2021﹞ are the same;
 * anything else (the issuer, the year, the number) must match.
 */
export const normaliseDocumentNumber = (s: string) => fold(s).replace(/[〔〕[\]【】()﹝﹞〖〗{}]/gu, '#');

/** A title with 《》, every punctuation mark and every symbol ignored (NFKC first: ，and , are one). */
export const normaliseTitle = (s: string) => fold(s).replace(/[\p{P}\p{S}]/gu, '');

/** Outcomes that are an answer on the request: the 其他处理 group ends a request the applicant left (Art. 30, 109号). */
const isAnswer = (o: RequestOutcome) => OUTCOME_FACTS[o].group !== 'other';

function sameInformation(a: SoughtInformation, b: SoughtInformation): RepeatMatch<never>['by'] | undefined {
  const na = a.documentNumber ? normaliseDocumentNumber(a.documentNumber) : '';
  const nb = b.documentNumber ? normaliseDocumentNumber(b.documentNumber) : '';
  if (na && nb) return na === nb ? 'document_number' : undefined; // two different 文号 are two documents, whatever the titles
  const ta = a.title ? normaliseTitle(a.title) : '';
  const tb = b.title ? normaliseTitle(b.title) : '';
  return ta && ta === tb ? 'title' : undefined;
}

/**
 * The earlier answered request the new one repeats: same applicant (identity document) and the same 文号, or,
 * where either lacks a 文号, the same normalised title. Answered before the new request was received; the
 * latest such answer when there are several. A description alone is never matched: staff judge those.
 */
export function findRepeatedRequest<T extends RepeatCandidate>(
  request: { identity: IdentityDocument; sought: SoughtInformation; receivedAt: Date },
  earlier: readonly T[],
): RepeatMatch<T> | undefined {
  const who = normaliseIdentity(request.identity);
  let best: RepeatMatch<T> | undefined;
  for (const e of earlier) {
    if (!e.outcome || !isAnswer(e.outcome) || !e.answeredAt || e.answeredAt > request.receivedAt) continue;
    if (normaliseIdentity(e.identity) !== who) continue;
    const by = sameInformation(request.sought, e.sought);
    if (by && (!best || e.answeredAt > best.earlier.answeredAt!)) best = { earlier: e, by };
  }
  return best;
}
