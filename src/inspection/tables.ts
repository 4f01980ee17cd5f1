import { boolean, date, integer, jsonb, pgTable, timestamp } from 'drizzle-orm/pg-core';
import type { InspectionReport } from './rules.js';

/** One row per day the daily self-inspection ran (Art. 27(三)); a re-run that day replaces it. */
export const inspectionResults = pgTable('inspection_results', {
  day: date({ mode: 'string' }).primaryKey(),
  computedAt: timestamp({ withTimezone: true }).notNull(),
  vetoed: boolean().notNull(),
  red: integer().notNull(),
  amber: integer().notNull(),
  report: jsonb().$type<InspectionReport>().notNull(),
});
