import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { OPEN_STATUSES } from '../case-rules.js';
import { letters } from '../tables.js';

/**
 * After a restore, or after Temporal lost its state: every open letter goes back into the workflow
 * outbox (src/mailbox/workflow-starter.ts), which starts its workflow again. The new run takes the
 * deadline and the due-soon and overdue flags from the row (markWorkflowStarted), so deadlines are
 * unchanged and a flag already set is not set, or notified, again. Where the workflow still runs, the
 * start finds it (USE_EXISTING) and nothing doubles. Closed letters keep their finished workflow.
 */
export async function requeueOpenLetters(db: Executor): Promise<number> {
  const rows = await db
    .update(letters)
    .set({ workflowStartedAt: null, updatedAt: sql`now()` })
    .where(inArray(letters.status, [...OPEN_STATUSES]))
    .returning({ id: letters.id });
  return rows.length;
}
