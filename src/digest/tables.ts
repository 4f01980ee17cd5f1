import { bigserial, date, integer, jsonb, pgEnum, pgTable, timestamp, unique } from 'drizzle-orm/pg-core';
import { departments } from '../departments/tables.js';
import { DIGEST_KINDS, type DigestContent } from './rules.js';

export const digestKind = pgEnum('digest_kind', DIGEST_KINDS);

/** One digest per department (and one office-wide) per working day; a rebuild replaces it. */
export const digests = pgTable(
  'digests',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    day: date({ mode: 'string' }).notNull(),
    kind: digestKind().notNull(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    itemCount: integer().notNull(),
    content: jsonb().$type<DigestContent>().notNull(),
    builtAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.day, t.kind, t.departmentId)],
);

/**
 * One row per day whose digests were built, written in the same transaction as that day's digests:
 * "new" letters are those received since the last run's instant, and the start-up catch-up
 * (catch-up.ts) knows whether today's digest has run.
 */
export const digestRuns = pgTable('digest_runs', {
  day: date({ mode: 'string' }).primaryKey(),
  /** The digest instant (DIGEST_TIME of `day`, China time): what the digests describe. */
  takenAt: timestamp({ withTimezone: true }).notNull(),
  /** Letters received after this instant were "new" in this run. */
  newSince: timestamp({ withTimezone: true }).notNull(),
  builtAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
