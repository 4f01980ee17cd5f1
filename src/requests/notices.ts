import type { Executor } from '../db/client.js';
import { queueOfficeNotice } from '../departments/office-notice.js';
import { cnDate } from '../web/labels.js';
import { OUTCOME_FACTS, type RequestOutcome } from './outcomes.js';

// Notices of disclosure requests to the general office, queued in the transaction of what they report
// (once per dedupe key, so a retried activity queues nothing twice).

const toOffice = queueOfficeNotice;

/** A few working days before the answer deadline (条例 Art. 33). */
export const queueDeadlineReminder = (tx: Executor, requestId: number, number: string, deadline: string) =>
  toOffice(
    tx,
    `request-${requestId}:reminder:${deadline}`,
    'request_deadline_reminder',
    `政府信息公开申请即将到期：${number}`,
    `政府信息公开申请 ${number} 的答复期限为${cnDate(deadline)}（当日24时前）（条例第三十三条），请及时答复；确需延长的，应在期限届满前经负责人同意并告知申请人。`,
  );

/** The answer deadline has passed without an answer. */
export const queueOverdueNotice = (tx: Executor, requestId: number, number: string, deadline: string) =>
  toOffice(
    tx,
    `request-${requestId}:overdue:${deadline}`,
    'request_overdue',
    `政府信息公开申请已超期：${number}`,
    `政府信息公开申请 ${number} 的答复期限${cnDate(deadline)}已届满，尚未答复，请立即办理。`,
  );

/** The 补正 or fee period lapsed: the request is no longer processed (条例 Art. 30; 109号). */
export const queueAbandonedNotice = (tx: Executor, requestId: number, number: string, outcome: RequestOutcome, due: string) =>
  toOffice(
    tx,
    `request-${requestId}:abandoned`,
    'request_abandoned',
    `政府信息公开申请不再处理：${number}`,
    `政府信息公开申请 ${number} 的${outcome === 'other_fee_unpaid' ? '缴费' : '补正'}期限${cnDate(due)}已届满，系统已按“${OUTCOME_FACTS[outcome].label}”办结（${OUTCOME_FACTS[outcome].basis}），请向申请人出具告知书。`,
  );
