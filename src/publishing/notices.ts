import type { Executor } from '../db/client.js';
import { departmentContact, generalOffice } from '../departments/service.js';
import { enqueueNotification } from '../notifications/service.js';
import { escapeHtml } from '../web/escape.js';

// Notices of the review chain, queued in the transaction of what they report (once per dedupe key).

async function queue(tx: Executor, dedupeKey: string, kind: string, to: string[], subject: string, text: string) {
  await enqueueNotification(tx, { dedupeKey, kind, recipients: to, subject, text, html: `<p>${escapeHtml(text)}</p>` });
}

/** A step overdue: the general office is told (issue 15 point 7). */
export async function queueStepOverdueNotice(tx: Executor, formId: number, title: string, stepLabel: string, dueDate: string) {
  const office = await generalOffice(tx);
  await queue(
    tx,
    `review-${formId}:overdue:${stepLabel}`,
    'review_step_overdue',
    office?.notifyEmails ?? [],
    `网站信息审核超期：${title}`,
    `网站信息《${title}》的审核单（编号 ${formId}）在“${stepLabel}”环节已超过办理时限（${dueDate}），请督促办理。`,
  );
}

/** A return, a rejection or a takedown: the supplying department is told. */
export async function queueDepartmentNotice(tx: Executor, departmentId: number, key: string, subject: string, text: string) {
  const dept = await departmentContact(tx, departmentId);
  await queue(tx, key, 'review_department', dept?.notifyEmails ?? [], subject, text);
}
