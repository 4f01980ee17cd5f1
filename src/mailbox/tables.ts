import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import { LETTER_STATUSES, LETTER_TYPES } from './case-rules.js';
import type { MaskSpan, Unsure } from './masking/index.js';
import { PUBLICATION_STATUSES } from './publication-rules.js';
import { DISSATISFACTION_DECISIONS, RATINGS } from './rating-rules.js';
import { bytea } from '../db/columns.js';

export const letterType = pgEnum('letter_type', LETTER_TYPES);
export const letterStatus = pgEnum('letter_status', LETTER_STATUSES);

/**
 * 便民服务事项清单: complaints about these items have a 3-working-day limit. Items are renamed or
 * deactivated, never deleted, so a letter's item stays; each change has its audit row.
 */
export const convenienceItems = pgTable('convenience_items', {
  id: serial().primaryKey(),
  /** The seed's stable key (src/mailbox/convenience-seed.ts); null for an item an administrator added. */
  code: text().unique(),
  name: text().notNull(),
  departmentId: integer()
    .notNull()
    .references(() => departments.id),
  active: boolean().notNull().default(true),
});

export const letters = pgTable(
  'letters',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    trackingNo: text().notNull().unique(),
    accessCodeHash: text().notNull(),
    /** SHA-256 of the client's Idempotency-Key. */
    idempotencyKey: text().unique(),
    /** SHA-256 of the submitted body, so a key reused for a different letter is refused. */
    idempotencyFingerprint: text(),
    /** The access code sealed with the Idempotency-Key (see codes.ts); null without a key. */
    accessCodeSealed: text(),
    type: letterType().notNull(),
    convenienceItemId: integer().references(() => convenienceItems.id),
    /** The item's name when the letter was filed under it (intake or reclassification): it may be renamed later. */
    convenienceItemName: text(),
    status: letterStatus().notNull().default('processing'),
    /** The department the writer picked (首办部门). */
    firstDepartmentId: integer()
      .notNull()
      .references(() => departments.id),
    /** The department that has the case now (lead department after arbitration). */
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    assistingDepartmentIds: integer().array().notNull().default([]),
    /** Every department the case has been with, for read-only access and ping-pong detection. */
    visitedDepartmentIds: integer().array().notNull().default([]),
    /** A transfer the receiving department may still dispute. */
    transferredFromDepartmentId: integer().references(() => departments.id),
    /** When the general office last decided who handles the letter (Art. 22); from then on it is not transferred. */
    arbitratedAt: timestamp({ withTimezone: true }),
    /** Departments the escalating party asked to involve. */
    requestedDepartmentIds: integer().array().notNull().default([]),
    pendingRejection: jsonb().$type<{ reasonCode: string; reason: string; byDepartmentId: number; byStaffId: number } | null>(),
    writerName: text().notNull(),
    writerPhone: text().notNull(),
    writerEmail: text(),
    writerIdNumber: text(),
    subject: text().notNull(),
    content: text().notNull(),
    allowPublication: boolean().notNull(),
    /** Marked by the department or the office: the letter reports a person or business (举报), never published. */
    reportsPerson: boolean().notNull().default(false),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /**
     * Where the time limit counts from: the receipt, or the latest transfer under
     * RESET_DEADLINE_ON_TRANSFER. Every recompute (calendar change, reclassification) starts here.
     * The default only covers rows written before the column existed (the migration backfills them).
     */
    clockStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    limitDays: integer().notNull(),
    dueDate: date({ mode: 'string' }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    dueProvisional: boolean().notNull(),
    dueSoon: boolean().notNull().default(false),
    overdue: boolean().notNull().default(false),
    answer: text(),
    answeredAt: timestamp({ withTimezone: true }),
    answeredBy: integer().references(() => staff.id),
    closedLate: boolean(),
    rejectReasonCode: text(),
    rejectReason: text(),
    workflowStartedAt: timestamp({ withTimezone: true }),
    /**
     * The answer round: 1 until the general office reopens the letter after a 不满意 rating, then one
     * more per reopening. The writer rates each round's answer once (letter_ratings).
     */
    round: integer().notNull().default(1),
    submitIp: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('letters_department_open_due_idx')
      .on(t.departmentId, t.dueAt)
      .where(sql`status in ('processing', 'in_arbitration')`),
    index('letters_status_due_idx').on(t.status, t.dueAt),
    // Lists across statuses, the overdue filter and text search walk this in due order (docs/performance.md).
    index('letters_due_at_id_idx').on(t.dueAt, t.id),
    index('letters_overdue_idx')
      .on(t.dueAt)
      .where(sql`overdue and status in ('processing', 'in_arbitration')`),
    index('letters_unstarted_idx')
      .on(t.id)
      .where(sql`workflow_started_at is null`),
    index('letters_visited_gin_idx').using('gin', t.visitedDepartmentIds),
    index('letters_received_idx').on(t.receivedAt),
    index('letters_text_trgm_idx').using('gin', sql`(${t.subject} || ' ' || ${t.content}) gin_trgm_ops`),
  ],
);

export const letterEvents = pgTable(
  'letter_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    letterId: bigint({ mode: 'number' })
      .notNull()
      .references(() => letters.id),
    /** Makes activity retries idempotent: the same logical event is written once. */
    eventKey: text().notNull(),
    kind: text().notNull(),
    /** Shown on the writer's timeline. */
    isPublic: boolean().notNull(),
    departmentId: integer().references(() => departments.id),
    toDepartmentId: integer().references(() => departments.id),
    actorId: integer().references(() => staff.id),
    reasonCode: text(),
    text: text(),
    data: jsonb(),
    /** A transfer made after the time Art. 22's "立即转交" allows (TRANSFER_EXPECTED_WORKING_DAYS). */
    late: boolean().notNull().default(false),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.eventKey),
    index().on(t.letterId, t.id),
    // Transfers per department over a period (lateTransfersByDepartment).
    index('letter_events_transfers_idx')
      .on(t.at)
      .where(sql`kind = 'transferred'`),
    // The public statistics count events of a few kinds over a month or a year (service/statistics.ts).
    index('letter_events_kind_at_idx').on(t.kind, t.at),
  ],
);

export const letterAttachments = pgTable(
  'letter_attachments',
  {
    id: serial().primaryKey(),
    letterId: bigint({ mode: 'number' })
      .notNull()
      .references(() => letters.id),
    filename: text().notNull(),
    mimeType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
  },
  (t) => [index().on(t.letterId)],
);

/**
 * An attachment's bytes in pieces of at most ATTACHMENT_CHUNK_BYTES, in order: intake writes and a
 * download sends one piece at a time, so a 10 MB file never has to be one buffer (or one 20 MB hex
 * string, as postgres.js sends a bytea parameter) in the API's memory.
 */
export const letterAttachmentChunks = pgTable(
  'letter_attachment_chunks',
  {
    attachmentId: integer()
      .notNull()
      .references(() => letterAttachments.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.seq] })],
);

export const publicationStatus = pgEnum('publication_status', PUBLICATION_STATUSES);

/** The masked spans and unsure flags of one published field (subject, content or answer). */
export interface MaskedField {
  original: string;
  masked: string;
  spans: MaskSpan[];
  unsure: Unsure[];
}

/**
 * The masked copy of an answered letter selected for publication (Art. 15(二)): one row per letter.
 * The public reads only the masked columns; the original stays in `letters`.
 */
export const letterPublications = pgTable(
  'letter_publications',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    letterId: bigint({ mode: 'number' })
      .notNull()
      .unique()
      .references(() => letters.id),
    status: publicationStatus().notNull().default('draft'),
    subject: text().notNull(),
    content: text().notNull(),
    answer: text().notNull(),
    /** What the masker found per field, kept so the office sees the marks and the flags. */
    masking: jsonb().$type<{ subject: MaskedField; content: MaskedField; answer: MaskedField }>().notNull(),
    /** Hand-edited after masking (an unsure copy needs this or `unsureConfirmedBy` before approval). */
    editedAt: timestamp({ withTimezone: true }),
    unsureConfirmedBy: integer().references(() => staff.id),
    // Denormalised from the letter so the public list needs no join.
    type: letterType().notNull(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    answeredAt: timestamp({ withTimezone: true }).notNull(),
    selectedBy: integer()
      .notNull()
      .references(() => staff.id),
    approvedBy: integer().references(() => staff.id),
    publishedAt: timestamp({ withTimezone: true }),
    takenDownAt: timestamp({ withTimezone: true }),
    takeDownReason: text(),
  },
  (t) => [
    index('letter_publications_public_idx')
      .on(t.publishedAt, t.id)
      .where(sql`status = 'published'`),
    index('letter_publications_text_trgm_idx').using('gin', sql`(${t.subject} || ' ' || ${t.content}) gin_trgm_ops`),
  ],
);

export const letterRating = pgEnum('letter_rating', RATINGS);
export const dissatisfactionDecision = pgEnum('dissatisfaction_decision', DISSATISFACTION_DECISIONS);

/**
 * The writer's rating of one answer round (issue 14 point 6), once per (letter, round). A 不满意 waits
 * in the general office's queue until it is decided: reopened to a department, or closed with an
 * explanation the writer sees. Each rating and decision also has its public timeline event.
 */
export const letterRatings = pgTable(
  'letter_ratings',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    letterId: bigint({ mode: 'number' })
      .notNull()
      .references(() => letters.id),
    round: integer().notNull(),
    rating: letterRating().notNull(),
    comment: text(),
    ratedAt: timestamp({ withTimezone: true }).notNull(),
    /** The department that gave the rated answer (the statistics count the rating for it). */
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    decision: dissatisfactionDecision(),
    /** The reopening's reason (for the department) or the closing's explanation (for the writer). */
    decisionText: text(),
    /** Where a reopening sent the letter. */
    reopenedToDepartmentId: integer().references(() => departments.id),
    decidedAt: timestamp({ withTimezone: true }),
    decidedBy: integer().references(() => staff.id),
  },
  (t) => [
    uniqueIndex('letter_ratings_letter_round_idx').on(t.letterId, t.round),
    // The office's queue: 不满意 not yet decided, oldest first.
    index('letter_ratings_undecided_idx')
      .on(t.ratedAt)
      .where(sql`rating = 'dissatisfied' and decided_at is null`),
  ],
);
