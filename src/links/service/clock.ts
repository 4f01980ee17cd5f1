import { eq } from 'drizzle-orm';
import { recordAudit, systemActor } from '../../audit/record.js';
import type { Database } from '../../db/client.js';
import type { ClockReply } from '../../../workflows/clock-loop.js';
import { linkApplications } from '../tables.js';

/**
 * The application workflow's one activity: marks the open step overdue once past its limit and says
 * when to look again. Idempotent: it re-reads the row under its lock, so a stale timer after a decision
 * finds no open step (or a new one not yet due) and does nothing.
 */
export async function applyLinkClock({ db }: { db: Database }, applicationId: number, nowMs: number): Promise<ClockReply> {
  return db.transaction(async (tx) => {
    const [app] = await tx.select().from(linkApplications).where(eq(linkApplications.id, applicationId)).for('update');
    if (!app || !app.stepDueAt || app.stepOverdue) return { clocked: false, nextAt: null, noticeQueued: false };
    if (nowMs > app.stepDueAt.getTime()) {
      await tx.update(linkApplications).set({ stepOverdue: true }).where(eq(linkApplications.id, applicationId));
      await recordAudit(tx, systemActor('link-clock'), {
        action: 'link.step_overdue',
        recordType: 'link_application',
        recordId: applicationId,
        after: { status: app.status, dueOn: app.stepDueOn },
      });
      return { clocked: false, nextAt: null, noticeQueued: false };
    }
    return { clocked: true, nextAt: app.stepDueAt.getTime() + 1, noticeQueued: false };
  });
}
