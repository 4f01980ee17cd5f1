import { and, asc, eq, ilike, lte, or, sql, type SQL } from 'drizzle-orm';
import { staff } from '../auth/tables.js';
import type { StaffIdentity } from '../auth/sessions.js';
import { chinaDayOf, formatChinaDateTime, parseIsoDate } from '../calendar/china-time.js';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../db/client.js';
import { departments } from '../departments/tables.js';
import { accessCodeMatches } from './codes.js';
import { encodeCaseCursor, microsToIso, type CaseCursor } from './cursor.js';
import { STATUS_LABELS } from './policy.js';
import { letterAttachmentChunks, letterAttachments, letterEvents, letters } from './schema.js';

type LetterRow = typeof letters.$inferSelect;

const EVENT_TITLES: Record<string, string> = {
  received: '来信已收到',
  transferred: '已转办',
  transfer_disputed: '转办存在争议，提交办公室协调',
  disputed: '承办处室对转办有异议，提交办公室协调',
  escalated: '涉及多个处室，提交办公室协调',
  arbitrated: '办公室已协调确定承办处室',
  answered: '已答复',
  rejected: '不予受理',
};

const isStaffWide = (s: StaffIdentity) => s.roles.some((r) => r === 'office' || r === 'service_center' || r === 'admin' || r === 'bureau_leader');

/** Which letters a person may see: all for the office and oversight roles, else their department's. */
export function visibility(s: StaffIdentity): { current: SQL | undefined; passedThrough: SQL | undefined } {
  if (isStaffWide(s)) return { current: undefined, passedThrough: undefined };
  const dept = s.departmentId ?? -1;
  return {
    current: or(eq(letters.departmentId, dept), sql`${dept} = any(${letters.assistingDepartmentIds})`),
    passedThrough: sql`${letters.visitedDepartmentIds} @> array[${dept}]::int[]`,
  };
}

/** Working days left after today (China), negative when overdue. */
export function remainingWorkingDays(calendar: CalendarService, row: Pick<LetterRow, 'dueDate'>, now = new Date()): number {
  return calendar.current.countWorkingDays(chinaDayOf(now), parseIsoDate(row.dueDate)!);
}

export async function writerView(db: Database, trackingNo: string, accessCode: string) {
  const [row] = await db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  if (!row || !accessCodeMatches(accessCode, row.accessCodeHash)) return undefined;
  const depts = new Map((await db.select({ id: departments.id, name: departments.name }).from(departments)).map((d) => [d.id, d.name]));
  const events = await db.select().from(letterEvents).where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.isPublic, true))).orderBy(asc(letterEvents.id));
  return {
    trackingNo: row.trackingNo,
    type: row.type,
    subject: row.subject,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    department: { id: row.departmentId, name: depts.get(row.departmentId) ?? '' },
    receivedAt: formatChinaDateTime(row.receivedAt),
    dueDate: row.dueDate,
    dueAt: formatChinaDateTime(row.dueAt),
    timeline: events.map((e) => ({
      at: formatChinaDateTime(e.at),
      kind: e.kind,
      title: e.kind === 'transferred' ? `已转至${depts.get(e.toDepartmentId ?? 0) ?? ''}办理` : EVENT_TITLES[e.kind] ?? e.kind,
      // The writer sees the stated reason of a transfer or a rejection. Dispute and escalation reasons
      // and arbitration notes are internal deliberation; answers are shown separately.
      text: e.kind === 'transferred' || e.kind === 'rejected' ? e.text : null,
    })),
    answer: row.status === 'answered' && row.answer ? { content: row.answer, answeredAt: formatChinaDateTime(row.answeredAt!) } : null,
  };
}

export interface CaseFilters {
  status?: LetterRow['status'];
  departmentId?: number;
  type?: LetterRow['type'];
  overdue?: boolean;
  dueBefore?: string;
  q?: string;
  limit: number;
  /** Keyset pagination: only rows after this position in the list order (see CaseCursor). */
  after?: CaseCursor;
  /** Deprecated offset pagination, kept for old clients; costs grow with the offset. */
  offset?: number;
}

/**
 * `(due_at, id) > (cursor)` as one row comparison, which an index can seek to: `letters_due_at_id_idx`
 * exactly; `letters_status_due_idx (status, due_at)`, used when a status is given, as `due_at >= …` with
 * the rest filtered, which reads at most the letters due at that same instant (one due day's intake).
 */
function afterCursor(c: CaseCursor): SQL {
  return sql`(${letters.dueAt}, ${letters.id}) > (${microsToIso(c.dueAtMicros)}::timestamptz, ${c.id}::bigint)`;
}

/**
 * A page of the cases the viewer may see, in `(due_at, id)` order, and the cursor of the next page
 * (null on the last). Visibility and the filters apply to every page: a cursor only says where to
 * start, so a cursor made from a letter the viewer may not see reveals nothing.
 */
export async function listCases(db: Database, calendar: CalendarService, viewer: StaffIdentity, f: CaseFilters) {
  const { current, passedThrough } = visibility(viewer);
  const where: (SQL | undefined)[] = [current && passedThrough ? or(current, passedThrough) : undefined];
  if (f.status) where.push(eq(letters.status, f.status));
  if (f.departmentId) where.push(eq(letters.departmentId, f.departmentId));
  if (f.type) where.push(eq(letters.type, f.type));
  if (f.overdue !== undefined) where.push(eq(letters.overdue, f.overdue));
  if (f.dueBefore) where.push(lte(letters.dueDate, f.dueBefore));
  if (f.q) where.push(ilike(sql`${letters.subject} || ' ' || ${letters.content}`, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`));
  if (f.after) where.push(afterCursor(f.after));
  const rows = await db
    .select({
      letter: letters,
      departmentName: departments.name,
      // Exact to the microsecond (extract gives numeric), for the next page's cursor.
      dueAtMicros: sql<string>`(extract(epoch from ${letters.dueAt}) * 1000000)::bigint::text`,
    })
    .from(letters)
    .innerJoin(departments, eq(departments.id, letters.departmentId))
    .where(and(...where))
    .orderBy(asc(letters.dueAt), asc(letters.id))
    .limit(f.limit + 1) // one more than the page: whether a next page exists
    .offset(f.after ? 0 : (f.offset ?? 0));
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  const today = chinaDayOf(new Date());
  return {
    items: page.map(({ letter, departmentName }) => ({
      ...summaryOf(letter, departmentName, calendar, today),
      readOnly: !canAct(viewer, letter),
    })),
    nextCursor: rows.length > f.limit && last ? encodeCaseCursor({ dueAtMicros: BigInt(last.dueAtMicros), id: last.letter.id }) : null,
  };
}

function summaryOf(letter: LetterRow, departmentName: string, calendar: CalendarService, today: number) {
  return {
    trackingNo: letter.trackingNo,
    type: letter.type,
    subject: letter.subject,
    status: letter.status,
    departmentId: letter.departmentId,
    departmentName,
    receivedAt: formatChinaDateTime(letter.receivedAt),
    dueDate: letter.dueDate,
    dueAt: formatChinaDateTime(letter.dueAt),
    dueSoon: letter.dueSoon,
    overdue: letter.overdue,
    remainingWorkingDays: calendar.current.countWorkingDays(today, parseIsoDate(letter.dueDate)!),
  };
}

/** Whether the viewer's department currently has the case (or assists on it), or they are the office. */
export function canAct(viewer: StaffIdentity, letter: Pick<LetterRow, 'departmentId' | 'assistingDepartmentIds'>): boolean {
  if (viewer.roles.includes('office')) return true;
  if (!viewer.roles.some((r) => r === 'handler' || r === 'dept_leader')) return false;
  return viewer.departmentId === letter.departmentId || (viewer.departmentId !== null && letter.assistingDepartmentIds.includes(viewer.departmentId));
}

/** The case as staff see it, or undefined when it does not exist or is outside the viewer's scope. */
export async function caseDetail(db: Database, calendar: CalendarService, viewer: StaffIdentity, trackingNo: string) {
  const [found] = await db
    .select({ letter: letters, departmentName: departments.name })
    .from(letters)
    .innerJoin(departments, eq(departments.id, letters.departmentId))
    .where(eq(letters.trackingNo, trackingNo));
  if (!found) return undefined;
  const { letter, departmentName } = found;
  const visible = isStaffWide(viewer) || (viewer.departmentId !== null && (letter.visitedDepartmentIds.includes(viewer.departmentId) || letter.assistingDepartmentIds.includes(viewer.departmentId)));
  if (!visible) return undefined;
  const events = await db
    .select({ event: letterEvents, actor: staff.displayName })
    .from(letterEvents)
    .leftJoin(staff, eq(staff.id, letterEvents.actorId))
    .where(eq(letterEvents.letterId, letter.id))
    .orderBy(asc(letterEvents.id));
  const files = await db
    .select({ id: letterAttachments.id, filename: letterAttachments.filename, mimeType: letterAttachments.mimeType, size: letterAttachments.size })
    .from(letterAttachments)
    .where(eq(letterAttachments.letterId, letter.id));
  const explanation = calendar.explain(letter.receivedAt, letter.limitDays);
  return {
    ...summaryOf(letter, departmentName, calendar, chinaDayOf(new Date())),
    readOnly: !canAct(viewer, letter),
    writer: { name: letter.writerName, phone: letter.writerPhone, email: letter.writerEmail, idNumber: letter.writerIdNumber },
    content: letter.content,
    allowPublication: letter.allowPublication,
    convenienceItemId: letter.convenienceItemId,
    firstDepartmentId: letter.firstDepartmentId,
    assistingDepartmentIds: letter.assistingDepartmentIds,
    pendingRejection: letter.pendingRejection ? { reasonCode: letter.pendingRejection.reasonCode, reason: letter.pendingRejection.reason } : null,
    limitDays: letter.limitDays,
    dueProvisional: letter.dueProvisional,
    answer: letter.answer,
    answeredAt: letter.answeredAt ? formatChinaDateTime(letter.answeredAt) : null,
    closedLate: letter.closedLate,
    attachments: files,
    timeline: events.map(({ event: e, actor }) => ({
      id: e.id, at: formatChinaDateTime(e.at), kind: e.kind, isPublic: e.isPublic, departmentId: e.departmentId, toDepartmentId: e.toDepartmentId,
      actor, reasonCode: e.reasonCode, text: e.text, data: e.data,
    })),
    deadlineExplanation: explanation.days.map((d) => ({ date: d.date, counted: d.counted, reason: d.reason })),
  };
}

export async function letterIdOf(db: Database, trackingNo: string) {
  const [row] = await db.select({ id: letters.id, trackingNo: letters.trackingNo }).from(letters).where(eq(letters.trackingNo, trackingNo));
  return row;
}

export async function letterRowOf(db: Database, id: number) {
  const [row] = await db.select().from(letters).where(eq(letters.id, id));
  return row;
}

/** An attachment's bytes, one stored piece at a time (a download never holds the whole file). */
export async function* attachmentPieces(db: Database, attachmentId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const [piece] = await db.select({ data: letterAttachmentChunks.data }).from(letterAttachmentChunks)
      .where(and(eq(letterAttachmentChunks.attachmentId, attachmentId), eq(letterAttachmentChunks.seq, seq)));
    if (!piece) return;
    yield piece.data;
  }
}
