import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { NotificationActivities } from '../src/notifications/activities.js';
import type { PublishingActivities } from '../src/publishing/activities.js';
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
  let changed = false;
  setHandler(reviewChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    changed = false;
    const clock = await acts.applyReviewClock(input.formId, Date.now());
    // A signal that came in while the activity ran (a schedule right after an approval) is not lost: it
    // is applied before the activity's result in the same activation, so look again rather than end.
    if (!clock.clocked) {
      if (changed) continue;
      await mail.deliverNotifications().catch(() => undefined);
      // A change signalled while that last delivery ran (a publication scheduled right after the final
      // approval) was accepted by this run: ending now would lose it, so look again. Histories from
      // before the guard ended here whatever came in, and replay the same.
      if (changed && patched('resume-after-final-delivery')) continue;
      return;
    }
    const wait = clock.nextAt === null ? undefined : Math.max(0, clock.nextAt - Date.now());
    if (clock.noticeQueued) await mail.deliverNotifications().catch(() => undefined);
    await condition(() => changed, wait);
  }
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: ReviewWorkflow = reviewWorkflow;
