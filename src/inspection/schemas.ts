import { z } from 'zod';
import { isoDate } from '../server/schema-types.js';
import { INDICATOR_KEYS, INDICATOR_STATUSES } from './rules.js';

export const historyQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

const drillColumn = z.object({
  id: z.number(),
  name: z.string(),
  slug: z.string(),
  kind: z.string(),
  lastUpdateDay: z.string().nullable(),
  daysSince: z.number().nullable(),
  rule: z.string(),
});
const drillLetter = z.object({ trackingNo: z.string(), departmentName: z.string(), receivedDay: z.string(), daysOpen: z.number() });

export const indicatorResult = z
  .object({
    key: z.enum(INDICATOR_KEYS as [string, ...string[]]),
    label: z.string(),
    effect: z.string().describe('单项否决 (veto) or the deduction'),
    threshold: z.string(),
    status: z.enum(INDICATOR_STATUSES),
    value: z.string(),
    cause: z.string(),
    columns: z.array(drillColumn).optional().describe('The columns behind a column indicator'),
    letters: z.array(drillLetter).optional().describe('The oldest unanswered letters (at most 50)'),
    probeDays: z
      .array(z.object({ day: z.string(), probes: z.number(), failures: z.number() }))
      .optional()
      .describe('Home-page probes per China day of the week measured (the 7 days before the check day)'),
  })
  .meta({ id: 'InspectionIndicator' });

export const inspectionReport = z
  .object({
    day: z.string(),
    vetoed: z.boolean(),
    red: z.number(),
    amber: z.number(),
    results: z.array(indicatorResult),
    /** Statutory duties outside the national indicators (the annual disclosure report, 条例 Art. 49); absent: none. */
    flags: z.array(z.object({ key: z.string(), label: z.string(), cause: z.string() })).optional(),
  })
  .meta({ id: 'InspectionReport' });

export const inspectionHistory = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(inspectionReport.extend({ computedAt: z.string() })),
});
