import type { Database } from '../db/client.js';
import { applyReviewClock } from './service/review-clock.js';

/** The publishing module's activities: the review workflow's clock. */
export function createPublishingActivities(deps: { db: Database }) {
  return {
    applyReviewClock: (formId: number, nowMs: number) => applyReviewClock(deps, formId, nowMs),
  };
}
export type PublishingActivities = ReturnType<typeof createPublishingActivities>;
