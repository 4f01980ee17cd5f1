// The mailbox's pure rules: labels, reason codes, time limits and who may see or act on a letter.
// No I/O. The letter's state machine (what an action may do now) is src/mailbox/case-rules.ts.
import type { StaffIdentity } from '../auth/sessions.js';
import { ADMIN_AND_OFFICE, ADMIN_ONLY, BUREAU_WIDE, DEPARTMENT_STAFF, type Role } from '../auth/roles.js';
import type { Viewer } from '../auth/viewer.js';
import type { Env } from '../config/env.js';
import type { LetterStatus, LetterType } from './case-rules.js';

export const TYPE_LABELS: Record<LetterType, string> = { complaint: '投诉', inquiry: '咨询', suggestion: '建言献策', report: '情况反映' };
export const STATUS_LABELS = {
  processing: '办理中',
  in_arbitration: '办公室协调中',
  answered: '已答复',
  rejected: '不予受理',
} as const satisfies Record<LetterStatus, string>;

/** Transfer reason codes (a fixed list; free text explains each case). */
export const TRANSFER_REASONS = {
  not_in_remit: '不属于本处室职责范围',
  other_department_lead: '应由其他处室牵头办理',
  needs_specialist: '涉及其他处室专业领域',
  misaddressed: '来信人选错处室',
} as const;

export const REJECT_REASONS = {
  abusive: '含有侮辱、谩骂等内容',
  duplicate: '重复来信',
  no_content: '无实质内容',
  other_channel: '应通过其他渠道办理（如政府信息公开申请、信访）',
  out_of_scope: '不属于市场监管部门职责',
} as const;

/**
 * Time limits in working days (Article 22 of the bureau's website measures): complaints 10, complaints
 * about a convenience-service-list item 3, inquiries 2; suggestions and situation reports by setting.
 */
export function limitDays(
  env: Pick<Env, 'LIMIT_SUGGESTION_DAYS' | 'LIMIT_REPORT_DAYS'>,
  type: LetterType,
  convenienceItemId: number | null,
): number {
  switch (type) {
    case 'complaint':
      return convenienceItemId === null ? 10 : 3;
    case 'inquiry':
      return 2;
    case 'suggestion':
      return env.LIMIT_SUGGESTION_DAYS;
    case 'report':
      return env.LIMIT_REPORT_DAYS;
  }
}

/** The columns of a letter that decide who may see it and act on it. */
export interface LetterScope {
  departmentId: number;
  assistingDepartmentIds: number[];
  visitedDepartmentIds: number[];
}

/**
 * Whose letters a person sees: every letter (the office and the oversight roles), or those of one
 * department: it has them now, assists on them, or had them before (read-only). The SQL filter of the
 * lists (`scopeFilter` in service/visibility.ts) is built from this same value.
 */
export type CaseScope = { all: true } | { all: false; departmentId: number | null };

const holds = (staff: StaffIdentity, roles: readonly Role[]) => staff.roles.some((r) => roles.includes(r));

export function caseScopeOf(staff: StaffIdentity | null): CaseScope {
  if (staff && holds(staff, BUREAU_WIDE)) return { all: true };
  return { all: false, departmentId: staff?.departmentId ?? null };
}

export function inScope(scope: CaseScope, letter: LetterScope): boolean {
  if (scope.all) return true;
  const dept = scope.departmentId;
  if (dept === null) return false;
  return letter.departmentId === dept || letter.assistingDepartmentIds.includes(dept) || letter.visitedDepartmentIds.includes(dept);
}

/**
 * What a person may do with a letter: `view` it (it is in their scope), or `act` on it (their
 * department has it or assists on it, or they are the office). Which action the state allows now is
 * refusal()'s answer (src/mailbox/case-rules.ts); which roles may ever take one is ACTION_ROLES.
 */
export type MailboxAction = 'view' | 'act';

export function can(viewer: Pick<Viewer, 'staff'>, action: MailboxAction, letter: LetterScope): boolean {
  const staff = viewer.staff;
  if (!staff) return false;
  if (action === 'view') return inScope(caseScopeOf(staff), letter);
  if (staff.roles.includes('office')) return true;
  if (!holds(staff, DEPARTMENT_STAFF)) return false;
  return (
    staff.departmentId === letter.departmentId ||
    (staff.departmentId !== null && letter.assistingDepartmentIds.includes(staff.departmentId))
  );
}

/**
 * Art. 22 "不属于本部门职责范围的，应当立即转交": a transfer is expected by the end (24:00, China time)
 * of the N-th working day after the day the department received the letter (N =
 * TRANSFER_EXPECTED_WORKING_DAYS). Counted exactly as answer deadlines are (`deadline`, the calendar's):
 * the receipt day is not counted, holidays are skipped, make-up working days (调休) count, and under
 * AFTER_HOURS_RECEIPT_NEXT_DAY an after-hours receipt counts from the next working day. N is at least 1.
 * A later transfer is still made; it is marked late.
 */
export function transferLateness(
  deadline: (receivedAt: Date, workingDays: number) => { dueAt: Date },
  receivedAt: Date,
  workingDays: number,
  transferredAt: Date,
): { expectedBy: Date; late: boolean } {
  const expectedBy = deadline(receivedAt, workingDays).dueAt;
  return { expectedBy, late: transferredAt.getTime() > expectedBy.getTime() };
}

/**
 * Who may see the whole convenience-service list (deactivated items, each item's history) and who may
 * change it; the routes and pages of the list declare the same groups as their access.
 */
export const CONVENIENCE_ITEM_PERMISSIONS = {
  'list-all': ADMIN_AND_OFFICE,
  administer: ADMIN_ONLY,
} as const satisfies Record<string, readonly Role[]>;
export type ConvenienceItemAction = keyof typeof CONVENIENCE_ITEM_PERMISSIONS;

export const canOnConvenienceItems = (viewer: Pick<Viewer, 'staff'>, action: ConvenienceItemAction): boolean =>
  !!viewer.staff && holds(viewer.staff, CONVENIENCE_ITEM_PERMISSIONS[action]);
