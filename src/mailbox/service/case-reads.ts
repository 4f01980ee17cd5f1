import { and, asc, eq, ilike, lte, sql, type SQL } from 'drizzle-orm';
import { staffDisplayNames } from '../../auth/service/staff-directory.js';
import type { Viewer } from '../../auth/viewer.js';
import { chinaDayOf, formatChinaDateTime, parseIsoDate } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { notFound } from '../../server/errors.js';
import { encodeCaseCursor, microsToIso, type CaseCursor } from '../cursor.js';
import { can, caseScopeOf } from '../rules.js';
import { convenienceItems, letterAttachmentChunks, letterAttachments, letterEvents, letters } from '../tables.js';
import { scopeFilter } from './visibility.js';

type LetterRow = typeof letters.$inferSelect;

export interface ReadDeps {
  db: Database;
  calendar: CalendarService;
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
export async function listCases({ db, calendar }: ReadDeps, viewer: Viewer, f: CaseFilters) {
  const where: (SQL | undefined)[] = [scopeFilter(caseScopeOf(viewer.staff))];
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
      // Exact to the microsecond (extract gives numeric), for the next page's cursor.
      dueAtMicros: sql<string>`(extract(epoch from ${letters.dueAt}) * 1000000)::bigint::text`,
    })
    .from(letters)
    .where(and(...where))
    .orderBy(asc(letters.dueAt), asc(letters.id))
    .limit(f.limit + 1) // one more than the page: whether a next page exists
    .offset(f.after ? 0 : (f.offset ?? 0));
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  const today = chinaDayOf(new Date());
  const names = await departmentNameMap(db);
  return {
    items: page.map(({ letter }) => ({
      ...summaryOf(letter, names.get(letter.departmentId) ?? '', calendar, today),
      readOnly: !can(viewer, 'act', letter),
    })),
    nextCursor: rows.length > f.limit && last ? encodeCaseCursor({ dueAtMicros: BigInt(last.dueAtMicros), id: last.letter.id }) : null,
  };
}

/** Department names by id (the departments table is small; names are public). */
async function departmentNameMap(db: Database): Promise<Map<number, string>> {
  return new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
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

/** The case as staff see it, or undefined when it does not exist or is outside the viewer's scope. */
export async function findCase({ db, calendar }: ReadDeps, viewer: Viewer, trackingNo: string) {
  const [letter] = await db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  if (!letter || !can(viewer, 'view', letter)) return undefined;
  const events = await db.select().from(letterEvents).where(eq(letterEvents.letterId, letter.id)).orderBy(asc(letterEvents.id));
  const actors = await staffDisplayNames(
    db,
    events.flatMap((e) => (e.actorId === null ? [] : [e.actorId])),
  );
  const departmentName = (await departmentNameMap(db)).get(letter.departmentId) ?? '';
  const files = await db
    .select({
      id: letterAttachments.id,
      filename: letterAttachments.filename,
      mimeType: letterAttachments.mimeType,
      size: letterAttachments.size,
    })
    .from(letterAttachments)
    .where(eq(letterAttachments.letterId, letter.id));
  const restarted = letter.clockStartedAt.getTime() !== letter.receivedAt.getTime();
  const explanation = calendar.explain(
    letter.clockStartedAt,
    letter.limitDays,
    restarted ? '转办当日不计入（时限自转办起重新计算）' : undefined,
  );
  const [item] =
    letter.convenienceItemId === null
      ? []
      : await db
          .select({ name: convenienceItems.name, active: convenienceItems.active })
          .from(convenienceItems)
          .where(eq(convenienceItems.id, letter.convenienceItemId));
  return {
    ...summaryOf(letter, departmentName, calendar, chinaDayOf(new Date())),
    readOnly: !can(viewer, 'act', letter),
    writer: { name: letter.writerName, phone: letter.writerPhone, email: letter.writerEmail, idNumber: letter.writerIdNumber },
    content: letter.content,
    allowPublication: letter.allowPublication,
    convenienceItemId: letter.convenienceItemId,
    // The item as the letter was filed under it, and as it is now (renamed or deactivated since).
    convenienceItem:
      letter.convenienceItemId !== null && item
        ? { id: letter.convenienceItemId, nameWhenFiled: letter.convenienceItemName ?? item.name, name: item.name, active: item.active }
        : null,
    firstDepartmentId: letter.firstDepartmentId,
    assistingDepartmentIds: letter.assistingDepartmentIds,
    pendingRejection: letter.pendingRejection
      ? { reasonCode: letter.pendingRejection.reasonCode, reason: letter.pendingRejection.reason }
      : null,
    limitDays: letter.limitDays,
    dueProvisional: letter.dueProvisional,
    clockStartedAt: formatChinaDateTime(letter.clockStartedAt),
    deadlineByRule: explanation.dueDate,
    answer: letter.answer,
    answeredAt: letter.answeredAt ? formatChinaDateTime(letter.answeredAt) : null,
    closedLate: letter.closedLate,
    attachments: files,
    timeline: events.map((e) => ({
      id: e.id,
      at: formatChinaDateTime(e.at),
      kind: e.kind,
      isPublic: e.isPublic,
      departmentId: e.departmentId,
      toDepartmentId: e.toDepartmentId,
      actor: e.actorId === null ? null : (actors.get(e.actorId) ?? null),
      reasonCode: e.reasonCode,
      text: e.text,
      data: e.data,
      late: e.late,
    })),
    deadlineExplanation: explanation.days.map((d) => ({ date: d.date, counted: d.counted, reason: d.reason })),
  };
}

/** The case as staff see it; 404 when it does not exist or is outside the viewer's scope. */
export async function getCase(deps: ReadDeps, viewer: Viewer, trackingNo: string) {
  const found = await findCase(deps, viewer, trackingNo);
  if (!found) throw notFound('未找到该信件');
  return found;
}

export type CaseDetail = NonNullable<Awaited<ReturnType<typeof findCase>>>;

/** An attachment of a case the viewer may see, with its bytes as a stream of stored pieces; 404 otherwise. */
export async function attachmentDownload(deps: ReadDeps, viewer: Viewer, trackingNo: string, attachmentId: number) {
  const visible = await findCase(deps, viewer, trackingNo);
  const file = visible?.attachments.find((f) => f.id === attachmentId);
  if (!file) throw notFound('未找到该附件');
  return { file, pieces: attachmentPieces(deps.db, file.id) };
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
    const [piece] = await db
      .select({ data: letterAttachmentChunks.data })
      .from(letterAttachmentChunks)
      .where(and(eq(letterAttachmentChunks.attachmentId, attachmentId), eq(letterAttachmentChunks.seq, seq)));
    if (!piece) return;
    yield piece.data;
  }
}
