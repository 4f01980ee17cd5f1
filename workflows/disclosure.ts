import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { DisclosureActivities } from '../src/disclosure/activities.js';
import type { NotificationActivities } from '../src/notifications/activities.js';
import { runClockLoop } from './clock-loop.js';
import { disclosureChangedSignal, type DisclosureWorkflow, type DisclosureWorkflowInput } from './messages.js';

const acts = proxyActivities<DisclosureActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const mail = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * The clocks of one document in the disclosure register. PostgreSQL holds the register, the decisions
 * and the catalogue; this workflow only keeps time: the open catalogue round's deadline of 20 working
 * days (条例 Art. 26; then it is overdue and the general office is told) and a 不予公开 decision's
 * re-review date (Art. 18; the office is reminded). It wakes on a change and at the next instant.
 */
export async function disclosureWorkflow(input: DisclosureWorkflowInput): Promise<void> {
  const state = { changed: false };
  setHandler(disclosureChangedSignal, () => {
    state.changed = true;
  });
  await runClockLoop(
    state,
    () => acts.applyDisclosureClock(input.documentId, Date.now()),
    () => mail.deliverNotifications().catch(() => undefined),
  );
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: DisclosureWorkflow = disclosureWorkflow;
