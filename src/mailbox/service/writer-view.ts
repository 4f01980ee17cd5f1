import { and, asc, eq } from 'drizzle-orm';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { accessCodeMatches } from '../codes.js';
import { STATUS_LABELS } from '../rules.js';
import { letterEvents, letters } from '../tables.js';

const EVENT_TITLES: Record<string, string> = {
  received: '来信已收到',
  transferred: '已转办',
  transfer_disputed: '转办存在争议，提交办公室协调',
  disputed: '承办处室对转办有异议，提交办公室协调',
  escalated: '涉及多个处室，提交办公室协调',
  arbitrated: '办公室已协调确定承办处室',
  answered: '已答复',
  rejected: '不予受理',
};

/** The writer's view of their letter, or undefined when the number is unknown or the code is wrong. */
export async function writerView(db: Database, trackingNo: string, accessCode: string) {
  const [row] = await db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  if (!row || !accessCodeMatches(accessCode, row.accessCodeHash)) return undefined;
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  const events = await db
    .select()
    .from(letterEvents)
    .where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.isPublic, true)))
    .orderBy(asc(letterEvents.id));
  return {
    trackingNo: row.trackingNo,
    type: row.type,
    subject: row.subject,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    department: { id: row.departmentId, name: depts.get(row.departmentId) ?? '' },
    receivedAt: formatChinaDateTime(row.receivedAt),
    dueDate: row.dueDate,
    dueAt: formatChinaDateTime(row.dueAt),
    dueProvisional: row.dueProvisional,
    allowPublication: row.allowPublication,
    timeline: events.map((e) => ({
      at: formatChinaDateTime(e.at),
      kind: e.kind,
      title: e.kind === 'transferred' ? `已转至${depts.get(e.toDepartmentId ?? 0) ?? ''}办理` : (EVENT_TITLES[e.kind] ?? e.kind),
      // The writer sees the stated reason of a transfer or a rejection. Dispute and escalation reasons
      // and arbitration notes are internal deliberation; answers are shown separately.
      text: e.kind === 'transferred' || e.kind === 'rejected' ? e.text : null,
    })),
    answer: row.status === 'answered' && row.answer ? { content: row.answer, answeredAt: formatChinaDateTime(row.answeredAt!) } : null,
  };
}
