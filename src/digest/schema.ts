import { bigserial, date, integer, jsonb, pgEnum, pgTable, timestamp, unique } from 'drizzle-orm/pg-core';
import { departments } from '../departments/tables.js';
import type { DigestContent } from './build.js';

export const digestKind = pgEnum('digest_kind', ['department', 'office']);

/** One digest per department (and one office-wide) per working day; a rebuild replaces it. */
export const digests = pgTable(
  'digests',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    day: date({ mode: 'string' }).notNull(),
    kind: digestKind().notNull(),
    departmentId: integer().notNull().references(() => departments.id),
    itemCount: integer().notNull(),
    content: jsonb().$type<DigestContent>().notNull(),
    builtAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.day, t.kind, t.departmentId)],
);
