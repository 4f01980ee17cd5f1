// What the daily digest (src/digest) needs of the link register: applications at a step and broken
// links, as digest tasks with their due dates. The digest reads links only through this function.
import { endOfChinaDate } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { LINK_STEP_LABELS } from '../rules.js';
import { openLinkStepsForDigest } from './applications.js';
import { brokenLinksForDigest } from './results.js';

export interface DigestFeedLinkTask {
  kind: 'link' | 'brokenLink';
  ref: number;
  title: string;
  stepLabel: string;
  /** The applying or answering department; 0 for the site's own pages (the service centre acts). */
  departmentId: number;
  actingKind: string | null;
  dueDate: string;
  dueAt: Date;
}

/**
 * Applications at a step (the office acts at both steps: it reviews, and it follows the leader's
 * approval up) and broken links, one task per answering department, due on their fix-by date.
 */
export async function linkTasksForDigest(db: Executor): Promise<DigestFeedLinkTask[]> {
  const steps = (await openLinkStepsForDigest(db))
    .filter((a) => a.dueOn && a.dueAt)
    .map((a) => ({
      kind: 'link' as const,
      ref: a.id,
      title: `外部链接：${a.siteName}`,
      stepLabel: LINK_STEP_LABELS[a.status === 'at_office' ? 'office' : 'leader'],
      departmentId: a.departmentId,
      actingKind: 'general_office',
      dueDate: a.dueOn!,
      dueAt: a.dueAt!,
    }));
  const broken = (await brokenLinksForDigest(db)).flatMap((l) =>
    (l.departmentIds.length > 0 ? l.departmentIds : [0]).map((departmentId) => ({
      kind: 'brokenLink' as const,
      ref: l.id,
      title: l.url,
      stepLabel: `修复或撤下断链（${l.error ?? '访问失败'}）`,
      departmentId,
      actingKind: departmentId === 0 ? 'service_center' : null,
      dueDate: l.fixBy,
      dueAt: endOfChinaDate(l.fixBy),
    })),
  );
  return [...steps, ...broken];
}
