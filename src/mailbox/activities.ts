import type { ActingStaff, CaseAction } from '../../workflows/letter-rules.js';
import { applyCaseAction, markDeadlineEvent, markWorkflowStarted, recomputeDeadline, type CaseDeps } from './cases.js';

/** The letter workflow's activities; each is idempotent so Temporal may retry it freely. */
export function createMailboxActivities(deps: CaseDeps) {
  return {
    markWorkflowStarted: (letterId: number) => markWorkflowStarted(deps, letterId),
    markDueSoon: (letterId: number) => markDeadlineEvent(deps, letterId, 'due_soon'),
    markOverdue: (letterId: number) => markDeadlineEvent(deps, letterId, 'overdue'),
    recomputeDeadline: (letterId: number) => recomputeDeadline(deps, letterId),
    applyCaseAction: (letterId: number, action: CaseAction, staff: ActingStaff, eventKey: string) =>
      applyCaseAction(deps, letterId, action, staff, eventKey),
  };
}

export type MailboxActivities = ReturnType<typeof createMailboxActivities>;
