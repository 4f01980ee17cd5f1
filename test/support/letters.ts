import { hashSecret, newAccessCode, newTrackingNo } from '../../src/mailbox/codes.js';
import type { LetterType } from '../../src/mailbox/case-rules.js';
import { limitDays } from '../../src/mailbox/rules.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import type { Harness } from './harness.js';

/**
 * Stores a letter through the data layer with a chosen receipt time, its deadline computed as intake
 * does (the API always stamps the real now, which is behind a skipped workflow clock or a chosen
 * late-December day). Returns the row and its access code.
 */
export async function storeLetter(
  h: Pick<Harness, 'db' | 'calendar' | 'env'>,
  o: {
    type: LetterType;
    receivedAt: Date;
    departmentId?: number;
    convenienceItemId?: number;
    subject?: string;
    trackingNo?: string;
    /** Columns to set beyond these (e.g. workflowStartedAt for a letter no workflow should pick up). */
    over?: Partial<typeof letters.$inferInsert>;
    /** Whether to write the 'received' timeline event (default true). */
    receivedEvent?: boolean;
  },
) {
  const days = limitDays(h.env, o.type, o.convenienceItemId ?? null);
  const due = h.calendar.deadline(o.receivedAt, days);
  const accessCode = newAccessCode();
  const dept = o.departmentId ?? 5;
  const [row] = await h.db
    .insert(letters)
    .values({
      trackingNo: o.trackingNo ?? newTrackingNo(o.receivedAt),
      accessCodeHash: hashSecret(accessCode),
      type: o.type,
      convenienceItemId: o.convenienceItemId ?? null,
      firstDepartmentId: dept,
      departmentId: dept,
      visitedDepartmentIds: [dept],
      writerName: '李四',
      writerPhone: '13900139000',
      subject: o.subject ?? `${o.type} 测试`,
      content: '测试内容',
      allowPublication: false,
      receivedAt: o.receivedAt,
      clockStartedAt: o.receivedAt,
      limitDays: days,
      dueDate: due.dueDate,
      dueAt: due.dueAt,
      dueProvisional: due.provisional,
      ...o.over,
    })
    .returning();
  if (o.receivedEvent !== false)
    await h.db.insert(letterEvents).values({
      letterId: row!.id,
      eventKey: `letter-${row!.id}:received`,
      kind: 'received',
      isPublic: true,
      departmentId: dept,
      at: o.receivedAt,
    });
  return { ...row!, accessCode };
}
