import { formatChinaDateTime } from '../calendar/china-time.js';
import type { Executor } from '../db/client.js';
import { departmentContact, departmentName, generalOffice } from '../departments/service.js';
import { escapeText } from '../web/escape.js';
import { cnDate } from '../web/labels.js';
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
  notice:
    | { kind: 'transferred'; toDepartmentId: number; reason: string }
    | { kind: 'answered' }
    | { kind: 'rejected'; reason: string }
    | { kind: 'reopened'; toDepartmentId: number; dueDate: string }
    | { kind: 'dissatisfaction_closed'; explanation: string },
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
  } else if (notice.kind === 'rejected') {
    subject = `【${mailbox}】您的来信 ${row.trackingNo} 不予受理`;
    body = [`${yourLetter}不予受理。`, `理由：${notice.reason}`];
  } else if (notice.kind === 'reopened') {
    const to = await departmentName(tx, notice.toDepartmentId);
    subject = `【${mailbox}】您的来信 ${row.trackingNo} 已重新办理`;
    body = [`${yourLetter}，您对答复不满意。办公室已交由${to}重新办理，答复期限为${cnDate(notice.dueDate)}。`];
  } else {
    subject = `【${mailbox}】您的来信 ${row.trackingNo} 办结说明`;
    body = [`${yourLetter}，您对答复不满意。办公室经核查，作出如下说明并办结：`, notice.explanation];
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

const letterLine = (row: LetterRow) => `局长信箱来信 ${row.trackingNo}（${row.subject}，答复期限 ${row.dueDate}）`;
const FOOTER = ['', '市场监督管理局局长信箱（本邮件由系统发送，请勿回复）'];

/** Queues one notice to a department's notice addresses (held when it has none), once per key. */
async function queueDepartmentNotice(
  tx: Executor,
  row: LetterRow,
  departmentId: number,
  notice: { dedupeKey: string; kind: string; subject: string; body: string[] },
): Promise<void> {
  const dept = await departmentContact(tx, departmentId);
  if (!dept) return;
  const lines = [`${dept.name}：`, ...notice.body, ...FOOTER];
  await enqueueNotification(tx, {
    dedupeKey: notice.dedupeKey,
    kind: notice.kind,
    recipients: dept.notifyEmails,
    subject: `【局长信箱】${notice.subject}：${row.trackingNo}`,
    text: lines.join('\n'),
    html: paragraphs(lines),
    letterId: row.id,
  });
}

/** Art. 22: the receiving department hears of a transfer at once (in the transaction of the transfer). */
export async function queueTransferNotice(
  tx: Executor,
  row: LetterRow,
  eventKey: string,
  transfer: { fromDepartmentId: number; toDepartmentId: number; reason: string },
): Promise<void> {
  const from = await departmentName(tx, transfer.fromDepartmentId);
  await queueDepartmentNotice(tx, row, transfer.toDepartmentId, {
    dedupeKey: `department:${eventKey}:${transfer.toDepartmentId}`,
    kind: 'department_transferred',
    subject: '转办来信',
    body: [
      `${letterLine(row)}由${from}转至你处办理。`,
      `转办理由：${transfer.reason}`,
      '请在答复期限内答复；认为不属于你处职责的，可对转办提出异议，由办公室协调确定承办处室。',
    ],
  });
}

/** Art. 22: the departments the general office names, lead and assisting, hear of its decision. */
export async function queueArbitrationNotices(
  tx: Executor,
  row: LetterRow,
  eventKey: string,
  decision: { leadDepartmentId: number; assistingDepartmentIds: number[]; note: string },
): Promise<void> {
  const lead = await departmentName(tx, decision.leadDepartmentId);
  const named = [decision.leadDepartmentId, ...decision.assistingDepartmentIds];
  for (const id of named) {
    const isLead = id === decision.leadDepartmentId;
    await queueDepartmentNotice(tx, row, id, {
      dedupeKey: `department:${eventKey}:${id}`,
      kind: 'department_arbitrated',
      subject: isLead ? '办公室协调确定由你处牵头办理' : '办公室协调确定由你处协办',
      body: [
        isLead
          ? `${letterLine(row)}经办公室协调，由你处牵头办理并答复。`
          : `${letterLine(row)}经办公室协调，由${lead}牵头办理，你处协办，请向牵头处室提交协办意见。`,
        `协调意见：${decision.note}`,
      ],
    });
  }
}

const OFFICE_SUBJECTS = {
  disputed: '转办异议，待协调',
  transfer_disputed: '信件被转回原处室，待协调',
  escalated: '提请协调',
} as const;

/** Art. 22: the general office hears of every dispute of a transfer and every request to coordinate. */
export async function queueOfficeNotice(
  tx: Executor,
  row: LetterRow,
  eventKey: string,
  notice: { kind: keyof typeof OFFICE_SUBJECTS; byDepartmentId: number; reason: string },
): Promise<void> {
  const office = await generalOffice(tx);
  if (!office) return;
  const by = await departmentName(tx, notice.byDepartmentId);
  const what = {
    disputed: `${by}对转办提出异议`,
    transfer_disputed: `${by}将信件转回已办过该信的处室（视为转办有争议）`,
    escalated: `${by}提请办公室协调`,
  }[notice.kind];
  await queueDepartmentNotice(tx, row, office.id, {
    dedupeKey: `office:${eventKey}`,
    kind: `office_${notice.kind}`,
    subject: OFFICE_SUBJECTS[notice.kind],
    body: [`${letterLine(row)}：${what}。`, `理由：${notice.reason}`, '请协调确定承办处室。'],
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
  const direction = row.dueAt.getTime() > move.fromAt.getTime() ? '延后' : '提前';
  await queueDepartmentNotice(tx, row, row.departmentId, {
    dedupeKey: `deadline_moved:${row.id}:${move.fromAt.toISOString()}:${row.dueAt.toISOString()}:${move.at.getTime()}`,
    kind: 'deadline_moved',
    subject: `答复期限调整（${row.dueDate}）`,
    body: [
      `因节假日安排调整，局长信箱来信 ${row.trackingNo}（${row.subject}）的答复期限${direction}，由${cnDate(move.fromDate)}改为${cnDate(row.dueDate)}。`,
      ...(move.held
        ? [`按调整后的日历计算应为${cnDate(move.byRule)}；期限不因日历调整提前到调整次一工作日结束之前，故定为${cnDate(row.dueDate)}。`]
        : []),
      '请按新的期限办理。',
    ],
  });
}

/** A letter the general office reopened after a 不满意: the department it goes to hears at once. */
export async function queueReopenNotice(
  tx: Executor,
  row: LetterRow,
  eventKey: string,
  reopening: { toDepartmentId: number; round: number; reason: string; comment: string | null },
): Promise<void> {
  await queueDepartmentNotice(tx, row, reopening.toDepartmentId, {
    dedupeKey: `department:${eventKey}:${reopening.toDepartmentId}`,
    kind: 'department_reopened',
    subject: '来信人不满意，办公室重新交办',
    body: [
      `${letterLine(row)}的来信人对答复不满意，办公室交由你处重新办理（第 ${reopening.round} 次办理）。`,
      `重新交办理由：${reopening.reason}`,
      ...(reopening.comment ? [`来信人意见：${reopening.comment}`] : []),
      '请在新的答复期限内重新答复。',
    ],
  });
}

/** A 不满意 rating puts the letter in the general office's queue: the office hears at once. */
export async function queueDissatisfiedNotice(tx: Executor, row: LetterRow, eventKey: string, comment: string | null): Promise<void> {
  const office = await generalOffice(tx);
  if (!office) return;
  await queueDepartmentNotice(tx, row, office.id, {
    dedupeKey: `office:${eventKey}`,
    kind: 'office_dissatisfied',
    subject: '来信人对答复不满意，待处理',
    body: [
      `${letterLine(row)}的来信人对答复评价为“不满意”。`,
      ...(comment ? [`来信人意见：${comment}`] : []),
      '请重新交办或作出说明后办结。',
    ],
  });
}
