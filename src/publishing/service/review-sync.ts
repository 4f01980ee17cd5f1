import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { syncClock, syncPendingClocks, type ClockOutbox } from '../../temporal/clock-outbox.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { REVIEW_WORKFLOW, reviewChangedSignal, reviewWorkflowIdOf } from '../../../workflows/messages.js';
import { CLOCKED_STATUSES } from '../rules.js';
import { reviewForms } from '../tables.js';

// PostgreSQL holds the chain; the review workflow only keeps its clocks (a step's time limit, a
// scheduled publication). The review form's side of the clock outbox (src/temporal/clock-outbox.ts):
// every change bumps review_forms.change_seq; docs/architecture.md.

type Log = { warn(obj: object, msg: string): void };

export const reviewOutbox = (db: Database): ClockOutbox => ({
  workflowType: REVIEW_WORKFLOW,
  workflowIdOf: reviewWorkflowIdOf,
  signal: reviewChangedSignal,
  input: (formId) => ({ formId }),
  async read(formId) {
    const [row] = await db
      .select({ seq: reviewForms.changeSeq, status: reviewForms.status })
      .from(reviewForms)
      .where(eq(reviewForms.id, formId));
    return row && { seq: row.seq, clocked: (CLOCKED_STATUSES as readonly string[]).includes(row.status) };
  },
  async markSynced(formId, seq) {
    await db
      .update(reviewForms)
      .set({ syncedSeq: sql`greatest(${reviewForms.syncedSeq}, ${seq})` })
      .where(eq(reviewForms.id, formId));
  },
  async pending(limit) {
    const rows = await db
      .select({ id: reviewForms.id })
      .from(reviewForms)
      .where(and(gt(reviewForms.changeSeq, reviewForms.syncedSeq)))
      .limit(limit);
    return rows.map((r) => r.id);
  },
});

/** Signals one form's workflow now; on failure the sweeper retries. */
export const syncReviewWorkflow = (deps: { db: Database; temporal?: TemporalGateway; log?: Log }, formId: number) =>
  syncClock(deps, reviewOutbox(deps.db), formId);

/** One pass of the sweeper: every form whose last change its workflow has not seen. */
export const syncPendingReviews = (deps: { db: Database; temporal: TemporalGateway; log?: Log }) =>
  syncPendingClocks(deps, reviewOutbox(deps.db));
