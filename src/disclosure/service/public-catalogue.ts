import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import { notFound } from '../../server/errors.js';
import { bigramsOf } from '../../publishing/service/site-search.js';
import { DOCUMENT_CATEGORY_FACTS, type DocumentCategory } from '../rules.js';
import type { CatalogueQuery } from '../schemas.js';
import { catalogueEntries, catalogueVersion, disclosureDocuments, disclosureTexts } from '../tables.js';
import { textsAsOf, type TextRow } from './texts.js';
import { departmentMap, type EntryRow } from './views.js';

// The public 政府信息公开目录 (issue 16 point 5; 条例 Arts. 12, 24): published entries only, each
// document's newest published round. Search by 名称, 文号 and 索引号 with the site search's bigrams
// (catalogue_entries.search_bigrams), confirmed by a substring match.

export const CATALOGUE_PAGE_SIZE = 20;

/** The newest published round of its document (a later change's round replaces it once published). */
// Written as the bare column, not `= $1`: a prepared statement's generic plan can use the partial
// indexes (WHERE is_current) only when the predicate is in the statement itself.
const newestPublished = sql`${catalogueEntries.isCurrent}`;
/** The order of the catalogue_entries_current_* indexes (drizzle's desc() there is NULLS LAST). */
const newestFirst = sql`${catalogueEntries.generatedOn} desc nulls last, ${catalogueEntries.id} desc nulls last`;
const yearOf = sql<number>`extract(year from ${catalogueEntries.generatedOn})::int`;
/** A search's count stops here: a common word matches a large part of a million entries. */
export const SEARCH_COUNT_CAP = 1000;
/** Up to this many matches a word counts as rare: its entries are read by id. */
const RARE_WORD_ENTRIES = 500;

const searchText = sql`lower(coalesce(${catalogueEntries.name}, '') || ' ' || coalesce(${catalogueEntries.docNumber}, '') || ' ' || coalesce(${catalogueEntries.indexNo}, ''))`;

/** The current entries per category, subject, department and year: the counts and the filter choices. */
interface CountCell {
  category: DocumentCategory;
  subject: string;
  departmentId: number;
  year: number;
  n: number;
}
const cellsCache = new WeakMap<object, { version: number; cells: CountCell[] }>();

/**
 * The count cells, computed again only when the catalogue's version has moved (a publication raises it in
 * its transaction). The version is read before the cells: a publication in between leaves newer cells
 * under the older version, which the next reader replaces.
 */
async function countCells(db: Executor): Promise<CountCell[]> {
  const [v] = await db.select({ n: catalogueVersion.n }).from(catalogueVersion).where(eq(catalogueVersion.id, 1));
  const version = v?.n ?? 0;
  const hit = cellsCache.get(db);
  if (hit?.version === version) return hit.cells;
  const cells = await db
    .select({
      category: catalogueEntries.category,
      subject: catalogueEntries.subject,
      departmentId: catalogueEntries.departmentId,
      year: yearOf,
      n: sql<number>`count(*)::int`,
    })
    .from(catalogueEntries)
    .where(newestPublished)
    .groupBy(catalogueEntries.category, catalogueEntries.subject, catalogueEntries.departmentId, yearOf);
  cellsCache.set(db, { version, cells });
  return cells;
}

const cellMatches = (c: CountCell, q: Omit<CatalogueQuery, 'page'>) =>
  (!q.category || c.category === q.category) &&
  (!q.subject || c.subject === q.subject) &&
  (!q.departmentId || c.departmentId === q.departmentId) &&
  (!q.year || c.year === q.year);

/** How many entries the query finds: from the cells, or for a search counted up to SEARCH_COUNT_CAP. */
async function countOf(
  db: Executor,
  q: Omit<CatalogueQuery, 'page'>,
  where: SQL | undefined,
  searched: number | null,
): Promise<{ total: number; totalCapped: boolean }> {
  if (!q.q) {
    const total = (await countCells(db)).filter((c) => cellMatches(c, q)).reduce((sum, c) => sum + c.n, 0);
    return { total, totalCapped: false };
  }
  // A search alone was counted when its matches were looked up (searchMatch); with filters, count again.
  let n = searched ?? -1;
  if (n < 0 || q.category || q.subject || q.departmentId || q.year) {
    const found = db
      .select({ one: sql`1` })
      .from(catalogueEntries)
      .where(where)
      .limit(SEARCH_COUNT_CAP + 1)
      .as('found');
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(found);
    n = row?.n ?? 0;
  }
  return { total: Math.min(n, SEARCH_COUNT_CAP), totalCapped: n > SEARCH_COUNT_CAP };
}

const lowerIndexNo = sql`lower(${catalogueEntries.indexNo})`;
const lowerDocNumber = sql`lower(${catalogueEntries.docNumber})`;

/**
 * What a search matches. A whole 索引号 or 文号 is looked up as it is (their btree indexes): at a million
 * entries the bigrams of a number (闽市, 20, 12 …) are each in most entries, and intersecting those
 * lists took 0.2–1 s. Anything else is a word: its bigrams through the GIN index, confirmed by substring.
 */
async function searchMatch(db: Executor, q: string): Promise<{ where: SQL; matches: number }> {
  const word = q.toLowerCase().replaceAll('\u0001', '');
  const exact = sql`${newestPublished} and (${lowerIndexNo} = ${word} or ${lowerDocNumber} = ${word})`;
  const hits = await db
    .select({ id: catalogueEntries.id })
    .from(catalogueEntries)
    .where(exact)
    .limit(SEARCH_COUNT_CAP + 1);
  // By id: given the identifier's condition, the planner expected many rows and walked the newest-first index.
  if (hits.length > 0)
    return {
      where: inArray(
        catalogueEntries.id,
        hits.slice(0, SEARCH_COUNT_CAP).map((h) => h.id),
      ),
      matches: hits.length,
    };
  const byWord = sql`${catalogueEntries.searchBigrams} @> ${sql.param(bigramsOf(word))}::text[] and strpos(${searchText}, ${word}) > 0`;
  // A rare word (or none): its entries by id through the GIN index. Left to itself the planner guessed
  // about 1,700 rows for any word it has no statistics for and walked the newest-first index past a
  // million entries (0.5 s for 锅炉, seconds for a word in none). A common word keeps that walk, which
  // then finds a page's worth at once. Up to the count's cap: the same look counts the matches.
  const found = await db
    .select({ id: catalogueEntries.id })
    .from(catalogueEntries)
    .where(and(newestPublished, byWord))
    .limit(SEARCH_COUNT_CAP + 1);
  if (found.length > RARE_WORD_ENTRIES) return { where: byWord, matches: found.length };
  return {
    where:
      found.length > 0
        ? inArray(
            catalogueEntries.id,
            found.map((h) => h.id),
          )
        : sql`false`,
    matches: found.length,
  };
}

async function filtersOf(db: Executor, q: Omit<CatalogueQuery, 'page'>): Promise<{ where: SQL[]; searched: number | null }> {
  const where: SQL[] = [newestPublished];
  if (q.category) where.push(eq(catalogueEntries.category, q.category));
  if (q.subject) where.push(eq(catalogueEntries.subject, q.subject));
  if (q.departmentId) where.push(eq(catalogueEntries.departmentId, q.departmentId));
  if (q.year)
    where.push(
      sql`${catalogueEntries.generatedOn} >= ${`${q.year}-01-01`}::date and ${catalogueEntries.generatedOn} < ${`${q.year + 1}-01-01`}::date`,
    );
  if (!q.q) return { where, searched: null };
  const match = await searchMatch(db, q.q);
  where.push(match.where);
  return { where, searched: match.matches };
}

type Doc = typeof disclosureDocuments.$inferSelect;

/** An entry as the public pages and JSON show it. */
async function publicViews(db: Executor, rows: EntryRow[]) {
  if (rows.length === 0) return [];
  // Independent reads, side by side: a page's latency is their longest, not their sum.
  const [names, docs, texts] = await Promise.all([
    departmentMap(db),
    db
      .select()
      .from(disclosureDocuments)
      .where(
        inArray(
          disclosureDocuments.id,
          rows.map((r) => r.documentId),
        ),
      ),
    textsAsOf(db, rows),
  ]);
  const byId = new Map<number, Doc>(docs.map((d) => [d.id, d]));
  const changerIds = docs.map((d) => d.changedByDocumentId).filter((x): x is number => x !== null);
  const changers = changerIds.length ? await db.select().from(disclosureDocuments).where(inArray(disclosureDocuments.id, changerIds)) : [];
  const changerOf = new Map(changers.map((d) => [d.id, d]));
  return rows.map((e, i) => {
    const doc = byId.get(e.documentId)!;
    const changer = doc.changedByDocumentId ? changerOf.get(doc.changedByDocumentId) : undefined;
    return {
      documentId: e.documentId,
      indexNo: e.indexNo!,
      name: e.name!,
      summary: e.summary ?? '',
      generatedOn: e.generatedOn!,
      docNumber: e.docNumber,
      publisher: e.publisher ?? '',
      department: names.get(e.departmentId) ?? '',
      category: e.category,
      categoryLabel: DOCUMENT_CATEGORY_FACTS[e.category].label,
      subject: e.subject,
      validity: doc.validity,
      validityChangedOn: doc.validityChangedOn,
      changedBy: changer ? { documentId: changer.id, name: changer.title, docNumber: changer.docNumber } : null,
      publishedAt: formatChinaDateTime(e.publishedAt!),
      href: `/xxgk/entries/${e.documentId}`,
      text: texts[i] ? publicTextView(e.documentId, texts[i]) : null,
    };
  });
}

const publicTextView = (documentId: number, t: TextRow) => ({
  id: t.id,
  name: t.filename,
  mime: t.mimeType,
  size: t.size,
  href: `/xxgk/entries/${documentId}/text/${t.id}`,
});

export type PublicEntry = Awaited<ReturnType<typeof publicViews>>[number];

/** The newest instant anything shown may have changed (the cache validators' Last-Modified). */
async function lastChange(db: Executor): Promise<Date> {
  const [row] = await db
    .select({
      at: sql<
        string | null
      >`greatest((select max(published_at) from catalogue_entries where status = 'published'), (select max(updated_at) from disclosure_documents where validity <> 'valid'))`,
    })
    .from(sql`(select 1) one`);
  return row?.at ? new Date(row.at) : new Date(0);
}

/** From this offset on, a page is read in two steps (see pageRows). */
const DEEP_OFFSET = 200;

/**
 * A page's entries, newest first. A deep page skips thousands of entries: their ids alone come from the
 * ordered partial index (an index-only walk: the index holds 生成日期 and id), then the page's 20 rows by
 * id, instead of fetching every skipped row from the table.
 */
async function pageRows(db: Executor, where: SQL | undefined, page: number): Promise<EntryRow[]> {
  const offset = (page - 1) * CATALOGUE_PAGE_SIZE;
  const rowsOf = () => db.select().from(catalogueEntries).where(where).orderBy(newestFirst).limit(CATALOGUE_PAGE_SIZE).offset(offset);
  if (offset < DEEP_OFFSET) return rowsOf();
  const ids = (
    await db
      .select({ id: catalogueEntries.id })
      .from(catalogueEntries)
      .where(where)
      .orderBy(newestFirst)
      .limit(CATALOGUE_PAGE_SIZE)
      .offset(offset)
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await db.select().from(catalogueEntries).where(inArray(catalogueEntries.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
}

/** One page of the catalogue, newest 生成日期 first. */
export async function publicCatalogue(deps: { db: Executor }, q: CatalogueQuery) {
  const filters = await filtersOf(deps.db, q);
  const where = and(...filters.where);
  const [{ total, totalCapped }, rows] = await Promise.all([
    countOf(deps.db, q, where, filters.searched),
    pageRows(deps.db, where, q.page),
  ]);
  const items = await publicViews(deps.db, rows);
  // Read after the rows: Last-Modified is never older than what the page shows.
  return { page: q.page, pageSize: CATALOGUE_PAGE_SIZE, total, totalCapped, items, lastModified: await lastChange(deps.db) };
}

/** A document's public entry (its newest published round); 404 when none is published. */
export async function publicEntry(deps: { db: Executor }, documentId: number) {
  const [row] = await deps.db
    .select()
    .from(catalogueEntries)
    .where(and(eq(catalogueEntries.documentId, documentId), newestPublished));
  if (!row) throw notFound('未找到该目录条目');
  const [view] = await publicViews(deps.db, [row]);
  return { entry: view!, lastModified: await lastChange(deps.db) };
}

/** The public download: only the text the published entry shows. */
export async function publicTextDownload(deps: { db: Executor }, documentId: number, textId: number) {
  const { entry } = await publicEntry(deps, documentId);
  if (!entry.text || entry.text.id !== textId) throw notFound('未找到该电子文本');
  const [t] = await deps.db.select().from(disclosureTexts).where(eq(disclosureTexts.id, textId));
  return t!;
}

/** The filter choices: categories, the subjects and departments of published entries, the years. */
export async function catalogueFacets(deps: { db: Executor }) {
  const rows = await countCells(deps.db);
  const names = await departmentMap(deps.db);
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  return {
    subjects: uniq(rows.map((r) => r.subject).filter(Boolean)).sort(),
    departments: uniq(rows.map((r) => r.departmentId)).map((id) => ({ id, name: names.get(id) ?? '' })),
    years: uniq(rows.map((r) => r.year)).sort((a, b) => b - a),
  };
}
