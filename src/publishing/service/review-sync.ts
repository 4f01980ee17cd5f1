import { and, eq, gt, sql } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Database } from '../../db/client.js';
import { CLOCKED_STATUSES } from '../rules.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { REVIEW_WORKFLOW, reviewChangedSignal, reviewWorkflowIdOf, type ReviewWorkflow } from '../../../workflows/messages.js';
import { reviewForms } from '../tables.js';

// PostgreSQL holds the chain; the review workflow only keeps its clocks (a step's time limit, a
// scheduled publication). Every change bumps review_forms.change_seq in its own transaction; this
// signals the form's workflow (starting it if need be) and records the sequence it has seen. What a
// failed signal leaves behind, the worker's sweeper (runReviewSync) sends later: docs/architecture.md.

async function signal(temporal: TemporalGateway, formId: number, clocked: boolean) {
  // A form without a clock needs no run: only a running one is woken (to see it has nothing left to time).
  if (!clocked) {
    await temporal.client.workflow
      .getHandle(reviewWorkflowIdOf(formId))
      .signal(reviewChangedSignal)
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    return;
  }
  await temporal.client.workflow.signalWithStart<ReviewWorkflow>(REVIEW_WORKFLOW, {
    workflowId: reviewWorkflowIdOf(formId),
    taskQueue: temporal.taskQueue,
    args: [{ formId }],
    signal: reviewChangedSignal,
    signalArgs: [],
  });
}

/** Signals one form's workflow now; on failure the sweeper retries. */
export async function syncReviewWorkflow(
  deps: { db: Database; temporal?: TemporalGateway; log?: { warn(obj: object, msg: string): void } },
  formId: number,
): Promise<boolean> {
  if (!deps.temporal) return false;
  const [row] = await deps.db
    .select({ seq: reviewForms.changeSeq, status: reviewForms.status })
    .from(reviewForms)
    .where(eq(reviewForms.id, formId));
  if (!row) return false;
  const temporal = deps.temporal;
  try {
    await temporal.client.connection.withDeadline(Date.now() + 5_000, () =>
      signal(temporal, formId, (CLOCKED_STATUSES as readonly string[]).includes(row.status)),
    );
  } catch (err) {
    deps.log?.warn({ err, formId }, 'signalling the review workflow failed; the sweeper will retry');
    return false;
  }
  await deps.db
    .update(reviewForms)
    .set({ syncedSeq: sql`greatest(${reviewForms.syncedSeq}, ${row.seq})` })
    .where(eq(reviewForms.id, formId));
  return true;
}

/** One pass of the sweeper: every form whose last change its workflow has not seen. */
export async function syncPendingReviews(deps: {
  db: Database;
  temporal: TemporalGateway;
  log?: { warn(obj: object, msg: string): void };
}) {
  const rows = await deps.db
    .select({ id: reviewForms.id })
    .from(reviewForms)
    .where(and(gt(reviewForms.changeSeq, reviewForms.syncedSeq)))
    .limit(100);
  let synced = 0;
  for (const r of rows) if (await syncReviewWorkflow(deps, r.id)) synced++;
  return { pending: rows.length, synced };
}

/** The sweeper in the worker process: every few seconds; returns its stop function. */
export function runReviewSync(deps: { db: Database; temporal: TemporalGateway; log?: { warn(obj: object, msg: string): void } }) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    await syncPendingReviews(deps)
      .catch((err: unknown) => deps.log?.warn({ err }, 'review sync pass failed'))
      .finally(() => (running = false));
  };
  const timer = setInterval(() => void tick(), 5_000);
  void tick();
  return async () => clearInterval(timer);
}
