import { z } from 'zod';
import { id32, requiredText, safeString } from '../server/schema-types.js';
import { RATING_COMMENT_MAX, ratingSchema, RATINGS } from './rating-rules.js';

/** The writer's rating: 满意 / 基本满意 / 不满意 and an optional comment. */
export const ratingBody = z.object({
  rating: ratingSchema,
  comment: safeString({ error: '评价意见应为文字' })
    .trim()
    .max(RATING_COMMENT_MAX, `评价意见不能超过 ${RATING_COMMENT_MAX} 个字`)
    .optional()
    .transform((c) => (c ? c : undefined)),
});
export type RatingBody = { rating: z.output<typeof ratingBody>['rating']; comment?: string };

/** What the writer's view says about rating the current answer, and what became of a 不满意. */
export const writerRating = z
  .object({
    round: z.number().describe('The answer round (1 until the office reopens the letter)'),
    canRate: z.boolean().describe('The current answer may be rated now'),
    windowEndsOn: z.string().nullable().describe('Last China date the current answer may be rated (RATING_WINDOW_WORKING_DAYS)'),
    given: z
      .object({ rating: z.enum(RATINGS), label: z.string(), comment: z.string().nullable(), ratedAt: z.string() })
      .nullable()
      .describe("The writer's rating of the current answer"),
    closing: z
      .object({ explanation: z.string(), closedAt: z.string() })
      .nullable()
      .describe("The general office's explanation when it closed a 不满意 without reopening"),
  })
  .meta({ id: 'WriterRating' });

/** The general office reopens a 不满意 letter: to the department it chooses, with a reason. */
export const reopenBody = z.object({ departmentId: id32('请选择承办处室'), reason: requiredText('重新交办理由', 2000) });
export type ReopenBody = z.output<typeof reopenBody>;
/** Or closes it with an explanation the writer sees. */
export const closeDissatisfiedBody = z.object({ explanation: requiredText('办结说明', 2000) });
export type CloseDissatisfiedBody = z.output<typeof closeDissatisfiedBody>;

export const dissatisfiedLetter = z
  .object({
    trackingNo: z.string(),
    subject: z.string(),
    type: z.string(),
    round: z.number(),
    departmentId: z.number().describe('The department that gave the rated answer'),
    departmentName: z.string(),
    answer: z.string().nullable(),
    answeredAt: z.string().nullable(),
    comment: z.string().nullable(),
    ratedAt: z.string(),
  })
  .meta({ id: 'DissatisfiedLetter' });
export const dissatisfiedList = z.object({ items: z.array(dissatisfiedLetter) });
