// Inspection findings become tasks (issue 21 point 6; measures Art. 27(三)): in the daily inspection, "遇到
// 信息发布格式不规范的，行政服务中心及时对相关保障部门进行技术指导；遇到信息内容不符合规定的，办公室及时通知相关
// 保障部门撤除". Pure rules: the kinds, who raises each, the states, who may act.
import { holdsAny, type Role } from '../auth/roles.js';

export const FINDING_KINDS = ['format', 'content'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Per kind: what the task is called, who raises and closes it, and what the department must do. */
export const FINDING_RULES = {
  format: {
    label: '发布格式不规范',
    task: '技术指导',
    raisedBy: ['service_center'],
    raiser: '行政服务中心',
    raiserKind: 'service_center',
    ask: '按行政服务中心的技术指导修改信息格式（修改经审核流程）',
  },
  content: {
    label: '信息内容不符合规定',
    task: '撤除通知',
    raisedBy: ['office'],
    raiser: '办公室',
    raiserKind: 'general_office',
    ask: '撤除不符合规定的信息',
  },
} as const satisfies Record<
  FindingKind,
  { label: string; task: string; raisedBy: readonly Role[]; raiser: string; raiserKind: 'service_center' | 'general_office'; ask: string }
>;

/** open → reported (the department says it is done) → closed (accepted); a report not accepted goes back to open. */
export const FINDING_STATUSES = ['open', 'reported', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = {
  open: '待整改',
  reported: '处室已报告整改，待确认',
  closed: '已完成',
};

/** Who reads findings: the office and the service centre all; department staff their own department's. */
export const FINDING_READERS = ['office', 'service_center', 'handler', 'dept_leader'] as const satisfies readonly Role[];
export const FINDING_RAISERS = ['office', 'service_center'] as const satisfies readonly Role[];
export const FINDING_REPORTERS = ['handler', 'dept_leader'] as const satisfies readonly Role[];

export type FindingAction = 'raise' | 'read' | 'report' | 'close';
interface Who {
  roles: readonly Role[];
  departmentId: number | null;
}

/** The one authorisation point of findings. */
export function canFinding(who: Who, action: FindingAction, f: { kind: FindingKind; departmentId: number }): boolean {
  const raiser = holdsAny(who.roles, FINDING_RULES[f.kind].raisedBy);
  const ownDepartment = who.departmentId === f.departmentId && holdsAny(who.roles, FINDING_REPORTERS);
  switch (action) {
    case 'raise':
    case 'close':
      return raiser;
    case 'report':
      return ownDepartment;
    case 'read':
      return holdsAny(who.roles, FINDING_RAISERS) || ownDepartment;
  }
}

export const seesAllFindings = (roles: readonly Role[]) => holdsAny(roles, FINDING_RAISERS);

/** What the department must do, in the digest and on the page. */
export const findingStepLabel = (kind: FindingKind) => `${FINDING_RULES[kind].task}：${FINDING_RULES[kind].ask}`;
