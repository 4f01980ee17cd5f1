import { bigserial, boolean, date, index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import { FINDING_KINDS, FINDING_STATUSES } from './finding-rules.js';
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

export const findingKind = pgEnum('inspection_finding_kind', FINDING_KINDS);
export const findingStatus = pgEnum('inspection_finding_status', FINDING_STATUSES);

/**
 * A finding of the daily inspection made a task (measures Art. 27(三)): a format problem the service centre
 * guides the department on, or content the office tells the department to take down. Tracked to closing.
 */
export const inspectionFindings = pgTable(
  'inspection_findings',
  {
    id: serial().primaryKey(),
    kind: findingKind().notNull(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    /** The published item concerned, when there is one (a content finding on an item is done when it is off the site). */
    itemId: integer(),
    /** Where: the page, column or item as the inspector names it. */
    place: text().notNull(),
    finding: text().notNull(),
    status: findingStatus().notNull(),
    dueOn: date({ mode: 'string' }).notNull(),
    raisedBy: integer()
      .notNull()
      .references(() => staff.id),
    raisedAt: timestamp({ withTimezone: true }).notNull(),
    reportNote: text(),
    reportedBy: integer().references(() => staff.id),
    reportedAt: timestamp({ withTimezone: true }),
    /** The last note when a report was not accepted, or the closing note. */
    reviewNote: text(),
    closedBy: integer().references(() => staff.id),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('inspection_findings_open').on(t.status, t.departmentId)],
);
