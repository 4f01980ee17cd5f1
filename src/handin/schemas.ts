import { z } from 'zod';
import { idParam } from '../server/schema-types.js';
import { FORM_STATUSES } from '../publishing/rules.js';
import { HANDIN_STATES, QUARTER_KEY_PATTERN } from './rules.js';

const quarter = z.string().regex(QUARTER_KEY_PATTERN, '季度格式应为“2026-Q4”');
export const quarterParams = z.object({ quarter });
export const handInParams = z.object({ quarter, departmentId: idParam('处室编号应为正整数') });

export const confirmationView = z.object({
  confirmedBy: z.string(),
  confirmedAt: z.string(),
  formIds: z.array(z.number().int()),
  pdfSha256: z.string(),
  late: z.boolean(),
});

export const handInView = z.object({
  departmentId: z.number().int(),
  department: z.string(),
  quarter: z.string(),
  quarterLabel: z.string(),
  dueDate: z.string(),
  ended: z.boolean(),
  forms: z.array(
    z.object({ id: z.number().int(), title: z.string(), column: z.string(), status: z.enum(FORM_STATUSES), submittedAt: z.string() }),
  ),
  confirmation: confirmationView.nullable(),
  mayConfirm: z.boolean(),
});

export const handInMatrixView = z.object({
  quarter: z.string(),
  quarterLabel: z.string(),
  dueDate: z.string(),
  departments: z.array(
    z.object({
      departmentId: z.number().int(),
      department: z.string(),
      forms: z.number().int(),
      state: z.enum(HANDIN_STATES),
      confirmation: confirmationView.nullable(),
    }),
  ),
});
