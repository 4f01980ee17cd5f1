import { asc, eq } from 'drizzle-orm';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { WorkingDayCalendar } from '../../calendar/working-days.js';
import type { Executor } from '../../db/client.js';
import { CLOCK_STATE_LABELS, computeClock, type ClockEvent, type RequestClock } from '../clock-rules.js';
import { disclosureRequestEvents, disclosureRequests } from '../tables.js';

export type RequestRow = typeof disclosureRequests.$inferSelect;
export type EventRow = typeof disclosureRequestEvents.$inferSelect;

export const chinaToday = (now: Date) => dayToIso(chinaDayOf(now));

/** A stored event as the clock rules read it; a consultation is known by the id of its opening event. */
export function clockEventOf(e: EventRow): ClockEvent {
  switch (e.kind) {
    case 'correction_requested':
    case 'fee_notified':
      return { kind: e.kind, on: e.on, periodDays: e.days! };
    case 'consultation_opened':
      return { kind: e.kind, on: e.on, ref: e.id, party: e.party! };
    case 'consultation_closed':
      return { kind: e.kind, on: e.on, ref: e.consultationEventId! };
    case 'extended':
      return { kind: e.kind, on: e.on, days: e.days! };
    case 'later_date_set':
      return { kind: e.kind, on: e.on, date: e.laterDate! };
    default:
      return { kind: e.kind, on: e.on };
  }
}

export const eventsOf = (tx: Executor, requestId: number) =>
  tx
    .select()
    .from(disclosureRequestEvents)
    .where(eq(disclosureRequestEvents.requestId, requestId))
    .orderBy(asc(disclosureRequestEvents.id));

/** The request's clock as of `today`; undefined while it has no receipt date (awaiting confirmation). */
export function clockOfRow(cal: WorkingDayCalendar, row: RequestRow, events: EventRow[], today: string): RequestClock | undefined {
  if (!row.receivedOn || !row.startOn) return undefined;
  return computeClock(cal, {
    receivedOn: row.receivedOn,
    startOn: row.startOn,
    receiptBasis: row.receiptBasis ?? '',
    events: events.map(clockEventOf),
    today: today < row.receivedOn ? row.receivedOn : today,
  });
}

/** The clock as the lookup and staff pages show it. */
export function clockViewOf(clock: RequestClock | undefined) {
  if (!clock)
    return {
      state: null,
      stateLabel: '尚未确认收到，确认后开始计算答复期限（条例第三十一条）',
      receivedOn: null,
      deadline: null,
      correctionNoticeDue: null,
      supplementDue: null,
      feeDue: null,
      pausedWorkingDays: 0,
      extensionDays: 0,
      openConsultations: [],
      explanation: [],
    };
  return {
    state: clock.state,
    stateLabel: CLOCK_STATE_LABELS[clock.state],
    receivedOn: clock.receivedOn,
    deadline: clock.deadline,
    correctionNoticeDue: clock.correctionNoticeDue,
    supplementDue: clock.supplementDue,
    feeDue: clock.feeDue,
    pausedWorkingDays: clock.pausedWorkingDays,
    extensionDays: clock.extensionDays,
    openConsultations: clock.openConsultations,
    explanation: clock.explanation,
  };
}
