import type { Executor } from '../db/client.js';
import { enqueueNotification } from '../notifications/service.js';
import { escapeHtml } from '../web/escape.js';
import { generalOffice } from './service.js';

/**
 * Queues a plain notice to the general office's notify addresses, in the caller's transaction, once per
 * dedupe key (a retried activity queues nothing twice).
 */
export async function queueOfficeNotice(tx: Executor, dedupeKey: string, kind: string, subject: string, text: string) {
  const office = await generalOffice(tx);
  await enqueueNotification(tx, {
    dedupeKey,
    kind,
    recipients: office?.notifyEmails ?? [],
    subject,
    text,
    html: `<p>${escapeHtml(text)}</p>`,
  });
}
