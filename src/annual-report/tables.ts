import { bigint, bigserial, date, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { REMEDY_KINDS, REMEDY_RESULTS, REPORT_STATUSES } from './rules.js';
import type { ReportSnapshot } from './schemas.js';

export const annualReportStatus = pgEnum('annual_report_status', REPORT_STATUSES);
export const remedyKind = pgEnum('annual_remedy_kind', REMEDY_KINDS);
export const remedyResult = pgEnum('annual_remedy_result', REMEDY_RESULTS);

/**
 * The report on one year (条例 Arts. 49–50): the office's texts of sections 一, 五 and 六, the state, and from
 * approval on the frozen snapshot of every figure, so a later change to the record does not alter it.
 */
export const annualReports = pgTable('annual_reports', {
  year: integer().primaryKey(),
  status: annualReportStatus().notNull().default('draft'),
  overview: text().notNull().default(''),
  problems: text().notNull().default(''),
  other: text().notNull().default(''),
  /** The office's own deadline (MM-DD of the next year; default 01-20, national-rules.md §2.6). */
  internalDeadline: text().notNull().default('01-20'),
  snapshot: jsonb().$type<ReportSnapshot>(),
  approvedBy: integer().references(() => staff.id),
  approvedByName: text(),
  approvedAt: timestamp({ withTimezone: true }),
  publishedAt: timestamp({ withTimezone: true }),
  /** The publishing item the report went out as, once published. */
  publishedItemId: bigint({ mode: 'number' }),
  updatedBy: integer().references(() => staff.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * A figure typed by hand: a table 二 figure from another system (行政许可, 处罚, 强制, 收费, 规章) or a
 * correction of a table 三 cell (`key` is the cell, e.g. new:natural_person), with its source note and who.
 */
export const annualReportFigures = pgTable(
  'annual_report_figures',
  {
    year: integer()
      .notNull()
      .references(() => annualReports.year),
    key: text().notNull(),
    value: numeric({ precision: 14, scale: 4 }).notNull(),
    sourceNote: text().notNull().default(''),
    enteredBy: integer()
      .notNull()
      .references(() => staff.id),
    enteredByName: text().notNull(),
    enteredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.key] })],
);

/** A 行政复议 or 行政诉讼 brought over a disclosure request (table 四, national-rules.md §2.5), kept by the office. */
export const annualRemedyCases = pgTable(
  'annual_remedy_cases',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** The request concerned (by its id in the requests module; read through its service). */
    requestId: bigint({ mode: 'number' }).notNull(),
    requestNumber: text().notNull(),
    kind: remedyKind().notNull(),
    filedOn: date({ mode: 'string' }).notNull(),
    /** pending until decided. */
    result: remedyResult().notNull().default('pending'),
    decidedOn: date({ mode: 'string' }),
    note: text().notNull().default(''),
    enteredBy: integer()
      .notNull()
      .references(() => staff.id),
    enteredByName: text().notNull(),
    enteredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('annual_remedy_cases_filed_idx').on(t.filedOn)],
);
