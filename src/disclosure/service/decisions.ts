import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import { badRequest, notFound } from '../../server/errors.js';
import { DECIDERS, decisionRefusal } from '../rules.js';
import type { decisionBody } from '../schemas.js';
import { disclosureDecisions, disclosureDocuments } from '../tables.js';
import { bumpDocument, cancelOpenRound, openCatalogueRound } from './catalogue.js';
import type { DisclosureDeps } from './deps.js';
import { getDocument } from './documents.js';
import { syncDisclosureWorkflow } from './sync.js';

/**
 * The general office's disclosure decision on a document (measures Art. 30): 主动公开 opens the
 * catalogue round, due 20 working days after the document was formed or last changed (条例 Art. 26);
 * 依申请公开 and 不予公开 carry a basis from 条例 Arts. 14–16, 不予公开 a re-review date (Art. 18). Every
 * decision is kept with who and when; a change of decision is a new row.
 */
export async function decideDisclosure(
  deps: DisclosureDeps,
  viewer: Viewer,
  documentId: number,
  input: z.infer<typeof decisionBody>,
  now = new Date(),
) {
  demand(viewer, viewerHolds(viewer, DECIDERS));
  const refusal = decisionRefusal(input, dayToIso(chinaDayOf(now)));
  if (refusal) throw badRequest('提交的内容有误，请检查标注的字段', { [`body.${refusal.field}`]: refusal.message });
  const actor = actorFor(viewer, DECIDERS);
  await deps.db.transaction(async (tx) => {
    const [doc] = await tx.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId)).for('update');
    if (!doc) throw notFound('未找到该文件');
    await tx.insert(disclosureDecisions).values({
      documentId,
      decision: input.decision,
      legalBasis: input.legalBasis,
      reason: input.reason,
      reReviewOn: input.reReviewOn,
      decidedBy: actor.staffId!,
      deciderName: viewer.staff!.displayName,
      decidedAt: now,
    });
    const [after] = await tx
      .update(disclosureDocuments)
      .set({ ...bumpDocument, decision: input.decision, reReviewOn: input.reReviewOn })
      .where(eq(disclosureDocuments.id, documentId))
      .returning();
    // Becoming 主动公开 opens a round (unless one is open); leaving it cancels the open one.
    if (input.decision === 'proactive' && doc.decision !== 'proactive')
      await openCatalogueRound(tx, deps, after!, doc.changedOn ?? doc.formedOn);
    if (input.decision !== 'proactive') await cancelOpenRound(tx, documentId);
    await recordAudit(tx, actor, {
      action: 'disclosure.decided',
      recordType: 'disclosure_document',
      recordId: documentId,
      before: { decision: doc.decision, reReviewOn: doc.reReviewOn },
      after: input,
    });
  });
  await syncDisclosureWorkflow(deps, documentId);
  return getDocument(deps, viewer, documentId);
}
