import {
  allHandlersFinished, ApplicationFailure, condition, defineSignal, defineUpdate, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { MailboxActivities } from '../src/mailbox/activities.js';
import { isOpen, refusal, type ActingStaff, type CaseAction, type CaseState } from './letter-rules.js';

export interface LetterWorkflowInput {
  letterId: number;
  trackingNo: string;
}

export const caseActionUpdate = defineUpdate<CaseState, [CaseAction, ActingStaff]>('caseAction');
/** The calendar gained a year (or changed): recompute a provisional deadline from the original receipt. */
export const calendarChangedSignal = defineSignal('calendarChanged');

const acts = proxyActivities<MailboxActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['NotAllowed'] },
});

export const workflowIdOf = (trackingNo: string) => `letter-${trackingNo}`;

/**
 * One per letter. PostgreSQL holds the record; this workflow drives time (due-soon and overdue
 * timers in working days) and serialises staff actions through a validated update, persisting each
 * change with an idempotent activity.
 */
export async function letterWorkflow(input: LetterWorkflowInput): Promise<{ status: CaseState['status'] }> {
  let state = await acts.markWorkflowStarted(input.letterId);
  let version = 0;
  let calendarChanged = false;
  let actionSeq = 0;

  setHandler(calendarChangedSignal, () => {
    calendarChanged = true;
  });

  setHandler(
    caseActionUpdate,
    async (action, actor) => {
      // The key is deterministic, so a retried activity writes the same event once.
      const eventKey = `${workflowInfo().workflowId}:${workflowInfo().runId}:action:${++actionSeq}`;
      state = await acts.applyCaseAction(input.letterId, action, actor, eventKey, Date.now());
      version++;
      return state;
    },
    {
      validator: (action, actor) => {
        const why = refusal(state, actor, action);
        if (why) throw ApplicationFailure.create({ type: 'NotAllowed', message: why, nonRetryable: true });
      },
    },
  );

  while (isOpen(state)) {
    const seen = version;
    const next = !state.dueSoon ? state.dueSoonAt : !state.overdue ? state.dueAt + 1 : undefined;
    const now = Date.now();
    if (next !== undefined && next <= now) {
      state = state.dueSoon ? await acts.markOverdue(input.letterId, now) : await acts.markDueSoon(input.letterId, now);
      continue;
    }
    await condition(() => !isOpen(state) || version !== seen || calendarChanged, next === undefined ? undefined : next - now);
    if (calendarChanged && isOpen(state)) {
      calendarChanged = false;
      state = await acts.recomputeDeadline(input.letterId, Date.now());
    }
  }
  // Let an in-flight update finish before the run completes.
  await condition(allHandlersFinished);
  return { status: state.status };
}
