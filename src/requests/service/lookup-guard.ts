import { eq } from 'drizzle-orm';
import { AppError, notFound } from '../../server/errors.js';
import { countInWindow, giveBack } from '../../server/window-counter.js';
import { accessCodeMatches } from '../../mailbox/codes.js';
import { disclosureRequests } from '../tables.js';
import type { RequestDeps } from './deps.js';

// The applicant's proof (number + access code) behind a per-number limit on wrong codes, kept in
// PostgreSQL (src/server/window-counter.ts) so it holds across API processes: the API lookup, the
// withdrawal and the letter's public pages all count against the same number.

/** Wrong access codes one request number takes, from all addresses together, before it is refused for the window. */
export const WRONG_CODES_PER_REQUEST = 5;
/** How long a number's count runs, from its first wrong code. */
export const REQUEST_CODE_WINDOW_MINUTES = 60;

export const NOT_FOUND_MESSAGE = '未找到该申请，请核对申请编号和查询码';

/**
 * The request whose number and access code match. Every attempt is counted before the code is checked
 * (parallel guesses cannot overrun the limit) and a right code gives its count back; once the number has
 * taken its wrong codes it answers 429 for the rest of the window even with the right code. Unknown
 * numbers count the same, so the answers never tell whether a number exists.
 */
export async function findByCode(deps: RequestDeps, rawNumber: string, accessCode: string) {
  const number = rawNumber.trim().toUpperCase();
  const key = `request-number:${number}`;
  const counted = await countInWindow(deps.db, key, REQUEST_CODE_WINDOW_MINUTES * 60);
  if (counted.count > WRONG_CODES_PER_REQUEST) {
    const minutes = Math.ceil(counted.retryAfterSeconds / 60);
    throw new AppError(429, 'lookup_throttled', `该申请编号的查询码错误次数过多，请于 ${minutes} 分钟后再试`, undefined, {
      'retry-after': String(counted.retryAfterSeconds),
    });
  }
  const [row] = await deps.db.select().from(disclosureRequests).where(eq(disclosureRequests.number, number));
  if (!row || !accessCodeMatches(accessCode, row.accessCodeHash)) throw notFound(NOT_FOUND_MESSAGE);
  await giveBack(deps.db, key);
  return row;
}
