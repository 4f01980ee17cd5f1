import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { TemporalGateway } from './gateway.js';

// The outbox between a PostgreSQL record and the workflow that keeps its clocks (a review form's step
// limit, a document's catalogue deadline). The record is the truth; every change bumps its change
// sequence in its own transaction. After the commit the service signals the record's workflow
// (starting it when the record has a clock) and stores the sequence the workflow has seen; what a
// failed signal leaves behind, the sweeper sends later. docs/architecture.md says how each workflow
// uses it. No domain module is imported: each passes its record's side.

type Log = { warn(obj: object, msg: string): void };

export interface ClockOutbox {
  workflowType: string;
  workflowIdOf(id: number): string;
  signal: SignalDefinition<[]>;
  /** The workflow's input for record `id`. */
  input(id: number): unknown;
  /** The record's change sequence and whether it has a clock now; undefined when there is no such record. */
  read(id: number): Promise<{ seq: number; clocked: boolean } | undefined>;
  /** Stores that the workflow has seen `seq` (never lowering what is stored). */
  markSynced(id: number, seq: number): Promise<void>;
  /** Records whose last change their workflow has not seen, up to `limit`. */
  pending(limit: number): Promise<number[]>;
}

async function signal(temporal: TemporalGateway, outbox: ClockOutbox, id: number, clocked: boolean) {
  // A record without a clock needs no run: only a running one is woken (to see it has nothing left to time).
  if (!clocked) {
    await temporal.client.workflow
      .getHandle(outbox.workflowIdOf(id))
      .signal(outbox.signal)
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    return;
  }
  await temporal.client.workflow.signalWithStart(outbox.workflowType, {
    workflowId: outbox.workflowIdOf(id),
    taskQueue: temporal.taskQueue,
    args: [outbox.input(id)],
    signal: outbox.signal,
    signalArgs: [],
  });
}

/** Signals one record's workflow now; false (and the sweeper retries) when Temporal did not take it. */
export async function syncClock(deps: { temporal?: TemporalGateway; log?: Log }, outbox: ClockOutbox, id: number): Promise<boolean> {
  if (!deps.temporal) return false;
  const row = await outbox.read(id);
  if (!row) return false;
  const temporal = deps.temporal;
  try {
    // Short: the sweeper sends what this misses, and a page action should not wait long while Temporal is down.
    await temporal.client.connection.withDeadline(Date.now() + 2_000, () => signal(temporal, outbox, id, row.clocked));
  } catch (err) {
    deps.log?.warn({ err, id, workflowType: outbox.workflowType }, 'signalling a clock workflow failed; the sweeper will retry');
    return false;
  }
  await outbox.markSynced(id, row.seq);
  return true;
}

/** One pass of the sweeper over one outbox. */
export async function syncPendingClocks(deps: { temporal: TemporalGateway; log?: Log }, outbox: ClockOutbox) {
  const ids = await outbox.pending(100);
  let synced = 0;
  for (const id of ids) if (await syncClock(deps, outbox, id)) synced++;
  return { pending: ids.length, synced };
}

/** The sweeper in the worker process over the given outboxes: every few seconds; returns its stop function. */
export function runClockSweeper(deps: { temporal: TemporalGateway; log?: Log }, outboxes: ClockOutbox[], everyMs = 5_000) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const outbox of outboxes) {
        await syncPendingClocks(deps, outbox).catch((err: unknown) =>
          deps.log?.warn({ err, workflowType: outbox.workflowType }, 'clock sync pass failed'),
        );
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  void tick();
  return async () => clearInterval(timer);
}
