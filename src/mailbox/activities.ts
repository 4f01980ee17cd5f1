import { ApplicationFailure } from '@temporalio/common';
import type { ActingStaff, CaseAction } from './case-rules.js';
import { NOT_ALLOWED, NotAllowedError } from './errors.js';
import { applyCaseAction } from './service/apply-case-action.js';
import { markDeadlineEvent, markWorkflowStarted, recomputeDeadline, type CaseDeps } from './service/case-records.js';

/** The activity boundary: a refusal becomes the non-retryable `NotAllowed` failure the workflow expects. */
async function refusalsAsFailures<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof NotAllowedError) throw ApplicationFailure.nonRetryable(err.message, NOT_ALLOWED);
    throw err;
  }
}

/** The letter workflow's activities; each is idempotent so Temporal may retry it freely. */
export function createMailboxActivities(deps: CaseDeps) {
  return {
    // nowMs is optional for histories recorded before it was passed.
    markWorkflowStarted: (letterId: number, nowMs?: number) =>
      refusalsAsFailures(() => markWorkflowStarted(deps, letterId, nowMs === undefined ? new Date() : new Date(nowMs))),
    // nowMs is the workflow's clock (see applyCaseAction).
    markDueSoon: (letterId: number, nowMs: number) =>
      refusalsAsFailures(() => markDeadlineEvent(deps, letterId, 'due_soon', new Date(nowMs))),
    markOverdue: (letterId: number, nowMs: number) =>
      refusalsAsFailures(() => markDeadlineEvent(deps, letterId, 'overdue', new Date(nowMs))),
    recomputeDeadline: (letterId: number, nowMs: number) => refusalsAsFailures(() => recomputeDeadline(deps, letterId, new Date(nowMs))),
    applyCaseAction: (letterId: number, action: CaseAction, staff: ActingStaff, eventKey: string, nowMs: number) =>
      refusalsAsFailures(() => applyCaseAction(deps, letterId, action, staff, eventKey, new Date(nowMs))),
  };
}

export type MailboxActivities = ReturnType<typeof createMailboxActivities>;
