import { eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { syncClock, type ClockOutbox } from '../../temporal/clock-outbox.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { DISCLOSURE_REQUEST_WORKFLOW, disclosureRequestChangedSignal, disclosureRequestWorkflowIdOf } from '../../../workflows/messages.js';
import { disclosureRequests } from '../tables.js';

// PostgreSQL holds the request and its events; its workflow only keeps time. The request's side of the
// clock outbox (src/temporal/clock-outbox.ts); docs/disclosure-requests.md says how they stay consistent.

export const requestOutbox = (db: Database): ClockOutbox => ({
  workflowType: DISCLOSURE_REQUEST_WORKFLOW,
  workflowIdOf: disclosureRequestWorkflowIdOf,
  signal: disclosureRequestChangedSignal,
  input: (requestId) => ({ requestId }),
  async read(requestId) {
    const [row] = await db
      .select({ seq: disclosureRequests.changeSeq, clocked: sql<boolean>`${disclosureRequests.status} = 'in_progress'` })
      .from(disclosureRequests)
      .where(eq(disclosureRequests.id, requestId));
    return row;
  },
  async markSynced(requestId, seq) {
    await db
      .update(disclosureRequests)
      .set({ syncedSeq: sql`greatest(${disclosureRequests.syncedSeq}, ${seq})` })
      .where(eq(disclosureRequests.id, requestId));
  },
  async pending(limit) {
    const rows = await db
      .select({ id: disclosureRequests.id })
      .from(disclosureRequests)
      .where(gt(disclosureRequests.changeSeq, disclosureRequests.syncedSeq))
      .limit(limit);
    return rows.map((r) => r.id);
  },
});

/** Signals one request's workflow now; on failure the sweeper retries. */
export const syncRequestWorkflow = (
  deps: { db: Database; temporal?: TemporalGateway; log?: { warn(obj: object, msg: string): void } },
  requestId: number,
) => syncClock(deps, requestOutbox(deps.db), requestId);
