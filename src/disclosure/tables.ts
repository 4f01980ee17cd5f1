import { sql, type SQL } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import { ARCHIVE_KINDS, DISCLOSURE_DECISIONS, DOCUMENT_CATEGORIES, LEGAL_BASES, TASK_STATUSES, VALIDITIES } from './rules.js';
import { bytea } from '../db/columns.js';

export const documentCategory = pgEnum('document_category', DOCUMENT_CATEGORIES);
export const documentValidity = pgEnum('document_validity', VALIDITIES);
export const disclosureDecision = pgEnum('disclosure_decision', DISCLOSURE_DECISIONS);
export const legalBasis = pgEnum('disclosure_legal_basis', LEGAL_BASES);
export const catalogueTaskStatus = pgEnum('catalogue_task_status', TASK_STATUSES);
export const archiveKind = pgEnum('archive_kind', ARCHIVE_KINDS);

/** The register: every document the bureau issues or changes (issue 16 point 1). */
export const disclosureDocuments = pgTable(
  'disclosure_documents',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    title: text().notNull(),
    /** 文号, e.g. 闽市监规〔2026〕3号; required for the categories that have one. */
    docNumber: text(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    category: documentCategory().notNull(),
    subject: text().notNull().default(''),
    summary: text().notNull().default(''),
    /** 成文日期. */
    formedOn: date({ mode: 'string' }).notNull(),
    /** The last change (a new version, a repeal): the catalogue clock restarts from it. */
    changedOn: date({ mode: 'string' }),
    validity: documentValidity().notNull().default('valid'),
    validityChangedOn: date({ mode: 'string' }),
    /** The document that amended or repealed this one. */
    changedByDocumentId: bigint({ mode: 'number' }),
    /** 索引号: given at the first publication of its catalogue entry, kept by every later round, never reused. */
    indexNo: text().unique(),
    /** The office's current decision (history in disclosure_decisions); null until decided. */
    decision: disclosureDecision(),
    reReviewOn: date({ mode: 'string' }),
    /** The re-review date the office was last reminded of (once per date). */
    reReviewRemindedFor: date({ mode: 'string' }),
    registeredBy: integer()
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The outbox to the document's workflow: a change bumps changeSeq; the sweeper signals until synced. */
    changeSeq: integer().notNull().default(1),
    syncedSeq: integer().notNull().default(0),
  },
  (t) => [
    index('disclosure_documents_department_idx').on(t.departmentId, t.formedOn.desc()),
    index('disclosure_documents_unsynced_idx')
      .on(t.id)
      .where(sql`change_seq > synced_seq`),
    // The newest change of a document no longer valid (the public catalogue's Last-Modified).
    index('disclosure_documents_invalid_updated_idx')
      .on(t.updatedAt)
      .where(sql`validity <> 'valid'`),
  ],
);

/** Every decision and change of decision, with who and when (issue 16 point 2). */
export const disclosureDecisions = pgTable(
  'disclosure_decisions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    documentId: bigint({ mode: 'number' })
      .notNull()
      .references(() => disclosureDocuments.id),
    decision: disclosureDecision().notNull(),
    legalBasis: legalBasis(),
    reason: text().notNull().default(''),
    reReviewOn: date({ mode: 'string' }),
    decidedBy: integer()
      .notNull()
      .references(() => staff.id),
    deciderName: text().notNull(),
    decidedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('disclosure_decisions_document_idx').on(t.documentId, t.id)],
);

/**
 * A catalogue task and, once published, the catalogue entry (条例 Art. 12: 索引, 名称, 内容概述, 生成日期).
 * One per round: the 主动公开 decision opens the first, each later change of the document another.
 */
export const catalogueEntries = pgTable(
  'catalogue_entries',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    documentId: bigint({ mode: 'number' })
      .notNull()
      .references(() => disclosureDocuments.id),
    round: integer().notNull(),
    status: catalogueTaskStatus().notNull().default('open'),
    /** The day formed or changed (not counted) and the 20th working day after it. */
    startsOn: date({ mode: 'string' }).notNull(),
    dueOn: date({ mode: 'string' }).notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    dueProvisional: boolean().notNull().default(false),
    overdue: boolean().notNull().default(false),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    indexNo: text(),
    name: text(),
    summary: text(),
    generatedOn: date({ mode: 'string' }),
    docNumber: text(),
    publisher: text(),
    category: documentCategory().notNull(),
    subject: text().notNull().default(''),
    publishedAt: timestamp({ withTimezone: true }),
    publishedBy: integer().references(() => staff.id),
    /**
     * The document's newest published round, the one the public catalogue shows: set when a round is
     * published, cleared on the round it replaces (a stored flag, so the catalogue at 1,000,000 entries reads
     * an index instead of comparing every entry with its document's later rounds).
     */
    isCurrent: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * The public catalogue's search (issue 16 point 5): every two-character sequence of the lower-cased
     * 名称, 文号 and 索引号, built as the site search's (src/publishing/tables.ts searchBigrams), so a
     * two-character word of the title finds its entry through the GIN index.
     */
    searchBigrams: text()
      .array()
      .generatedAlwaysAs(
        (): SQL =>
          sql`array_cat(regexp_split_to_array(regexp_replace(replace(lower(coalesce(name, '') || ' ' || coalesce(doc_number, '') || ' ' || coalesce(index_no, '')), chr(1), ''), '(..)', '\\1' || chr(1), 'g'), chr(1)), regexp_split_to_array(regexp_replace(substr(replace(lower(coalesce(name, '') || ' ' || coalesce(doc_number, '') || ' ' || coalesce(index_no, '')), chr(1), ''), 2), '(..)', '\\1' || chr(1), 'g'), chr(1)))`,
      ),
  },
  (t) => [
    index('catalogue_entries_bigrams_idx').using('gin', t.searchBigrams),
    index('catalogue_entries_published_idx')
      .on(t.generatedOn.desc(), t.id.desc())
      .where(sql`status = 'published'`),
    uniqueIndex('catalogue_entries_document_round_idx').on(t.documentId, t.round),
    // The public catalogue: newest 生成日期 first, and per filter in the same order.
    index('catalogue_entries_current_idx')
      .on(t.generatedOn.desc(), t.id.desc())
      .where(sql`is_current`),
    index('catalogue_entries_current_category_idx')
      .on(t.category, t.generatedOn.desc(), t.id.desc())
      .where(sql`is_current`),
    index('catalogue_entries_current_department_idx')
      .on(t.departmentId, t.generatedOn.desc(), t.id.desc())
      .where(sql`is_current`),
    index('catalogue_entries_current_subject_idx')
      .on(t.subject, t.generatedOn.desc(), t.id.desc())
      .where(sql`is_current`),
    // The newest publication (the public pages' Last-Modified).
    index('catalogue_entries_published_at_idx')
      .on(t.publishedAt)
      .where(sql`status = 'published'`),
    index('catalogue_entries_index_no_idx').on(t.indexNo),
    // The public search's whole-identifier lookup (public-catalogue.ts searchMatch).
    index('catalogue_entries_current_index_no_idx')
      .on(sql`lower(${t.indexNo})`)
      .where(sql`is_current`),
    index('catalogue_entries_current_doc_number_idx')
      .on(sql`lower(${t.docNumber})`)
      .where(sql`is_current`),
    index('catalogue_entries_open_idx')
      .on(t.dueOn)
      .where(sql`status = 'open'`),
  ],
);

/** The 索引号 sequence per category and year: handed out once, never reused (a cancelled entry keeps its number). */
export const catalogueIndexCounters = pgTable(
  'catalogue_index_counters',
  {
    category: documentCategory().notNull(),
    year: integer().notNull(),
    last: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.category, t.year] })],
);

/**
 * A document's electronic text (issue 16 point 1: PDF, Office, OFD; the type told by content). A new
 * text replaces the one before for the public; all are kept. Its bytes are in disclosure_text_chunks.
 */
export const disclosureTexts = pgTable(
  'disclosure_texts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    documentId: bigint({ mode: 'number' })
      .notNull()
      .references(() => disclosureDocuments.id),
    filename: text().notNull(),
    mimeType: text().notNull(),
    size: integer().notNull(),
    sha256: text().notNull(),
    uploadedBy: integer()
      .notNull()
      .references(() => staff.id),
    uploadedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('disclosure_texts_document_idx').on(t.documentId, t.id)],
);

/** A text's bytes in pieces of ATTACHMENT_CHUNK_BYTES (the last shorter), as the site attachments' are. */
export const disclosureTextChunks = pgTable(
  'disclosure_text_chunks',
  {
    textId: bigint({ mode: 'number' })
      .notNull()
      .references(() => disclosureTexts.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.textId, t.seq] })],
);

/** The 政府信息公开指南 (条例 Art. 12): one Markdown page the general office edits; absent, the seeded guide is shown. */
export const disclosureGuide = pgTable('disclosure_guide', {
  id: integer().primaryKey().default(1),
  body: text().notNull(),
  updatedBy: integer()
    .notNull()
    .references(() => staff.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
/** A delivery to one of the two reading rooms (两馆): which, the period of publication it covers, paper and/or electronic, by whom. */
export const archiveDeliveries = pgTable(
  'archive_deliveries',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    archive: archiveKind().notNull(),
    periodFrom: date({ mode: 'string' }).notNull(),
    periodTo: date({ mode: 'string' }).notNull(),
    paper: boolean().notNull(),
    electronic: boolean().notNull(),
    entryCount: integer().notNull(),
    deliveredOn: date({ mode: 'string' }).notNull(),
    note: text().notNull().default(''),
    deliveredBy: integer()
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('archive_deliveries_archive_idx').on(t.archive, t.periodTo)],
);

/**
 * One counter, raised in the transaction that publishes a catalogue entry: the public catalogue's counts
 * per filter are cached per value (a reader that sees the new value also sees the new entry).
 */
export const catalogueVersion = pgTable('catalogue_version', {
  id: integer().primaryKey(),
  n: bigint({ mode: 'number' }).notNull(),
});
