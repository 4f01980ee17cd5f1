// A department's 审核单 submitted in a period, every status (measures Art. 20(四): each department keeps its
// forms and hands a quarter's to the general office). The hand-in module (src/handin) reads forms only
// through this function, never the publishing tables.
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { notFound } from '../../server/errors.js';
import { reviewForms } from '../tables.js';
import { canSeeItem, formViews, participantOf, type FormView } from './records.js';

/**
 * The forms of `departmentId` submitted in [from, to), oldest first, as formViews shows them. Who may:
 * the department's own staff and the bureau-wide roles (canSeeItem, as for each form); anyone else 404.
 */
export async function departmentFormsSubmittedIn(
  deps: { db: Executor },
  viewer: Viewer,
  departmentId: number,
  period: { from: Date; to: Date },
): Promise<FormView[]> {
  const p = await participantOf(deps.db, viewer);
  if (!canSeeItem(p, { departmentId })) throw notFound('未找到该处室的审核单');
  const rows = await deps.db
    .select()
    .from(reviewForms)
    .where(
      and(eq(reviewForms.departmentId, departmentId), gte(reviewForms.submittedAt, period.from), lt(reviewForms.submittedAt, period.to)),
    )
    .orderBy(asc(reviewForms.submittedAt), asc(reviewForms.id));
  return formViews(deps.db, rows);
}

/** How many forms each department submitted in [from, to): for system code only (the digest), no viewer. */
export async function formCountsByDepartmentForDigest(db: Executor, period: { from: Date; to: Date }): Promise<Map<number, number>> {
  const rows = await db
    .select({ departmentId: reviewForms.departmentId, n: sql<number>`count(*)::int` })
    .from(reviewForms)
    .where(and(gte(reviewForms.submittedAt, period.from), lt(reviewForms.submittedAt, period.to)))
    .groupBy(reviewForms.departmentId);
  return new Map(rows.map((r) => [r.departmentId, Number(r.n)]));
}
