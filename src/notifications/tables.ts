import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** pending: to be sent; sent; held: kept for a person (no recipient address, or ten failed attempts). */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'held'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const notificationStatus = pgEnum('notification_status', NOTIFICATION_STATUSES);

/**
 * The notification outbox: digests, overdue notices to the general office and the writer's notices.
 * A row is written in the same transaction as what it reports; `dedupe_key` makes a retried or
 * re-run producer enqueue it once, so nothing is ever sent twice.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    dedupeKey: text().notNull().unique(),
    kind: text().notNull(),
    recipients: text().array().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    /** held: no recipient address, kept for the record and never sent. */
    status: notificationStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    letterId: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('notifications_pending_idx')
      .on(t.id)
      .where(sql`status = 'pending'`),
  ],
);
