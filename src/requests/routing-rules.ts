// Point 9's handling route (批办, measures Art. 32): the general office routes the request to the department
// that holds the information, the department drafts the answer, the office head signs. Each step has a
// working-day limit, listed in the daily digest and sent to the office once overdue. The limits are the
// bureau's own (no national number exists); together (2 + 10 + 3) they leave 5 of the 20 working days for
// the answer letter and its delivery.
import { dayToIso, parseIsoDate } from '../calendar/china-time.js';
import type { WorkingDays } from './clock-spans.js';

export const HANDLING_STEPS = ['routing', 'drafting', 'signing', 'signed'] as const;
export type HandlingStep = (typeof HANDLING_STEPS)[number];
export const HANDLING_STEP_LABELS: Record<HandlingStep, string> = {
  routing: '办公室批办',
  drafting: '承办处室拟办答复',
  signing: '办公室负责人签发',
  signed: '已签发',
};

/** Working days each open step may take, counted from the day it began (that day not counted). */
export const STEP_LIMIT_WORKING_DAYS: Record<Exclude<HandlingStep, 'signed'>, number> = { routing: 2, drafting: 10, signing: 3 };

/** The last day of an open step begun on `since`; null once signed. */
export function stepDueOn(cal: WorkingDays, step: HandlingStep, since: string): string | null {
  if (step === 'signed') return null;
  return dayToIso(cal.addWorkingDays(parseIsoDate(since)!, STEP_LIMIT_WORKING_DAYS[step]));
}

/** What each step accepts next, and who: the office routes and signs, the holding department drafts. */
export const NEXT_STEP: Record<'route' | 'draft' | 'sign', { from: HandlingStep[]; to: HandlingStep }> = {
  // The office may route again (a wrong department) until the answer is signed.
  route: { from: ['routing', 'drafting'], to: 'drafting' },
  draft: { from: ['drafting', 'signing'], to: 'signing' },
  sign: { from: ['signing'], to: 'signed' },
};
