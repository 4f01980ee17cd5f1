import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { upsertSchedule } from '../temporal/schedules.js';
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
  await upsertSchedule(client, { scheduleId: LINK_WATCH_SCHEDULE_ID, spec, action, policies });
}
