import { eq } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Env } from '../../config/env.js';
import type { Database } from '../../db/client.js';
import { countInWindow, giveBack } from '../../server/window-counter.js';
import { accessCodeMatches, writerFormToken, writerFormTokenMatches } from '../codes.js';
import { letters } from '../tables.js';
import { writerViewOf, type WriterView, type WriterViewDeps } from './writer-view.js';

/** Wrong access codes one tracking number takes, from all addresses together, before it is refused for the window. */
export const WRONG_CODES_PER_NUMBER = 10;
/** How long a tracking number's count of wrong codes runs, from its first wrong code. */
export const NUMBER_WINDOW_MINUTES = 60;

export const NOT_FOUND_MESSAGE = '未找到该信件，请核对受理编号和查询码';
export const RATE_LIMITED_MESSAGE = '请求过于频繁，请稍后再试';

type LetterRow = typeof letters.$inferSelect;
type Throttled = { kind: 'throttled'; code: 'rate_limited' | 'lookup_throttled'; message: string; retryAfterSeconds: number };

/** `formToken` lets the result page's rating form prove the writer without the access code (codes.ts). */
export type LookupOutcome = { kind: 'found'; view: WriterView; formToken: string } | { kind: 'not_found' } | Throttled;

/** The writer's proof: the access code (API, lookup form), or the token of their result page's form. */
export type WriterCredential = { accessCode: string } | { formToken: string };

export type WriterAuth = { kind: 'found'; row: LetterRow } | { kind: 'not_found' } | Throttled;

/**
 * The writer's lookup behind both limits, for the API and the form page alike. Every attempt on a
 * number is counted before the code is checked (so parallel guesses cannot overrun the limit) and a
 * right code gives its count back. Once the number has taken its wrong codes, it is refused for the
 * rest of the window even with the right code: otherwise the guessing would simply go on. Unknown
 * numbers are counted the same way, so the answers never tell whether a number exists.
 */
export async function authenticateWriter(
  { db, env }: { db: Database; env: Pick<Env, 'RATE_LOOKUPS_PER_MINUTE'> },
  viewer: Viewer,
  rawTrackingNo: string,
  credential: WriterCredential,
  now = new Date(),
): Promise<WriterAuth> {
  const perAddress = await countInWindow(db, `address:${viewer.ip}`, 60);
  // Look-ups (API and form page together) one client address may make per minute.
  if (perAddress.count > env.RATE_LOOKUPS_PER_MINUTE) {
    return { kind: 'throttled', code: 'rate_limited', message: RATE_LIMITED_MESSAGE, retryAfterSeconds: perAddress.retryAfterSeconds };
  }
  const trackingNo = rawTrackingNo.trim().toUpperCase();
  const numberKey = `number:${trackingNo}`;
  const perNumber = await countInWindow(db, numberKey, NUMBER_WINDOW_MINUTES * 60);
  if (perNumber.count > WRONG_CODES_PER_NUMBER) {
    const minutes = Math.ceil(perNumber.retryAfterSeconds / 60);
    const message = `该受理编号的查询错误次数过多，请于 ${minutes} 分钟后再试`;
    return { kind: 'throttled', code: 'lookup_throttled', message, retryAfterSeconds: perNumber.retryAfterSeconds };
  }
  const [row] = await db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  const proven =
    row &&
    ('accessCode' in credential
      ? accessCodeMatches(credential.accessCode, row.accessCodeHash)
      : writerFormTokenMatches(credential.formToken, row, now));
  if (!proven) return { kind: 'not_found' };
  await giveBack(db, numberKey);
  return { kind: 'found', row };
}

/** The writer's view of their letter behind authenticateWriter's limits. */
export async function lookUpLetter(
  deps: WriterViewDeps & { env: Pick<Env, 'RATE_LOOKUPS_PER_MINUTE'> },
  viewer: Viewer,
  trackingNo: string,
  accessCode: string,
  now = new Date(),
): Promise<LookupOutcome> {
  const auth = await authenticateWriter(deps, viewer, trackingNo, { accessCode }, now);
  if (auth.kind !== 'found') return auth;
  return { kind: 'found', view: await writerViewOf(deps, auth.row, now), formToken: writerFormToken(auth.row, now) };
}
