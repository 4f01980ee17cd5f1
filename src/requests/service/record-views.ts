import { dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import type { WorkingDayCalendar } from '../../calendar/working-days.js';
import { DELIVERY_METHOD_LABELS, judgeDelivery, type Delivery } from '../delivery-rules.js';
import { feeText } from '../fee-rules.js';
import type { EventRow, RequestRow } from './clock.js';

// What the views show of the stored letter facts: the fee of the latest notice, the delivery and its
// judgement, whether the answer letter can be fetched. Pure over the row and its events.

/** The conclusion was made by the workflow (a lapsed 补正 or fee period): its 告知书 needs no 签发 step. */
export const concludedBySystem = (events: EventRow[]) => {
  const c = [...events].reverse().find((e) => e.kind === 'concluded');
  return !!c && c.actorId === null && c.actorUsername.startsWith('system:');
};

/** The answer letter exists once the request is concluded and the answer signed (or the workflow concluded it). */
export const letterReady = (row: RequestRow, events: EventRow[]) =>
  row.status === 'concluded' && row.outcome !== null && (row.signedAt !== null || concludedBySystem(events));

/** The fee of the latest fee notice (109号) with the calculation lines shown to the applicant. */
export function feeViewOf(cal: Pick<WorkingDayCalendar, 'addWorkingDays'>, events: EventRow[]) {
  const notice = [...events].reverse().find((e) => e.kind === 'fee_notified' && e.fee);
  if (!notice?.fee) return null;
  const paid = events.some((e) => e.kind === 'fee_paid' && e.id > notice.id);
  return {
    method: notice.fee.method,
    quantity: notice.fee.quantity,
    amountYuan: notice.fee.calculation.amountYuan,
    notifiedOn: notice.on,
    dueOn: paid ? null : dayToIso(cal.addWorkingDays(parseIsoDate(notice.on)!, notice.days!)),
    paid,
    lines: feeText(notice.fee.calculation),
  };
}

/** The recorded delivery as the rules judge it (235号): the day that counts, in time or how late. */
export function deliveryOfRow(row: RequestRow): Delivery | null {
  if (!row.deliveryMethod) return null;
  return row.deliveryMethod === 'post'
    ? { method: 'post', postedOn: row.deliveryPostedOn!, ...(row.deliverySignedOn ? { signedOn: row.deliverySignedOn } : {}) }
    : { method: row.deliveryMethod, signedOn: row.deliverySignedOn! };
}

export function deliveryViewOf(row: RequestRow) {
  const d = deliveryOfRow(row);
  if (!d || !row.deliveryDeadline) return null;
  const j = judgeDelivery(d, row.deliveryDeadline);
  return {
    method: d.method,
    methodLabel: DELIVERY_METHOD_LABELS[d.method],
    postedOn: row.deliveryPostedOn,
    signedOn: row.deliverySignedOn,
    countsOn: j.countsOn,
    countsAs: j.countsAs,
    deadline: row.deliveryDeadline,
    inTime: j.inTime,
    daysLate: j.daysLate,
    explanation: j.explanation,
  };
}
