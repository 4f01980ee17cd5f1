// What the daily digest (src/digest) needs of the review chain: every 审核单 waiting at a step, with the
// step's due date (issue 15 point 7: each step's time limit is reminded in the daily digest). The digest
// reads review forms only through this function, never the publishing tables.
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { ReviewStep } from '../rules.js';
import { reviewForms, siteItemVersions } from '../tables.js';

export interface DigestFeedReviewStep {
  formId: number;
  title: string;
  step: ReviewStep;
  /** The supplying department (谁提供、谁负责): its digest lists the form at every step. */
  departmentId: number;
  dueDate: string;
  dueAt: Date;
}

/** Every form at a step, for system code only (the digest activity): no viewer, no permission check. One statement. */
export async function openReviewStepsForDigest(db: Executor): Promise<DigestFeedReviewStep[]> {
  const rows = await db
    .select({
      formId: reviewForms.id,
      title: siteItemVersions.title,
      step: reviewForms.step,
      departmentId: reviewForms.departmentId,
      dueDate: reviewForms.stepDueDate,
      dueAt: reviewForms.stepDueAt,
    })
    .from(reviewForms)
    .innerJoin(siteItemVersions, and(eq(siteItemVersions.itemId, reviewForms.itemId), eq(siteItemVersions.version, reviewForms.version)))
    .where(sql`${reviewForms.status} = 'at_step' and ${reviewForms.stepDueAt} is not null`);
  return rows.map((r) => ({ ...r, step: r.step!, dueDate: r.dueDate!, dueAt: r.dueAt! }));
}
