import { z } from 'zod';
import { id32, idParam, isoDate, queryInt, requiredText, safeString } from '../server/schema-types.js';
import { TRACKING_NO_PATTERN } from './codes.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type sniffType } from './attachments.js';
import { decodeCaseCursor } from './cursor.js';
import { REJECT_REASONS, TRANSFER_REASONS } from './rules.js';
import { LETTER_STATUSES, LETTER_TYPES } from './case-rules.js';
import { writerRating } from './rating-schemas.js';

/** A mobile number, or a landline with area code and optional extension; one regex, so the document shows it as `pattern`. */
const PHONE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/;
/** The shape of an 18-digit resident ID; the check digit is verified by validIdNumber. */
const ID_NUMBER_SHAPE = /^\d{17}[\dXx]$/;
/** Base64 length of the largest attachment: the document's maxLength (checkAttachments enforces the decoded size). */
const MAX_ATTACHMENT_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;
/** What an attachment download can be: the types sniffType lets in at intake. */
export const attachmentTypes = ['image/jpeg', 'image/png', 'application/pdf'] as const satisfies readonly NonNullable<
  ReturnType<typeof sniffType>
>[];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** 18-digit resident ID with its ISO 7064 MOD 11-2 check digit. */
export function validIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/** The letter types as the request schemas list them (declared once in src/mailbox/case-rules.ts). */
export const letterTypes = LETTER_TYPES;
export const letterStatuses = LETTER_STATUSES;

export const letterBody = z
  .object({
    writer: z.object(
      {
        name: safeString({ error: '请填写姓名' }).trim().min(1, '请填写姓名').max(50, '姓名不能超过 50 个字'),
        phone: z.string({ error: '请填写联系电话' }).trim().regex(PHONE, '请填写正确的手机号码或固定电话（如 0591-87612345）'),
        email: z.email('邮箱格式不正确').max(200).optional(),
        idNumber: z
          .string()
          .trim()
          .regex(ID_NUMBER_SHAPE, '身份证号码不正确')
          .toUpperCase()
          .refine(validIdNumber, '身份证号码不正确')
          .describe('18-digit resident ID; the last character is its ISO 7064 MOD 11-2 check digit')
          .optional(),
      },
      { error: '请填写来信人信息' },
    ),
    type: z.enum(letterTypes, { error: '请选择来信类型（投诉、咨询、建言献策或情况反映）' }),
    convenienceItemId: id32('便民服务事项应为编号').optional(),
    departmentId: id32('请选择处室'),
    subject: safeString({ error: '请填写标题' }).trim().min(1, '请填写标题').max(100, '标题不能超过 100 个字'),
    content: safeString({ error: '请填写内容' }).trim().min(1, '请填写内容').max(5000, '内容不能超过 5000 个字'),
    allowPublication: z.boolean({ error: '请选择是否同意公开' }),
    attachments: z
      .array(
        z.object({
          filename: safeString().trim().min(1).max(200),
          contentBase64: z.base64('附件编码不正确').meta({
            format: 'byte',
            maxLength: MAX_ATTACHMENT_BASE64,
            description: `A JPG, PNG or PDF file (checked by content) of at most ${MAX_ATTACHMENT_BYTES} bytes`,
          }),
        }),
      )
      .max(MAX_ATTACHMENTS, `附件最多 ${MAX_ATTACHMENTS} 个`)
      .default([]),
    /** Honeypot: hidden in the form, left empty by people. */
    website: z.string().max(0, '提交失败').optional(),
  })
  .superRefine((b, ctx) => {
    if (b.convenienceItemId !== undefined && b.type !== 'complaint') {
      ctx.addIssue({ code: 'custom', path: ['convenienceItemId'], message: '只有投诉可以选择便民服务事项' });
    }
  });
export type LetterBody = z.infer<typeof letterBody>;

export const createdLetter = z
  .object({
    trackingNo: z.string(),
    accessCode: z.string().describe('Shown once; keep it to look the letter up'),
    type: z.enum(letterTypes),
    departmentId: z.number(),
    status: z.string(),
    receivedAt: z.string(),
    dueDate: z.string(),
    dueAt: z.string(),
    dueProvisional: z.boolean().describe('The due date counts days whose State Council holiday notice is not yet loaded (暂定)'),
  })
  .meta({ id: 'CreatedLetter' });

export const publicEvent = z.object({ at: z.string(), kind: z.string(), title: z.string(), text: z.string().nullable() });

export const writerView = z
  .object({
    trackingNo: z.string(),
    type: z.enum(letterTypes),
    subject: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    department: z.object({ id: z.number(), name: z.string() }),
    receivedAt: z.string(),
    dueDate: z.string(),
    dueAt: z.string(),
    dueProvisional: z.boolean().describe('The due date counts days whose State Council holiday notice is not yet loaded (暂定)'),
    allowPublication: z.boolean().describe('The writer consents to publication of a masked copy (withdrawable)'),
    timeline: z.array(publicEvent),
    answer: z.object({ content: z.string(), answeredAt: z.string() }).nullable(),
    earlierAnswers: z
      .array(z.object({ round: z.number(), content: z.string(), answeredAt: z.string() }))
      .describe('Answers of earlier rounds, when the general office reopened the letter after a 不满意'),
    rating: writerRating,
  })
  .meta({ id: 'WriterView' });

const reasonCode = <T extends Record<string, string>>(codes: T, label: string) =>
  z.enum(Object.keys(codes) as [keyof T & string, ...(keyof T & string)[]], { error: `请选择${label}` });

const text = (label: string, max = 2000) => requiredText(label, max);

export const actionBodies = {
  answer: z.object({ content: text('答复内容', 5000) }),
  transfer: z.object({ toDepartmentId: id32(), reasonCode: reasonCode(TRANSFER_REASONS, '转办理由'), reason: text('转办说明') }),
  dispute: z.object({ reason: text('异议理由') }),
  escalate: z.object({ reason: text('提请协调的理由'), departmentIds: z.array(id32()).default([]) }),
  arbitrate: z.object({ leadDepartmentId: id32(), assistingDepartmentIds: z.array(id32()).default([]), note: text('协调意见') }),
  opinions: z.object({ content: text('协办意见', 5000) }),
  reclassify: z.object({ type: z.enum(letterTypes), convenienceItemId: id32().nullable().default(null), reason: text('更改理由') }),
  reject: z.object({ reasonCode: reasonCode(REJECT_REASONS, '不予受理理由'), reason: text('不予受理说明') }),
} as const;

export const caseSummary = z
  .object({
    trackingNo: z.string(),
    type: z.enum(letterTypes),
    subject: z.string(),
    status: z.string(),
    departmentId: z.number(),
    departmentName: z.string(),
    receivedAt: z.string(),
    dueDate: z.string(),
    dueAt: z.string(),
    dueSoon: z.boolean(),
    overdue: z.boolean(),
    remainingWorkingDays: z.number().describe('Working days left after today; negative when overdue'),
    readOnly: z.boolean().describe("The case passed through the caller's department but is no longer with it"),
  })
  .meta({ id: 'CaseSummary' });

/** The `after` query parameter: an opaque cursor from `nextCursor`, decoded (a 400 when it is not one). */
export const caseCursor = z
  .string()
  .meta({ description: 'Opaque cursor: the `nextCursor` of the previous page', example: 'MTc5NTQ0MzE5OTk5OTAwMC40Mg' })
  .transform((text, ctx) => {
    const cursor = decodeCaseCursor(text);
    if (!cursor) {
      ctx.addIssue({ code: 'custom', message: '翻页游标无效，请从第一页重新开始', input: text });
      return z.NEVER;
    }
    return cursor;
  });

export const casePage = z
  .object({
    items: z.array(caseSummary),
    nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
  })
  .meta({ id: 'CasePage' });

export const caseEvent = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.string(),
  isPublic: z.boolean(),
  departmentId: z.number().nullable(),
  toDepartmentId: z.number().nullable(),
  actor: z.string().nullable(),
  reasonCode: z.string().nullable(),
  text: z.string().nullable(),
  data: z.unknown(),
  /** A transfer made later than Art. 22's "立即转交" allows (TRANSFER_EXPECTED_WORKING_DAYS after receipt). */
  late: z.boolean(),
});

export const caseDetail = caseSummary
  .extend({
    writer: z.object({ name: z.string(), phone: z.string(), email: z.string().nullable(), idNumber: z.string().nullable() }),
    content: z.string(),
    allowPublication: z.boolean(),
    convenienceItemId: z.number().nullable(),
    convenienceItem: z
      .object({
        id: z.number(),
        nameWhenFiled: z.string().describe('The name the item had when the letter was filed under it'),
        name: z.string().describe("The item's name now"),
        active: z.boolean(),
      })
      .nullable(),
    firstDepartmentId: z.number(),
    assistingDepartmentIds: z.array(z.number()),
    pendingRejection: z.object({ reasonCode: z.string(), reason: z.string() }).nullable(),
    limitDays: z.number(),
    dueProvisional: z.boolean(),
    clockStartedAt: z.string().describe('Where the time limit counts from: the receipt, or the transfer that restarted it'),
    deadlineByRule: z
      .string()
      .describe('The due date the current calendar gives; differs from dueDate when a calendar change would have moved it into the past'),
    answer: z.string().nullable(),
    answeredAt: z.string().nullable(),
    closedLate: z.boolean().nullable(),
    attachments: z.array(z.object({ id: z.number(), filename: z.string(), mimeType: z.string(), size: z.number() })),
    timeline: z.array(caseEvent),
    deadlineExplanation: z.array(z.object({ date: z.string(), counted: z.boolean(), reason: z.string() })),
  })
  .meta({ id: 'CaseDetail' });

/** A staff route's `:trackingNo`: only the format newTrackingNo makes. */
export const trackingParams = z.object({ trackingNo: z.string().regex(TRACKING_NO_PATTERN, '受理编号格式不正确') });
export const attachmentParams = trackingParams.extend({ id: idParam('附件编号应为正整数') });

/** The raw bytes of a download (a Buffer, sent as is): any to the type provider, a binary string to the document. */
export const fileContent = z.any().meta({ type: 'string', format: 'binary' });

export const caseListQuery = z
  .object({
    status: z.enum(letterStatuses).optional(),
    departmentId: idParam('处室应为编号').optional(),
    type: z.enum(letterTypes).optional(),
    overdue: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    dueBefore: isoDate.optional(),
    q: safeString().trim().min(1).max(100).optional(),
    limit: queryInt({ min: 1, max: 200 }).default(50),
    after: caseCursor.optional(),
    offset: queryInt({ min: 0, max: 100_000 }).default(0).meta({ deprecated: true, description: 'Deprecated: use `after`' }),
  })
  .superRefine((q, ctx) => {
    if (q.after && q.offset > 0) ctx.addIssue({ code: 'custom', path: ['offset'], message: '翻页游标 after 与 offset 不能同时使用' });
  });

export const reasonCodes = z.object({ transfer: z.record(z.string(), z.string()), reject: z.record(z.string(), z.string()) });

export const convenienceItem = z
  .object({ id: z.number(), name: z.string(), departmentId: z.number(), active: z.boolean() })
  .meta({ id: 'ConvenienceItem' });
export const convenienceItemList = z.array(convenienceItem);
export const newConvenienceItem = z.object({ name: requiredText('事项名称', 100), departmentId: id32('请选择处室') });
export type NewConvenienceItem = z.output<typeof newConvenienceItem>;
/** Rename, move to another department, deactivate or reactivate; at least one of them. */
export const convenienceItemChanges = z
  .object({
    name: requiredText('事项名称', 100).optional(),
    departmentId: id32('请选择处室').optional(),
    active: z.boolean({ error: '启用状态应为 true 或 false' }).optional(),
  })
  .refine((c) => c.name !== undefined || c.departmentId !== undefined || c.active !== undefined, {
    message: '没有要修改的内容',
  });
export type ConvenienceItemChanges = z.output<typeof convenienceItemChanges>;
export const convenienceItemParams = z.object({ id: idParam('事项编号应为正整数') });

/** The writer's look-up headers: the access code travels in a header, not in the URL. */
export const lookupParams = z.object({ trackingNo: safeString().max(40) });
export const lookupHeaders = z.object({ 'x-access-code': safeString({ error: '请提供查询码' }).min(1, '请提供查询码').max(40) });
export const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8, 'Idempotency-Key 至少 8 个字符').max(200).optional() });

/** GET /api/mailbox/statistics: a month, or without `month` the year to date (China dates). */
export const statisticsQuery = z.object({
  year: queryInt({ min: 2000, max: 2100, message: '年份应为 2000 到 2100 之间的整数' }).optional(),
  month: queryInt({ min: 1, max: 12, message: '月份应为 1 到 12 之间的整数' }).optional(),
});
export type StatisticsQuery = z.output<typeof statisticsQuery>;

const rate = (what: string) =>
  z
    .number()
    .nullable()
    .describe(`${what}, between 0 and 1 (4 places); null when fewer than 5 letters were received in the period or nothing to divide by`);

const statisticsFigures = z.object({
  received: z.number().describe('Letters received in the period'),
  answered: z.number().describe('Letters whose first answer was given in the period (a reopened letter counts once, by its first answer)'),
  answeredWithinLimit: z.number().describe('Of those, first answers given by their deadline'),
  answeredWithinLimitRate: rate('answeredWithinLimit ÷ answered'),
  averageWorkingDaysToAnswer: z
    .number()
    .nullable()
    .describe('Chinese working days from the clock start to the first answer, averaged (2 places); null as for the rates'),
  transferred: z.number().describe('Transfers made in the period, counted for the transferring department'),
  arbitrated: z
    .number()
    .describe("The general office's decisions on disputes and escalations in the period, counted for the lead department"),
  reopened: z.number().describe('Letters reopened in the period (their later rounds are not in answered)'),
  satisfaction: z.object({
    rated: z.number(),
    satisfied: z.number(),
    basicallySatisfied: z.number(),
    dissatisfied: z.number(),
  }),
  satisfactionShares: z
    .object({ satisfied: z.number(), basicallySatisfied: z.number(), dissatisfied: z.number() })
    .nullable()
    .describe('Each rating ÷ rated; null as for the rates, or when nothing was rated'),
  published: z.number().describe('Answers published in the period (a later take-down does not remove them)'),
  unpublished: z.number().describe('Published answers taken down in the period'),
  ratesShown: z.boolean().describe('False when fewer than 5 letters were received in the period: counts only'),
});

export const statisticsReport = z
  .object({
    period: z.object({
      year: z.number(),
      month: z.number().nullable().describe('Null for the year to date'),
      from: z.string().describe('First China date of the period'),
      to: z.string().describe('Last China date counted (today for a period still running)'),
      label: z.string(),
    }),
    minLettersForRates: z.number(),
    departments: z.array(statisticsFigures.extend({ departmentId: z.number(), departmentName: z.string() })),
    total: statisticsFigures,
  })
  .meta({ id: 'MailboxStatistics' });
export type StatisticsReport = z.output<typeof statisticsReport>;
