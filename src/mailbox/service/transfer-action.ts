import { and, desc, eq } from 'drizzle-orm';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { isActiveDepartment } from '../../departments/service.js';
import { isPingPong, type CaseAction } from '../case-rules.js';
import { queueOfficeNotice, queueTransferNotice, queueWriterNotice } from '../notices.js';
import { transferLateness } from '../rules.js';
import { letterEvents, letters } from '../tables.js';
import { addEvent, notAllowed, stateOf, type CaseDeps } from './case-records.js';

type LetterRow = typeof letters.$inferSelect;
type Transfer = Extract<CaseAction, { kind: 'transfer' }>;
type EventBase = Pick<typeof letterEvents.$inferInsert, 'letterId' | 'eventKey' | 'actorId' | 'departmentId' | 'at'>;

/**
 * When the department that has the letter received it: the letter's receipt for the first department,
 * else the transfer that brought it there (a receiving department transfers only with ALLOW_ONWARD_TRANSFER).
 */
async function receivedByDepartmentAt(tx: Executor, row: LetterRow): Promise<Date> {
  if (row.transferredFromDepartmentId === null) return row.receivedAt;
  const [last] = await tx
    .select({ at: letterEvents.at })
    .from(letterEvents)
    .where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.kind, 'transferred'), eq(letterEvents.toDepartmentId, row.departmentId)))
    .orderBy(desc(letterEvents.id))
    .limit(1);
  return last?.at ?? row.receivedAt;
}

/**
 * A transfer (Art. 22), inside applyCaseAction's transaction; answers the letter's changed columns.
 * Back to a department the letter already left, it is a disputed transfer and goes to the office.
 * Otherwise the case moves, the event records whether it was late ("立即转交"), and the receiving
 * department and the writer are told, each notice once per event key.
 */
export async function applyTransfer(
  tx: Executor,
  deps: CaseDeps,
  row: LetterRow,
  action: Transfer,
  base: EventBase,
  now: Date,
): Promise<Partial<LetterRow>> {
  if (!(await isActiveDepartment(tx, action.toDepartmentId))) throw notAllowed('目标处室不存在或已停用');
  const event = { ...base, isPublic: true, toDepartmentId: action.toDepartmentId, reasonCode: action.reasonCode, text: action.reason };
  if (isPingPong(stateOf(row, deps), action.toDepartmentId)) {
    await addEvent(tx, { ...event, kind: 'transfer_disputed' });
    await queueOfficeNotice(tx, row, base.eventKey, { kind: 'transfer_disputed', byDepartmentId: row.departmentId, reason: action.reason });
    return { status: 'in_arbitration', requestedDepartmentIds: [row.departmentId, action.toDepartmentId] };
  }
  const received = await receivedByDepartmentAt(tx, row);
  const { expectedBy, late } = transferLateness(
    (at, n) => deps.calendar.deadline(at, n),
    received,
    deps.env.TRANSFER_EXPECTED_WORKING_DAYS,
    now,
  );
  await addEvent(tx, { ...event, kind: 'transferred', late, data: { expectedBy: formatChinaDateTime(expectedBy) } });
  await queueTransferNotice(tx, row, base.eventKey, {
    fromDepartmentId: row.departmentId,
    toDepartmentId: action.toDepartmentId,
    reason: action.reason,
  });
  await queueWriterNotice(tx, deps.env.SITE_NAME, row, base.eventKey, {
    kind: 'transferred',
    toDepartmentId: action.toDepartmentId,
    reason: action.reason,
  });
  const set: Partial<LetterRow> = {
    departmentId: action.toDepartmentId,
    transferredFromDepartmentId: row.departmentId,
    visitedDepartmentIds: [...new Set([...row.visitedDepartmentIds, action.toDepartmentId])],
  };
  if (deps.env.RESET_DEADLINE_ON_TRANSFER) {
    // The clock restarts here and is stored, so later recomputes (reclassification, calendar) count from it.
    const d = deps.calendar.deadline(now, row.limitDays);
    Object.assign(set, {
      clockStartedAt: now,
      dueDate: d.dueDate,
      dueAt: d.dueAt,
      dueProvisional: d.provisional,
      dueSoon: false,
      overdue: false,
    });
  }
  return set;
}
