import { eq } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Env } from '../../config/env.js';
import { writerFormToken } from '../codes.js';
import { authenticateWriter, type LookupOutcome, type WriterCredential } from './lookup.js';
import { withdrawConsentIn } from './publication.js';
import { letters } from '../tables.js';
import { writerViewOf, type WriterViewDeps } from './writer-view.js';

type ConsentDeps = WriterViewDeps & { env: Pick<Env, 'RATE_LOOKUPS_PER_MINUTE'> };

/**
 * The writer withdraws consent to publication: the same proof and throttling as the lookup
 * (authenticateWriter), then a published copy is taken down at once. Answers the writer's view as it is
 * afterwards, with a fresh form token for the result page.
 */
async function withdrawConsentWith(
  deps: ConsentDeps,
  viewer: Viewer,
  trackingNo: string,
  credential: WriterCredential,
  now = new Date(),
): Promise<LookupOutcome> {
  const auth = await authenticateWriter(deps, viewer, trackingNo, credential, now);
  if (auth.kind !== 'found') return auth;
  await withdrawConsentIn(deps.db, auth.row.trackingNo, viewer.ip);
  const [row] = await deps.db.select().from(letters).where(eq(letters.id, auth.row.id));
  return { kind: 'found', view: await writerViewOf(deps, row!, now), formToken: writerFormToken(row!, now) };
}

/** From the API: proven by the access code. */
export const withdrawConsent = (deps: ConsentDeps, viewer: Viewer, trackingNo: string, accessCode: string) =>
  withdrawConsentWith(deps, viewer, trackingNo, { accessCode });

/** From the lookup result page's form: proven by its form token, so the page never carries the access code. */
export const withdrawConsentByFormToken = (deps: ConsentDeps, viewer: Viewer, trackingNo: string, formToken: string) =>
  withdrawConsentWith(deps, viewer, trackingNo, { formToken });
