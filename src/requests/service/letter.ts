import { eq } from 'drizzle-orm';
import { DEPARTMENT_STAFF } from '../../auth/roles.js';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Env } from '../../config/env.js';
import { AppError, conflict, notFound } from '../../server/errors.js';
import { answerLetter, AnswerLetterInputError, type AnswerLetter, type AnswerLetterInput } from '../answer-letter.js';
import { REQUEST_READERS } from '../rules.js';
import { disclosureRequests } from '../tables.js';
import { eventsOf, type EventRow, type RequestRow } from './clock.js';
import type { RequestDeps } from './deps.js';
import { findByCode } from './lookup-guard.js';
import { letterReady } from './record-views.js';

// The answer letter (答复书 / 告知书) of a request built from what the record stores: the applicant and the
// request as received, the outcome with the reasons, access and responsible agency the conclusion recorded,
// the fee of the latest fee notice, the signing day. The pure builder (answer-letter.ts) checks and words it.

export type LetterDeps = RequestDeps & { env: Pick<Env, 'SITE_NAME'> };

/** The signing day: the 签发 of the office head, or for a request the workflow concluded, the conclusion day. */
const signedOnOf = (row: RequestRow) => (row.signedAt ? dayToIso(chinaDayOf(row.signedAt)) : row.concludedOn!);

/** The builder's input from the stored request and its events. */
export function letterInputOf(office: string, row: RequestRow, events: EventRow[]): AnswerLetterInput {
  const fee = [...events].reverse().find((e) => e.kind === 'fee_notified' && e.fee)?.fee;
  return {
    requestNumber: row.number,
    applicant: { name: row.applicantName, type: row.applicantType },
    receivedOn: row.receivedOn!,
    sought: { title: row.infoTitle, documentNumber: row.infoDocNumber, description: row.infoDescription },
    outcome: row.outcome!,
    reasons: row.reasons,
    access: row.access ?? null,
    responsibleAgency: row.outcome === 'cannot_not_held' ? (row.responsibleAgency ?? null) : null,
    fee: fee?.calculation ?? null,
    office,
    signedOn: signedOnOf(row),
  };
}

function build(deps: LetterDeps, row: RequestRow, events: EventRow[]): AnswerLetter {
  try {
    return answerLetter(letterInputOf(deps.env.SITE_NAME, row, events));
  } catch (err) {
    // A conclusion recorded before the letter's facts were required: the office completes it, nothing is guessed.
    if (err instanceof AnswerLetterInputError)
      throw new AppError(
        409,
        'letter_incomplete',
        '答复书缺少必要内容，请补充后再生成',
        Object.fromEntries(err.problems.map((p) => [p.field, p.message])),
      );
    throw err;
  }
}

/**
 * The letter for staff (preview and print): the request's readers, and department staff only for a request
 * routed to them (as getRequest). Once concluded; before the 签发 the date is the conclusion's.
 */
export async function answerLetterOf(deps: LetterDeps, viewer: Viewer, id: number): Promise<AnswerLetter> {
  demand(viewer, viewerHolds(viewer, [...REQUEST_READERS, ...DEPARTMENT_STAFF]));
  const [row] = await deps.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, id));
  const holding = !viewerHolds(viewer, REQUEST_READERS);
  if (!row || (holding && row.holdingDepartmentId !== viewer.staff!.departmentId)) throw notFound('未找到该申请');
  if (row.status !== 'concluded' || !row.outcome) throw conflict('该申请尚未办结，尚无答复书');
  return build(deps, row, await eventsOf(deps.db, id));
}

/**
 * The applicant's copy, with the number and access code behind the lookup's limit (lookup-guard.ts): a wrong
 * code and an unknown number answer the same 404. Only once the answer is signed.
 */
export async function applicantLetter(deps: LetterDeps, number: string, accessCode: string) {
  const row = await findByCode(deps, number, accessCode);
  const events = await eventsOf(deps.db, row.id);
  if (!letterReady(row, events)) throw conflict('答复书尚未签发，请稍后查询');
  return { number: row.number, letter: build(deps, row, events) };
}
