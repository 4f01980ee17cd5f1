import { proxyActivities } from '@temporalio/workflow';
import type { DigestActivities } from '../src/digest/activities.js';
import type { NotificationActivities } from '../src/notifications/activities.js';
import { chinaDayOf, dayToIso } from '../src/calendar/china-time.js';
import type { DailyDigestInput, DailyDigestWorkflow, DigestResult } from './messages.js';

const acts = proxyActivities<DigestActivities & NotificationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/**
 * The service centre's daily reminder. Started by the `daily-digest` Schedule every day at
 * DIGEST_TIME (China time), or on demand for one day; on a rest day it does nothing.
 */
export async function dailyDigestWorkflow(input: DailyDigestInput = {}): Promise<DigestResult> {
  const day = input.day ?? dayToIso(chinaDayOf(new Date(Date.now())));
  if (!(await acts.isWorkingDay(day))) return { day, skipped: true, digests: 0, emailsQueued: 0 };
  const built = await acts.buildDigests(day);
  await acts.deliverNotifications();
  return { day, skipped: false, digests: built.digests, emailsQueued: built.emailsQueued };
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: DailyDigestWorkflow = dailyDigestWorkflow;
