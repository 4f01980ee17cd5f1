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
