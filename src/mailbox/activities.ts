import type { ActingStaff, CaseAction } from '../../workflows/letter-rules.js';
import { applyCaseAction, markDeadlineEvent, markWorkflowStarted, recomputeDeadline, type CaseDeps } from './cases.js';

/** The letter workflow's activities; each is idempotent so Temporal may retry it freely. */
export function createMailboxActivities(deps: CaseDeps) {
  return {
    // nowMs is optional for histories recorded before it was passed.
    markWorkflowStarted: (letterId: number, nowMs?: number) => markWorkflowStarted(deps, letterId, nowMs === undefined ? new Date() : new Date(nowMs)),
    // nowMs is the workflow's clock (see applyCaseAction).
    markDueSoon: (letterId: number, nowMs: number) => markDeadlineEvent(deps, letterId, 'due_soon', new Date(nowMs)),
    markOverdue: (letterId: number, nowMs: number) => markDeadlineEvent(deps, letterId, 'overdue', new Date(nowMs)),
    recomputeDeadline: (letterId: number, nowMs: number) => recomputeDeadline(deps, letterId, new Date(nowMs)),
    applyCaseAction: (letterId: number, action: CaseAction, staff: ActingStaff, eventKey: string, nowMs: number) =>
      applyCaseAction(deps, letterId, action, staff, eventKey, new Date(nowMs)),
  };
}

export type MailboxActivities = ReturnType<typeof createMailboxActivities>;
