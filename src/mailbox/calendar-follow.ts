import { WorkflowNotFoundError } from '@temporalio/common';
import { inArray } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../db/client.js';
import type { TemporalGateway } from '../temporal/gateway.js';
import { calendarChangedSignal, workflowIdOf } from '../../workflows/messages.js';
import { OPEN_STATUSES } from './case-rules.js';
import { letters } from './tables.js';

/**
 * After any calendar change (a new year, or a corrected notice for a year already loaded): signals
 * every open letter whose deadline the current calendar changes, provisional or not; its workflow
 * recomputes it through an activity (audited, the department told) and re-arms its timers. Letters
 * the change leaves alone are not signalled. Never rejects (fire-and-forget callers). A letter whose
 * workflow has not started yet gets the new calendar when it starts (markWorkflowStarted); when
 * Temporal is unreachable the pass stops at the first failure instead of waiting on every letter.
 * `now` is the instant of the change, as the activity will judge it (the workflow's clock in tests).
 */
export async function signalChangedDeadlines(
  db: Database,
  temporal: TemporalGateway,
  calendar: CalendarService,
  now: Date = new Date(),
): Promise<number> {
  let signalled = 0;
  try {
    const open = await db
      .select({
        trackingNo: letters.trackingNo,
        clockStartedAt: letters.clockStartedAt,
        limitDays: letters.limitDays,
        dueDate: letters.dueDate,
        dueAt: letters.dueAt,
        dueProvisional: letters.dueProvisional,
      })
      .from(letters)
      .where(inArray(letters.status, [...OPEN_STATUSES]));
    // The same rule the activity applies, so a letter held at its old date is not signalled again and again.
    const stale = open.filter((r) => {
      const d = calendar.deadlineAfterChange(r.clockStartedAt, r.limitDays, r, now);
      return d.dueDate !== r.dueDate || d.provisional !== r.dueProvisional;
    });
    for (const row of stale) {
      try {
        await temporal.client.connection.withDeadline(Date.now() + 5_000, () =>
          temporal.client.workflow.getHandle(workflowIdOf(row.trackingNo)).signal(calendarChangedSignal),
        );
        signalled++;
      } catch (err) {
        // Not started yet (still in the outbox: it recomputes when it starts), or closed meanwhile.
        // Letters whose workflow is starting right now are signalled too, so none falls in between.
        if (err instanceof WorkflowNotFoundError) continue;
        break; // Temporal unreachable: the remaining signals would fail the same way
      }
    }
  } catch {
    // database unavailable: nothing signalled
  }
  return signalled;
}

/**
 * The worker process's part in a calendar change: a pass on every change (this process's calendar has
 * reloaded by then), and a periodic reconcile for signals lost while Temporal was unreachable.
 * Returns the function that stops both.
 */
export function followCalendarChanges(
  db: Database,
  temporal: TemporalGateway,
  calendar: CalendarService,
  log: Pick<FastifyBaseLogger, 'info'>,
  { reconcileEveryMs = 10 * 60_000 }: { reconcileEveryMs?: number } = {},
): () => Promise<void> {
  const off = calendar.onChange(() => {
    void signalChangedDeadlines(db, temporal, calendar).then((n) => log.info({ letters: n }, 'calendar changed: deadlines recomputing'));
  });
  const reconcile = setInterval(() => void signalChangedDeadlines(db, temporal, calendar), reconcileEveryMs);
  return async () => {
    off();
    clearInterval(reconcile);
  };
}
