import { eq, sql } from 'drizzle-orm';
import { recordAudit, systemActor } from '../../audit/record.js';
import { chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { isOpen, type CaseState } from '../case-rules.js';
import { NotAllowedError } from '../errors.js';
import { queueDeadlineMovedNotice, queueOverdueNotice } from '../notices.js';
import { letterEvents, letters } from '../tables.js';

type LetterRow = typeof letters.$inferSelect;

export interface CaseDeps {
  db: Database;
  calendar: CalendarService;
  env: Env;
}

/** When the due-soon event fires: the start of the working day `DUE_SOON_WORKING_DAYS` before the due date. */
export function dueSoonAtOf(calendar: CalendarService, dueDate: string, dueSoonDays: number, dueAt: Date): number {
  if (dueSoonDays === 0) return dueAt.getTime();
  const before = calendar.current.workingDayBefore(parseIsoDate(dueDate)!, dueSoonDays);
  return before === undefined ? 0 : chinaMidnight(before).getTime();
}

export function stateOf(row: LetterRow, deps: Pick<CaseDeps, 'calendar' | 'env'>): CaseState {
  return {
    status: row.status,
    departmentId: row.departmentId,
    assistingDepartmentIds: row.assistingDepartmentIds,
    visitedDepartmentIds: row.visitedDepartmentIds,
    transferredFromDepartmentId: row.transferredFromDepartmentId,
    arbitrated: row.arbitratedAt !== null,
    onwardTransferAllowed: deps.env.ALLOW_ONWARD_TRANSFER,
    pendingRejection: row.pendingRejection
      ? {
          reasonCode: row.pendingRejection.reasonCode,
          reason: row.pendingRejection.reason,
          byDepartmentId: row.pendingRejection.byDepartmentId,
        }
      : null,
    dueSoonAt: dueSoonAtOf(deps.calendar, row.dueDate, deps.env.DUE_SOON_WORKING_DAYS, row.dueAt),
    dueAt: row.dueAt.getTime(),
    dueSoon: row.dueSoon,
    overdue: row.overdue,
  };
}

export const notAllowed = (message: string) => new NotAllowedError(message);

export async function lockLetter(tx: Executor, letterId: number): Promise<LetterRow> {
  const [row] = await tx.select().from(letters).where(eq(letters.id, letterId)).for('update');
  if (!row) throw notAllowed(`letter ${letterId} does not exist`);
  return row;
}

/** Inserts an event once per key; returns false when it was already written (an activity retry). */
export async function addEvent(tx: Executor, event: typeof letterEvents.$inferInsert): Promise<boolean> {
  const inserted = await tx
    .insert(letterEvents)
    .values(event)
    .onConflictDoNothing({ target: letterEvents.eventKey })
    .returning({ id: letterEvents.id });
  return inserted.length > 0;
}

/**
 * The workflow's first activity. A deadline the calendar has changed since intake is recomputed here:
 * a year loaded or corrected while the letter waited in the outbox (Temporal down) reached no workflow.
 */
export async function markWorkflowStarted(deps: CaseDeps, letterId: number, now: Date = new Date()): Promise<CaseState> {
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    if (isOpen(row) && calendarDisagrees(deps, row)) {
      // Rare (a calendar change since intake): make sure this process has the newest calendar first.
      await deps.calendar.reload();
      await followCalendar(tx, deps, row, now);
    }
    if (!row.workflowStartedAt) {
      const [started] = await tx
        .update(letters)
        .set({ workflowStartedAt: sql`now()` })
        .where(eq(letters.id, letterId))
        .returning({ at: letters.workflowStartedAt });
      row.workflowStartedAt = started!.at;
    }
    return stateOf(row, deps);
  });
}

/** Whether the current calendar gives the letter another deadline than the stored one (cheap: no I/O). */
const calendarDisagrees = (deps: Pick<CaseDeps, 'calendar'>, row: LetterRow) => {
  const d = deps.calendar.deadline(row.clockStartedAt, row.limitDays);
  return d.dueDate !== row.dueDate || d.provisional !== row.dueProvisional;
};

/** A timer fired: flags the letter due soon or overdue (idempotent: the flag is only set once). */
export async function markDeadlineEvent(deps: CaseDeps, letterId: number, kind: 'due_soon' | 'overdue', now: Date): Promise<CaseState> {
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    const flag = kind === 'due_soon' ? row.dueSoon : row.overdue;
    // A timer set for a deadline that has since moved later (reclassification, calendar) is a no-op.
    const due = kind === 'due_soon' ? now.getTime() >= stateOf(row, deps).dueSoonAt : now.getTime() > row.dueAt.getTime();
    if (!flag && due && isOpen(row)) {
      const set = kind === 'due_soon' ? { dueSoon: true } : { dueSoon: true, overdue: true };
      await tx
        .update(letters)
        .set({ ...set, updatedAt: now })
        .where(eq(letters.id, letterId));
      await addEvent(tx, {
        letterId,
        eventKey: `letter-${letterId}:${kind}:${row.dueAt.toISOString()}`,
        kind,
        isPublic: false,
        departmentId: row.departmentId,
        at: now,
      });
      await recordAudit(tx, systemActor('deadline'), {
        action: `letter.${kind}`,
        recordType: 'letter',
        recordId: row.trackingNo,
        after: { dueAt: row.dueAt.toISOString() },
      });
      if (kind === 'overdue') await queueOverdueNotice(tx, row);
      Object.assign(row, set);
    }
    return stateOf(row, deps);
  });
}

/** Writes a deadline onto the row; the flags follow it, so the workflow's timers fire again where needed. */
async function writeDeadline(
  tx: Executor,
  deps: CaseDeps,
  row: LetterRow,
  days: number,
  d: { dueDate: string; dueAt: Date; provisional: boolean },
  now: Date,
) {
  const dueSoonAt = dueSoonAtOf(deps.calendar, d.dueDate, deps.env.DUE_SOON_WORKING_DAYS, d.dueAt);
  const changes = {
    limitDays: days,
    dueDate: d.dueDate,
    dueAt: d.dueAt,
    dueProvisional: d.provisional,
    overdue: row.overdue && now.getTime() > d.dueAt.getTime(),
    dueSoon: row.dueSoon && now.getTime() >= dueSoonAt,
  };
  await tx
    .update(letters)
    .set({ ...changes, updatedAt: now })
    .where(eq(letters.id, row.id));
  Object.assign(row, changes);
}

/** Reclassification: the new limit counted from the clock's start (the receipt, or the transfer that restarted it). */
export async function recomputeDue(tx: Executor, deps: CaseDeps, row: LetterRow, days: number, now: Date) {
  await writeDeadline(tx, deps, row, days, deps.calendar.deadline(row.clockStartedAt, days), now);
}

/**
 * After a calendar change: the deadline from the clock's start under the current calendar, never
 * earlier than the earliest-move rule allows (deadlineAfterCalendarChange). A change is audited, and
 * the handling department is told when the date moves. Nothing is written for a letter it leaves alone.
 */
async function followCalendar(tx: Executor, deps: CaseDeps, row: LetterRow, now: Date) {
  const before = { dueDate: row.dueDate, dueAt: row.dueAt, provisional: row.dueProvisional };
  const d = deps.calendar.deadlineAfterChange(row.clockStartedAt, row.limitDays, before, now);
  if (d.dueDate === before.dueDate && d.provisional === before.provisional) return;
  const byRule = deps.calendar.deadline(row.clockStartedAt, row.limitDays).dueDate;
  await writeDeadline(tx, deps, row, row.limitDays, d, now);
  await recordAudit(tx, systemActor('calendar'), {
    action: 'letter.deadline_recomputed',
    recordType: 'letter',
    recordId: row.trackingNo,
    before: { dueDate: before.dueDate, provisional: before.provisional },
    after: { dueDate: row.dueDate, provisional: row.dueProvisional, ...(d.held ? { held: true, byRule } : {}) },
  });
  if (row.dueDate !== before.dueDate) {
    await queueDeadlineMovedNotice(tx, row, { fromDate: before.dueDate, fromAt: before.dueAt, byRule, held: d.held, at: now });
  }
}

export async function recomputeDeadline(deps: CaseDeps, letterId: number, now: Date): Promise<CaseState> {
  // The signal may come from another process (the API's calendar.onChange) before this worker's
  // calendar has seen the NOTIFY: read the calendar afresh rather than recompute with a stale one.
  await deps.calendar.reload();
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    if (isOpen(row)) await followCalendar(tx, deps, row, now);
    return stateOf(row, deps);
  });
}
