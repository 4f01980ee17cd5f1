import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { upsertSchedule } from '../temporal/schedules.js';
import { parseClock } from '../calendar/deadline.js';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestInput } from '../../workflows/messages.js';

export const DIGEST_SCHEDULE_ID = 'daily-digest';

/**
 * Milliseconds from DIGEST_TIME to the next China midnight. A digest missed while the Temporal server
 * was down is still started when it is back within this window, the same China day (Art. 22: every
 * working day), and never on a later day, when its workflow would take that day's date. (Asia/Shanghai
 * has no daylight saving, so a China day is always 24 hours.)
 */
export const restOfChinaDayMs = (digestTime: string) => (24 * 60 - parseClock(digestTime)) * 60_000;

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
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: restOfChinaDayMs(digestTime) };
  await upsertSchedule(client, { scheduleId: DIGEST_SCHEDULE_ID, spec, action, policies });
}
