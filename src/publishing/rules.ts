// Publishing (product item 3; measures Arts. 9-12, 15, 17-21, 23, 27): what may be drafted where, the
// review chain of the 审核单 (Art. 20) and who may take each step. Pure rules, no I/O: the service
// applies them under the review form's row lock, the pages and routes show what they allow.
import { z } from 'zod';
import type { Role } from '../auth/roles.js';

/** Content types (issue 15 point 2); the pgEnum, the zod enum and the type derive from this list. */
export const CONTENT_TYPES = ['article', 'notice', 'policy', 'interpretation', 'qa', 'video'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
export const CONTENT_TYPE_LABELS: Record<ContentType, string> = {
  article: '文章',
  notice: '通知公告',
  policy: '政策文件',
  interpretation: '政策解读',
  qa: '热点解答',
  video: '视频新闻',
};

/** The top-level groups of the site's columns (Art. 11). */
export const COLUMN_SECTIONS = ['disclosure', 'services', 'online', 'interaction'] as const;
export type ColumnSection = (typeof COLUMN_SECTIONS)[number];
export const COLUMN_SECTION_LABELS: Record<ColumnSection, string> = {
  disclosure: '政务公开',
  services: '网上办事',
  online: '在线服务',
  interaction: '互动交流',
};

/** Who publishes what the chain approved in a column (Art. 20(三) and (五)). */
export const COLUMN_PUBLISHERS = ['drafter', 'service_center'] as const;
export type ColumnPublisher = (typeof COLUMN_PUBLISHERS)[number];
export const COLUMN_PUBLISHER_LABELS: Record<ColumnPublisher, string> = { drafter: '起草处室', service_center: '服务中心' };

/** An item on the public site: never published, published (its published version shows), taken down (410). */
export const ITEM_STATES = ['draft', 'published', 'taken_down'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** The review chain's steps (Art. 20). */
export const REVIEW_STEPS = ['dept_leader', 'publicity', 'bureau_leader'] as const;
export type ReviewStep = (typeof REVIEW_STEPS)[number];
export const REVIEW_STEP_LABELS: Record<ReviewStep, string> = {
  dept_leader: '处室负责人审核',
  publicity: '应急宣传处复审',
  bureau_leader: '分管局领导签发',
};

/** A review form (审核单) from submission to its end. Open: at a step, or approved and scheduled. */
export const FORM_STATUSES = ['at_step', 'approved', 'scheduled', 'published', 'returned', 'rejected', 'withdrawn', 'voided'] as const;
export type FormStatus = (typeof FORM_STATUSES)[number];
export const FORM_STATUS_LABELS: Record<FormStatus, string> = {
  at_step: '审核中',
  approved: '已审核，待发布',
  scheduled: '已审核，定时发布',
  published: '已发布',
  returned: '已退回',
  rejected: '未采用',
  withdrawn: '已撤回',
  voided: '已作废（送审后又修改）',
};
/** The forms the workflow keeps a clock for: a step's time limit, or the scheduled publication. */
export const CLOCKED_STATUSES = ['at_step', 'scheduled'] as const satisfies readonly FormStatus[];
/** The forms still under way: a new submission or an edit of the item ends them. */
export const LIVE_STATUSES = ['at_step', 'approved', 'scheduled'] as const satisfies readonly FormStatus[];
export const isLive = (s: FormStatus) => (LIVE_STATUSES as readonly FormStatus[]).includes(s);

/** What a reviewer decides at a step. Reject (不予采用) is the publicity office's alone (Art. 20(五)). */
export const STEP_DECISIONS = ['approved', 'returned', 'rejected'] as const;
export type StepDecision = (typeof STEP_DECISIONS)[number];
export const STEP_DECISION_LABELS: Record<StepDecision, string> = { approved: '同意', returned: '退回修改', rejected: '不予采用' };

/** The secrecy review's conclusions (保密审查, Art. 19 and 20(二)). Only the first lets an item go on. */
export const SECRECY_CONCLUSIONS = ['no_secret', 'secret_not_publish', 'needs_secrecy_office'] as const;
export type SecrecyConclusion = (typeof SECRECY_CONCLUSIONS)[number];
export const SECRECY_LABELS: Record<SecrecyConclusion, string> = {
  no_secret: '不涉及国家秘密',
  secret_not_publish: '涉及国家秘密，不予发布',
  needs_secrecy_office: '需报保密部门审查',
};

/** Art. 19 (一)-(四): what the drafter confirms of each item on its review form. */
export const ART19_POINTS = ['lawful', 'accurate', 'fitToDisclose', 'fitToPublishNow'] as const;
export type Art19Point = (typeof ART19_POINTS)[number];
export const ART19_LABELS: Record<Art19Point, string> = {
  lawful: '（一）内容合法合规',
  accurate: '（二）内容及时、准确、权威、完整',
  fitToDisclose: '（三）内容适宜公开',
  fitToPublishNow: '（四）内容适宜当前发布',
};

export const contentTypeSchema = z.enum(CONTENT_TYPES, { error: '请选择内容类型' });

// Role groups of this module, each named by who they are.
/** Drafters: department staff write items for the columns their department supplies. */
export const DRAFTERS = ['handler', 'dept_leader'] as const satisfies readonly Role[];
/** Everyone with a part in the chain sees the review forms they are concerned with. */
export const REVIEW_PARTICIPANTS = [
  'handler',
  'dept_leader',
  'bureau_leader',
  'publicity',
  'service_center',
  'office',
  'admin',
] as const satisfies readonly Role[];
/** Who may act at some step (the service narrows to the step and department). */
export const REVIEWERS = ['dept_leader', 'publicity', 'bureau_leader'] as const satisfies readonly Role[];
/** Who may publish an approved item (the column's publisher setting narrows it). */
export const PUBLISHERS = ['handler', 'dept_leader', 'service_center'] as const satisfies readonly Role[];
/** The general office takes items down (Art. 27(三)). */
export const TAKEDOWN_ROLES = ['office'] as const satisfies readonly Role[];
/** The general office publishes what it compiles and approves itself, the annual report (Art. 29). */
export const SYSTEM_PUBLISHERS = ['office'] as const satisfies readonly Role[];
/** Administrators keep the column tree and who is the bureau leader in charge of which department. */
export const SITE_ADMINS = ['admin'] as const satisfies readonly Role[];

/** A column as the rules need it. */
export interface ColumnFacts {
  id: number;
  isNews: boolean;
  newsNeedsBureauLeader: boolean;
  publisher: ColumnPublisher;
  /** Departments that supply this column; empty: every department. */
  supplierDepartmentIds: readonly number[];
  contentTypes: readonly ContentType[];
  acceptsItems: boolean;
}

/** The chain for an item in this column (Art. 20 (一)-(二); news per (五), the bureau leader by setting). */
export function stepsFor(column: Pick<ColumnFacts, 'isNews' | 'newsNeedsBureauLeader'>): ReviewStep[] {
  if (!column.isNews) return ['dept_leader', 'bureau_leader'];
  return column.newsNeedsBureauLeader ? ['dept_leader', 'publicity', 'bureau_leader'] : ['dept_leader', 'publicity'];
}

/** The person acting, as the rules see them. */
export interface Participant {
  staffId: number;
  roles: readonly Role[];
  departmentId: number | null;
  /** The departments this person is the bureau leader in charge of (分管). */
  leadsDepartmentIds: readonly number[];
}

/** Why the person may not draft in this column, or null. */
export function draftRefusal(p: Participant, column: ColumnFacts, contentType: ContentType): string | null {
  if (!p.roles.some((r) => (DRAFTERS as readonly Role[]).includes(r)) || p.departmentId === null) return '只有处室工作人员可以起草网站信息';
  if (!column.acceptsItems) return '该栏目是栏目分组，不能直接发布信息，请选择其下的栏目';
  if (column.supplierDepartmentIds.length > 0 && !column.supplierDepartmentIds.includes(p.departmentId)) {
    return '本处室不是该栏目的信息提供单位';
  }
  if (!column.contentTypes.includes(contentType)) return '该栏目不发布这类内容';
  return null;
}

/** A review form as the rules need it. */
export interface FormFacts {
  status: FormStatus;
  step: ReviewStep | null;
  steps: readonly ReviewStep[];
  departmentId: number;
  drafterId: number;
}

export type ReviewAction =
  { kind: 'approve'; secrecy?: SecrecyConclusion } | { kind: 'return' } | { kind: 'reject' } | { kind: 'publish' } | { kind: 'withdraw' };

/** A refusal: the person may not act (403), or the form's state does not allow it now (409). */
export interface Refusal {
  kind: 'forbidden' | 'state';
  message: string;
}
const forbid = (message: string): Refusal => ({ kind: 'forbidden', message });
const notNow = (message: string): Refusal => ({ kind: 'state', message });

/** Why the person may not take this action on the form now (in Chinese, for them), or null. */
export function reviewRefusal(form: FormFacts, column: ColumnFacts, p: Participant, action: ReviewAction): Refusal | null {
  const has = (r: Role) => p.roles.includes(r);
  if (action.kind === 'withdraw') {
    if (p.staffId !== form.drafterId) return forbid('只有起草人可以撤回');
    return isLive(form.status) ? null : notNow('该审核单已结束，不能撤回');
  }
  if (action.kind === 'publish') {
    if (column.publisher === 'service_center' ? !has('service_center') : p.staffId !== form.drafterId) {
      return forbid(column.publisher === 'service_center' ? '该栏目由行政服务中心发布' : '该栏目由起草人在其权限内发布');
    }
    if (form.status !== 'approved') return notNow(form.status === 'scheduled' ? '已设定定时发布' : '审核尚未完成，不能发布');
    return null;
  }
  if (p.staffId === form.drafterId) return forbid('不能审核本人起草的信息');
  const stepRefusal = form.step ? whoMayDecide(form, p, form.step) : null;
  if (stepRefusal) return stepRefusal;
  if (form.status !== 'at_step' || !form.step) return notNow('该审核单不在审核中');
  if (action.kind === 'reject' && form.step !== 'publicity') return notNow('退回修改即可；不予采用由应急宣传处对新闻作出');
  if (form.step === 'dept_leader' && action.kind === 'approve' && action.secrecy !== 'no_secret') {
    return notNow('保密审查结论为“不涉及国家秘密”才能同意；涉密或需报保密部门审查的，请退回');
  }
  return null;
}

function whoMayDecide(form: FormFacts, p: Participant, step: ReviewStep): Refusal | null {
  switch (step) {
    case 'dept_leader':
      return p.roles.includes('dept_leader') && p.departmentId === form.departmentId ? null : forbid('只有本处室负责人可以审核');
    case 'publicity':
      return p.roles.includes('publicity') ? null : forbid('只有应急宣传处可以复审新闻');
    case 'bureau_leader':
      return p.roles.includes('bureau_leader') && p.leadsDepartmentIds.includes(form.departmentId)
        ? null
        : forbid('只有分管该处室的局领导可以签发');
  }
}

/** The step after `step` in the chain, or null when the chain is complete. */
export function nextStep(steps: readonly ReviewStep[], step: ReviewStep): ReviewStep | null {
  const i = steps.indexOf(step);
  return steps[i + 1] ?? null;
}
