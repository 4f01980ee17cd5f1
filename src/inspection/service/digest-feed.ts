// What the daily digest (src/digest) needs of inspection findings: each open one is the department's task
// until its due date (then the office sees it overdue); a reported one waits for its raiser's check.
import { endOfChinaDate } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { inArray } from 'drizzle-orm';
import { FINDING_RULES, findingStepLabel } from '../finding-rules.js';
import { inspectionFindings } from '../tables.js';

export interface DigestFeedFindingTask {
  kind: 'finding';
  ref: number;
  title: string;
  stepLabel: string;
  /** The department to act; -1 when the raiser acts (its kind is in actingKind). */
  departmentId: number;
  actingKind: string | null;
  dueDate: string;
  dueAt: Date;
}

export async function findingTasksForDigest(db: Executor): Promise<DigestFeedFindingTask[]> {
  const rows = await db
    .select()
    .from(inspectionFindings)
    .where(inArray(inspectionFindings.status, ['open', 'reported']));
  return rows.map((r) => {
    const open = r.status === 'open';
    return {
      kind: 'finding' as const,
      ref: r.id,
      title: `${FINDING_RULES[r.kind].label}：${r.place}`,
      stepLabel: open ? findingStepLabel(r.kind) : `确认整改情况（${FINDING_RULES[r.kind].task}）`,
      departmentId: open ? r.departmentId : -1,
      actingKind: open ? null : FINDING_RULES[r.kind].raiserKind,
      dueDate: r.dueOn,
      dueAt: endOfChinaDate(r.dueOn),
    };
  });
}
