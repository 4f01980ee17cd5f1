import { z } from 'zod';
import { TRACKING_NO_PATTERN } from '../mailbox/codes.js';
import { isoDate, queryInt, safeString } from '../server/schema-types.js';
import {
  ACTIVE_FIGURES,
  CELL_KEY_PATTERN,
  HAND_FIGURES,
  REMEDY_KIND_LABELS,
  REMEDY_KINDS,
  REMEDY_RESULT_LABELS,
  REMEDY_RESULTS,
  REPORT_STATUSES,
} from './rules.js';

export const yearParams = z.object({
  year: queryInt({ min: 2021, max: 2100, message: '年度应为 4 位数字，如 2026', tooSmall: '年度不能早于 2021 年（2021 年版格式）' }),
});
export const cellParams = yearParams.extend({
  cell: z.string().regex(CELL_KEY_PATTERN, '表格单元格式不正确，应为“行:列”，如 new:natural_person'),
});

const HAND_KEYS = new Set<string>(HAND_FIGURES);
const figureKey = z.string().refine((k) => HAND_KEYS.has(k) || CELL_KEY_PATTERN.test(k), '只能填报表二的手工项目或更正表三的单元格');

/** A figure typed by hand: its value (null removes it) and where it comes from. */
export const figureBody = z
  .object({
    key: figureKey,
    value: z.number({ error: '请填写数字' }).min(0, '数字不能为负').max(1e9, '数字过大').nullable(),
    sourceNote: safeString().trim().max(500, '来源说明不能超过 500 个字').default(''),
  })
  .superRefine((b, ctx) => {
    if (b.value !== null && b.key !== 'fees_amount' && !Number.isInteger(b.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: '件数应为整数' });
    if (b.value !== null && Math.round(b.value * 10_000) !== b.value * 10_000)
      ctx.addIssue({ code: 'custom', path: ['value'], message: '金额最多保留 4 位小数（万元）' });
  });

const longText = (label: string) => safeString().max(20_000, `${label}不能超过 20000 个字`).optional();
export const textsBody = z.object({
  overview: longText('总体情况'),
  problems: longText('存在的主要问题及改进情况'),
  other: longText('其他需要报告的事项'),
  internalDeadline: z
    .string()
    .regex(/^01-(0[1-9]|[12]\d|3[01])$/, '内部时限应为次年 1 月内的日期，格式 01-DD，如 01-20')
    .optional(),
});

export const remedyBody = z
  .object({
    requestNumber: z.string().trim().toUpperCase().regex(TRACKING_NO_PATTERN, '申请编号格式不正确'),
    kind: z.enum(REMEDY_KINDS, { error: `请选择类型：${Object.values(REMEDY_KIND_LABELS).join('、')}` }),
    filedOn: isoDate,
    result: z.enum(REMEDY_RESULTS, { error: `请选择结果：${Object.values(REMEDY_RESULT_LABELS).join('、')}` }).default('pending'),
    decidedOn: isoDate.nullable().default(null),
    note: safeString().trim().max(500, '备注不能超过 500 个字').default(''),
  })
  .superRefine((b, ctx) => {
    if (b.result !== 'pending' && !b.decidedOn) ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: '已审结的请填写审结日期' });
    if (b.result === 'pending' && b.decidedOn) ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: '尚未审结的不填审结日期' });
    if (b.decidedOn && b.decidedOn < b.filedOn) ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: '审结日期不能早于提起日期' });
  });

const num = z.number();
const check = z.object({
  id: z.string(),
  label: z.string(),
  cells: z.array(z.string()),
  left: num.optional(),
  right: num.optional(),
  passed: z.boolean(),
});
const handFigure = z.object({
  key: z.string(),
  label: z.string(),
  value: num,
  sourceNote: z.string(),
  enteredBy: z.string(),
  enteredAt: z.string(),
});

/** Every figure of a year as reported; frozen into annual_reports.snapshot at approval. */
export const reportFigures = z.object({
  table: z.record(z.string(), num),
  computed: z.record(z.string(), num),
  behind: z.record(z.string(), z.array(z.string())),
  active: z.record(z.enum(ACTIVE_FIGURES), num.nullable()),
  remedies: z.record(z.string(), num),
  handFigures: z.array(handFigure),
  checks: z.array(check),
});
export type ReportFigures = z.infer<typeof reportFigures>;
export type ReportSnapshot = ReportFigures & { texts: { overview: string; problems: string; other: string } };

export const reportView = reportFigures.extend({
  year: z.number().int(),
  status: z.enum(REPORT_STATUSES),
  statusLabel: z.string(),
  frozen: z.boolean(),
  texts: z.object({ overview: z.string(), problems: z.string(), other: z.string() }),
  suggestions: z.array(z.string()),
  corrections: z.array(z.string()),
  deadlines: z.object({ internal: z.string(), statutory: z.string() }),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** The site item the report went out as (/items/:id), once published. */
  publishedItemId: z.number().int().nullable(),
  remedyCases: z.array(
    z.object({
      id: z.number().int(),
      requestNumber: z.string(),
      kind: z.enum(REMEDY_KINDS),
      filedOn: z.string(),
      result: z.enum(REMEDY_RESULTS),
      decidedOn: z.string().nullable(),
      note: z.string(),
      enteredBy: z.string(),
    }),
  ),
  mayEdit: z.boolean(),
  /** Approved, not yet published, and the viewer is the office. */
  mayPublish: z.boolean(),
});
export type ReportView = z.infer<typeof reportView>;

export const cellQuery = z.object({ page: queryInt({ min: 1, max: 100_000, message: '页码应为正整数' }).optional() });

export const cellView = z.object({
  total: z.number().int().describe('How many requests the cell stands for (they are listed CELL_PAGE_SIZE a page)'),
  page: z.number().int(),
  pageSize: z.number().int(),
  year: z.number().int(),
  cell: z.string(),
  label: z.string(),
  value: num,
  computed: num,
  override: z.object({ value: num, sourceNote: z.string(), enteredBy: z.string() }).nullable(),
  requests: z.array(
    z.object({
      id: z.number().int().nullable(),
      number: z.string(),
      applicantType: z.string(),
      receivedOn: z.string().nullable(),
      concludedOn: z.string().nullable(),
      outcomeLabel: z.string().nullable(),
      statusLabel: z.string().nullable(),
    }),
  ),
  frozen: z.boolean(),
});

export const websiteFiguresView = z.object({
  year: z.number().int(),
  period: z.string(),
  mailbox: z.object({
    received: z.number().int(),
    answered: z.number().int(),
    answeredWithinLimit: z.number().int(),
    answeredWithinLimitRate: z.number().nullable(),
    averageWorkingDaysToAnswer: z.number().nullable(),
    published: z.number().int(),
  }),
  publishing: z
    .object({ total: z.number().int(), news: z.number().int(), catalogue: z.number().int() })
    .describe('信息发布: site items first published in the year, of them in news columns (政务动态), catalogue entries published'),
  interpretations: z.number().int().describe('解读回应: items first published in the year in 政策解读 columns'),
  notHeld: z.array(z.string()),
});
