import { bigserial, boolean, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import { LINK_CHECK_OUTCOMES, LINK_DECISIONS, LINK_STATUSES, LINK_STEPS, type LinkSource } from './rules.js';

export const linkStatus = pgEnum('link_application_status', LINK_STATUSES);
export const linkStep = pgEnum('link_decision_step', LINK_STEPS);
export const linkDecision = pgEnum('link_decision', LINK_DECISIONS);
export const linkCheckOutcome = pgEnum('link_check_outcome', LINK_CHECK_OUTCOMES);

/**
 * A 外部链接审核表 (measures Art. 24): a department asks to link to another website or system; the general
 * office reviews it and the bureau leader in charge of the office approves it before the link goes up.
 * The current step's time limit is on the row (the application's workflow only keeps that clock).
 */
export const linkApplications = pgTable(
  'link_applications',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    /** The page or column where the link is to go. */
    placement: text().notNull(),
    targetUrl: text().notNull(),
    /** Lower-case host of targetUrl (ASCII, punycode for IDN). */
    targetHost: text().notNull(),
    siteName: text().notNull(),
    siteOwner: text().notNull(),
    purpose: text().notNull(),
    government: boolean().notNull(),
    /** Required for a non-government target (Art. 27(二)); flagged in the office's review. */
    justification: text(),
    status: linkStatus().notNull(),
    submittedBy: integer()
      .notNull()
      .references(() => staff.id),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
    stepStartedAt: timestamp({ withTimezone: true }),
    /** The end of the current step's last working day; null once no step is open. */
    stepDueAt: timestamp({ withTimezone: true }),
    stepDueOn: date({ mode: 'string' }),
    stepOverdue: boolean().notNull().default(false),
    closedAt: timestamp({ withTimezone: true }),
    changeSeq: integer().notNull().default(1),
    syncedSeq: integer().notNull().default(0),
  },
  (t) => [index('link_applications_host').on(t.targetHost), index('link_applications_status').on(t.status)],
);

/** Each decision on an application: who, when, which step, and the reason of a return or refusal. */
export const linkDecisions = pgTable('link_decisions', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  applicationId: integer()
    .notNull()
    .references(() => linkApplications.id),
  step: linkStep().notNull(),
  decision: linkDecision().notNull(),
  decidedBy: integer()
    .notNull()
    .references(() => staff.id),
  decidedByName: text().notNull(),
  reason: text(),
  decidedAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * The watcher's latest result per link (issue 21 point 3): one row per URL it found, with where it was
 * found (its sources), the last check and how many checks in a row failed. Two failures in a row make
 * it broken, with a fix-by date for its department.
 */
export const linkChecks = pgTable(
  'link_checks',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    url: text().notNull().unique(),
    host: text().notNull(),
    internal: boolean().notNull(),
    sources: jsonb().$type<LinkSource[]>().notNull(),
    /** Found on the home page (counted separately by the inspection). */
    onHome: boolean().notNull().default(false),
    outcome: linkCheckOutcome().notNull(),
    status: integer(),
    finalUrl: text(),
    redirects: jsonb().$type<string[]>().notNull().default([]),
    elapsedMs: integer(),
    contentType: text(),
    title: text(),
    titleChanged: boolean().notNull().default(false),
    /** Redirected to another registrable domain: a likely 错链 or a hijacked domain. */
    crossDomain: boolean().notNull().default(false),
    error: text(),
    consecutiveFailures: integer().notNull().default(0),
    broken: boolean().notNull().default(false),
    brokenSince: timestamp({ withTimezone: true }),
    fixBy: date({ mode: 'string' }),
    checkedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('link_checks_broken').on(t.broken)],
);
