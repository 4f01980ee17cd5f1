import type { Database } from '../db/client.js';
import { probeHomePage, type ProbeEnv } from './service/probes.js';

/** The inspection module's activities: one visit of the home page. */
export function createInspectionActivities(deps: { db: Database; env: ProbeEnv }) {
  return {
    probeHomePage: async (): Promise<void> => {
      await probeHomePage(deps);
    },
  };
}
export type InspectionActivities = ReturnType<typeof createInspectionActivities>;
