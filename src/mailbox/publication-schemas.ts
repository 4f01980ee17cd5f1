import { z } from 'zod';
import { idParam, queryInt, requiredText, safeString } from '../server/schema-types.js';
import { LETTER_TYPES } from './case-rules.js';
import { PII_KINDS } from './masking/index.js';
import { publicationStatusSchema } from './publication-rules.js';
import { TRACKING_NO_PATTERN } from './codes.js';

export const publicationParams = z.object({ id: idParam('公开稿编号应为正整数') });
export const publishedParams = z.object({ id: idParam('公开信件编号应为正整数') });

export const selectBody = z.object({ trackingNo: z.string().regex(TRACKING_NO_PATTERN, '受理编号格式不正确') });
const maskedText = (label: string, max: number) => safeString().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 个字`);
export const editBody = z
  .object({
    subject: maskedText('标题', 100).optional(),
    content: maskedText('内容', 5000).optional(),
    answer: maskedText('答复', 10000).optional(),
  })
  .refine((b) => b.subject !== undefined || b.content !== undefined || b.answer !== undefined, '请至少修改一项');
export const takeDownBody = z.object({ reason: requiredText('撤下原因', 500) });
export const reportsPersonBody = z.object({ reportsPerson: z.boolean({ error: '请说明是否为举报' }) });

const span = z.object({
  kind: z.enum(PII_KINDS),
  start: z.number(),
  end: z.number(),
  maskedStart: z.number(),
  maskedEnd: z.number(),
  original: z.string(),
  replacement: z.string(),
});
const field = z.object({
  original: z.string(),
  masked: z.string(),
  spans: z.array(span),
  unsure: z.array(z.object({ start: z.number(), end: z.number(), reason: z.string() })),
});

export const publicationDraft = z.object({
  id: z.number(),
  trackingNo: z.string(),
  status: publicationStatusSchema,
  subject: z.string(),
  content: z.string(),
  answer: z.string(),
  masking: z.object({ subject: field, content: field, answer: field }),
  unsureCount: z.number(),
  edited: z.boolean(),
  unsureConfirmed: z.boolean(),
  publishedAt: z.string().nullable(),
  takeDownReason: z.string().nullable(),
});

export const selectableList = z.array(
  z.object({ trackingNo: z.string(), subject: z.string(), type: z.enum(LETTER_TYPES), department: z.string(), answeredAt: z.string() }),
);

export const reportsPersonResult = z.object({ trackingNo: z.string(), reportsPerson: z.boolean() });

export const publishedQuery = z.object({
  q: safeString().trim().max(50, '搜索词不能超过 50 个字').optional(),
  type: z.enum(LETTER_TYPES, { error: '来信类型不正确' }).optional(),
  departmentId: idParam('处室应为编号').optional(),
  before: idParam('分页参数不正确').optional(),
  limit: queryInt({ min: 1, max: 100, message: '每页条数应为 1 至 100', tooBig: '每页条数应为 1 至 100' }).optional(),
});

const publishedSummary = z.object({
  id: z.number(),
  subject: z.string(),
  type: z.enum(LETTER_TYPES),
  department: z.string(),
  receivedDate: z.string(),
  answeredDate: z.string(),
});
export const publishedPage = z.object({ items: z.array(publishedSummary), nextBefore: z.number().nullable() });
export const publishedLetter = publishedSummary.extend({ content: z.string(), answer: z.string() });
