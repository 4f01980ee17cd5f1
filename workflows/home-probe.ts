import { proxyActivities } from '@temporalio/workflow';
import type { InspectionActivities } from '../src/inspection/activities.js';
import type { HomeProbeWorkflow } from './messages.js';

// One attempt: the visit's own 15 s timeout decides, and a failed visit is stored as a result. A retry
// would turn one failure into a success and hide the outage the indicator is there to count.
const acts = proxyActivities<InspectionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

/** One visit of the home page (国办秘函〔2019〕19号 站点无法访问), started by the `home-probe` Schedule. */
export async function homeProbeWorkflow(): Promise<void> {
  await acts.probeHomePage();
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: HomeProbeWorkflow = homeProbeWorkflow;
