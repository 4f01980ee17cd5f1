import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestInput } from '../../workflows/messages.js';

export const DIGEST_SCHEDULE_ID = 'daily-digest';

/** Creates the daily digest Schedule, or brings an existing one up to date (idempotent at every boot). */
export async function ensureDigestSchedule(client: Client, taskQueue: string, digestTime: string): Promise<void> {
  const [hour, minute] = digestTime.split(':').map(Number) as [number, number];
  const spec = { calendars: [{ hour, minute }], timezone: 'Asia/Shanghai' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: DAILY_DIGEST_WORKFLOW,
    args: [{}] as [DailyDigestInput],
    taskQueue,
    workflowId: 'daily-digest-run',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  const options: ScheduleOptions = { scheduleId: DIGEST_SCHEDULE_ID, spec, action, policies };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DIGEST_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action }));
  }
}
