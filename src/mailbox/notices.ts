import { formatChinaDateTime } from '../calendar/china-time.js';
import type { Executor } from '../db/client.js';
import { departmentName, generalOffice } from '../departments/service.js';
import { escapeText } from '../web/escape.js';
import { enqueueNotification } from '../notifications/service.js';
import type { letters } from './tables.js';

type LetterRow = typeof letters.$inferSelect;

const paragraphs = (lines: string[]) => lines.map((l) => `<p>${escapeText(l)}</p>`).join('\n');

/**
 * Tells the writer (when they gave an e-mail address) that their letter was transferred, answered or
 * not accepted. Queued in the transaction of the change, once per event. A notice to the public names
 * the bureau in full (`siteName`, the SITE_NAME setting; measures Art. 9(一)).
 */
export async function queueWriterNotice(
  tx: Executor,
  siteName: string,
  row: LetterRow,
  eventKey: string,
  notice: { kind: 'transferred'; toDepartmentId: number; reason: string } | { kind: 'answered' } | { kind: 'rejected'; reason: string },
): Promise<void> {
  if (!row.writerEmail) return;
  const greeting = `${row.writerName}：`;
  const mailbox = `${siteName}局长信箱`;
  const received = formatChinaDateTime(row.receivedAt).slice(0, 16).replace('T', ' ');
  const yourLetter = `您于 ${received} 提交的来信（受理编号 ${row.trackingNo}，标题“${row.subject}”）`;
  let subject: string;
  let body: string[];
  if (notice.kind === 'transferred') {
    const to = await departmentName(tx, notice.toDepartmentId);
    subject = `【${mailbox}】您的来信 ${row.trackingNo} 已转至${to}办理`;
    body = [`${yourLetter}已转至${to}办理。`, `转办理由：${notice.reason}`];
  } else if (notice.kind === 'answered') {
    subject = `【${mailbox}】您的来信 ${row.trackingNo} 已答复`;
    body = [`${yourLetter}已答复，请使用受理编号和查询码查看答复内容。`];
  } else {
    subject = `【${mailbox}】您的来信 ${row.trackingNo} 不予受理`;
    body = [`${yourLetter}不予受理。`, `理由：${notice.reason}`];
  }
  const lines = [greeting, ...body, '', `${mailbox}（本邮件由系统发送，请勿回复）`];
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
