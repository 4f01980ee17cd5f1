import { eq } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Env } from '../../config/env.js';
import { lookUpLetter, type LookupOutcome } from './lookup.js';
import { withdrawConsentIn } from './publication.js';
import { letters } from '../tables.js';
import { writerViewOf, type WriterViewDeps } from './writer-view.js';

/**
 * The writer withdraws consent to publication, from the lookup page or the API: the same access-code
 * check and throttling as the lookup, then a published copy is taken down at once. Answers the
 * writer's view as it is afterwards.
 */
export async function withdrawConsent(
  deps: WriterViewDeps & { env: Pick<Env, 'RATE_LOOKUPS_PER_MINUTE'> },
  viewer: Viewer,
  trackingNo: string,
  accessCode: string,
): Promise<LookupOutcome> {
  const outcome = await lookUpLetter(deps, viewer, trackingNo, accessCode);
  if (outcome.kind !== 'found') return outcome;
  await withdrawConsentIn(deps.db, outcome.view.trackingNo, viewer.ip);
  const [row] = await deps.db.select().from(letters).where(eq(letters.trackingNo, outcome.view.trackingNo));
  return { kind: 'found', view: await writerViewOf(deps, row!), formToken: outcome.formToken };
}
