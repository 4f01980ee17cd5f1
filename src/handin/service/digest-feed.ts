// What the daily digest (src/digest) needs of the hand-ins (measures Art. 20(四)): from the 1st of a
// quarter's first month, every department with forms of the previous quarter that has not confirmed
// its hand-in; and, once the due date has passed, the general office told of each such department once.
// System code only (the digest build): no viewer, no permission check.
import { and, eq } from 'drizzle-orm';
import { chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { WorkingDayCalendar } from '../../calendar/working-days.js';
import type { Env } from '../../config/env.js';
import type { Executor } from '../../db/client.js';
import { departmentNames, generalOffice } from '../../departments/service.js';
import { enqueueNotification } from '../../notifications/service.js';
import { formCountsByDepartmentForDigest } from '../../publishing/service/department-forms.js';
import { cnDate } from '../../web/labels.js';
import { escapeHtml } from '../../web/escape.js';
import { handInDueAt, handInDueDate, previousQuarter, quarterKey, quarterLabel, quarterOf, quarterPeriod, quarterRef } from '../rules.js';
import { handinConfirmations } from '../tables.js';

export interface DigestFeedHandIn {
  /** quarterRef: 20264 for 2026 Q4. */
  ref: number;
  quarter: string;
  title: string;
  departmentId: number;
  department: string;
  forms: number;
  dueDate: string;
  dueAt: Date;
}

/** The hand-ins open on `day` (a China date): the previous quarter's, per department with forms and no confirmation. */
export async function openHandInsForDigest(
  db: Executor,
  cal: Pick<WorkingDayCalendar, 'isWorkingDay'>,
  env: Pick<Env, 'HANDIN_REST_DAY_RULE'>,
  day: string,
): Promise<DigestFeedHandIn[]> {
  const x = previousQuarter(quarterOf(chinaMidnight(parseIsoDate(day)!)));
  const counts = await formCountsByDepartmentForDigest(db, quarterPeriod(x));
  const confirmed = new Set(
    (
      await db
        .select({ departmentId: handinConfirmations.departmentId })
        .from(handinConfirmations)
        .where(and(eq(handinConfirmations.year, x.year), eq(handinConfirmations.quarter, x.q)))
    ).map((r) => r.departmentId),
  );
  const dueDate = handInDueDate(x, env.HANDIN_REST_DAY_RULE, cal);
  return (await departmentNames(db))
    .filter((d) => d.active && (counts.get(d.id) ?? 0) > 0 && !confirmed.has(d.id))
    .map((d) => ({
      ref: quarterRef(x),
      quarter: quarterKey(x),
      title: `${quarterLabel(x)}审核单`,
      departmentId: d.id,
      department: d.name,
      forms: counts.get(d.id)!,
      dueDate,
      dueAt: handInDueAt(dueDate),
    }));
}

/**
 * The office is told of every department still missing once the due date has passed: one notice per
 * department and quarter (the dedupe key), however many digests are built after. Returns how many were queued.
 */
export async function queueLateHandInNotices(tx: Executor, open: DigestFeedHandIn[], takenAt: Date): Promise<number> {
  const office = await generalOffice(tx);
  let queued = 0;
  for (const h of open.filter((x) => x.dueAt.getTime() <= takenAt.getTime())) {
    const text = `${h.department}${h.title}（${h.forms} 份）应于${cnDate(h.dueDate)}（含当日）前报送办公室（《网站管理办法》第二十条（四）），至今未确认报送，请督促。`;
    const ok = await enqueueNotification(tx, {
      dedupeKey: `handin-late:${h.quarter}:${h.departmentId}`,
      kind: 'handin_late',
      recipients: office?.notifyEmails ?? [],
      subject: `审核单逾期未报送：${h.department} ${h.title}`,
      text,
      html: `<p>${escapeHtml(text)}</p>`,
    });
    if (ok) queued++;
  }
  return queued;
}
