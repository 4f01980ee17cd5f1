import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { LinkActivities } from '../src/links/activities.js';
import { runClockLoop } from './clock-loop.js';
import {
  linkApplicationChangedSignal,
  type LinkApplicationWorkflow,
  type LinkApplicationWorkflowInput,
  type LinkWatchWorkflow,
} from './messages.js';

const acts = proxyActivities<LinkActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// A check run of every link takes minutes; it is idempotent (it stores the latest result per link).
const watch = proxyActivities<LinkActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 minute', maximumInterval: '10 minutes', maximumAttempts: 3 },
});

/**
 * The clock of one 外部链接审核表 (measures Art. 24). PostgreSQL holds the application and its decisions;
 * this workflow only keeps the open step's time limit (LINK_STEP_WORKING_DAYS working days: then it is
 * marked overdue and shows in the office's digest). It wakes on a decision and at the limit.
 */
export async function linkApplicationWorkflow(input: LinkApplicationWorkflowInput): Promise<void> {
  const state = { changed: false };
  setHandler(linkApplicationChangedSignal, () => {
    state.changed = true;
  });
  await runClockLoop(
    state,
    () => acts.applyLinkClock(input.applicationId, Date.now()),
    () => Promise.resolve(),
  );
}

/** The daily check of every link (issue 21 point 3), started by the `link-watch` Schedule. */
export async function linkWatchWorkflow(): Promise<void> {
  await watch.runLinkWatch();
}

// The names and signatures src/ starts them by (workflows/messages.ts) are these functions'.
const _signature: LinkApplicationWorkflow = linkApplicationWorkflow;
const _watchSignature: LinkWatchWorkflow = linkWatchWorkflow;
