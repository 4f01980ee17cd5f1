import { eq, sql } from 'drizzle-orm';
import { recordAudit, systemActor } from '../../audit/record.js';
import type { Database } from '../../db/client.js';
import { queueStepOverdueNotice } from '../notices.js';
import { REVIEW_STEP_LABELS } from '../rules.js';
import { reviewForms } from '../tables.js';
import { lockForm, versionOf } from './records.js';
import { putOnSite } from './publish.js';

/** What the review workflow waits for next: nothing (its run ends), or an instant. */
export interface ReviewClock {
  clocked: boolean;
  /** Epoch ms of the next thing to do: the first instant after the step's due time, or the scheduled publication. */
  nextAt: number | null;
  /** A notice was queued (the workflow then delivers the outbox). */
  noticeQueued: boolean;
}

/**
 * The review workflow's one activity: does what is due at `now` (the workflow's clock) and says when
 * to look again. Idempotent: it re-reads the form under its lock, so a retry or a late wake-up after
 * a decision does nothing. A step past its time limit is marked overdue and the general office told
 * (issue 15 point 7); a scheduled form is published, its publication time stamped now (point 4).
 */
export async function applyReviewClock({ db }: { db: Database }, formId: number, nowMs: number): Promise<ReviewClock> {
  const now = new Date(nowMs);
  return db.transaction(async (tx) => {
    const form = await lockForm(tx, formId);
    if (form.status === 'at_step' && form.step && form.stepDueAt && !form.stepOverdue && nowMs > form.stepDueAt.getTime()) {
      await tx.update(reviewForms).set({ stepOverdue: true }).where(eq(reviewForms.id, formId));
      const title = (await versionOf(tx, form.itemId, form.version)).title;
      await queueStepOverdueNotice(tx, formId, title, REVIEW_STEP_LABELS[form.step], form.stepDueDate!);
      await recordAudit(tx, systemActor('review-clock'), {
        action: 'review.step_overdue',
        recordType: 'review_form',
        recordId: formId,
        after: { step: form.step, dueDate: form.stepDueDate },
      });
      return { clocked: true, nextAt: null, noticeQueued: true };
    }
    if (form.status === 'scheduled' && form.scheduledFor && nowMs >= form.scheduledFor.getTime()) {
      await putOnSite(tx, form, form.publishedBy, systemActor('scheduled-publication'), now);
      // putOnSite bumped the sequence; this run has seen it (it made the change).
      await tx
        .update(reviewForms)
        .set({ syncedSeq: sql`${reviewForms.changeSeq}` })
        .where(eq(reviewForms.id, formId));
      return { clocked: false, nextAt: null, noticeQueued: false };
    }
    const none = { noticeQueued: false };
    if (form.status === 'at_step') return { clocked: true, nextAt: form.stepOverdue ? null : form.stepDueAt!.getTime() + 1, ...none };
    if (form.status === 'scheduled') return { clocked: true, nextAt: form.scheduledFor!.getTime(), ...none };
    return { clocked: false, nextAt: null, ...none };
  });
}
