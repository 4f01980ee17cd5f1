// Delivery of the answer (国办公开办函〔2016〕235号): the decision is a formal document delivered directly,
// through another agency, or by post (postal enterprises only). Whether the answer was in time is judged on
// one day: posted → the day it was handed to the post (交邮之日); direct or via an agency → the day the
// applicant signs (签收之日). Not the day the office decided. Pure rules, China dates (YYYY-MM-DD).
import { parseIsoDate } from '../calendar/china-time.js';

export const DELIVERY_METHOD_LABELS = {
  post: '邮寄送达',
  direct: '直接送达',
  via_agency: '委托其他机关代为送达',
} as const;
export type DeliveryMethod = keyof typeof DELIVERY_METHOD_LABELS;
export const DELIVERY_METHODS = Object.keys(DELIVERY_METHOD_LABELS) as [DeliveryMethod, ...DeliveryMethod[]];

/** What is recorded for a delivery: the day of posting for post, the day signed for otherwise. */
export type Delivery = { method: 'post'; postedOn: string; signedOn?: string } | { method: 'direct' | 'via_agency'; signedOn: string };

export interface DeliveryJudgement {
  /** The day that counts for the deadline. */
  countsOn: string;
  /** 交邮日 or 签收日. */
  countsAs: '交邮日' | '签收日';
  inTime: boolean;
  /** Calendar days after the deadline (0 when in time). */
  daysLate: number;
  /** One sentence for the record and the staff page. */
  explanation: string;
}

const BASIS = '国办公开办函〔2016〕235号';

function day(iso: string, what: string): number {
  const d = parseIsoDate(iso);
  if (d === undefined) throw new RangeError(`${what} is not a date: ${iso}`);
  return d;
}

/** The day that counts for "answered in time" (235号). */
export function deliveryCountsOn(delivery: Delivery): { countsOn: string; countsAs: '交邮日' | '签收日' } {
  return delivery.method === 'post'
    ? { countsOn: delivery.postedOn, countsAs: '交邮日' }
    : { countsOn: delivery.signedOn, countsAs: '签收日' };
}

/**
 * Whether the delivery met the answer deadline, a China date (the last working day of the period, as the
 * clock rules compute it): in time on or before that day, late after it.
 */
export function judgeDelivery(delivery: Delivery, deadline: string): DeliveryJudgement {
  const { countsOn, countsAs } = deliveryCountsOn(delivery);
  // A letter cannot be signed for before it was posted: a record saying so is a typing error.
  if (delivery.method === 'post' && delivery.signedOn && day(delivery.signedOn, '签收日') < day(delivery.postedOn, '交邮日'))
    throw new RangeError(`signed for (${delivery.signedOn}) before it was posted (${delivery.postedOn})`);
  const late = day(countsOn, countsAs) - day(deadline, 'deadline');
  const inTime = late <= 0;
  const how = DELIVERY_METHOD_LABELS[delivery.method];
  const explanation = inTime
    ? `${how}，以${countsAs}（${countsOn}）为准，在答复期限（${deadline}）内（${BASIS}）。`
    : `${how}，以${countsAs}（${countsOn}）为准，超过答复期限（${deadline}）${late}日（${BASIS}）。`;
  return { countsOn, countsAs, inTime, daysLate: Math.max(0, late), explanation };
}
