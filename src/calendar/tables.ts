import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { YearSchedule } from './data/types.js';

/** Years loaded by an administrator; they override the bundled data in src/calendar/data/. */
export const calendarYears = pgTable('calendar_years', {
  year: integer().primaryKey(),
  schedule: jsonb().$type<YearSchedule>().notNull(),
  loadedBy: text().notNull(),
  loadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
