import { and, eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '../../audit/record.js';
import { refusal, type ActingStaff, type CaseAction, type CaseState } from '../case-rules.js';
import { queueArbitrationNotices, queueOfficeNotice, queueWriterNotice } from '../notices.js';
import { limitDays } from '../rules.js';
import { convenienceItems, letterEvents, letters } from '../tables.js';
import { isActiveDepartment } from '../../departments/service.js';
import { addEvent, lockLetter, notAllowed, recomputeDue, stateOf, type CaseDeps } from './case-records.js';
import { applyTransfer } from './transfer-action.js';

type LetterRow = typeof letters.$inferSelect;

/**
 * Persists one staff action in a single transaction: the letter, its timeline event, the notices it
 * causes and the audit row. The event key makes a retried activity a no-op (nothing is written or
 * queued twice). `now` is the workflow's clock, so lateness is judged on the same time line as the timers
 * (identical to wall time in production; skipped time in tests).
 */
export async function applyCaseAction(
  deps: CaseDeps,
  letterId: number,
  action: CaseAction,
  staff: ActingStaff,
  eventKey: string,
  now: Date,
): Promise<CaseState> {
  return deps.db.transaction(async (tx) => {
    const row = await lockLetter(tx, letterId);
    const [done] = await tx.select({ id: letterEvents.id }).from(letterEvents).where(eq(letterEvents.eventKey, eventKey));
    if (done) return stateOf(row, deps);
    const why = refusal(stateOf(row, deps), staff, action);
    if (why) throw notAllowed(why);

    const actorRole =
      staff.roles.includes('office') && (action.kind === 'arbitrate' || action.kind === 'reject' || staff.departmentId !== row.departmentId)
        ? 'office'
        : (staff.roles.find((r) => r === 'handler' || r === 'dept_leader') ?? staff.roles[0] ?? 'none');
    const actor: Actor = { staffId: staff.staffId, username: staff.username, role: actorRole, ip: staff.ip, requestId: staff.requestId };
    const base = { letterId, eventKey, actorId: staff.staffId, departmentId: row.departmentId, at: now };
    const before = { status: row.status, departmentId: row.departmentId, type: row.type, dueDate: row.dueDate };
    const set: Partial<LetterRow> = {};

    switch (action.kind) {
      case 'answer': {
        const late = now.getTime() > row.dueAt.getTime();
        Object.assign(set, { status: 'answered', answer: action.content, answeredAt: now, answeredBy: staff.staffId, closedLate: late });
        // The round's clock and deadline as they stood: a reopening later overwrites them on the row, and
        // the public statistics judge each letter by its first answer (service/statistics.ts).
        const round = { clockStartedAt: row.clockStartedAt.toISOString(), dueAt: row.dueAt.toISOString(), late };
        await addEvent(tx, { ...base, kind: 'answered', isPublic: true, text: action.content, data: round });
        await queueWriterNotice(tx, deps.env.SITE_NAME, row, eventKey, { kind: 'answered' });
        break;
      }
      case 'transfer': {
        Object.assign(set, await applyTransfer(tx, deps, row, action, base, now));
        break;
      }
      case 'dispute': {
        Object.assign(set, { status: 'in_arbitration', requestedDepartmentIds: [row.transferredFromDepartmentId!, row.departmentId] });
        await addEvent(tx, {
          ...base,
          kind: 'disputed',
          isPublic: true,
          toDepartmentId: row.transferredFromDepartmentId,
          text: action.reason,
        });
        await queueOfficeNotice(tx, row, eventKey, { kind: 'disputed', byDepartmentId: row.departmentId, reason: action.reason });
        break;
      }
      case 'escalate': {
        Object.assign(set, { status: 'in_arbitration', requestedDepartmentIds: action.departmentIds });
        await addEvent(tx, {
          ...base,
          kind: 'escalated',
          isPublic: true,
          text: action.reason,
          data: { departmentIds: action.departmentIds },
        });
        await queueOfficeNotice(tx, row, eventKey, { kind: 'escalated', byDepartmentId: row.departmentId, reason: action.reason });
        break;
      }
      case 'arbitrate': {
        for (const id of [action.leadDepartmentId, ...action.assistingDepartmentIds]) {
          if (!(await isActiveDepartment(tx, id))) throw notAllowed(`处室 ${id} 不存在或已停用`);
        }
        const assisting = [...new Set(action.assistingDepartmentIds.filter((id) => id !== action.leadDepartmentId))];
        Object.assign(set, {
          status: 'processing',
          arbitratedAt: now,
          departmentId: action.leadDepartmentId,
          assistingDepartmentIds: assisting,
          transferredFromDepartmentId: null,
          pendingRejection: null,
          requestedDepartmentIds: [],
          visitedDepartmentIds: [...new Set([...row.visitedDepartmentIds, action.leadDepartmentId, ...assisting])],
        });
        await addEvent(tx, {
          ...base,
          kind: 'arbitrated',
          isPublic: true,
          toDepartmentId: action.leadDepartmentId,
          text: action.note,
          data: { assistingDepartmentIds: assisting },
        });
        await queueArbitrationNotices(tx, row, eventKey, {
          leadDepartmentId: action.leadDepartmentId,
          assistingDepartmentIds: assisting,
          note: action.note,
        });
        break;
      }
      case 'opinion': {
        await addEvent(tx, { ...base, departmentId: staff.departmentId, kind: 'opinion', isPublic: false, text: action.content });
        break;
      }
      case 'reclassify': {
        let itemName: string | null = null;
        if (action.convenienceItemId !== null) {
          if (action.type !== 'complaint') throw notAllowed('只有投诉可以选择便民服务事项');
          const [item] = await tx
            .select()
            .from(convenienceItems)
            .where(and(eq(convenienceItems.id, action.convenienceItemId), eq(convenienceItems.active, true)));
          if (!item) throw notAllowed('便民服务事项不存在或已停用');
          itemName = item.name;
        }
        Object.assign(set, { type: action.type, convenienceItemId: action.convenienceItemId, convenienceItemName: itemName });
        await recomputeDue(tx, deps, row, limitDays(deps.env, action.type, action.convenienceItemId), now);
        await addEvent(tx, {
          ...base,
          kind: 'reclassified',
          isPublic: false,
          text: action.reason,
          data: { type: action.type, convenienceItemId: action.convenienceItemId, dueDate: row.dueDate },
        });
        break;
      }
      case 'reject': {
        const byOffice = staff.roles.includes('office');
        if (byOffice) {
          Object.assign(set, {
            status: 'rejected',
            rejectReasonCode: action.reasonCode,
            rejectReason: action.reason,
            pendingRejection: null,
          });
          await addEvent(tx, { ...base, kind: 'rejected', isPublic: true, reasonCode: action.reasonCode, text: action.reason });
          await queueWriterNotice(tx, deps.env.SITE_NAME, row, eventKey, { kind: 'rejected', reason: action.reason });
        } else {
          Object.assign(set, {
            status: 'in_arbitration',
            pendingRejection: {
              reasonCode: action.reasonCode,
              reason: action.reason,
              byDepartmentId: row.departmentId,
              byStaffId: staff.staffId,
            },
          });
          await addEvent(tx, { ...base, kind: 'rejection_requested', isPublic: false, reasonCode: action.reasonCode, text: action.reason });
        }
        break;
      }
    }
    if (Object.keys(set).length > 0) {
      await tx
        .update(letters)
        .set({ ...set, updatedAt: now })
        .where(eq(letters.id, letterId));
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
