import type { Env } from '../config/env.js';
import type { LetterType } from '../../workflows/letter-rules.js';

export const TYPE_LABELS: Record<LetterType, string> = { complaint: '投诉', inquiry: '咨询', suggestion: '建言献策', report: '情况反映' };
export const STATUS_LABELS = { processing: '办理中', in_arbitration: '办公室协调中', answered: '已答复', rejected: '不予受理' } as const;

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
export function limitDays(env: Pick<Env, 'LIMIT_SUGGESTION_DAYS' | 'LIMIT_REPORT_DAYS'>, type: LetterType, convenienceItemId: number | null): number {
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
