// External links (measures Art. 24, Art. 27(二)) and the link watcher (issue 21 points 2-4). Pure rules,
// no I/O: the application's states and steps, what a government site is, who may do what.
import { holdsAny, type Role } from '../auth/roles.js';

/** at_office → at_leader → approved (placed); returned by the office or refused by the leader; withdrawn later. */
export const LINK_STATUSES = ['at_office', 'at_leader', 'returned', 'refused', 'approved', 'withdrawn'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
export const LINK_STATUS_LABELS: Record<LinkStatus, string> = {
  at_office: '待办公室审核',
  at_leader: '待分管局领导审批',
  returned: '办公室退回',
  refused: '局领导不同意',
  approved: '已批准（可上线）',
  withdrawn: '已撤销',
};
/** The states with a step open, and so a time limit. */
export const OPEN_STEPS = { at_office: 'office', at_leader: 'leader' } as const satisfies Partial<Record<LinkStatus, LinkStep>>;
export const LINK_STEPS = ['office', 'leader', 'withdraw'] as const;
export type LinkStep = (typeof LINK_STEPS)[number];
export const LINK_STEP_LABELS: Record<LinkStep, string> = { office: '办公室审核', leader: '分管局领导审批', withdraw: '撤销链接' };
export const LINK_DECISIONS = ['approve', 'return', 'refuse', 'withdraw'] as const;
export type LinkDecision = (typeof LINK_DECISIONS)[number];
export const LINK_DECISION_LABELS: Record<LinkDecision, string> = { approve: '同意', return: '退回', refuse: '不同意', withdraw: '撤销' };

/** What a check of a link found: answered well, failed (status ≥ 400, network, TLS, timeout, loop), or not asked. */
export const LINK_CHECK_OUTCOMES = ['ok', 'failed', 'not_checked'] as const;
export type LinkCheckOutcome = (typeof LINK_CHECK_OUTCOMES)[number];
export const LINK_CHECK_OUTCOME_LABELS: Record<LinkCheckOutcome, string> = { ok: '正常', failed: '访问失败', not_checked: '未检查' };
export const NOT_CHECKED_OUTSIDE = '未检查：未开启外部链接检查（LINK_CHECK_EXTERNAL）';

/** Where the watcher found a link. */
export interface LinkSource {
  kind: 'approved' | 'item' | 'attachment' | 'page';
  /** The application's, the item's or the attachment's id; 0 for a page of the site. */
  ref: number;
  /** The department that answers for the link (the item's or the applicant); null: the site's own pages. */
  departmentId: number | null;
  label: string;
}

/** A link failing this many checks in a row is broken. */
export const FAILURES_TO_BREAK = 2;
/** The user agent every check sends, naming the bureau. */
export const LINK_CHECK_USER_AGENT = 'Mozilla/5.0 (compatible; 福建省市场监督管理局网站链接检查)';

/** "政务" as an IDNA label: hosts under the .政务 top-level domain. */
export const ZHENGWU_TLD = 'xn--zfr164b';

/** Lower-case ASCII host of an http(s) URL (the URL parser gives punycode for IDN); undefined otherwise. */
export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** A comma-separated host setting as a set of lower-case host names. */
export const hostList = (setting: string) =>
  new Set(
    setting
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );

/** A host is the listed host or one of its subdomains. */
const within = (host: string, listed: string) => host === listed || host.endsWith(`.${listed}`);

/** A government site: under .gov.cn, under .政务, or a listed organisation's host (LINK_GOVERNMENT_HOSTS). */
export function isGovernmentHost(host: string, listed: ReadonlySet<string>): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (within(h, 'gov.cn') || within(h, ZHENGWU_TLD)) return true;
  for (const l of listed) if (within(h, l)) return true;
  return false;
}

// Second-level labels under which a registrable domain has three labels (gov.cn, com.cn, …).
const SECOND_LEVEL = new Set(['gov', 'com', 'net', 'org', 'edu', 'ac', 'co', 'mil']);

/**
 * The registrable domain of a host, without a public-suffix list: the last two labels, or three when the
 * second-last is a common second-level label (fjamr.gov.cn, example.com.cn). Enough to tell "another site"
 * from "another page of the same site"; an IP address is its own domain.
 */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':')) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const n = SECOND_LEVEL.has(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

// ---- who may do what ----

/** Who applies for a link: a department's staff. */
export const LINK_APPLICANTS = ['handler', 'dept_leader'] as const satisfies readonly Role[];
/** Who reviews: the general office. */
export const LINK_REVIEWERS = ['office'] as const satisfies readonly Role[];
/** Who approves: a bureau leader (the one in charge of the general office; checked against the assignments). */
export const LINK_APPROVERS = ['bureau_leader'] as const satisfies readonly Role[];
/** Who sees every department's applications and the watcher's results. */
export const LINK_BUREAU_READERS = ['office', 'service_center', 'bureau_leader', 'admin'] as const satisfies readonly Role[];
/** Who sees applications and results at all (department staff: their own department's). */
export const LINK_READERS = [...LINK_APPLICANTS, ...LINK_BUREAU_READERS] as const satisfies readonly Role[];
/** Who may start a check run by hand. */
export const LINK_CHECK_RUNNERS = ['office', 'service_center', 'admin'] as const satisfies readonly Role[];

export interface LinkViewer {
  roles: readonly Role[];
  departmentId: number | null;
}
export type LinkAction = 'view' | 'apply' | 'review' | 'approve' | 'withdraw';

/** The module's one authorisation point (the leader's assignment to the office is checked by the service). */
export function can(v: LinkViewer, action: LinkAction, departmentId: number): boolean {
  const own = holdsAny(v.roles, LINK_APPLICANTS) && v.departmentId === departmentId;
  switch (action) {
    case 'view':
      return holdsAny(v.roles, LINK_BUREAU_READERS) || own;
    case 'apply':
      return own;
    case 'review':
      return holdsAny(v.roles, LINK_REVIEWERS);
    case 'approve':
      return holdsAny(v.roles, LINK_APPROVERS);
    case 'withdraw':
      return own || holdsAny(v.roles, LINK_REVIEWERS);
  }
}
export const seesAllLinks = (v: LinkViewer) => holdsAny(v.roles, LINK_BUREAU_READERS);

/** Which decisions each state allows. */
export function decisionRefusal(status: LinkStatus, decision: LinkDecision): string | null {
  if (decision === 'withdraw') return status === 'approved' ? null : '只有已批准的链接可以撤销';
  if (decision === 'return') return status === 'at_office' ? null : '该申请不在办公室审核环节';
  if (decision === 'refuse') return status === 'at_leader' ? null : '该申请不在局领导审批环节';
  return status === 'at_office' || status === 'at_leader' ? null : '该申请已办结，不能再审批';
}
