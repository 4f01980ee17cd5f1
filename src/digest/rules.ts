// What a digest is, as pure data and rules: the tables, the builder, the page and the e-mail all read
// these, so none of them needs another (no import cycles). No I/O.
import { addMinutes } from 'date-fns';
import { chinaMidnight } from '../calendar/china-time.js';
import { parseClock } from '../calendar/deadline.js';
import { cnDate } from '../web/labels.js';
import type { InspectionAlert } from '../inspection/rules.js';

/** The two kinds of digest: one per department, one for the general office. */
export const DIGEST_KINDS = ['department', 'office'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

export interface DigestLetter {
  trackingNo: string;
  subject: string;
  type: string;
  dueDate: string;
  /** The handling department. */
  departmentName: string;
  /** The digest's department handles the letter, or assists on it (department digests). */
  role?: 'lead' | 'assisting';
  /** Received since the last digest (shown as a mark when a more urgent group wins). */
  isNew?: boolean;
  /** Transferred to the handling department, which may still dispute it. */
  transferred?: boolean;
  /** The digest's department assists and has not given its opinion yet. */
  opinionOwed?: boolean;
  /** Before the general office (arbitration); its deadline still runs. */
  inArbitration?: boolean;
  /** Working days past the due date (overdue groups). */
  workingDaysOverdue?: number;
  /** Working days after today up to and including the due date (the `others` group). */
  workingDaysLeft?: number;
  /** Working days waiting for the general office (arbitration list). */
  waitingWorkingDays?: number;
}

/**
 * A department's groups, most urgent first. Art. 22: the service centre reminds the departments every
 * working day of the letters they hold, so every open letter the department handles or assists on is
 * in exactly one group: the first that applies in this order (a new letter due the next working day
 * is in `dueNextWorkingDay`, marked new).
 */
export const DEPARTMENT_GROUPS = [
  { key: 'overdue', title: '已超期' },
  { key: 'dueToday', title: '今日到期' },
  { key: 'dueNextWorkingDay', title: '下一工作日到期' },
  { key: 'newLetters', title: '新收信件' },
  { key: 'others', title: '其他在办信件' },
] as const;
export type DepartmentGroup = (typeof DEPARTMENT_GROUPS)[number]['key'];

export const OFFICE_GROUPS = [
  { key: 'overdue', title: '已超期信件' },
  { key: 'awaitingArbitration', title: '待办公室协调' },
] as const;

/**
 * A task with a time limit in working days besides the letters: a 审核单 waiting at a step of the review
 * chain (issue 15 point 7) or a 主动公开 document waiting for its catalogue entry (issue 16, 条例 Art. 26).
 */
export const TASK_KINDS = {
  review: { noun: '审核单', href: (ref: number) => `/staff/review-forms/${ref}` },
  catalogue: { noun: '主动公开', href: (ref: number) => `/staff/disclosure/documents/${ref}` },
  // The quarterly hand-in of review forms (measures Art. 20(四)); ref is the quarter (20264 = 2026 Q4).
  handin: { noun: '审核单季度报送', href: (ref: number) => `/staff/handin?quarter=${Math.floor(ref / 10)}-Q${ref % 10}` },
  // A disclosure request's handling step (批办, 拟办, 签发; src/requests/routing-rules.ts); ref is the request id.
  request: { noun: '政府信息公开申请', href: (ref: number) => `/staff/requests/${ref}` },
  // An external-link application at a step (measures Art. 24); ref is the application's number.
  link: { noun: '外部链接审核表', href: (ref: number) => `/staff/links/${ref}` },
  // A link failing twice in a row (issue 21 point 3); ref is the link's row in the watcher's results.
  brokenLink: { noun: '断链', href: (_ref: number) => '/staff/links/checks?broken=true' },
  // An inspection finding to act on (measures Art. 27(三); issue 21 point 6); ref is the finding's number.
  finding: { noun: '网站检查问题', href: (ref: number) => `/staff/inspection/findings/${ref}` },
  // The annual disclosure report (条例 Art. 49), from 2 January until published; ref is the report's year.
  annualReport: { noun: '政府信息公开工作年度报告', href: (ref: number) => `/staff/annual-reports/${ref}` },
} as const;
export type TaskKind = keyof typeof TASK_KINDS;

export interface DigestTask {
  kind: TaskKind;
  /** The review form's number, or the document's. */
  ref: number;
  title: string;
  /** What waits: the step (处室负责人审核, 应急宣传处复审, 分管局领导签发) or 录入公开目录. */
  stepLabel: string;
  /** The supplying department. */
  departmentName: string;
  dueDate: string;
  workingDaysOverdue?: number;
  /** Working days after today up to and including the due date (not overdue). */
  workingDaysLeft?: number;
}

export const TASK_SECTION_TITLE = '网站信息审核和政府信息公开待办';
export const OFFICE_TASK_SECTION_TITLE = '网站信息审核和政府信息公开超期';

/**
 * A department's groups of letters and, where it has any (absent in digests stored before issue 15),
 * the tasks it supplies or must act on.
 */
export type DepartmentDigest = { kind: 'department'; departmentName: string; tasks?: DigestTask[] } & Record<
  DepartmentGroup,
  DigestLetter[]
>;

/** Next year's holiday notice is not loaded yet: days from `provisionalFrom` on are provisional. */
export interface MissingNotice {
  year: number;
  provisionalFrom: string;
}

export interface OfficeDigest {
  kind: 'office';
  departmentName: string;
  overdue: DigestLetter[];
  awaitingArbitration: DigestLetter[];
  perDepartment: { departmentId: number; name: string; open: number; overdue: number }[];
  /** From 1 November while next year's notice is missing (src/calendar/service.ts, nextYearNoticeMissing). */
  missingNotice?: MissingNotice | null;
  /** Tasks past their time limit (the office is also told once when each goes overdue). */
  overdueTasks?: DigestTask[];
  /** The day's self-inspection items that are red or amber (src/inspection; absent: none, or stored before it). */
  inspection?: InspectionAlert[];
}

export type DigestContent = DepartmentDigest | OfficeDigest;

/** The instant the digest of `day` (days since epoch, a China date) is taken: DIGEST_TIME, China time. */
export const digestInstant = (day: number, digestTime: string) => addMinutes(chinaMidnight(day), parseClock(digestTime));

/** How many letters a digest lists (the office's per-department counts are not items). */
export const itemCount = (c: DigestContent) =>
  c.kind === 'office'
    ? c.overdue.length + c.awaitingArbitration.length + (c.overdueTasks?.length ?? 0)
    : DEPARTMENT_GROUPS.reduce((n, g) => n + c[g.key].length, 0) + (c.tasks?.length ?? 0);

/** The tasks a digest lists, for the page and the e-mail. */
export const tasksOf = (c: DigestContent): DigestTask[] => (c.kind === 'office' ? c.overdueTasks : c.tasks) ?? [];
export const taskSectionTitle = (c: DigestContent) => (c.kind === 'office' ? OFFICE_TASK_SECTION_TITLE : TASK_SECTION_TITLE);

/** What decides a letter's group on the digest day. */
export interface GroupFacts {
  /** Its deadline passed before the digest instant. */
  overdue: boolean;
  dueDate: string;
  /** Received after the last digest. */
  isNew: boolean;
}

/** The one group a letter is in (see DEPARTMENT_GROUPS for the order). */
export function groupOf(l: GroupFacts, day: { today: string; nextWorkingDay: string }): DepartmentGroup {
  if (l.overdue) return 'overdue';
  if (l.dueDate === day.today) return 'dueToday';
  if (l.dueDate === day.nextWorkingDay) return 'dueNextWorkingDay';
  if (l.isNew) return 'newLetters';
  return 'others';
}

// ---- the words, shared by the page and the e-mail ----

/** "2026年10月20日（含当日）前": a letter is due by the end of its due date. */
export const dueLabel = (dueDate: string) => `${cnDate(dueDate)}（含当日）前`;

/** The marks and counts shown after a letter's subject. */
export function letterNotes(l: DigestLetter): string[] {
  return [
    `办理期限 ${dueLabel(l.dueDate)}`,
    l.workingDaysOverdue !== undefined ? `已超期 ${l.workingDaysOverdue} 个工作日` : '',
    l.workingDaysLeft !== undefined ? `剩余 ${l.workingDaysLeft} 个工作日（不含今日）` : '',
    l.waitingWorkingDays !== undefined ? `已等待 ${l.waitingWorkingDays} 个工作日` : '',
    l.role === 'assisting' ? `协办（承办：${l.departmentName}）` : '',
    l.opinionOwed ? '待提交协办意见' : '',
    l.isNew ? '新收' : '',
    l.transferred ? '转办来信（答复，或提出异议）' : '',
    l.inArbitration ? '办公室协调中' : '',
  ].filter(Boolean);
}

/** A task as one line: what it is, its title, and its notes. */
export const taskLine = (t: DigestTask) => `${TASK_KINDS[t.kind].noun} ${t.ref} 《${t.title}》（${taskNotes(t).join('，')}）`;

/** The notes of a task: what waits, the supplier and the time limit. */
export function taskNotes(r: DigestTask): string[] {
  return [
    r.stepLabel,
    `提供处室：${r.departmentName}`,
    `时限 ${dueLabel(r.dueDate)}`,
    r.workingDaysOverdue !== undefined ? `已超期 ${r.workingDaysOverdue} 个工作日` : '',
    r.workingDaysLeft === 0 ? '今日到期' : '',
    r.workingDaysLeft ? `剩余 ${r.workingDaysLeft} 个工作日（不含今日）` : '',
  ].filter(Boolean);
}

/** The office's line about next year's missing holiday notice. */
export const missingNoticeLine = (n: MissingNotice) =>
  `${n.year}年节假日安排尚未录入，${cnDate(n.provisionalFrom)}（含当日）起的日期暂按周末规则计算，办理期限落在这些日期的信件期限为暂定。`;

export const INSPECTION_SECTION_TITLE = '网站日常检查（国办秘函〔2019〕19号指标）';
/** An inspection item as one line: its label, 不达标 or 接近阈值, and the cause. */
export const inspectionLine = (a: InspectionAlert) => `${a.label}：${a.status === 'red' ? '不达标' : '接近阈值'}。${a.cause}`;
