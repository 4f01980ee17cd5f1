import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { MailboxActivities } from '../src/mailbox/activities.js';
import type { NotificationActivities } from '../src/notifications/activities.js';
import { isOpen, refusal, withoutTransferLimits, type ActingStaff, type CaseAction, type CaseState } from '../src/mailbox/case-rules.js';
import {
  calendarChangedSignal,
  caseActionUpdate,
  type LetterWorkflow,
  type LetterWorkflowInput,
  type LetterWorkflowResult,
} from './messages.js';

const actOptions: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['NotAllowed'] },
};
const acts = proxyActivities<MailboxActivities>(actOptions);
// The first step of every letter runs as a local activity: it completes inside the first workflow
// task, sparing the server an activity task's three round trips per letter (docs/performance.md §2).
const localActs = proxyLocalActivities<MailboxActivities>(actOptions);

// Delivery is best effort here: what fails stays in the outbox and goes out with the next delivery
// (any letter's, or the daily digest's), so a mail outage never holds up a letter.
const mail = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

const notAllowed = (message: string) => ApplicationFailure.create({ type: 'NotAllowed', message, nonRetryable: true });

/** An activity that refused (the database had moved on) fails the update as NotAllowed, like the validator. */
function asNotAllowed(err: unknown): unknown {
  const refused = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'NotAllowed';
  return refused ? notAllowed(err.cause.message) : err;
}

/**
 * One per letter. PostgreSQL holds the record; this workflow drives time (due-soon and overdue
 * timers in working days) and serialises staff actions through a validated update, persisting each
 * change with an idempotent activity.
 *
 * Every activity that changes the letter runs under one lock (`exclusive`), in arrival order, so
 * `state` is always the result of the last committed change: two updates accepted together cannot
 * both act on the state the validator saw, and a timer's result cannot overwrite an action's.
 */
export async function letterWorkflow(input: LetterWorkflowInput): Promise<LetterWorkflowResult> {
  let state: CaseState | undefined;
  let version = 0;
  let calendarChanged = false;
  let actionSeq = 0;
  // Set when a change may have queued a notice (writer's notice, overdue notice); the loop sends it.
  let mailPending = false;
  const deliver = async () => {
    mailPending = false;
    await mail.deliverNotifications().catch(() => undefined);
  };

  // A FIFO mutex, as in Temporal's samples: async-mutex uses promises only (no timers without
  // withTimeout), so it is deterministic; the replay tests show it schedules what the hand-made lock did.
  const lock = new Mutex();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => lock.runExclusive(fn);

  // Handlers are registered before the first await: an update sent right after the start (a staff
  // action on a letter still in the outbox) would otherwise be rejected for want of a handler.
  setHandler(calendarChangedSignal, () => {
    calendarChanged = true;
  });

  setHandler(
    caseActionUpdate,
    async (action, actor) => {
      await condition(() => state !== undefined);
      return exclusive(async () => {
        // Re-checked under the lock: an update accepted together with another sees its result here.
        // Histories recorded before the Art. 22 transfer limits replay under the rules they were made with.
        const rules = patched('transfer-limits-art22') ? state! : withoutTransferLimits(state!);
        const why = refusal(rules, actor, action);
        if (why) throw notAllowed(why);
        // The key is deterministic, so a retried activity writes the same event once.
        const eventKey = `${workflowInfo().workflowId}:${workflowInfo().runId}:action:${++actionSeq}`;
        try {
          state = await acts.applyCaseAction(input.letterId, action, actor, eventKey, Date.now());
        } catch (err) {
          throw asNotAllowed(err);
        }
        version++;
        mailPending = true;
        return state;
      });
    },
    {
      validator: (action: CaseAction, actor: ActingStaff) => {
        // Before the first activity returns there is no state yet; the handler checks under the lock.
        const why = state && refusal(state, actor, action);
        if (why) throw notAllowed(why);
      },
    },
  );

  // Histories begun before the local activity replay with the activity task they recorded.
  const markStarted = patched('mark-started-locally') ? localActs.markWorkflowStarted : acts.markWorkflowStarted;
  state = await exclusive(() => markStarted(input.letterId, Date.now()));

  while (isOpen(state)) {
    const seen = version;
    const next = !state.dueSoon ? state.dueSoonAt : !state.overdue ? state.dueAt + 1 : undefined;
    const now = Date.now();
    if (next !== undefined && next <= now) {
      await exclusive(async () => {
        // The state may have changed while waiting for the lock; the activity checks the time again.
        if (!isOpen(state!)) return;
        const at = Date.now();
        if (!state!.dueSoon) state = await acts.markDueSoon(input.letterId, at);
        else if (!state!.overdue) {
          state = await acts.markOverdue(input.letterId, at);
          mailPending = true;
        }
      });
      continue;
    }
    if (mailPending) {
      await deliver();
      continue;
    }
    const woken = () => !isOpen(state!) || version !== seen || calendarChanged || mailPending;
    await condition(woken, next === undefined ? undefined : next - now);
    if (calendarChanged && isOpen(state)) {
      calendarChanged = false;
      await exclusive(async () => {
        if (isOpen(state!)) state = await acts.recomputeDeadline(input.letterId, Date.now());
      });
      // A moved deadline queues a notice to the department: send it now rather than with the next mail.
      // Histories recorded before this replay without the delivery.
      if (patched('deliver-after-recompute')) mailPending = true;
    }
  }
  // Let in-flight and queued updates finish (queued ones are refused: the letter is closed).
  await condition(allHandlersFinished);
  if (mailPending) await deliver();
  return { status: state.status };
}

// The name and signature src/ starts it by (workflows/messages.ts) are this function's.
const _signature: LetterWorkflow = letterWorkflow;
