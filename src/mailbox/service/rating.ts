import { eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '../../audit/record.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Env } from '../../config/env.js';
import { conflict } from '../../server/errors.js';
import { queueDissatisfiedNotice } from '../notices.js';
import type { RatingBody } from '../rating-schemas.js';
import { letterRatings, letters } from '../tables.js';
import { writerFormToken } from '../codes.js';
import { addEvent, lockLetter } from './case-records.js';
import { authenticateWriter, type LookupOutcome, type WriterCredential } from './lookup.js';
import { ratingFactsOf, writerViewOf, type WriterViewDeps } from './writer-view.js';

type LetterRow = typeof letters.$inferSelect;

export type RatingDeps = WriterViewDeps & { env: Pick<Env, 'RATE_LOOKUPS_PER_MINUTE' | 'RATING_WINDOW_WORKING_DAYS'> };

/**
 * The writer rates the current answer (issue 14 point 6): behind the lookup's access check and limits,
 * once per answer round, within RATING_WINDOW_WORKING_DAYS working days of the answer (409 otherwise,
 * with the reason in Chinese). In one transaction: the rating row, the public 'rated' event the
 * statistics count (for the department that answered the round), the audit row, and for a 不满意 the
 * general office's notice: the letter is then in the office's queue (service/reopen.ts).
 */
export async function rateLetter(
  deps: RatingDeps,
  viewer: Viewer,
  trackingNo: string,
  credential: WriterCredential,
  body: RatingBody,
  now = new Date(),
): Promise<LookupOutcome> {
  const auth = await authenticateWriter(deps, viewer, trackingNo, credential, now);
  if (auth.kind !== 'found') return auth;
  return rateAuthenticated(deps, viewer, auth.row, body, now);
}

/** rateLetter for a writer already authenticated (the lookup page's form, whose token was checked). */
export async function rateAuthenticated(
  deps: RatingDeps,
  viewer: Viewer,
  authenticated: LetterRow,
  body: RatingBody,
  now = new Date(),
): Promise<Extract<LookupOutcome, { kind: 'found' }>> {
  const row = await deps.db.transaction(async (tx) => {
    const letter = await lockLetter(tx, authenticated.id);
    const { refusal } = await ratingFactsOf(tx, deps, letter, now);
    if (refusal) throw conflict(refusal);
    const comment = body.comment ?? null;
    const inserted = await tx
      .insert(letterRatings)
      .values({ letterId: letter.id, round: letter.round, rating: body.rating, comment, ratedAt: now, departmentId: letter.departmentId })
      .onConflictDoNothing()
      .returning({ id: letterRatings.id });
    if (inserted.length === 0) throw conflict('您已评价过本次答复，每次答复只能评价一次');
    const eventKey = `letter-${letter.id}:rated:${letter.round}`;
    await addEvent(tx, {
      letterId: letter.id,
      eventKey,
      kind: 'rated',
      isPublic: true,
      departmentId: letter.departmentId,
      text: comment,
      data: { rating: body.rating, round: letter.round },
      at: now,
    });
    const actor: Actor = {
      staffId: null,
      username: `writer:${letter.trackingNo}`,
      role: 'writer',
      ip: viewer.ip,
      requestId: viewer.requestId,
    };
    await recordAudit(tx, actor, {
      action: 'letter.rate',
      recordType: 'letter',
      recordId: letter.trackingNo,
      after: { rating: body.rating, round: letter.round, departmentId: letter.departmentId },
    });
    if (body.rating === 'dissatisfied') await queueDissatisfiedNotice(tx, letter, eventKey, comment);
    return letter;
  });
  const [fresh] = await deps.db.select().from(letters).where(eq(letters.id, row.id));
  return { kind: 'found', view: await writerViewOf(deps, fresh!, now), formToken: writerFormToken(fresh!, now) };
}
