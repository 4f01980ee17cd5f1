import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { syncClock, type ClockOutbox } from '../../temporal/clock-outbox.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { DISCLOSURE_WORKFLOW, disclosureChangedSignal, disclosureWorkflowIdOf } from '../../../workflows/messages.js';
import { catalogueEntries, disclosureDocuments } from '../tables.js';

// PostgreSQL holds the register, the decisions and the catalogue; the document's workflow only keeps
// its clocks: the open catalogue round's deadline and a 不予公开 decision's re-review date. The
// document's side of the clock outbox (src/temporal/clock-outbox.ts); docs/architecture.md.

/** A document has a clock while a catalogue round is open and not yet overdue, or a re-review date is not yet reminded. */
const clockedSql = sql<boolean>`(
  exists (select 1 from ${catalogueEntries} e where e.document_id = ${disclosureDocuments.id} and e.status = 'open' and not e.overdue)
  or (${disclosureDocuments.reReviewOn} is not null and ${disclosureDocuments.reReviewRemindedFor} is distinct from ${disclosureDocuments.reReviewOn})
)`;

export const disclosureOutbox = (db: Database): ClockOutbox => ({
  workflowType: DISCLOSURE_WORKFLOW,
  workflowIdOf: disclosureWorkflowIdOf,
  signal: disclosureChangedSignal,
  input: (documentId) => ({ documentId }),
  async read(documentId) {
    const [row] = await db
      .select({ seq: disclosureDocuments.changeSeq, clocked: clockedSql })
      .from(disclosureDocuments)
      .where(eq(disclosureDocuments.id, documentId));
    return row;
  },
  async markSynced(documentId, seq) {
    await db
      .update(disclosureDocuments)
      .set({ syncedSeq: sql`greatest(${disclosureDocuments.syncedSeq}, ${seq})` })
      .where(eq(disclosureDocuments.id, documentId));
  },
  async pending(limit) {
    const rows = await db
      .select({ id: disclosureDocuments.id })
      .from(disclosureDocuments)
      .where(and(gt(disclosureDocuments.changeSeq, disclosureDocuments.syncedSeq)))
      .limit(limit);
    return rows.map((r) => r.id);
  },
});

/** Signals one document's workflow now; on failure the sweeper retries. */
export const syncDisclosureWorkflow = (
  deps: { db: Database; temporal?: TemporalGateway; log?: { warn(obj: object, msg: string): void } },
  documentId: number,
) => syncClock(deps, disclosureOutbox(deps.db), documentId);
