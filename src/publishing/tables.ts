import { sql, type SQL } from 'drizzle-orm';
import {
  bigserial,
  primaryKey,
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import {
  COLUMN_PUBLISHERS,
  COLUMN_SECTIONS,
  CONTENT_TYPES,
  FORM_STATUSES,
  ITEM_STATES,
  REVIEW_STEPS,
  SECRECY_CONCLUSIONS,
  STEP_DECISIONS,
  type Art19Point,
} from './rules.js';
import { ATTACHMENT_KINDS } from './attachment-types.js';
import { bytea } from '../db/columns.js';

export const contentType = pgEnum('content_type', CONTENT_TYPES);
export const columnSection = pgEnum('column_section', COLUMN_SECTIONS);
export const columnPublisher = pgEnum('column_publisher', COLUMN_PUBLISHERS);
export const itemState = pgEnum('item_state', ITEM_STATES);
export const reviewStep = pgEnum('review_step', REVIEW_STEPS);
export const formStatus = pgEnum('review_form_status', FORM_STATUSES);
export const stepDecision = pgEnum('step_decision', STEP_DECISIONS);
export const secrecyConclusion = pgEnum('secrecy_conclusion', SECRECY_CONCLUSIONS);
export const attachmentKind = pgEnum('site_attachment_kind', ATTACHMENT_KINDS);

/** The site's columns (栏目), a tree (Art. 11). A group holds columns; a column holds items. */
export const siteColumns = pgTable(
  'site_columns',
  {
    id: serial().primaryKey(),
    parentId: integer(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    section: columnSection().notNull(),
    acceptsItems: boolean().notNull().default(true),
    contentTypes: contentType()
      .array()
      .notNull()
      .default(sql`'{article}'`),
    /** News (Art. 20(五)): the publicity office reviews it again and the service centre publishes it. */
    isNews: boolean().notNull().default(false),
    newsNeedsBureauLeader: boolean().notNull().default(false),
    publisher: columnPublisher().notNull().default('drafter'),
    supplierDepartmentIds: integer()
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** How often the column must get a new item, in days (the inspection issue checks it); null: no rule. */
    updateEveryDays: integer(),
    sortOrder: integer().notNull().default(100),
    active: boolean().notNull().default(true),
  },
  (t) => [index('site_columns_parent_idx').on(t.parentId)],
);

/** Which bureau leader is in charge (分管) of which department (Art. 20(二)); administrators keep it. */
export const leaderAssignments = pgTable('leader_assignments', {
  departmentId: integer()
    .primaryKey()
    .references(() => departments.id),
  leaderId: integer()
    .notNull()
    .references(() => staff.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** An item of the site. What the public sees is its published version; every change is a new version. */
export const siteItems = pgTable(
  'site_items',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    columnId: integer()
      .notNull()
      .references(() => siteColumns.id),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    drafterId: integer()
      .notNull()
      .references(() => staff.id),
    contentType: contentType().notNull(),
    state: itemState().notNull().default('draft'),
    /** The newest version (the drafter's working copy). */
    latestVersion: integer().notNull().default(1),
    publishedVersion: integer(),
    /** 发布时间: set by the system when first published, never edited (a forged date is a veto item). */
    firstPublishedAt: timestamp({ withTimezone: true }),
    /** 更新时间: set by the system when a later version is published. */
    updatedPublishedAt: timestamp({ withTimezone: true }),
    takenDownAt: timestamp({ withTimezone: true }),
    takedownReason: text(),
    takenDownBy: integer().references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('site_items_column_published_idx')
      .on(t.columnId, t.firstPublishedAt.desc(), t.id.desc())
      .where(sql`state = 'published'`),
    index('site_items_published_idx')
      .on(t.firstPublishedAt.desc(), t.id.desc())
      .where(sql`state = 'published'`),
    // The public pages' Last-Modified: the newest takedown in a column (or the site) changes what they list.
    index('site_items_taken_down_idx')
      .on(t.columnId, t.takenDownAt.desc())
      .where(sql`state = 'taken_down'`),
  ],
);

/** A question and its answer of a 热点解答 item. */
export interface QaPair {
  question: string;
  answer: string;
}

/** One version of an item, immutable once written. The body is Markdown (raw HTML is never rendered). */
export const siteItemVersions = pgTable(
  'site_item_versions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    itemId: bigint({ mode: 'number' })
      .notNull()
      .references(() => siteItems.id),
    version: integer().notNull(),
    title: text().notNull(),
    summary: text().notNull().default(''),
    body: text().notNull(),
    qaPairs: jsonb().$type<QaPair[]>().notNull().default([]),
    relatedItemIds: bigint({ mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Who wrote this version (the drafter, or the publicity office editing news). */
    authorId: integer()
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Site search (issue 15 point 9): every two-character sequence of the lower-cased title and body. A
     * two-character word (食品, 计量) yields no trigram, so pg_trgm cannot use its index for it; this array
     * with a GIN index serves any word of two or more characters (`@>` its bigrams, then LIKE to confirm).
     * Built from the pairs at even offsets and those at odd offsets (chr(1) as the cut mark, removed first).
     */
    searchBigrams: text()
      .array()
      .generatedAlwaysAs(
        (): SQL =>
          sql`array_cat(regexp_split_to_array(regexp_replace(replace(lower(title || ' ' || body), chr(1), ''), '(..)', '\\1' || chr(1), 'g'), chr(1)), regexp_split_to_array(regexp_replace(substr(replace(lower(title || ' ' || body), chr(1), ''), 2), '(..)', '\\1' || chr(1), 'g'), chr(1)))`,
      ),
  },
  (t) => [
    uniqueIndex('site_item_versions_item_version_idx').on(t.itemId, t.version),
    index('site_item_versions_bigrams_idx').using('gin', t.searchBigrams),
    // Site search: a two-character word (食品, 计量) must find what contains it; trigrams of the text.
    index('site_item_versions_text_trgm_idx').using('gin', sql`(${t.title} || ' ' || ${t.body}) gin_trgm_ops`),
  ],
);

/**
 * The 省局网站信息发布审核单 (Art. 20): one per submission of one version. Immutable once signed (the
 * service refuses changes; each step's decision is its own row in review_decisions). The clock columns
 * are the current step's time limit in working days.
 */
export const reviewForms = pgTable(
  'review_forms',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    itemId: bigint({ mode: 'number' })
      .notNull()
      .references(() => siteItems.id),
    version: integer().notNull(),
    columnId: integer()
      .notNull()
      .references(() => siteColumns.id),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    drafterId: integer()
      .notNull()
      .references(() => staff.id),
    contentType: contentType().notNull(),
    art19: jsonb().$type<Record<Art19Point, boolean>>().notNull(),
    drafterSecrecy: secrecyConclusion().notNull(),
    steps: reviewStep().array().notNull(),
    status: formStatus().notNull().default('at_step'),
    step: reviewStep(),
    stepStartedAt: timestamp({ withTimezone: true }),
    stepDueDate: date({ mode: 'string' }),
    stepDueAt: timestamp({ withTimezone: true }),
    stepOverdue: boolean().notNull().default(false),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
    scheduledFor: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: integer().references(() => staff.id),
    closedAt: timestamp({ withTimezone: true }),
    /** The outbox to the review workflow: a change bumps changeSeq; the sweeper signals until synced. */
    changeSeq: integer().notNull().default(1),
    syncedSeq: integer().notNull().default(0),
  },
  (t) => [
    index('review_forms_item_idx').on(t.itemId),
    index('review_forms_open_idx')
      .on(t.step, t.departmentId)
      .where(sql`status = 'at_step'`),
    index('review_forms_unsynced_idx')
      .on(t.id)
      .where(sql`change_seq > synced_seq`),
  ],
);

/** One decision at one step of a review form: who, when, the opinion, and the department leader's secrecy review. */
export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    formId: bigint({ mode: 'number' })
      .notNull()
      .references(() => reviewForms.id),
    step: reviewStep().notNull(),
    decision: stepDecision().notNull(),
    opinion: text().notNull().default(''),
    secrecy: secrecyConclusion(),
    deciderId: integer()
      .notNull()
      .references(() => staff.id),
    deciderName: text().notNull(),
    decidedAt: timestamp({ withTimezone: true }).notNull(),
    /** The step's due date and whether the decision came after it. */
    dueDate: date({ mode: 'string' }),
    late: boolean().notNull().default(false),
    /** For news the publicity office may edit: the version its approval produced. */
    editedVersion: integer(),
  },
  (t) => [uniqueIndex('review_decisions_form_step_idx').on(t.formId, t.step)],
);

/**
 * An attachment of a site item. It belongs to the versions from `fromVersion` until (not including)
 * `untilVersion`: adding or removing one is a new version of the item (service/items.ts `commitChange`),
 * and every later version, the publicity office's edits included, keeps what the one before it had.
 * The public sees the attachments of the published version only.
 */
export const siteAttachments = pgTable(
  'site_attachments',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    itemId: bigint({ mode: 'number' })
      .notNull()
      .references(() => siteItems.id),
    fromVersion: integer().notNull(),
    untilVersion: integer(),
    filename: text().notNull(),
    kind: attachmentKind().notNull(),
    mimeType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    uploadedBy: integer()
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('site_attachments_item_idx').on(t.itemId, t.fromVersion)],
);

/**
 * An attachment's bytes in pieces of at most ATTACHMENT_CHUNK_BYTES, in order (as letter_attachment_chunks):
 * a 200 MB video is written and sent one piece at a time, never held whole in memory.
 */
export const siteAttachmentChunks = pgTable(
  'site_attachment_chunks',
  {
    attachmentId: bigint({ mode: 'number' })
      .notNull()
      .references(() => siteAttachments.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.seq] })],
);
