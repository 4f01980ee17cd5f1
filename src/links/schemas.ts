import { z } from 'zod';
import { idParam, requiredText, safeString } from '../server/schema-types.js';
import { LINK_CHECK_OUTCOMES, LINK_DECISIONS, LINK_STATUSES, LINK_STEPS } from './rules.js';

/** The target URL: http or https only, no user name or password in it, at most 2,000 characters. */
export const targetUrl = safeString({ error: '请填写链接地址' })
  .trim()
  .min(1, '请填写链接地址')
  .max(2000, '链接地址不能超过 2000 个字符')
  .refine((s) => URL.canParse(s), '链接地址格式不正确，应以 http:// 或 https:// 开头')
  .refine((s) => !URL.canParse(s) || ['http:', 'https:'].includes(new URL(s).protocol), '链接地址只能是 http:// 或 https:// 地址')
  .refine((s) => !URL.canParse(s) || (new URL(s).username === '' && new URL(s).password === ''), '链接地址中不能包含用户名或密码');

/** The 外部链接审核表 as the department fills it in. */
export const linkApplicationBody = z.object({
  placement: requiredText('链接所在页面或栏目', 200),
  targetUrl,
  siteName: requiredText('目标网站名称', 200),
  siteOwner: requiredText('目标网站主办单位', 200),
  purpose: requiredText('链接用途', 1000),
  justification: safeString().trim().max(1000, '说明不能超过 1000 个字').optional(),
});

export const linkDecisionBody = z.object({
  decision: z.enum(LINK_DECISIONS, { error: '请选择审批意见' }),
  reason: safeString().trim().max(500, '理由不能超过 500 个字').optional(),
});

export const linkIdParams = z.object({ id: idParam('申请编号应为正整数') });
export const linkListQuery = z.object({ status: z.enum(LINK_STATUSES, { error: '状态不正确' }).optional() });

export const linkDecisionView = z.object({
  step: z.enum(LINK_STEPS),
  decision: z.enum(LINK_DECISIONS),
  decidedBy: z.string(),
  reason: z.string().nullable(),
  decidedAt: z.string(),
});

export const linkApplicationView = z.object({
  id: z.number().int(),
  departmentId: z.number().int(),
  department: z.string(),
  placement: z.string(),
  targetUrl: z.string(),
  targetHost: z.string(),
  siteName: z.string(),
  siteOwner: z.string(),
  purpose: z.string(),
  government: z.boolean(),
  justification: z.string().nullable(),
  /** A non-government target: the office's review shows it flagged (Art. 27(二)). */
  flagged: z.boolean(),
  status: z.enum(LINK_STATUSES),
  statusLabel: z.string(),
  submittedAt: z.string(),
  stepDueOn: z.string().nullable(),
  stepOverdue: z.boolean(),
  decisions: z.array(linkDecisionView),
});
export const linkApplicationList = z.object({ items: z.array(linkApplicationView.omit({ decisions: true })) });

export const linkCheckView = z.object({
  url: z.string(),
  host: z.string(),
  internal: z.boolean(),
  onHome: z.boolean(),
  sources: z.array(
    z.object({
      kind: z.enum(['approved', 'item', 'attachment', 'page']),
      ref: z.number(),
      departmentId: z.number().nullable(),
      label: z.string(),
    }),
  ),
  outcome: z.enum(LINK_CHECK_OUTCOMES),
  status: z.number().int().nullable(),
  finalUrl: z.string().nullable(),
  redirects: z.array(z.string()),
  elapsedMs: z.number().int().nullable(),
  contentType: z.string().nullable(),
  title: z.string().nullable(),
  titleChanged: z.boolean(),
  crossDomain: z.boolean(),
  error: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  broken: z.boolean(),
  fixBy: z.string().nullable(),
  checkedAt: z.string(),
});
export const linkCheckList = z.object({ items: z.array(linkCheckView) });
export const linkCheckQuery = z.object({ broken: z.enum(['true', 'false'], { error: 'broken 应为 true 或 false' }).optional() });
export const linkWatchRun = z.object({
  checked: z.number().int(),
  notChecked: z.number().int(),
  failed: z.number().int(),
  broken: z.number().int(),
  ms: z.number().int(),
});
