import { and, eq } from 'drizzle-orm';
import { recordAudit, systemActor } from '../../audit/record.js';
import { chinaDayOf, chinaMidnight, dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import type { Database } from '../../db/client.js';
import { queueCatalogueOverdueNotice, queueReReviewNotice } from '../notices.js';
import { catalogueEntries, disclosureDocuments } from '../tables.js';

/** What the document's workflow waits for next (workflows/clock-loop.ts). */
export interface DisclosureClock {
  clocked: boolean;
  nextAt: number | null;
  noticeQueued: boolean;
}

/**
 * The document workflow's one activity: does what is due at `nowMs` (the workflow's clock) and says
 * when to look again. Idempotent: it re-reads the document under its lock, so a retry or a late wake-up
 * after a publication does nothing. An open catalogue round past the end of its 20th working day is
 * marked overdue and the office told (条例 Art. 26); a re-review date that has come is reminded (Art. 18).
 */
export async function applyDisclosureClock({ db }: { db: Database }, documentId: number, nowMs: number): Promise<DisclosureClock> {
  const today = dayToIso(chinaDayOf(new Date(nowMs)));
  return db.transaction(async (tx) => {
    const [doc] = await tx.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId)).for('update');
    if (!doc) return { clocked: false, nextAt: null, noticeQueued: false };
    let noticeQueued = false;
    const [open] = await tx
      .select()
      .from(catalogueEntries)
      .where(and(eq(catalogueEntries.documentId, documentId), eq(catalogueEntries.status, 'open')));
    let openOverdue = open?.overdue ?? false;
    if (open && !open.overdue && nowMs > open.dueAt.getTime()) {
      await tx.update(catalogueEntries).set({ overdue: true }).where(eq(catalogueEntries.id, open.id));
      await queueCatalogueOverdueNotice(tx, open.id, doc.title, open.dueOn);
      await recordAudit(tx, systemActor('disclosure-clock'), {
        action: 'catalogue.overdue',
        recordType: 'catalogue_entry',
        recordId: open.id,
        after: { dueOn: open.dueOn },
      });
      openOverdue = true;
      noticeQueued = true;
    }
    let reReviewPending = !!doc.reReviewOn && doc.reReviewRemindedFor !== doc.reReviewOn;
    if (reReviewPending && today >= doc.reReviewOn!) {
      await tx.update(disclosureDocuments).set({ reReviewRemindedFor: doc.reReviewOn }).where(eq(disclosureDocuments.id, documentId));
      await queueReReviewNotice(tx, documentId, doc.title, doc.reReviewOn!);
      await recordAudit(tx, systemActor('disclosure-clock'), {
        action: 'disclosure.re_review_due',
        recordType: 'disclosure_document',
        recordId: documentId,
        after: { reReviewOn: doc.reReviewOn },
      });
      reReviewPending = false;
      noticeQueued = true;
    }
    const next = [
      ...(open && !openOverdue ? [open.dueAt.getTime() + 1] : []),
      ...(reReviewPending ? [chinaMidnight(parseIsoDate(doc.reReviewOn!)!).getTime()] : []),
    ];
    return { clocked: next.length > 0, nextAt: next.length > 0 ? Math.min(...next) : null, noticeQueued };
  });
}
