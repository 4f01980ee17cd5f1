import { desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import { isActiveDepartment, listActiveDepartments } from '../../departments/service.js';
import { badRequest, notFound } from '../../server/errors.js';
import { BUREAU_WIDE_READERS, REGISTER_READERS, REGISTRARS } from '../rules.js';
import type { changeBody, documentBody } from '../schemas.js';
import { disclosureDocuments } from '../tables.js';
import { bumpDocument, openCatalogueRound } from './catalogue.js';
import { demandDepartment, type DisclosureDeps } from './deps.js';
import { syncDisclosureWorkflow } from './sync.js';
import { departmentMap, documentSummaryOf, documentViews } from './views.js';

const BAD = '提交的内容有误，请检查标注的字段';
const today = (now: Date) => dayToIso(chinaDayOf(now));

/** Enters a document in the register (issue 16 point 1). A 成文日期 after today (China time) is refused. */
export async function registerDocument(deps: DisclosureDeps, viewer: Viewer, input: z.infer<typeof documentBody>, now = new Date()) {
  demandDepartment(viewer, input.departmentId, 'register');
  if (input.formedOn > today(now)) throw badRequest(BAD, { 'body.formedOn': '成文日期不能晚于今天' });
  if (!(await isActiveDepartment(deps.db, input.departmentId))) throw badRequest(BAD, { 'body.departmentId': '发文处室不存在或已停用' });
  const actor = actorFor(viewer, REGISTRARS);
  const doc = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(disclosureDocuments)
      .values({ ...input, registeredBy: actor.staffId! })
      .returning();
    await recordAudit(tx, actor, {
      action: 'disclosure.document_registered',
      recordType: 'disclosure_document',
      recordId: row!.id,
      after: input,
    });
    return row!;
  });
  return getDocument(deps, viewer, doc.id);
}

/** One document with its decisions and catalogue rounds; 404 outside the viewer's scope. */
export async function getDocument(deps: Pick<DisclosureDeps, 'db'>, viewer: Viewer, documentId: number) {
  const [doc] = await deps.db.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId));
  if (!doc) throw notFound('未找到该文件');
  demandDepartment(viewer, doc.departmentId, 'read');
  return (await documentViews(deps.db, [doc]))[0]!;
}

/** The register, newest first: everything for the bureau-wide readers, a department its own. */
export async function listDocuments(deps: Pick<DisclosureDeps, 'db'>, viewer: Viewer, limit = 50) {
  demand(viewer, viewerHolds(viewer, REGISTER_READERS));
  const scope = viewerHolds(viewer, BUREAU_WIDE_READERS)
    ? undefined
    : inArray(disclosureDocuments.departmentId, [viewer.staff!.departmentId ?? -1]);
  const rows = await deps.db
    .select()
    .from(disclosureDocuments)
    .where(scope)
    .orderBy(desc(disclosureDocuments.formedOn), desc(disclosureDocuments.id))
    .limit(limit);
  const names = await departmentMap(deps.db);
  return { items: rows.map((d) => documentSummaryOf(d, names.get(d.departmentId) ?? '')) };
}

/**
 * A change of the document: a new version on `changedOn`, or a validity change (已修改 / 已废止 / 已失效)
 * with its date and the document that made it. A 主动公开 document gets a new catalogue round, due 20
 * working days after the change (条例 Art. 26: 形成或者变更之日起).
 */
export async function changeDocument(
  deps: DisclosureDeps,
  viewer: Viewer,
  documentId: number,
  input: z.infer<typeof changeBody>,
  now = new Date(),
) {
  const [current] = await deps.db.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId));
  if (!current) throw notFound('未找到该文件');
  demandDepartment(viewer, current.departmentId, 'register');
  if (input.changedOn > today(now)) throw badRequest(BAD, { 'body.changedOn': '变更日期不能晚于今天' });
  if (input.changedOn < current.formedOn) throw badRequest(BAD, { 'body.changedOn': '变更日期不能早于成文日期' });
  if (input.changedByDocumentId === documentId) throw badRequest(BAD, { 'body.changedByDocumentId': '变更依据不能是本文件' });
  if (input.changedByDocumentId) {
    const [by] = await deps.db
      .select({ id: disclosureDocuments.id })
      .from(disclosureDocuments)
      .where(eq(disclosureDocuments.id, input.changedByDocumentId));
    if (!by) throw badRequest(BAD, { 'body.changedByDocumentId': '变更依据文件不在登记簿中' });
  }
  const actor = actorFor(viewer, REGISTRARS);
  await deps.db.transaction(async (tx) => {
    const [doc] = await tx.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId)).for('update');
    const validityChanged = input.validity !== doc!.validity;
    const [after] = await tx
      .update(disclosureDocuments)
      .set({
        ...bumpDocument,
        changedOn: input.changedOn,
        validity: input.validity,
        ...(validityChanged ? { validityChangedOn: input.changedOn, changedByDocumentId: input.changedByDocumentId } : {}),
        ...(input.title ? { title: input.title } : {}),
        ...(input.summary !== undefined ? { summary: input.summary } : {}),
      })
      .where(eq(disclosureDocuments.id, documentId))
      .returning();
    if (after!.decision === 'proactive') await openCatalogueRound(tx, deps, after!, input.changedOn);
    await recordAudit(tx, actor, {
      action: 'disclosure.document_changed',
      recordType: 'disclosure_document',
      recordId: documentId,
      before: { validity: doc!.validity, changedOn: doc!.changedOn, title: doc!.title },
      after: input,
    });
  });
  await syncDisclosureWorkflow(deps, documentId);
  return getDocument(deps, viewer, documentId);
}

/** The departments the viewer may enter documents for: their own, or every active one for the office. */
export async function registrableDepartments(deps: Pick<DisclosureDeps, 'db'>, viewer: Viewer) {
  demand(viewer, viewerHolds(viewer, REGISTRARS));
  const all = await listActiveDepartments(deps.db);
  return viewerHolds(viewer, BUREAU_WIDE_READERS) ? all : all.filter((d) => d.id === viewer.staff!.departmentId);
}
