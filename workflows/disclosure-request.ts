import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { NotificationActivities } from '../src/notifications/activities.js';
import type { RequestActivities } from '../src/requests/activities.js';
import { runClockLoop } from './clock-loop.js';
import { disclosureRequestChangedSignal, type DisclosureRequestWorkflow, type DisclosureRequestWorkflowInput } from './messages.js';

const acts = proxyActivities<RequestActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const mail = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * The clocks of one disclosure request (依申请公开). PostgreSQL holds the request and its events; the
 * activity computes the clock from them with the pure rules (src/requests/clock-rules.ts) and does what is
 * due — the reminder before the answer deadline, the overdue notice, the conclusion when the 补正 or fee
 * period lapsed — and says when to look again. The workflow sleeps until then or until an event is
 * signalled, and ends when the request is concluded or withdrawn.
 */
export async function disclosureRequestWorkflow(input: DisclosureRequestWorkflowInput): Promise<void> {
  const state = { changed: false };
  setHandler(disclosureRequestChangedSignal, () => {
    state.changed = true;
  });
  await runClockLoop(
    state,
    () => acts.applyRequestClock(input.requestId, Date.now()),
    () => mail.deliverNotifications().catch(() => undefined),
  );
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: DisclosureRequestWorkflow = disclosureRequestWorkflow;
