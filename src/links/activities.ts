import { Context } from '@temporalio/activity';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../db/client.js';
import { applyLinkClock } from './service/clock.js';
import type { LinkEnv } from './service/deps.js';
import { runLinkWatch } from './service/watcher.js';

/** The links module's activities: an application's step clock and the daily check of every link. */
export function createLinkActivities(deps: { db: Database; calendar: CalendarService; env: LinkEnv }) {
  return {
    applyLinkClock: (applicationId: number, nowMs: number) => applyLinkClock(deps, applicationId, nowMs),
    runLinkWatch: async () => {
      let n = 0;
      // Heartbeat now and then, so a stuck run is seen (cheap: Temporal throttles heartbeats itself).
      const progress = () => {
        if (++n % 50 === 0) Context.current().heartbeat(n);
      };
      return runLinkWatch(deps, { progress });
    },
  };
}
export type LinkActivities = ReturnType<typeof createLinkActivities>;
