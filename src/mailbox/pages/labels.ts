import { REJECT_REASONS, STATUS_LABELS, TRANSFER_REASONS, TYPE_LABELS } from '../rules.js';

// The mailbox's labels as its pages show them (the lists themselves are declared in ../rules.ts).

export { REJECT_REASONS, STATUS_LABELS, TRANSFER_REASONS, TYPE_LABELS };

export const typeLabel = (t: string) => (TYPE_LABELS as Record<string, string>)[t] ?? t;
export const statusLabel = (s: string) => (STATUS_LABELS as Record<string, string>)[s] ?? s;
export const reasonLabel = (code: string | null) =>
  code === null ? null : ((TRANSFER_REASONS as Record<string, string>)[code] ?? (REJECT_REASONS as Record<string, string>)[code] ?? code);

/** Staff-facing titles of timeline events (the writer sees the public ones, titled by queries.ts). */
export const EVENT_LABELS: Record<string, string> = {
  received: '收到来信',
  transferred: '转办',
  transfer_disputed: '转回原处室，转办存在争议，提交办公室协调',
  disputed: '对转办提出异议，提交办公室协调',
  escalated: '提请办公室协调（涉及多个处室）',
  arbitrated: '办公室协调确定承办处室',
  answered: '答复',
  rejected: '不予受理',
  rejection_requested: '申请不予受理',
  opinion: '协办意见',
  reclassified: '更改信件类型',
  due_soon: '即将到期提醒',
  overdue: '已超过答复期限',
};
export const eventLabel = (kind: string) => EVENT_LABELS[kind] ?? kind;

/** Time limits in plain words (Article 22 of the website measures), for the public page. */
export const LIMIT_WORDS = [
  ['投诉', '10 个工作日'],
  ['便民服务事项投诉', '3 个工作日'],
  ['咨询', '2 个工作日'],
  ['建言献策', '10 个工作日'],
  ['情况反映', '10 个工作日'],
] as const;

/** The countdown shown for an open case, from the case summary's remainingWorkingDays. */
export function countdown(remainingWorkingDays: number, overdue: boolean): { text: string; tone: 'ok' | 'soon' | 'today' | 'late' } {
  if (remainingWorkingDays < 0) return { text: `已超期 ${-remainingWorkingDays} 个工作日`, tone: 'late' };
  // The deadline passed on a rest day: no working day has passed since, but the case is late.
  if (overdue) return { text: '已超期', tone: 'late' };
  if (remainingWorkingDays === 0) return { text: '今日到期', tone: 'today' };
  return { text: `剩余 ${remainingWorkingDays} 个工作日`, tone: remainingWorkingDays <= 1 ? 'soon' : 'ok' };
}
