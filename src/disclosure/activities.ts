import type { Database } from '../db/client.js';
import { applyDisclosureClock } from './service/clock.js';

/** The disclosure module's activities: a document's clocks. */
export function createDisclosureActivities(deps: { db: Database }) {
  return {
    applyDisclosureClock: (documentId: number, nowMs: number) => applyDisclosureClock(deps, documentId, nowMs),
  };
}
export type DisclosureActivities = ReturnType<typeof createDisclosureActivities>;
