import { formatChinaDateTime } from '../calendar/china-time.js';
import type { Executor } from '../db/client.js';
import { departmentContact, departmentName, generalOffice } from '../departments/service.js';
import { cnDate } from '../web/labels.js';
import { escapeText } from '../web/escape.js';
import { enqueueNotification } from '../notifications/service.js';
import type { letters } from './tables.js';

type LetterRow = typeof letters.$inferSelect;

const paragraphs = (lines: string[]) => lines.map((l) => `<p>${escapeText(l)}</p>`).join('\n');

/**
 * Tells the writer (when they gave an e-mail address) that their letter was transferred, answered or
 * not accepted. Queued in the transaction of the change, once per event.
 */
export async function queueWriterNotice(
  tx: Executor,
  row: LetterRow,
  eventKey: string,
  notice: { kind: 'transferred'; toDepartmentId: number; reason: string } | { kind: 'answered' } | { kind: 'rejected'; reason: string },
): Promise<void> {
  if (!row.writerEmail) return;
  const greeting = `${row.writerName}：`;
  const received = formatChinaDateTime(row.receivedAt).slice(0, 16).replace('T', ' ');
  const yourLetter = `您于 ${received} 提交的来信（受理编号 ${row.trackingNo}，标题“${row.subject}”）`;
  let subject: string;
  let body: string[];
  if (notice.kind === 'transferred') {
    const to = await departmentName(tx, notice.toDepartmentId);
    subject = `【局长信箱】您的来信 ${row.trackingNo} 已转至${to}办理`;
    body = [`${yourLetter}已转至${to}办理。`, `转办理由：${notice.reason}`];
  } else if (notice.kind === 'answered') {
    subject = `【局长信箱】您的来信 ${row.trackingNo} 已答复`;
    body = [`${yourLetter}已答复，请使用受理编号和查询码查看答复内容。`];
  } else {
    subject = `【局长信箱】您的来信 ${row.trackingNo} 不予受理`;
    body = [`${yourLetter}不予受理。`, `理由：${notice.reason}`];
  }
  const lines = [greeting, ...body, '', '市场监督管理局局长信箱（本邮件由系统发送，请勿回复）'];
  await enqueueNotification(tx, {
    dedupeKey: `writer:${eventKey}`,
    kind: `writer_${notice.kind}`,
    recipients: [row.writerEmail],
    subject,
    text: lines.join('\n'),
    html: paragraphs(lines),
    letterId: row.id,
  });
}

/** The general office hears at once when a letter becomes overdue. */
export async function queueOverdueNotice(tx: Executor, row: LetterRow): Promise<void> {
  const office = await generalOffice(tx);
  if (!office) return;
  const handling = await departmentName(tx, row.departmentId);
  const lines = [
    `${office.name}：`,
    `局长信箱来信 ${row.trackingNo}（${row.subject}）已超过办理期限（${row.dueDate}），承办处室：${handling}。`,
    '请督促办理。该信件将列入此后每日待办提醒，直至办结。',
  ];
  await enqueueNotification(tx, {
    dedupeKey: `overdue:${row.id}:${row.dueAt.toISOString()}`,
    kind: 'overdue',
    recipients: office.notifyEmails,
    subject: `【局长信箱】超期提醒：${row.trackingNo}（${handling}）`,
    text: lines.join('\n'),
    html: paragraphs(lines),
    letterId: row.id,
  });
}

/**
 * The handling department hears when a calendar change (a new year, a corrected notice) moved a
 * letter's deadline. Queued in the recompute's transaction; the key names the move, so a retried
 * activity queues it once.
 */
export async function queueDeadlineMovedNotice(
  tx: Executor,
  row: LetterRow,
  move: { fromDate: string; fromAt: Date; byRule: string; held: boolean; at: Date },
): Promise<void> {
  const dept = await departmentContact(tx, row.departmentId);
  if (!dept) return;
  const direction = row.dueAt.getTime() > move.fromAt.getTime() ? '延后' : '提前';
  const lines = [
    `${dept.name}：`,
    `因节假日安排调整，局长信箱来信 ${row.trackingNo}（${row.subject}）的答复期限${direction}，由${cnDate(move.fromDate)}改为${cnDate(row.dueDate)}。`,
    ...(move.held
      ? [`按调整后的日历计算应为${cnDate(move.byRule)}；期限不因日历调整提前到调整次一工作日结束之前，故定为${cnDate(row.dueDate)}。`]
      : []),
    '请按新的期限办理。',
  ];
  await enqueueNotification(tx, {
    dedupeKey: `deadline_moved:${row.id}:${move.fromAt.toISOString()}:${row.dueAt.toISOString()}:${move.at.getTime()}`,
    kind: 'deadline_moved',
    recipients: dept.notifyEmails,
    subject: `【局长信箱】答复期限调整：${row.trackingNo}（${row.dueDate}）`,
    text: lines.join('\n'),
    html: paragraphs(lines),
    letterId: row.id,
  });
}
