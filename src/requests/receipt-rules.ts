// When a disclosure request counts as received, by channel (条例 Art. 31; 国办公开办函〔2015〕207号): pure
// rules, the working-day calendar injected.
import { chinaDayOf, chinaMinuteOfDay, dayToIso } from '../calendar/china-time.js';
import type { ReceiptPolicy } from '../calendar/deadline.js';
import type { WorkingDays } from './clock-spans.js';

export const CHANNELS = ['online', 'post', 'in_person', 'fax', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  online: '网上申请',
  post: '邮寄',
  in_person: '当面提交',
  fax: '传真',
  email: '电子邮件',
};

export interface ReceiptFacts {
  /** In person: when the applicant handed it in. */
  submittedAt?: Date | null;
  /** Post: when the office signed for it (null for an ordinary letter). */
  signedForAt?: Date | null;
  /** Online, fax, an unsigned letter: when the office confirmed with the applicant. */
  confirmedAt?: Date | null;
  /** E-mail: when the mail system received it. */
  mailReceivedAt?: Date | null;
}

export interface Receipt {
  receivedAt: Date;
  receivedOn: string;
  startOn: string;
  basis: string;
}

/** The instant the request counts as received; undefined while the channel's fact is missing (an online request not yet confirmed). */
export function receiptInstant(channel: Channel, f: ReceiptFacts): { at: Date; basis: string } | undefined {
  const pick = (at: Date | null | undefined, basis: string) => (at ? { at, basis } : undefined);
  switch (channel) {
    case 'in_person':
      return pick(f.submittedAt, '当面提交，以提交之日为收到申请之日（条例第三十一条第（一）项）');
    case 'post':
      return f.signedForAt
        ? pick(f.signedForAt, '邮寄，以签收之日为收到申请之日（条例第三十一条第（二）项）')
        : pick(f.confirmedAt, '平常信件，以与申请人确认之日为收到申请之日（条例第三十一条第（二）项）');
    case 'online':
      return pick(f.confirmedAt, '网上申请，以双方确认之日为收到申请之日（条例第三十一条第（三）项）');
    case 'fax':
      return pick(f.confirmedAt, '传真，以传真收到并双方确认之日为收到申请之日（条例第三十一条第（三）项）');
    case 'email':
      return pick(f.mailReceivedAt, '电子邮件，以电子邮件系统接收之日为收到申请之日（国办公开办函〔2015〕207号）');
  }
}

/**
 * The receipt day and the day the count starts after. Like the mailbox (src/calendar/deadline.ts), under
 * the calendar's afterHoursNextDay setting a receipt after office hours or on a rest day counts as received
 * on the next working day; by default (the national reading, §6.1) only the receipt day itself is not counted.
 */
export function receiptOf(cal: WorkingDays, policy: ReceiptPolicy, channel: Channel, f: ReceiptFacts): Receipt | undefined {
  const instant = receiptInstant(channel, f);
  if (!instant) return undefined;
  const day = chinaDayOf(instant.at);
  let start = day;
  let basis = instant.basis;
  if (policy.afterHoursNextDay && (!cal.isWorkingDay(day) || chinaMinuteOfDay(instant.at) >= policy.officeEndMinute)) {
    start = cal.addWorkingDays(day, 1);
    basis += `；下班后或休息日收到，按本机关设置视为下一工作日（${dayToIso(start)}）收到`;
  }
  return { receivedAt: instant.at, receivedOn: dayToIso(day), startOn: dayToIso(start), basis };
}
