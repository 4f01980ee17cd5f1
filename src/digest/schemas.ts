import { z } from 'zod';
import { isoDate } from '../server/schema-types.js';
import { DIGEST_KINDS } from './rules.js';

export const digestDateParams = z.object({ date: isoDate });

export const digestRow = z
  .object({
    day: z.string(),
    kind: z.enum(DIGEST_KINDS),
    departmentId: z.number(),
    departmentName: z.string(),
    itemCount: z.number(),
    content: z
      .unknown()
      .describe(
        'Lists of letters, each open letter the department handles or assists on in exactly one: ' +
          'overdue, dueToday, dueNextWorkingDay, newLetters, others (with workingDaysLeft); ' +
          "for the office: overdue, awaitingArbitration, perDepartment, missingNotice (next year's holiday notice not loaded)",
      ),
    builtAt: z.string(),
  })
  .meta({ id: 'Digest' });
export type DigestRow = z.infer<typeof digestRow>;

export const digestRunResult = z.object({ day: z.string(), skipped: z.boolean(), digests: z.number(), emailsQueued: z.number() });
export type DigestRunResult = z.infer<typeof digestRunResult>;
