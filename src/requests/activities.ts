import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../db/client.js';
import { applyRequestClock } from './service/apply-clock.js';

/** The requests module's activities: a request's clocks, read from PostgreSQL and computed by the pure rules. */
export function createRequestActivities(deps: { db: Database; calendar: CalendarService }) {
  return {
    applyRequestClock: (requestId: number, nowMs: number) => applyRequestClock(deps, requestId, nowMs),
  };
}
export type RequestActivities = ReturnType<typeof createRequestActivities>;
