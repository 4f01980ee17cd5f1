import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only: a trigger in the migrations rejects UPDATE, DELETE and TRUNCATE, so not even the
 * application's own database role can rewrite history.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: integer(),
    actorUsername: text(),
    actorRole: text(),
    action: text().notNull(),
    recordType: text().notNull(),
    recordId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    ip: text(),
    requestId: text(),
  },
  (t) => [index().on(t.recordType, t.recordId), index().on(t.actorId, t.at), index().on(t.at)],
);
