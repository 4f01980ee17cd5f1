import { and, eq, inArray, lte } from 'drizzle-orm';
import { chinaDayOf, chinaMidnight, dayToIso, parseIsoDate } from '../calendar/china-time.js';
import { parseClock } from '../calendar/deadline.js';
import type { CalendarService } from '../calendar/service.js';
import type { Env } from '../config/env.js';
import type { Database } from '../db/client.js';
import { departments } from '../departments/tables.js';
import { TYPE_LABELS } from '../mailbox/rules.js';
import { letterEvents, letters } from '../mailbox/tables.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { digestEmail } from './email.js';
import { digests } from './schema.js';

export interface DigestLetter {
  trackingNo: string;
  subject: string;
  type: string;
  dueDate: string;
  departmentName: string;
  /** Working days past the due date (overdue lists). */
  workingDaysOverdue?: number;
  /** Working days waiting for the general office (arbitration list). */
  waitingWorkingDays?: number;
}

export interface DepartmentDigest {
  kind: 'department';
  departmentName: string;
  newLetters: DigestLetter[];
  dueToday: DigestLetter[];
  dueTomorrow: DigestLetter[];
  overdue: DigestLetter[];
  transfersWaiting: DigestLetter[];
  opinionsOwed: DigestLetter[];
}

export interface OfficeDigest {
  kind: 'office';
  departmentName: string;
  overdue: DigestLetter[];
  awaitingArbitration: DigestLetter[];
  perDepartment: { departmentId: number; name: string; open: number; overdue: number }[];
}

export type DigestContent = DepartmentDigest | OfficeDigest;

export interface DigestDeps {
  db: Database;
  calendar: CalendarService;
  env: Pick<Env, 'DIGEST_TIME'>;
}

const ARBITRATION_ENTRY = ['disputed', 'escalated', 'transfer_disputed', 'rejection_requested'];

/** The instant the digest of `day` is taken: DIGEST_TIME, China time. */
export const digestInstant = (day: number, digestTime: string) => new Date(chinaMidnight(day).getTime() + parseClock(digestTime) * 60_000);

export const itemCount = (c: DigestContent) =>
  c.kind === 'office'
    ? c.overdue.length + c.awaitingArbitration.length
    : c.newLetters.length + c.dueToday.length + c.dueTomorrow.length + c.overdue.length + c.transfersWaiting.length + c.opinionsOwed.length;

/**
 * Builds `day`'s digests from the current record: one per department with anything pending and one
 * for the general office. Open letters only, so anything closed since the last digest drops out;
 * "new" means received since the previous working day's digest. Rebuilding replaces the day's rows;
 * the e-mails are enqueued once per day and department (dedupe key), so a re-run sends nothing twice.
 */
export async function buildDigests(deps: DigestDeps, dayIso: string): Promise<{ day: string; digests: number; emailsQueued: number }> {
  const cal = deps.calendar.current;
  const day = parseIsoDate(dayIso)!;
  const takenAt = digestInstant(day, deps.env.DIGEST_TIME);
  const previous = cal.workingDayBefore(day, 1) ?? day - 1;
  const since = digestInstant(previous, deps.env.DIGEST_TIME);
  const tomorrow = dayToIso(cal.addWorkingDays(day, 1));

  const depts = await deps.db.select().from(departments);
  const deptName = new Map(depts.map((d) => [d.id, d.name]));
  const openAtDigest = and(inArray(letters.status, ['processing', 'in_arbitration']), lte(letters.receivedAt, takenAt));
  const open = await deps.db
    .select({
      id: letters.id, trackingNo: letters.trackingNo, subject: letters.subject, type: letters.type, status: letters.status,
      departmentId: letters.departmentId, assisting: letters.assistingDepartmentIds, transferredFrom: letters.transferredFromDepartmentId,
      receivedAt: letters.receivedAt, dueDate: letters.dueDate, dueAt: letters.dueAt,
    })
    .from(letters)
    .where(openAtDigest);
  const events = open.length === 0 ? [] : await deps.db
    .select({ letterId: letterEvents.letterId, kind: letterEvents.kind, departmentId: letterEvents.departmentId, at: letterEvents.at })
    .from(letterEvents)
    // A subquery, not a list of ids: one bound parameter per open letter would fail past 65,535.
    .where(and(
      inArray(letterEvents.letterId, deps.db.select({ id: letters.id }).from(letters).where(openAtDigest)),
      inArray(letterEvents.kind, [...ARBITRATION_ENTRY, 'opinion']),
    ));
  const opinionsGiven = new Set(events.filter((e) => e.kind === 'opinion').map((e) => `${e.letterId}:${e.departmentId}`));
  const arbitrationSince = new Map<number, Date>();
  for (const e of events) if (ARBITRATION_ENTRY.includes(e.kind) && !(arbitrationSince.get(e.letterId)! > e.at)) arbitrationSince.set(e.letterId, e.at);

  const item = (l: (typeof open)[number], extra: Partial<DigestLetter> = {}): DigestLetter => ({
    trackingNo: l.trackingNo, subject: l.subject, type: TYPE_LABELS[l.type], dueDate: l.dueDate, departmentName: deptName.get(l.departmentId) ?? '', ...extra,
  });
  const overdueDays = (l: (typeof open)[number]) => cal.countWorkingDays(parseIsoDate(l.dueDate)!, day);
  const isOverdue = (l: (typeof open)[number]) => l.dueAt.getTime() < takenAt.getTime();

  const contents: { kind: 'department' | 'office'; departmentId: number; content: DigestContent }[] = [];
  for (const d of depts) {
    const mine = open.filter((l) => l.departmentId === d.id && l.status === 'processing');
    const content: DepartmentDigest = {
      kind: 'department',
      departmentName: d.name,
      newLetters: mine.filter((l) => l.receivedAt.getTime() > since.getTime()).map((l) => item(l)),
      dueToday: mine.filter((l) => l.dueDate === dayIso).map((l) => item(l)),
      dueTomorrow: mine.filter((l) => l.dueDate === tomorrow).map((l) => item(l)),
      overdue: mine.filter(isOverdue).map((l) => item(l, { workingDaysOverdue: overdueDays(l) })),
      transfersWaiting: mine.filter((l) => l.transferredFrom !== null).map((l) => item(l)),
      opinionsOwed: open.filter((l) => l.status === 'processing' && l.assisting.includes(d.id) && !opinionsGiven.has(`${l.id}:${d.id}`)).map((l) => item(l)),
    };
    if (itemCount(content) > 0) contents.push({ kind: 'department', departmentId: d.id, content });
  }
  const office = depts.find((d) => d.kind === 'general_office');
  if (office) {
    const content: OfficeDigest = {
      kind: 'office',
      departmentName: office.name,
      overdue: open.filter(isOverdue).map((l) => item(l, { workingDaysOverdue: overdueDays(l) })),
      awaitingArbitration: open
        .filter((l) => l.status === 'in_arbitration')
        .map((l) => item(l, { waitingWorkingDays: cal.countWorkingDays(chinaDayOf(arbitrationSince.get(l.id) ?? l.receivedAt), day) })),
      perDepartment: depts
        .map((d) => ({ departmentId: d.id, name: d.name, open: open.filter((l) => l.departmentId === d.id).length, overdue: open.filter((l) => l.departmentId === d.id && isOverdue(l)).length }))
        .filter((c) => c.open > 0),
    };
    contents.push({ kind: 'office', departmentId: office.id, content });
  }

  let emailsQueued = 0;
  await deps.db.transaction(async (tx) => {
    await tx.delete(digests).where(eq(digests.day, dayIso));
    if (contents.length > 0) {
      await tx.insert(digests).values(contents.map((c) => ({ day: dayIso, kind: c.kind, departmentId: c.departmentId, itemCount: itemCount(c.content), content: c.content, builtAt: new Date() })));
    }
    for (const c of contents) {
      if (c.kind === 'office' && itemCount(c.content) === 0) continue;
      const dept = depts.find((d) => d.id === c.departmentId)!;
      const mail = digestEmail(dayIso, c.content);
      const queued = await enqueueNotification(tx, { dedupeKey: `digest:${dayIso}:${c.kind}:${c.departmentId}`, kind: 'digest', recipients: dept.notifyEmails, ...mail });
      if (queued) emailsQueued++;
    }
  });
  return { day: dayIso, digests: contents.length, emailsQueued };
}
