import { eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { syncClock, type ClockOutbox } from '../../temporal/clock-outbox.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { LINK_APPLICATION_WORKFLOW, linkApplicationChangedSignal, linkApplicationWorkflowIdOf } from '../../../workflows/messages.js';
import { linkApplications } from '../tables.js';

// The application's side of the clock outbox (src/temporal/clock-outbox.ts): PostgreSQL holds the
// application; its workflow keeps the open step's time limit.

/** An application has a clock while a step is open and not yet marked overdue. */
const clockedSql = sql<boolean>`(${linkApplications.stepDueAt} is not null and not ${linkApplications.stepOverdue})`;

export const linkOutbox = (db: Database): ClockOutbox => ({
  workflowType: LINK_APPLICATION_WORKFLOW,
  workflowIdOf: linkApplicationWorkflowIdOf,
  signal: linkApplicationChangedSignal,
  input: (applicationId) => ({ applicationId }),
  async read(id) {
    const [row] = await db
      .select({ seq: linkApplications.changeSeq, clocked: clockedSql })
      .from(linkApplications)
      .where(eq(linkApplications.id, id));
    return row;
  },
  async markSynced(id, seq) {
    await db
      .update(linkApplications)
      .set({ syncedSeq: sql`greatest(${linkApplications.syncedSeq}, ${seq})` })
      .where(eq(linkApplications.id, id));
  },
  async pending(limit) {
    const rows = await db
      .select({ id: linkApplications.id })
      .from(linkApplications)
      .where(gt(linkApplications.changeSeq, linkApplications.syncedSeq))
      .limit(limit);
    return rows.map((r) => r.id);
  },
});

export const syncLinkWorkflow = (
  deps: { db: Database; temporal?: TemporalGateway; log?: { warn(obj: object, msg: string): void } },
  applicationId: number,
) => syncClock(deps, linkOutbox(deps.db), applicationId);
