import { and, asc, eq, inArray, lte, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/record.js';
import { BUREAU_WIDE, CASE_VIEWERS, DIGEST_RUNNERS, type Role } from '../auth/roles.js';
import { actorFor, viewerHolds, type Viewer } from '../auth/viewer.js';
import { chinaDayOf, dayToIso, parseIsoDate } from '../calendar/china-time.js';
import type { CalendarService } from '../calendar/service.js';
import type { Env } from '../config/env.js';
import type { Database } from '../db/client.js';
import { departments } from '../departments/tables.js';
import { TYPE_LABELS } from '../mailbox/rules.js';
import { letterEvents, letters } from '../mailbox/tables.js';
import { enqueueNotification } from '../notifications/service.js';
import { AppError, forbidden } from '../server/errors.js';
import type { TemporalGateway } from '../temporal/gateway.js';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestWorkflow } from '../../workflows/messages.js';
import { digestEmail } from './email.js';
import {
  digestInstant,
  itemCount,
  type DepartmentDigest,
  type DigestContent,
  type DigestKind,
  type DigestLetter,
  type OfficeDigest,
} from './rules.js';
import type { DigestRow, DigestRunResult } from './schemas.js';
import { digests } from './tables.js';

// ---- who may do what: the one authorisation point of the digest (routes declare their access from it) ----

export const DIGEST_PERMISSIONS = {
  /** Read a day's digests: department staff their own department's, the bureau-wide roles all. */
  read: CASE_VIEWERS,
  /** Read every department's digests and the general office's. */
  readAll: BUREAU_WIDE,
  /** Rebuild a day's digests now. */
  run: DIGEST_RUNNERS,
} as const satisfies Record<string, readonly Role[]>;
export type DigestAction = keyof typeof DIGEST_PERMISSIONS;

export const can = (viewer: Viewer, action: DigestAction): boolean => viewerHolds(viewer, DIGEST_PERMISSIONS[action]);

// ---- reading and running ----

/** A day's digests as `viewer` may see them: all for the bureau-wide roles, a department its own. */
export async function listDigests(deps: { db: Database }, viewer: Viewer, day: string): Promise<DigestRow[]> {
  if (!can(viewer, 'read')) throw forbidden();
  const where: SQL[] = [eq(digests.day, day)];
  if (!can(viewer, 'readAll')) where.push(eq(digests.departmentId, viewer.staff?.departmentId ?? -1), eq(digests.kind, 'department'));
  const rows = await deps.db
    .select({ d: digests, name: departments.name })
    .from(digests)
    .innerJoin(departments, eq(departments.id, digests.departmentId))
    .where(and(...where))
    .orderBy(asc(digests.kind), asc(digests.departmentId));
  return rows.map(({ d, name }) => ({
    day: d.day,
    kind: d.kind,
    departmentId: d.departmentId,
    departmentName: name,
    itemCount: d.itemCount,
    content: d.content,
    builtAt: d.builtAt.toISOString(),
  }));
}

export interface DigestRunDeps {
  db: Database;
  temporal: TemporalGateway;
  log: { error(obj: object, msg: string): void };
}

/** Rebuilds a day's digests now, through the digest workflow (the same path as the Schedule's), and audits it. */
export async function runDigests(deps: DigestRunDeps, viewer: Viewer, day: string): Promise<DigestRunResult> {
  if (!can(viewer, 'run')) throw forbidden();
  let result;
  try {
    result = await deps.temporal.client.workflow.execute<DailyDigestWorkflow>(DAILY_DIGEST_WORKFLOW, {
      taskQueue: deps.temporal.taskQueue,
      workflowId: `digest-${day}-manual-${randomUUID()}`,
      args: [{ day }],
      workflowExecutionTimeout: '5 minutes',
    });
  } catch (err) {
    deps.log.error({ err }, 'digest run failed');
    throw new AppError(503, 'workflow_unavailable', '提醒服务暂时不可用，请稍后再试');
  }
  const actor = actorFor(viewer, DIGEST_PERMISSIONS.run);
  await recordAudit(deps.db, actor, { action: 'digest.run', recordType: 'digest', recordId: day, after: result });
  return result;
}

// ---- building ----

export interface DigestDeps {
  db: Database;
  calendar: CalendarService;
  env: Pick<Env, 'DIGEST_TIME'>;
}

const ARBITRATION_ENTRY = ['disputed', 'escalated', 'transfer_disputed', 'rejection_requested'];

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
      id: letters.id,
      trackingNo: letters.trackingNo,
      subject: letters.subject,
      type: letters.type,
      status: letters.status,
      departmentId: letters.departmentId,
      assisting: letters.assistingDepartmentIds,
      transferredFrom: letters.transferredFromDepartmentId,
      receivedAt: letters.receivedAt,
      dueDate: letters.dueDate,
      dueAt: letters.dueAt,
    })
    .from(letters)
    .where(openAtDigest);
  const events =
    open.length === 0
      ? []
      : await deps.db
          .select({
            letterId: letterEvents.letterId,
            kind: letterEvents.kind,
            departmentId: letterEvents.departmentId,
            at: letterEvents.at,
          })
          .from(letterEvents)
          // A subquery, not a list of ids: one bound parameter per open letter would fail past 65,535.
          .where(
            and(
              inArray(letterEvents.letterId, deps.db.select({ id: letters.id }).from(letters).where(openAtDigest)),
              inArray(letterEvents.kind, [...ARBITRATION_ENTRY, 'opinion']),
            ),
          );
  const opinionsGiven = new Set(events.filter((e) => e.kind === 'opinion').map((e) => `${e.letterId}:${e.departmentId}`));
  const arbitrationSince = new Map<number, Date>();
  for (const e of events) {
    if (ARBITRATION_ENTRY.includes(e.kind) && !(arbitrationSince.get(e.letterId)! > e.at)) arbitrationSince.set(e.letterId, e.at);
  }

  type Open = (typeof open)[number];
  const item = (l: Open, extra: Partial<DigestLetter> = {}): DigestLetter => ({
    trackingNo: l.trackingNo,
    subject: l.subject,
    type: TYPE_LABELS[l.type],
    dueDate: l.dueDate,
    departmentName: deptName.get(l.departmentId) ?? '',
    ...extra,
  });
  const overdueDays = (l: Open) => cal.countWorkingDays(parseIsoDate(l.dueDate)!, day);
  const isOverdue = (l: Open) => l.dueAt.getTime() < takenAt.getTime();
  const owesOpinion = (l: Open, departmentId: number) =>
    l.status === 'processing' && l.assisting.includes(departmentId) && !opinionsGiven.has(`${l.id}:${departmentId}`);
  const waitingDays = (l: Open) => cal.countWorkingDays(chinaDayOf(arbitrationSince.get(l.id) ?? l.receivedAt), day);

  const contents: { kind: DigestKind; departmentId: number; content: DigestContent }[] = [];
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
      opinionsOwed: open.filter((l) => owesOpinion(l, d.id)).map((l) => item(l)),
    };
    if (itemCount(content) > 0) contents.push({ kind: 'department', departmentId: d.id, content });
  }
  const office = depts.find((d) => d.kind === 'general_office');
  if (office) {
    const ofDepartment = (id: number) => open.filter((l) => l.departmentId === id);
    const content: OfficeDigest = {
      kind: 'office',
      departmentName: office.name,
      overdue: open.filter(isOverdue).map((l) => item(l, { workingDaysOverdue: overdueDays(l) })),
      awaitingArbitration: open.filter((l) => l.status === 'in_arbitration').map((l) => item(l, { waitingWorkingDays: waitingDays(l) })),
      perDepartment: depts
        .map((d) => ({ departmentId: d.id, name: d.name, mine: ofDepartment(d.id) }))
        .map(({ mine, ...d }) => ({ ...d, open: mine.length, overdue: mine.filter(isOverdue).length }))
        .filter((c) => c.open > 0),
    };
    contents.push({ kind: 'office', departmentId: office.id, content });
  }

  let emailsQueued = 0;
  await deps.db.transaction(async (tx) => {
    await tx.delete(digests).where(eq(digests.day, dayIso));
    if (contents.length > 0) {
      await tx.insert(digests).values(
        contents.map((c) => ({
          day: dayIso,
          kind: c.kind,
          departmentId: c.departmentId,
          itemCount: itemCount(c.content),
          content: c.content,
          builtAt: new Date(),
        })),
      );
    }
    for (const c of contents) {
      if (c.kind === 'office' && itemCount(c.content) === 0) continue;
      const dept = depts.find((d) => d.id === c.departmentId)!;
      const mail = digestEmail(dayIso, c.content);
      const dedupeKey = `digest:${dayIso}:${c.kind}:${c.departmentId}`;
      if (await enqueueNotification(tx, { dedupeKey, kind: 'digest', recipients: dept.notifyEmails, ...mail })) emailsQueued++;
    }
  });
  return { day: dayIso, digests: contents.length, emailsQueued };
}
