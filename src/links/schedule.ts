import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { LINK_WATCH_WORKFLOW } from '../../workflows/messages.js';

export const LINK_WATCH_SCHEDULE_ID = 'link-watch';

/**
 * The daily link check (issue 21 point 3) at LINK_CHECK_TIME, China time: created, or brought up to date,
 * at every worker boot like the digest's Schedule. A run still going when the next is due is skipped.
 */
export async function ensureLinkWatchSchedule(client: Client, taskQueue: string, checkTime: string): Promise<void> {
  const [hour, minute] = checkTime.split(':').map(Number) as [number, number];
  const spec = { calendars: [{ hour, minute }], timezone: 'Asia/Shanghai' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: LINK_WATCH_WORKFLOW,
    args: [] as [],
    taskQueue,
    workflowId: 'link-watch-run',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 6 * 3600_000 };
  const options: ScheduleOptions = { scheduleId: LINK_WATCH_SCHEDULE_ID, spec, action, policies };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(LINK_WATCH_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  }
}
