// The writer's satisfaction rating of an answer and the general office's follow-up of a 不满意
// (issue 14 points 6-7). Pure rules, no I/O: the service (service/rating.ts, service/reopen.ts) applies
// them under the letter's row lock; the statistics count the 'rated' events these features write.
import { z } from 'zod';
import type { Role } from '../auth/roles.js';
import { chinaDayOf, chinaMidnight, dayToIso } from '../calendar/china-time.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import { cnDate } from '../web/labels.js';

/** The ratings, declared once: the pgEnum, the zod enum and the type derive from it. */
export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
export const ratingSchema = z.enum(RATINGS, { error: '请选择满意、基本满意或不满意' });

/** What the general office decided on a 不满意, declared once like the ratings. */
export const DISSATISFACTION_DECISIONS = ['reopened', 'closed'] as const;
export type DissatisfactionDecision = (typeof DISSATISFACTION_DECISIONS)[number];

/** The writer's comment with a rating: optional and short. */
export const RATING_COMMENT_MAX = 500;

/** Who works the queue of 不满意 letters and decides them: the general office (办公室). */
export const DISSATISFACTION_DECIDERS = ['office'] as const satisfies readonly Role[];

/**
 * The last instant the writer may rate an answer: the end (24:00 China time) of the `days`-th working
 * day after the answer's China date, the day of the answer not counted (as deadlines count).
 */
export function ratingWindowEnd(cal: WorkingDayCalendar, answeredAt: Date, days: number): { date: string; endsAt: Date } {
  const last = cal.addWorkingDays(chinaDayOf(answeredAt), days);
  return { date: dayToIso(last), endsAt: new Date(chinaMidnight(last + 1).getTime() - 1) };
}

/** The facts a rating depends on: the letter's state and the rating given in its current round, if any. */
export interface RatingFacts {
  status: string;
  answeredAt: Date | null;
  /** A rating already given for the current answer round. */
  ratedThisRound: boolean;
  windowEnd: { date: string; endsAt: Date } | null;
}

/** Why the writer may not rate now (shown to them, in Chinese), or null when they may. */
export function ratingRefusal(f: RatingFacts, now: Date): string | null {
  if (f.status !== 'answered' || !f.answeredAt || !f.windowEnd) return '信件尚未答复，答复后才能评价';
  if (f.ratedThisRound) return '您已评价过本次答复，每次答复只能评价一次';
  if (now.getTime() > f.windowEnd.endsAt.getTime()) return `评价期限已于${cnDate(f.windowEnd.date)}结束，不能再评价`;
  return null;
}
