// The mailbox's state machine as pure functions: the letter workflow's update validator uses them to
// refuse an action synchronously, and they are unit-tested without Temporal. No I/O, no Node APIs.

/** Letter types and statuses, declared once: the pgEnums, the zod enums and these types derive from them. */
export const LETTER_TYPES = ['complaint', 'inquiry', 'suggestion', 'report'] as const;
export type LetterType = (typeof LETTER_TYPES)[number];
export const LETTER_STATUSES = ['processing', 'in_arbitration', 'answered', 'rejected'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];
/** The statuses in which a letter is still being handled (its workflow runs). */
export const OPEN_STATUSES = ['processing', 'in_arbitration'] as const satisfies readonly LetterStatus[];

export interface CaseState {
  status: LetterStatus;
  departmentId: number;
  assistingDepartmentIds: number[];
  visitedDepartmentIds: number[];
  /**
   * Set by a transfer, cleared by arbitration: before arbitration the letter is with the department the
   * writer chose (首办部门) exactly when this is null, so it also tells who may transfer (Art. 22).
   */
  transferredFromDepartmentId: number | null;
  /** The office has decided who handles the letter (Art. 22): the lead department answers or escalates, never transfers. */
  arbitrated: boolean;
  /** ALLOW_ONWARD_TRANSFER: a department that received a transfer may pass it on (off by default). */
  onwardTransferAllowed: boolean;
  pendingRejection: { reasonCode: string; reason: string; byDepartmentId: number } | null;
  dueSoonAt: number;
  dueAt: number;
  dueSoon: boolean;
  overdue: boolean;
}

export interface ActingStaff {
  staffId: number;
  username: string;
  roles: string[];
  departmentId: number | null;
  ip?: string;
  requestId?: string;
}

export type CaseAction =
  | { kind: 'answer'; content: string }
  | { kind: 'transfer'; toDepartmentId: number; reasonCode: string; reason: string }
  | { kind: 'dispute'; reason: string }
  | { kind: 'escalate'; reason: string; departmentIds: number[] }
  | { kind: 'arbitrate'; leadDepartmentId: number; assistingDepartmentIds: number[]; note: string }
  | { kind: 'opinion'; content: string }
  | { kind: 'reclassify'; type: LetterType; convenienceItemId: number | null; reason: string }
  | { kind: 'reject'; reasonCode: string; reason: string };

export type CaseActionKind = CaseAction['kind'];

/**
 * Which roles may ever take each action: department staff handle a case, the general office
 * coordinates. The API lets only these roles call the action (403 for the others, before anything
 * else); whether one of them may take it now, on this case, is refusal()'s answer (409).
 */
export const ACTION_ROLES = {
  answer: ['handler', 'dept_leader'],
  transfer: ['handler', 'dept_leader'],
  dispute: ['handler', 'dept_leader'],
  escalate: ['handler', 'dept_leader'],
  arbitrate: ['office'],
  opinion: ['handler', 'dept_leader'],
  reclassify: ['handler', 'dept_leader', 'office'],
  reject: ['handler', 'dept_leader', 'office'],
} as const satisfies Record<CaseActionKind, readonly string[]>;

/** Who may take the action, as staff are told when they may not. */
const WHO_MAY: Record<CaseActionKind, string> = {
  answer: '只有当前承办处室可以答复',
  transfer: '只有当前承办处室可以转办',
  dispute: '只有接收转办的处室可以提出异议',
  escalate: '只有当前承办处室可以提请办公室协调',
  arbitrate: '只有办公室可以协调确定承办处室',
  opinion: '只有协办处室可以提交协办意见',
  reclassify: '只有当前承办处室或办公室可以更改信件类型',
  reject: '只有当前承办处室可以申请不予受理',
};

export const mayEverTake = (a: Pick<ActingStaff, 'roles'>, kind: CaseActionKind) =>
  a.roles.some((r) => (ACTION_ROLES[kind] as readonly string[]).includes(r));

export const isOpen = (s: Pick<CaseState, 'status'>) => (OPEN_STATUSES as readonly LetterStatus[]).includes(s.status);
const isOffice = (a: ActingStaff) => a.roles.includes('office');
/** The caller's department handles the case (their role was checked against ACTION_ROLES first). */
const handles = (s: CaseState, a: ActingStaff) => a.departmentId === s.departmentId;

/** Why the action is not allowed now (in Chinese, shown to staff), or null when it is. */
export function refusal(s: CaseState, a: ActingStaff, action: CaseAction): string | null {
  if (!isOpen(s)) return s.status === 'answered' ? '该信件已答复办结' : '该信件已不予受理';
  if (!mayEverTake(a, action.kind)) return WHO_MAY[action.kind];
  switch (action.kind) {
    case 'answer':
      if (s.status !== 'processing') return '信件正由办公室协调，暂不能答复';
      if (s.pendingRejection) return '不予受理申请待办公室确认';
      return handles(s, a) ? null : WHO_MAY.answer;
    case 'transfer':
      if (s.status !== 'processing') return '信件正由办公室协调，暂不能转办';
      if (!handles(s, a)) return WHO_MAY.transfer;
      if (action.toDepartmentId === s.departmentId) return '不能转给本处室';
      return transferLimit(s, action.toDepartmentId);
    case 'dispute':
      if (s.status !== 'processing') return '信件已在办公室协调中';
      if (!handles(s, a)) return WHO_MAY.dispute;
      return s.transferredFromDepartmentId === null ? '该信件不是转办来的，无需提出异议' : null;
    case 'escalate':
      if (s.status !== 'processing') return '信件已在办公室协调中';
      return handles(s, a) ? null : WHO_MAY.escalate;
    case 'arbitrate':
      return s.status === 'in_arbitration' ? null : '信件不在协调中';
    case 'opinion':
      if (s.status !== 'processing') return '信件正由办公室协调';
      return a.departmentId !== null && s.assistingDepartmentIds.includes(a.departmentId) ? null : WHO_MAY.opinion;
    case 'reclassify':
      return handles(s, a) || isOffice(a) ? null : WHO_MAY.reclassify;
    case 'reject':
      if (isOffice(a)) return null; // the general office confirms (or decides) a rejection
      if (s.status !== 'processing') return '信件正由办公室协调';
      if (s.pendingRejection) return '不予受理申请已提交，待办公室确认';
      return handles(s, a) ? null : WHO_MAY.reject;
  }
}

/**
 * Art. 22: the first department (首办部门) transfers what is not within its remit; the receiving
 * department answers it or disputes it, and the general office's decision settles who handles it.
 * A transfer back to a department the letter already left is a dispute (isPingPong), never refused here.
 * A state cached by a running workflow from older activities lacks the new fields: it reads as "not
 * arbitrated, no onward transfers"; the activity re-checks with the stored row under its lock.
 */
function transferLimit(s: CaseState, toDepartmentId: number): string | null {
  if (s.arbitrated) return '办公室已协调确定承办处室，不能再转办；如有异议，可再次提请办公室协调';
  const receivedByTransfer = s.transferredFromDepartmentId !== null;
  if (receivedByTransfer && !s.onwardTransferAllowed && !isPingPong(s, toDepartmentId)) {
    return '转办来的信件不能再转给其他处室：请答复，或对转办提出异议，由办公室协调';
  }
  return null;
}

/**
 * The state as the rules before the Art. 22 transfer limits saw it (any handling department could
 * transfer, also after arbitration): the letter workflow replays histories recorded before the patch
 * `transfer-limits-art22` with it, so an onward transfer they accepted is accepted again on replay.
 */
export const withoutTransferLimits = (s: CaseState): CaseState => ({ ...s, arbitrated: false, onwardTransferAllowed: true });

/** A transfer back to a department the letter already left is a disputed transfer: the office decides. */
export const isPingPong = (s: CaseState, toDepartmentId: number) => s.visitedDepartmentIds.includes(toDepartmentId);
