import { asc, inArray } from 'drizzle-orm';
import { formatChinaDateTime, chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { publishedOnTime } from '../rules.js';
import { catalogueEntries, disclosureDecisions, disclosureDocuments } from '../tables.js';

export type DocumentRow = typeof disclosureDocuments.$inferSelect;
export type EntryRow = typeof catalogueEntries.$inferSelect;

const chinaDate = (d: Date) => dayToIso(chinaDayOf(d));

export function entryViewOf(e: EntryRow, department: string) {
  const publishedOn = e.publishedAt ? chinaDate(e.publishedAt) : null;
  return {
    id: e.id,
    documentId: e.documentId,
    round: e.round,
    status: e.status,
    startsOn: e.startsOn,
    dueOn: e.dueOn,
    dueProvisional: e.dueProvisional,
    overdue: e.overdue,
    department,
    indexNo: e.indexNo,
    name: e.name,
    summary: e.summary,
    generatedOn: e.generatedOn,
    docNumber: e.docNumber,
    publisher: e.publisher,
    category: e.category,
    subject: e.subject,
    publishedAt: e.publishedAt ? formatChinaDateTime(e.publishedAt) : null,
    onTime: publishedOn ? publishedOnTime(publishedOn, e.dueOn) : null,
  };
}

export const departmentMap = async (db: Executor) => new Map((await departmentNames(db)).map((d) => [d.id, d.name]));

export function documentSummaryOf(d: DocumentRow, department: string) {
  return {
    id: d.id,
    title: d.title,
    docNumber: d.docNumber,
    departmentId: d.departmentId,
    department,
    category: d.category,
    subject: d.subject,
    summary: d.summary,
    formedOn: d.formedOn,
    changedOn: d.changedOn,
    validity: d.validity,
    validityChangedOn: d.validityChangedOn,
    changedByDocumentId: d.changedByDocumentId,
    decision: d.decision,
    reReviewOn: d.reReviewOn,
  };
}

/** Documents with their decision history and catalogue rounds, as the API and the pages show them. */
export async function documentViews(db: Executor, docs: DocumentRow[]) {
  if (docs.length === 0) return [];
  const ids = docs.map((d) => d.id);
  const names = await departmentMap(db);
  const decisions = await db
    .select()
    .from(disclosureDecisions)
    .where(inArray(disclosureDecisions.documentId, ids))
    .orderBy(asc(disclosureDecisions.id));
  const entries = await db
    .select()
    .from(catalogueEntries)
    .where(inArray(catalogueEntries.documentId, ids))
    .orderBy(asc(catalogueEntries.round));
  return docs.map((d) => ({
    ...documentSummaryOf(d, names.get(d.departmentId) ?? ''),
    decisions: decisions
      .filter((x) => x.documentId === d.id)
      .map((x) => ({
        decision: x.decision,
        legalBasis: x.legalBasis,
        reason: x.reason,
        reReviewOn: x.reReviewOn,
        decider: x.deciderName,
        decidedAt: formatChinaDateTime(x.decidedAt),
      })),
    entries: entries.filter((e) => e.documentId === d.id).map((e) => entryViewOf(e, names.get(e.departmentId) ?? '')),
  }));
}
