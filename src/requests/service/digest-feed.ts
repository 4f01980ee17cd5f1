// What the daily digest (src/digest) needs of disclosure requests: every open handling step (批办, 拟办,
// 签发) with its working-day limit (routing-rules.ts). The digest reads requests only through this function.
import { and, eq, inArray } from 'drizzle-orm';
import { chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { WorkingDayCalendar } from '../../calendar/working-days.js';
import type { Executor } from '../../db/client.js';
import { stepDueOn, type HandlingStep } from '../routing-rules.js';
import { disclosureRequests } from '../tables.js';

export interface DigestFeedRequestStep {
  requestId: number;
  number: string;
  step: Exclude<HandlingStep, 'signed'>;
  /** The holding department while it drafts; null while the office routes or signs. */
  departmentId: number | null;
  dueOn: string;
  /** The end of the due date, China time. */
  dueAt: Date;
}

/** Every request in progress at an open step, for system code only (the digest activity). One statement. */
export async function openRequestStepsForDigest(
  db: Executor,
  cal: Pick<WorkingDayCalendar, 'isWorkingDay' | 'addWorkingDays' | 'countWorkingDays'>,
): Promise<DigestFeedRequestStep[]> {
  const rows = await db
    .select()
    .from(disclosureRequests)
    .where(and(eq(disclosureRequests.status, 'in_progress'), inArray(disclosureRequests.handlingStep, ['routing', 'drafting', 'signing'])));
  return rows.map((r) => {
    const step = r.handlingStep as DigestFeedRequestStep['step'];
    const dueOn = stepDueOn(cal, step, r.stepSince!)!;
    return {
      requestId: r.id,
      number: r.number,
      step,
      departmentId: step === 'drafting' ? r.holdingDepartmentId : null,
      dueOn,
      dueAt: new Date(chinaMidnight(parseIsoDate(dueOn)! + 1).getTime() - 1),
    };
  });
}
