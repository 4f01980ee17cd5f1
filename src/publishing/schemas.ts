import { z } from 'zod';
import { id32, idParam, queryInt, requiredText, safeString } from '../server/schema-types.js';
import {
  ART19_POINTS,
  COLUMN_PUBLISHERS,
  COLUMN_SECTIONS,
  CONTENT_TYPES,
  contentTypeSchema,
  FORM_STATUSES,
  ITEM_STATES,
  REVIEW_STEPS,
  SECRECY_CONCLUSIONS,
  STEP_DECISIONS,
} from './rules.js';
import { ATTACHMENT_KINDS } from './attachment-types.js';

export const itemParams = z.object({ id: idParam('信息编号应为正整数') });
export const formParams = z.object({ id: idParam('审核单编号应为正整数') });
export const columnParams = z.object({ id: idParam('栏目编号应为正整数') });
export const departmentParams = z.object({ departmentId: idParam('处室编号应为正整数') });

const secrecySchema = z.enum(SECRECY_CONCLUSIONS, { error: '请选择保密审查结论' });
const qaPair = z.object({ question: requiredText('问题', 500), answer: requiredText('解答', 5000) });

/** A draft's content: every save of it is a new version. */
const versionFields = {
  title: requiredText('标题', 200),
  summary: safeString().trim().max(500, '摘要不能超过 500 个字').default(''),
  body: safeString({ error: '请填写正文' }).max(100_000, '正文不能超过 100000 个字'),
  qaPairs: z.array(qaPair).max(50, '问答不能超过 50 组').default([]),
  relatedItemIds: z.array(id32('相关信息编号应为正整数')).max(20, '相关信息不能超过 20 条').default([]),
};
export const draftBody = z.object({ columnId: id32('请选择栏目'), contentType: contentTypeSchema, ...versionFields });
export const versionBody = z.object(versionFields);

export const submitBody = z.object({
  art19: z.object(
    Object.fromEntries(ART19_POINTS.map((p) => [p, z.literal(true, { error: '请逐项确认第十九条的审核要求' })])) as {
      [K in (typeof ART19_POINTS)[number]]: z.ZodLiteral<true>;
    },
  ),
  secrecy: secrecySchema,
});

export const decisionBody = z.object({
  decision: z.enum(STEP_DECISIONS, { error: '请选择审核意见：同意、退回修改或不予采用' }),
  opinion: safeString().trim().max(1000, '审核意见不能超过 1000 个字').default(''),
  /** The department leader's secrecy review (保密审查); required at that step. */
  secrecy: secrecySchema.optional(),
  /** The publicity office's edits of a news item (approve with edits). */
  edits: z.object(versionFields).partial().optional(),
});

export const publishBody = z.object({
  /** A future time for a scheduled publication; the publication time itself is stamped when it happens. */
  at: z.iso.datetime({ offset: true, error: '定时发布时间格式不正确' }).optional(),
});
export const takedownBody = z.object({ reason: requiredText('撤下原因', 500) });

export const columnBody = z.object({
  parentId: id32('上级栏目编号应为正整数').nullable().default(null),
  slug: z.string({ error: '请填写栏目标识' }).regex(/^[a-z][a-z0-9-]{1,39}$/, '栏目标识应为 2 至 40 位小写字母、数字或连字符'),
  name: requiredText('栏目名称', 50),
  section: z.enum(COLUMN_SECTIONS, { error: '请选择栏目分类' }),
  acceptsItems: z.boolean().default(true),
  contentTypes: z.array(contentTypeSchema).min(1, '请至少选择一种内容类型').default(['article']),
  isNews: z.boolean().default(false),
  newsNeedsBureauLeader: z.boolean().default(false),
  publisher: z.enum(COLUMN_PUBLISHERS, { error: '请选择发布人' }).default('drafter'),
  supplierDepartmentIds: z.array(id32('处室编号应为正整数')).max(100).default([]),
  updateEveryDays: z.number().int().min(1, '更新周期应为 1 至 365 天').max(365, '更新周期应为 1 至 365 天').nullable().default(null),
  sortOrder: z.number().int().min(0).max(10_000).default(100),
  active: z.boolean().default(true),
});
export const leaderBody = z.object({ leaderId: id32('请选择局领导') });

// ---- responses ----

export const column = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  slug: z.string(),
  name: z.string(),
  section: z.enum(COLUMN_SECTIONS),
  acceptsItems: z.boolean(),
  contentTypes: z.array(z.enum(CONTENT_TYPES)),
  isNews: z.boolean(),
  newsNeedsBureauLeader: z.boolean(),
  publisher: z.enum(COLUMN_PUBLISHERS),
  supplierDepartmentIds: z.array(z.number()),
  updateEveryDays: z.number().nullable(),
  sortOrder: z.number(),
  active: z.boolean(),
});
export const columnList = z.object({ items: z.array(column) });
export const leaderList = z.object({
  items: z.array(z.object({ departmentId: z.number(), department: z.string(), leaderId: z.number(), leader: z.string() })),
});

const decision = z.object({
  step: z.enum(REVIEW_STEPS),
  decision: z.enum(STEP_DECISIONS),
  opinion: z.string(),
  secrecy: z.enum(SECRECY_CONCLUSIONS).nullable(),
  decider: z.string(),
  decidedAt: z.string(),
  dueDate: z.string().nullable(),
  late: z.boolean(),
});
export const reviewForm = z.object({
  id: z.number(),
  itemId: z.number(),
  version: z.number(),
  column: z.string(),
  department: z.string(),
  drafter: z.string(),
  title: z.string(),
  contentType: z.enum(CONTENT_TYPES),
  art19: z.record(z.string(), z.boolean()),
  drafterSecrecy: z.enum(SECRECY_CONCLUSIONS),
  steps: z.array(z.enum(REVIEW_STEPS)),
  status: z.enum(FORM_STATUSES),
  step: z.enum(REVIEW_STEPS).nullable(),
  stepDueDate: z.string().nullable(),
  stepOverdue: z.boolean(),
  submittedAt: z.string(),
  scheduledFor: z.string().nullable(),
  publishedAt: z.string().nullable(),
  decisions: z.array(decision),
  /** Signed by the last step: nothing on it changes any more. */
  signed: z.boolean(),
});
export const reviewQueue = z.object({ items: z.array(reviewForm) });

export const attachmentView = z.object({
  id: z.number(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  kind: z.enum(ATTACHMENT_KINDS),
  href: z.string(),
});
export const attachmentParams = z.object({
  id: idParam('信息编号应为正整数'),
  attachmentId: idParam('附件编号应为正整数'),
});

const version = z.object({
  version: z.number(),
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  qaPairs: z.array(z.object({ question: z.string(), answer: z.string() })),
  relatedItemIds: z.array(z.number()),
  author: z.string(),
  createdAt: z.string(),
});
export const itemDetail = z.object({
  id: z.number(),
  columnId: z.number(),
  column: z.string(),
  department: z.string(),
  drafter: z.string(),
  contentType: z.enum(CONTENT_TYPES),
  state: z.enum(ITEM_STATES),
  latestVersion: z.number(),
  publishedVersion: z.number().nullable(),
  firstPublishedAt: z.string().nullable(),
  updatedPublishedAt: z.string().nullable(),
  takedownReason: z.string().nullable(),
  latest: version,
  forms: z.array(reviewForm),
  /** The newest version's attachments. */
  attachments: z.array(attachmentView),
});

export const publicItemSummary = z.object({
  id: z.number(),
  title: z.string(),
  summary: z.string(),
  column: z.string(),
  columnSlug: z.string(),
  department: z.string(),
  contentType: z.enum(CONTENT_TYPES),
  publishedAt: z.string(),
  updatedAt: z.string().nullable(),
});
export const publicItemPage = z.object({ items: z.array(publicItemSummary), nextBefore: z.string().nullable() });
export const publicItem = publicItemSummary.extend({
  /** The body as written (Markdown). */
  body: z.string(),
  /** The body as the site shows it: rendered by markdown-it with raw HTML off (src/publishing/body.ts). */
  bodyHtml: z.string(),
  qaPairs: z.array(z.object({ question: z.string(), answer: z.string() })),
  related: z.array(z.object({ id: z.number(), title: z.string() })),
  /** The published version's attachments, each with its public download address. */
  attachments: z.array(attachmentView),
});
export const columnItemsQuery = z.object({
  /** The cursor: the last item's id from the previous page (`nextBefore`). */
  before: safeString().max(60).optional(),
  limit: queryInt({ min: 1, max: 100, message: '每页条数应为 1 至 100', tooBig: '每页条数应为 1 至 100' }).optional(),
});
export const searchQuery = columnItemsQuery.extend({
  q: safeString({ error: '请输入搜索词' }).trim().min(2, '搜索词至少 2 个字').max(50, '搜索词不能超过 50 个字'),
});
export const slugParams = z.object({ slug: z.string().max(40) });
