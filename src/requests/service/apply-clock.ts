import { eq } from 'drizzle-orm';
import { recordAudit, systemActor } from '../../audit/record.js';
import { chinaMidnight, dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Database } from '../../db/client.js';
import { REMINDER_WORKING_DAYS_BEFORE } from '../rules.js';
import { queueAbandonedNotice, queueDeadlineReminder, queueOverdueNotice } from '../notices.js';
import { disclosureRequestEvents, disclosureRequests } from '../tables.js';
import { chinaToday, clockOfRow, eventsOf } from './clock.js';

/** What the request's workflow waits for next (workflows/clock-loop.ts). */
export interface RequestClockReply {
  clocked: boolean;
  nextAt: number | null;
  noticeQueued: boolean;
}

/** What the 告知书 of a lapsed period says (条例 Art. 30; 109号). */
const ABANDONMENT_REASONS = {
  other_no_correction: (due: string) => `补正期限于${due}届满，本机关未收到您的补正材料，您亦未说明正当理由`,
  other_fee_unpaid: (due: string) => `缴费期限于${due}届满，本机关未收到您缴纳的信息处理费`,
} as const;

/** The first instant of the China day after `iso`: a period ending on `iso` has lapsed then. */
const dayAfter = (iso: string) => chinaMidnight(parseIsoDate(iso)! + 1).getTime();
const startOf = (iso: string) => chinaMidnight(parseIsoDate(iso)!).getTime();

/**
 * The request workflow's one activity: reads the request and its events from PostgreSQL (the record),
 * computes the clock with the pure rules (clock-rules.ts) as of the workflow's `nowMs`, does what is due
 * and says when to look again. Due: a lapsed 补正 or fee period concludes the request (条例 Art. 30: other_no_correction;
 * 109号: other_fee_unpaid); the office is reminded REMINDER_WORKING_DAYS_BEFORE working days before the answer
 * deadline and told once it has passed. Idempotent under the row lock: a retry or a late wake-up does nothing twice.
 */
export async function applyRequestClock(
  deps: { db: Database; calendar: CalendarService },
  requestId: number,
  nowMs: number,
): Promise<RequestClockReply> {
  const now = new Date(nowMs);
  const today = chinaToday(now);
  const cal = deps.calendar.current;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(disclosureRequests).where(eq(disclosureRequests.id, requestId)).for('update');
    if (!row || row.status !== 'in_progress') return { clocked: false, nextAt: null, noticeQueued: false };
    const events = await eventsOf(tx, requestId);
    const clock = clockOfRow(cal, row, events, today)!;
    const system = systemActor('request-clock');
    if (clock.abandonment) {
      // Concluded on the first day after the period, also when the workflow wakes late (the worker was down).
      const due = clock.lapsedPeriodEnd!;
      const lapsedOn = dayToIso(parseIsoDate(due)! + 1);
      // The letter's reasons (answer-letter.ts requires them for 其他处理): the period and the day it ended.
      const reasons = ABANDONMENT_REASONS[clock.abandonment](due);
      const [event] = await tx
        .insert(disclosureRequestEvents)
        .values({ requestId, kind: 'concluded', on: lapsedOn, outcome: clock.abandonment, detail: reasons, actorUsername: system.username })
        .returning();
      await tx
        .update(disclosureRequests)
        .set({ status: 'concluded', outcome: clock.abandonment, concludedOn: lapsedOn, clockState: 'abandoned', deadline: null, reasons })
        .where(eq(disclosureRequests.id, requestId));
      await queueAbandonedNotice(tx, requestId, row.number, clock.abandonment, due);
      await recordAudit(tx, system, {
        action: 'request.abandoned',
        recordType: 'disclosure_request',
        recordId: requestId,
        after: { outcome: clock.abandonment, eventId: event!.id },
      });
      return { clocked: false, nextAt: null, noticeQueued: true };
    }
    let noticeQueued = false;
    const next: number[] = [];
    if (clock.supplementDue) next.push(dayAfter(clock.supplementDue));
    if (clock.feeDue) next.push(dayAfter(clock.feeDue));
    const updates: Partial<typeof disclosureRequests.$inferInsert> = {};
    if (clock.state !== row.clockState || clock.deadline !== row.deadline)
      Object.assign(updates, { clockState: clock.state, deadline: clock.deadline });
    if (clock.deadline) {
      const remindOn = cal.workingDayBefore(parseIsoDate(clock.deadline)!, REMINDER_WORKING_DAYS_BEFORE);
      const remindIso = remindOn === undefined ? today : dayToIso(remindOn);
      if (row.remindedFor !== clock.deadline) {
        if (today >= remindIso && today <= clock.deadline) {
          await queueDeadlineReminder(tx, requestId, row.number, clock.deadline);
          updates.remindedFor = clock.deadline;
          noticeQueued = true;
        } else if (today < remindIso) next.push(startOf(remindIso));
      }
      if (row.overdueFor !== clock.deadline) {
        if (today > clock.deadline) {
          await queueOverdueNotice(tx, requestId, row.number, clock.deadline);
          updates.overdueFor = clock.deadline;
          noticeQueued = true;
        } else next.push(dayAfter(clock.deadline));
      }
    }
    // A consultation's 15 working days ending turns a paused clock back to running (the cached state follows).
    for (const c of clock.openConsultations) if (c.windowEnd >= today) next.push(dayAfter(c.windowEnd));
    if (Object.keys(updates).length) await tx.update(disclosureRequests).set(updates).where(eq(disclosureRequests.id, requestId));
    // Still clocked while in progress: a change (an event) can always bring a new instant.
    return { clocked: true, nextAt: next.length ? Math.min(...next) : null, noticeQueued };
  });
}
