// zod schemas of inspection findings (issue 21 point 6): the inputs and the views the API and pages share.
import { z } from 'zod';
import { id32, idParam, requiredText, safeString } from '../server/schema-types.js';
import { FINDING_KINDS, FINDING_STATUSES } from './finding-rules.js';

export const findingBody = z.object({
  kind: z.enum(FINDING_KINDS, { error: '请选择问题类别' }),
  departmentId: id32('请选择负责整改的处室'),
  itemId: id32('信息编号应为正整数').optional(),
  place: requiredText('问题所在的页面、栏目或信息', 300),
  finding: requiredText('发现的问题', 2000),
});

export const findingReportBody = z.object({ note: requiredText('整改情况', 2000) });

export const FINDING_REVIEW_DECISIONS = ['accept', 'return'] as const;
export const findingReviewBody = z.object({
  decision: z.enum(FINDING_REVIEW_DECISIONS, { error: '请选择确认意见' }),
  note: safeString().trim().max(1000, '意见不能超过 1000 个字').optional(),
});

export const findingIdParams = z.object({ id: idParam('编号应为正整数') });
export const findingListQuery = z.object({ status: z.enum(FINDING_STATUSES, { error: '状态不正确' }).optional() });

export const findingView = z
  .object({
    id: z.number(),
    kind: z.enum(FINDING_KINDS),
    kindLabel: z.string(),
    task: z.string().describe('技术指导 (format, by the service centre) or 撤除通知 (content, by the office)'),
    departmentId: z.number(),
    department: z.string(),
    itemId: z.number().nullable(),
    itemTitle: z.string().nullable(),
    itemOnSite: z.boolean().nullable().describe('For a finding on an item: whether the public still sees it'),
    place: z.string(),
    finding: z.string(),
    status: z.enum(FINDING_STATUSES),
    statusLabel: z.string(),
    dueOn: z.string(),
    overdue: z.boolean(),
    raisedBy: z.string(),
    raisedAt: z.string(),
    reportNote: z.string().nullable(),
    reportedAt: z.string().nullable(),
    reviewNote: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'InspectionFinding' });

export const findingList = z.object({ items: z.array(findingView) });
