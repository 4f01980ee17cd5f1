import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { NotificationActivities } from '../src/notifications/activities.js';
import type { PublishingActivities } from '../src/publishing/activities.js';
import { runClockLoop } from './clock-loop.js';
import { reviewChangedSignal, type ReviewWorkflow, type ReviewWorkflowInput } from './messages.js';

const acts = proxyActivities<PublishingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const mail = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * The clock of one review form (审核单). PostgreSQL holds the chain and every decision; this workflow
 * only keeps time: the current step's time limit in working days (then the step is overdue and the
 * general office is told) and a scheduled publication. It wakes when the service signals a change and
 * when the next instant comes, asks the activity to do what is due, and ends when nothing is timed.
 */
export async function reviewWorkflow(input: ReviewWorkflowInput): Promise<void> {
  const state = { changed: false };
  setHandler(reviewChangedSignal, () => {
    state.changed = true;
  });
  await runClockLoop(
    state,
    () => acts.applyReviewClock(input.formId, Date.now()),
    () => mail.deliverNotifications().catch(() => undefined),
  );
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: ReviewWorkflow = reviewWorkflow;
