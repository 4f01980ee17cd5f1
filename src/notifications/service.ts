import { asc, eq, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database, Executor } from '../db/client.js';
import { notifications } from './tables.js';

export interface OutgoingMessage {
  dedupeKey: string;
  kind: string;
  recipients: string[];
  subject: string;
  text: string;
  html: string;
  letterId?: number;
}

/** Queues a message once per dedupe key; call it inside the transaction of what it reports. */
export async function enqueueNotification(tx: Executor, msg: OutgoingMessage): Promise<boolean> {
  const recipients = [...new Set(msg.recipients.filter(Boolean))];
  const rows = await tx
    .insert(notifications)
    .values({ ...msg, recipients, letterId: msg.letterId ?? null, status: recipients.length > 0 ? 'pending' : 'held' })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return rows.length > 0;
}

const MAX_ATTEMPTS = 10;

export type Mailer = Pick<Transporter, 'sendMail'> | null;

export function createMailer(smtpUrl: string | undefined): Mailer {
  return smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
}

/**
 * Sends pending messages, each in its own short transaction with a row lock (SKIP LOCKED, so several
 * workers never send one message twice). Throws after the batch if any failed, so the calling
 * activity is retried by Temporal with back-off.
 */
export async function deliverPending(db: Database, mailer: Mailer, from: string, log: (msg: string) => void, limit = 100) {
  if (!mailer) {
    const counted = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(eq(notifications.status, 'pending'));
    const [{ n }] = counted as [{ n: number }];
    if (n > 0) log(`SMTP_URL is not set: ${n} notification(s) kept in the outbox`);
    return { sent: 0, failed: 0, kept: n };
  }
  let sent = 0;
  const failures: string[] = [];
  for (let i = 0; i < limit; i++) {
    const outcome = await db.transaction(async (tx) => {
      const [msg] = await tx
        .select()
        .from(notifications)
        .where(eq(notifications.status, 'pending'))
        .orderBy(asc(notifications.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!msg) return 'empty' as const;
      try {
        await mailer.sendMail({ from, to: msg.recipients, subject: msg.subject, text: msg.text, html: msg.html });
        await tx
          .update(notifications)
          .set({ status: 'sent', sentAt: new Date(), attempts: msg.attempts + 1, lastError: null })
          .where(eq(notifications.id, msg.id));
        return 'sent' as const;
      } catch (err) {
        // After ten tries a message is held for a person to look at, so it stops blocking the queue.
        const attempts = msg.attempts + 1;
        const status = attempts >= MAX_ATTEMPTS ? 'held' : 'pending';
        await tx
          .update(notifications)
          .set({ attempts, lastError: (err as Error).message, status })
          .where(eq(notifications.id, msg.id));
        failures.push(`${msg.id}: ${(err as Error).message}`);
        return 'failed' as const;
      }
    });
    if (outcome === 'empty') break;
    if (outcome === 'sent') sent++;
    if (failures.length > 0) break;
  }
  if (failures.length > 0) throw new Error(`sending failed for ${failures.join('; ')}`);
  return { sent, failed: 0, kept: 0 };
}
