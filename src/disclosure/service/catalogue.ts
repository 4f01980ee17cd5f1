import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, chinaMidnight, dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import { computeDeadline } from '../../calendar/deadline.js';
import type { Executor } from '../../db/client.js';
import { conflict, notFound } from '../../server/errors.js';
import { CATALOGUE_WORKING_DAYS, CATALOGUERS, DECIDERS, indexNumberOf, type DocumentCategory } from '../rules.js';
import type { entryBody } from '../schemas.js';
import { catalogueEntries, catalogueIndexCounters, catalogueVersion, disclosureDocuments } from '../tables.js';
import type { DisclosureDeps } from './deps.js';
import { syncDisclosureWorkflow } from './sync.js';
import { departmentMap, entryViewOf, type DocumentRow } from './views.js';
import type { z } from 'zod';

/** 条例 Art. 26 counts from the day formed or changed, whatever day it is (never moved to a working day). */
const FROM_THE_DAY = { afterHoursNextDay: false, officeEndMinute: 0 };

export const bumpDocument = { changeSeq: sql`${disclosureDocuments.changeSeq} + 1`, updatedAt: sql`now()` };

/** The catalogue deadline of information formed or changed on `startsOn`: the end of the 20th working day after it. */
export function catalogueDeadline(deps: Pick<DisclosureDeps, 'calendar'>, startsOn: string) {
  return computeDeadline(deps.calendar.current, chinaMidnight(parseIsoDate(startsOn)!), CATALOGUE_WORKING_DAYS, FROM_THE_DAY);
}

/**
 * Opens the next catalogue round of a 主动公开 document, due 20 working days after `startsOn`. An open
 * round it supersedes is cancelled, keeping its overdue mark (the statistics count it as late).
 */
export async function openCatalogueRound(tx: Executor, deps: Pick<DisclosureDeps, 'calendar'>, doc: DocumentRow, startsOn: string) {
  await tx
    .update(catalogueEntries)
    .set({ status: 'cancelled' })
    .where(and(eq(catalogueEntries.documentId, doc.id), eq(catalogueEntries.status, 'open')));
  const [last] = await tx
    .select({ round: catalogueEntries.round })
    .from(catalogueEntries)
    .where(eq(catalogueEntries.documentId, doc.id))
    .orderBy(desc(catalogueEntries.round))
    .limit(1);
  const due = catalogueDeadline(deps, startsOn);
  const [entry] = await tx
    .insert(catalogueEntries)
    .values({
      documentId: doc.id,
      round: (last?.round ?? 0) + 1,
      startsOn,
      dueOn: due.dueDate,
      dueAt: due.dueAt,
      dueProvisional: due.provisional,
      departmentId: doc.departmentId,
      category: doc.category,
      subject: doc.subject,
      docNumber: doc.docNumber,
      indexNo: doc.indexNo,
      name: doc.title,
      summary: doc.summary,
      generatedOn: doc.formedOn,
    })
    .returning();
  return entry!;
}

/** Cancels the open round of a document no longer 主动公开. */
export async function cancelOpenRound(tx: Executor, documentId: number) {
  await tx
    .update(catalogueEntries)
    .set({ status: 'cancelled' })
    .where(and(eq(catalogueEntries.documentId, documentId), eq(catalogueEntries.status, 'open')));
}

/** The service centre's work list: open rounds, the earliest due first (the office reads it too). */
export async function listCatalogueTasks(deps: Pick<DisclosureDeps, 'db'>, viewer: Viewer) {
  demand(viewer, viewerHolds(viewer, [...CATALOGUERS, ...DECIDERS]));
  const rows = await deps.db
    .select()
    .from(catalogueEntries)
    .where(eq(catalogueEntries.status, 'open'))
    .orderBy(asc(catalogueEntries.dueOn), asc(catalogueEntries.id))
    .limit(500);
  const names = await departmentMap(deps.db);
  return { items: rows.map((e) => entryViewOf(e, names.get(e.departmentId) ?? '')) };
}

async function nextIndexNumber(tx: Executor, pattern: string, category: DocumentCategory, year: number) {
  const [row] = await tx
    .insert(catalogueIndexCounters)
    .values({ category, year, last: 1 })
    .onConflictDoUpdate({
      target: [catalogueIndexCounters.category, catalogueIndexCounters.year],
      set: { last: sql`${catalogueIndexCounters.last} + 1` },
    })
    .returning({ last: catalogueIndexCounters.last });
  return indexNumberOf(pattern, { category, year, seq: row!.last });
}

/**
 * The public catalogue shows a document's newest published round: the one just published, unless a later
 * round is published already. Raises the catalogue's version (its cached counts), in the same transaction.
 */
async function makeCurrentIfNewest(tx: Executor, documentId: number, round: number, entryId: number) {
  const [later] = await tx
    .select({ id: catalogueEntries.id })
    .from(catalogueEntries)
    .where(and(eq(catalogueEntries.documentId, documentId), eq(catalogueEntries.status, 'published'), gt(catalogueEntries.round, round)))
    .limit(1);
  if (!later) {
    await tx
      .update(catalogueEntries)
      .set({ isCurrent: false })
      .where(and(eq(catalogueEntries.documentId, documentId), eq(catalogueEntries.isCurrent, true)));
    await tx.update(catalogueEntries).set({ isCurrent: true }).where(eq(catalogueEntries.id, entryId));
  }
  await tx
    .insert(catalogueVersion)
    .values({ id: 1, n: 1 })
    .onConflictDoUpdate({ target: catalogueVersion.id, set: { n: sql`${catalogueVersion.n} + 1` } });
}

/**
 * The service centre completes an entry (条例 Art. 12: 索引, 名称, 内容概述, 生成日期, with 文号, 发布机构,
 * category and subject) and publishes it; the system stamps the time (measures Art. 31). The 索引号 is
 * the document's, given at its first publication from CATALOGUE_INDEX_PATTERN.
 */
export async function publishCatalogueEntry(
  deps: DisclosureDeps,
  viewer: Viewer,
  entryId: number,
  input: z.infer<typeof entryBody>,
  now = new Date(),
) {
  demand(viewer, viewerHolds(viewer, CATALOGUERS));
  const actor = actorFor(viewer, CATALOGUERS);
  const documentId = await deps.db.transaction(async (tx) => {
    const [entry] = await tx.select().from(catalogueEntries).where(eq(catalogueEntries.id, entryId)).for('update');
    if (!entry) throw notFound('未找到该目录条目');
    if (entry.status !== 'open') throw conflict('该目录条目已发布或已取消');
    const [doc] = await tx.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, entry.documentId)).for('update');
    const indexNo =
      doc!.indexNo ?? (await nextIndexNumber(tx, deps.env.CATALOGUE_INDEX_PATTERN, doc!.category, Number(doc!.formedOn.slice(0, 4))));
    if (!doc!.indexNo) await tx.update(disclosureDocuments).set({ indexNo }).where(eq(disclosureDocuments.id, doc!.id));
    const overdue = dayToIso(chinaDayOf(now)) > entry.dueOn;
    await tx
      .update(catalogueEntries)
      .set({
        ...input,
        status: 'published',
        indexNo,
        docNumber: doc!.docNumber,
        category: doc!.category,
        generatedOn: doc!.formedOn,
        publishedAt: now,
        publishedBy: actor.staffId,
        overdue: entry.overdue || overdue,
      })
      .where(eq(catalogueEntries.id, entryId));
    await makeCurrentIfNewest(tx, doc!.id, entry.round, entryId);
    await tx.update(disclosureDocuments).set(bumpDocument).where(eq(disclosureDocuments.id, doc!.id));
    await recordAudit(tx, actor, {
      action: 'catalogue.published',
      recordType: 'catalogue_entry',
      recordId: entryId,
      after: { indexNo, dueOn: entry.dueOn, late: overdue },
    });
    return doc!.id;
  });
  await syncDisclosureWorkflow(deps, documentId);
  const [row] = await deps.db.select().from(catalogueEntries).where(eq(catalogueEntries.id, entryId));
  return entryViewOf(row!, (await departmentMap(deps.db)).get(row!.departmentId) ?? '');
}
