import { and, eq, sql } from 'drizzle-orm';
import { recordAudit, systemActor, type Actor } from '../../audit/record.js';
import { chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { departments } from '../../departments/schema.js';
import { isOpen, isPingPong, refusal, type ActingStaff, type CaseAction, type CaseState } from '../../../workflows/letter-rules.js';
import { NotAllowedError } from '../errors.js';
import { queueOverdueNotice, queueWriterNotice } from '../notices.js';
import { limitDays } from '../rules.js';
import { convenienceItems, letterEvents, letters } from '../tables.js';

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
    pendingRejection: row.pendingRejection ? { reasonCode: row.pendingRejection.reasonCode, reason: row.pendingRejection.reason, byDepartmentId: row.pendingRejection.byDepartmentId } : null,
    dueSoonAt: dueSoonAtOf(deps.calendar, row.dueDate, deps.env.DUE_SOON_WORKING_DAYS, row.dueAt),
    dueAt: row.dueAt.getTime(),
    dueSoon: row.dueSoon,
    overdue: row.overdue,
  };
}

const notAllowed = (message: string) => new NotAllowedError(message);

async function lockLetter(tx: Executor, letterId: number): Promise<LetterRow> {
  const [row] = await tx.select().from(letters).where(eq(letters.id, letterId)).for('update');
  if (!row) throw notAllowed(`letter ${letterId} does not exist`);
  return row;
}

/** Inserts an event once per key; returns false when it was already written (an activity retry). */
async function addEvent(tx: Executor, event: typeof letterEvents.$inferInsert): Promise<boolean> {
  const inserted = await tx.insert(letterEvents).values(event).onConflictDoNothing({ target: letterEvents.eventKey }).returning({ id: letterEvents.id });
  return inserted.length > 0;
}

async function activeDepartment(tx: Executor, id: number): Promise<boolean> {
  const [d] = await tx.select({ active: departments.active }).from(departments).where(eq(departments.id, id));
  return d?.active === true;
}

/**
 * The workflow's first activity. A provisional deadline is recomputed from the original receipt here:
 * a calendar year loaded while the letter waited in the outbox (Temporal down) reached no workflow.
 */
export async function markWorkflowStarted(deps: CaseDeps, letterId: number, now: Date = new Date()): Promise<CaseState> {
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    if (row.dueProvisional && isOpen(row)) await recomputeAndAudit(tx, deps, row, now);
    if (!row.workflowStartedAt) {
      const [started] = await tx.update(letters).set({ workflowStartedAt: sql`now()` }).where(eq(letters.id, letterId)).returning({ at: letters.workflowStartedAt });
      row.workflowStartedAt = started!.at;
    }
    return stateOf(row, deps);
  });
}

/** A timer fired: flags the letter due soon or overdue (idempotent: the flag is only set once). */
export async function markDeadlineEvent(deps: CaseDeps, letterId: number, kind: 'due_soon' | 'overdue', now: Date): Promise<CaseState> {
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    const flag = kind === 'due_soon' ? row.dueSoon : row.overdue;
    // A timer set for a deadline that has since moved later (reclassification, calendar) is a no-op.
    const due = kind === 'due_soon' ? now.getTime() >= stateOf(row, deps).dueSoonAt : now.getTime() > row.dueAt.getTime();
    if (!flag && due && isOpen(row)) {
      const set = kind === 'due_soon' ? { dueSoon: true } : { dueSoon: true, overdue: true };
      await tx.update(letters).set({ ...set, updatedAt: now }).where(eq(letters.id, letterId));
      await addEvent(tx, { letterId, eventKey: `letter-${letterId}:${kind}:${row.dueAt.toISOString()}`, kind, isPublic: false, departmentId: row.departmentId, at: now });
      await recordAudit(tx, systemActor('deadline'), { action: `letter.${kind}`, recordType: 'letter', recordId: row.trackingNo, after: { dueAt: row.dueAt.toISOString() } });
      if (kind === 'overdue') await queueOverdueNotice(tx, row);
      Object.assign(row, set);
    }
    return stateOf(row, deps);
  });
}

/** Recomputes the deadline from the original receipt (calendar change or reclassification). */
async function recomputeDue(tx: Executor, deps: CaseDeps, row: LetterRow, days: number, now: Date) {
  const d = deps.calendar.deadline(row.receivedAt, days);
  const stillOverdue = now.getTime() > d.dueAt.getTime();
  const dueSoonAt = dueSoonAtOf(deps.calendar, d.dueDate, deps.env.DUE_SOON_WORKING_DAYS, d.dueAt);
  const changes = {
    limitDays: days,
    dueDate: d.dueDate,
    dueAt: d.dueAt,
    dueProvisional: d.provisional,
    // Flags follow the new deadline, so the workflow's timers fire again where needed.
    overdue: row.overdue && stillOverdue,
    dueSoon: row.dueSoon && now.getTime() >= dueSoonAt,
  };
  await tx.update(letters).set({ ...changes, updatedAt: now }).where(eq(letters.id, row.id));
  Object.assign(row, changes);
}

async function recomputeAndAudit(tx: Executor, deps: CaseDeps, row: LetterRow, now: Date) {
  const before = { dueDate: row.dueDate, provisional: row.dueProvisional };
  await recomputeDue(tx, deps, row, row.limitDays, now);
  if (before.dueDate !== row.dueDate || before.provisional !== row.dueProvisional) {
    await recordAudit(tx, systemActor('calendar'), { action: 'letter.deadline_recomputed', recordType: 'letter', recordId: row.trackingNo, before, after: { dueDate: row.dueDate, provisional: row.dueProvisional } });
  }
}

export async function recomputeDeadline(deps: CaseDeps, letterId: number, now: Date): Promise<CaseState> {
  // The signal may come from another process (the API's calendar.onChange) before this worker's
  // calendar has seen the NOTIFY: read the calendar afresh rather than recompute with a stale one.
  await deps.calendar.reload();
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    if (isOpen(row)) await recomputeAndAudit(tx, deps, row, now);
    return stateOf(row, deps);
  });
}

/**
 * Persists one staff action in a single transaction: the letter, its timeline event and the audit
 * row. The event key makes a retried activity a no-op.
 */
/**
 * `now` is the workflow's clock, so lateness is judged on the same time line as the timers
 * (identical to wall time in production; skipped time in tests).
 */
export async function applyCaseAction(deps: CaseDeps, letterId: number, action: CaseAction, staff: ActingStaff, eventKey: string, now: Date): Promise<CaseState> {
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    const [done] = await tx.select({ id: letterEvents.id }).from(letterEvents).where(eq(letterEvents.eventKey, eventKey));
    if (done) return stateOf(row, deps);
    const why = refusal(stateOf(row, deps), staff, action);
    if (why) throw notAllowed(why);

    const actorRole = staff.roles.includes('office') && (action.kind === 'arbitrate' || action.kind === 'reject' || staff.departmentId !== row.departmentId) ? 'office' : staff.roles.find((r) => r === 'handler' || r === 'dept_leader') ?? staff.roles[0] ?? 'none';
    const actor: Actor = { staffId: staff.staffId, username: staff.username, role: actorRole, ip: staff.ip, requestId: staff.requestId };
    const base = { letterId, eventKey, actorId: staff.staffId, departmentId: row.departmentId, at: now };
    const before = { status: row.status, departmentId: row.departmentId, type: row.type, dueDate: row.dueDate };
    const set: Partial<LetterRow> = {};

    switch (action.kind) {
      case 'answer': {
        Object.assign(set, { status: 'answered', answer: action.content, answeredAt: now, answeredBy: staff.staffId, closedLate: now.getTime() > row.dueAt.getTime() });
        await addEvent(tx, { ...base, kind: 'answered', isPublic: true, text: action.content });
        await queueWriterNotice(tx, row, eventKey, { kind: 'answered' });
        break;
      }
      case 'transfer': {
        if (!(await activeDepartment(tx, action.toDepartmentId))) throw notAllowed('目标处室不存在或已停用');
        if (isPingPong(stateOf(row, deps), action.toDepartmentId)) {
          // Sent back to a department it already left: a disputed transfer, the office decides.
          Object.assign(set, { status: 'in_arbitration', requestedDepartmentIds: [row.departmentId, action.toDepartmentId] });
          await addEvent(tx, { ...base, kind: 'transfer_disputed', isPublic: true, toDepartmentId: action.toDepartmentId, reasonCode: action.reasonCode, text: action.reason });
        } else {
          Object.assign(set, {
            departmentId: action.toDepartmentId,
            transferredFromDepartmentId: row.departmentId,
            visitedDepartmentIds: [...new Set([...row.visitedDepartmentIds, action.toDepartmentId])],
          });
          await addEvent(tx, { ...base, kind: 'transferred', isPublic: true, toDepartmentId: action.toDepartmentId, reasonCode: action.reasonCode, text: action.reason });
          await queueWriterNotice(tx, row, eventKey, { kind: 'transferred', toDepartmentId: action.toDepartmentId, reason: action.reason });
          if (deps.env.RESET_DEADLINE_ON_TRANSFER) {
            const d = deps.calendar.deadline(now, row.limitDays);
            Object.assign(set, { dueDate: d.dueDate, dueAt: d.dueAt, dueProvisional: d.provisional, dueSoon: false, overdue: false });
          }
        }
        break;
      }
      case 'dispute': {
        Object.assign(set, { status: 'in_arbitration', requestedDepartmentIds: [row.transferredFromDepartmentId!, row.departmentId] });
        await addEvent(tx, { ...base, kind: 'disputed', isPublic: true, toDepartmentId: row.transferredFromDepartmentId, text: action.reason });
        break;
      }
      case 'escalate': {
        Object.assign(set, { status: 'in_arbitration', requestedDepartmentIds: action.departmentIds });
        await addEvent(tx, { ...base, kind: 'escalated', isPublic: true, text: action.reason, data: { departmentIds: action.departmentIds } });
        break;
      }
      case 'arbitrate': {
        for (const id of [action.leadDepartmentId, ...action.assistingDepartmentIds]) {
          if (!(await activeDepartment(tx, id))) throw notAllowed(`处室 ${id} 不存在或已停用`);
        }
        const assisting = [...new Set(action.assistingDepartmentIds.filter((id) => id !== action.leadDepartmentId))];
        Object.assign(set, {
          status: 'processing',
          departmentId: action.leadDepartmentId,
          assistingDepartmentIds: assisting,
          transferredFromDepartmentId: null,
          pendingRejection: null,
          requestedDepartmentIds: [],
          visitedDepartmentIds: [...new Set([...row.visitedDepartmentIds, action.leadDepartmentId, ...assisting])],
        });
        await addEvent(tx, { ...base, kind: 'arbitrated', isPublic: true, toDepartmentId: action.leadDepartmentId, text: action.note, data: { assistingDepartmentIds: assisting } });
        break;
      }
      case 'opinion': {
        await addEvent(tx, { ...base, departmentId: staff.departmentId, kind: 'opinion', isPublic: false, text: action.content });
        break;
      }
      case 'reclassify': {
        if (action.convenienceItemId !== null) {
          if (action.type !== 'complaint') throw notAllowed('只有投诉可以选择便民服务事项');
          const [item] = await tx.select().from(convenienceItems).where(and(eq(convenienceItems.id, action.convenienceItemId), eq(convenienceItems.active, true)));
          if (!item) throw notAllowed('便民服务事项不存在或已停用');
        }
        Object.assign(set, { type: action.type, convenienceItemId: action.convenienceItemId });
        await recomputeDue(tx, deps, row, limitDays(deps.env, action.type, action.convenienceItemId), now);
        await addEvent(tx, { ...base, kind: 'reclassified', isPublic: false, text: action.reason, data: { type: action.type, convenienceItemId: action.convenienceItemId, dueDate: row.dueDate } });
        break;
      }
      case 'reject': {
        const byOffice = staff.roles.includes('office');
        if (byOffice) {
          Object.assign(set, { status: 'rejected', rejectReasonCode: action.reasonCode, rejectReason: action.reason, pendingRejection: null });
          await addEvent(tx, { ...base, kind: 'rejected', isPublic: true, reasonCode: action.reasonCode, text: action.reason });
          await queueWriterNotice(tx, row, eventKey, { kind: 'rejected', reason: action.reason });
        } else {
          Object.assign(set, { status: 'in_arbitration', pendingRejection: { reasonCode: action.reasonCode, reason: action.reason, byDepartmentId: row.departmentId, byStaffId: staff.staffId } });
          await addEvent(tx, { ...base, kind: 'rejection_requested', isPublic: false, reasonCode: action.reasonCode, text: action.reason });
        }
        break;
      }
    }
    if (Object.keys(set).length > 0) {
      await tx.update(letters).set({ ...set, updatedAt: now }).where(eq(letters.id, letterId));
      Object.assign(row, set);
    }
    await recordAudit(tx, actor, {
      action: `letter.${action.kind}`,
      recordType: 'letter',
      recordId: row.trackingNo,
      before,
      after: { status: row.status, departmentId: row.departmentId, type: row.type, dueDate: row.dueDate },
    });
    return stateOf(row, deps);
  });
}
