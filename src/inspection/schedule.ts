import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { upsertSchedule } from '../temporal/schedules.js';
import { HOME_PROBE_WORKFLOW } from '../../workflows/messages.js';

export const HOME_PROBE_SCHEDULE_ID = 'home-probe';

/**
 * The home-page probe every `everyMinutes` (HOME_PROBE_EVERY_MINUTES, at most 72: a day then has at
 * least 20 visits, 国办秘函〔2019〕19号), created or brought up to date at every worker boot like the
 * digest's Schedule. Temporal's Schedule runs it once however many workers there are. Missed runs are
 * not caught up (catch-up window 1 minute): a visit made later says nothing about the moment it missed,
 * and the system being down is what the probes of a visitor outside would have seen.
 */
export async function ensureHomeProbeSchedule(client: Client, taskQueue: string, everyMinutes: number): Promise<void> {
  const spec = { intervals: [{ every: `${everyMinutes} minutes` as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: HOME_PROBE_WORKFLOW,
    args: [] as [],
    taskQueue,
    workflowId: 'home-probe-run',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 60_000 };
  await upsertSchedule(client, { scheduleId: HOME_PROBE_SCHEDULE_ID, spec, action, policies });
}
