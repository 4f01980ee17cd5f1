import { bigserial, boolean, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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

/**
 * One visit of the home page by the system's own probe (国办秘函〔2019〕19号 站点无法访问: ≥ 20 a day, 15 s).
 * `day` is the China date of the visit, so a week's share is a grouped count over an index.
 */
export const homeProbes = pgTable(
  'home_probes',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    probedAt: timestamp({ withTimezone: true }).notNull(),
    day: date({ mode: 'string' }).notNull(),
    url: text().notNull(),
    /** The HTTP status after redirects; null: no answer (timeout, refused, TLS). */
    status: integer(),
    ms: integer().notNull(),
    failed: boolean().notNull(),
    error: text(),
  },
  (t) => [index('home_probes_day_idx').on(t.day)],
);
