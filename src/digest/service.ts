import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/record.js';
import { BUREAU_WIDE, CASE_VIEWERS, DIGEST_RUNNERS, type Role } from '../auth/roles.js';
import { actorFor, viewerHolds, type Viewer } from '../auth/viewer.js';
import { chinaMidnight, parseIsoDate } from '../calendar/china-time.js';
import { nextYearNoticeMissing, type CalendarService } from '../calendar/service.js';
import type { Env } from '../config/env.js';
import type { Database } from '../db/client.js';
import { allDepartments, departmentNames } from '../departments/service.js';
import { openLettersForDigest } from '../mailbox/service/digest-feed.js';
import { enqueueNotification } from '../notifications/service.js';
import { openReviewStepsForDigest } from '../publishing/service/digest-feed.js';
import { openCatalogueRoundsForDigest } from '../disclosure/service/digest-feed.js';
import { openHandInsForDigest, queueLateHandInNotices } from '../handin/service/digest-feed.js';
import { openRequestStepsForDigest } from '../requests/service/digest-feed.js';
import { annualReportTasksForDigest } from '../annual-report/service/digest-feed.js';
import { linkTasksForDigest } from '../links/service/digest-feed.js';
import { findingTasksForDigest } from '../inspection/service/digest-feed.js';
import { AppError, forbidden } from '../server/errors.js';
import { alertsOf } from '../inspection/rules.js';
import { runDailyInspection } from '../inspection/service/index.js';
import type { TemporalGateway } from '../temporal/gateway.js';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestWorkflow } from '../../workflows/messages.js';
import { composeDigests } from './compose.js';
import { digestEmail } from './email.js';
import { digestInstant, itemCount } from './rules.js';
import type { DigestRow, DigestRunResult } from './schemas.js';
import { digestRuns, digests } from './tables.js';

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
    .select()
    .from(digests)
    .where(and(...where))
    .orderBy(asc(digests.kind), asc(digests.departmentId));
  const names = new Map((await departmentNames(deps.db)).map((d) => [d.id, d.name]));
  return rows.map((d) => ({
    day: d.day,
    kind: d.kind,
    departmentId: d.departmentId,
    departmentName: names.get(d.departmentId) ?? '',
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
  /** HANDIN_REST_DAY_RULE: the default ('calendar') where a caller leaves it out. */
  env: Pick<Env, 'DIGEST_TIME'> & Partial<Pick<Env, 'HANDIN_REST_DAY_RULE'>>;
}

/**
 * Where "new" starts for `day`: the instant of the last working day's digest that was built before it
 * (so after a missed day the next digest still shows that day's letters as new), else the previous
 * working day's DIGEST_TIME.
 */
async function newSince(deps: DigestDeps, dayIso: string): Promise<Date> {
  const cal = deps.calendar.current;
  const day = parseIsoDate(dayIso)!;
  const runs = await deps.db.select().from(digestRuns).where(lt(digestRuns.day, dayIso)).orderBy(desc(digestRuns.day)).limit(10);
  const last = runs.find((r) => cal.isWorkingDay(parseIsoDate(r.day)!));
  return last?.takenAt ?? digestInstant(cal.workingDayBefore(day, 1) ?? day - 1, deps.env.DIGEST_TIME);
}

/** Whether `day`'s digests have been built (by the Schedule, the catch-up or a manual run). */
export async function digestHasRun(deps: { db: Database }, dayIso: string): Promise<boolean> {
  const [run] = await deps.db.select({ day: digestRuns.day }).from(digestRuns).where(eq(digestRuns.day, dayIso));
  return run !== undefined;
}

/**
 * Builds `day`'s digests from the current record (compose.ts): one per department that handles or
 * assists on an open letter or has a review form or a catalogue round waiting, and one for the general office. Open letters
 * and forms at a step only, so anything closed
 * since the last digest drops out. Rebuilding replaces the day's rows and its run; the e-mails are
 * enqueued once per day and department (dedupe key), so a re-run sends nothing twice.
 */
export async function buildDigests(deps: DigestDeps, dayIso: string): Promise<{ day: string; digests: number; emailsQueued: number }> {
  const day = parseIsoDate(dayIso)!;
  const takenAt = digestInstant(day, deps.env.DIGEST_TIME);
  const since = await newSince(deps, dayIso);
  const depts = await allDepartments(deps.db);
  const handIns = await openHandInsForDigest(
    deps.db,
    deps.calendar.current,
    { HANDIN_REST_DAY_RULE: deps.env.HANDIN_REST_DAY_RULE ?? 'calendar' },
    dayIso,
  );
  // The day's self-inspection (Art. 27(三)) runs with the digest, as of the digest instant;
  // the office's digest lists its red and amber items.
  const inspection = alertsOf(await runDailyInspection(deps, takenAt));
  const contents = composeDigests({
    cal: deps.calendar.current,
    day: dayIso,
    takenAt,
    newSince: since,
    departments: depts,
    letters: await openLettersForDigest(deps.db, takenAt),
    reviewSteps: await openReviewStepsForDigest(deps.db),
    catalogueRounds: await openCatalogueRoundsForDigest(deps.db),
    handIns,
    requestSteps: await openRequestStepsForDigest(deps.db, deps.calendar.current),
    linkTasks: await linkTasksForDigest(deps.db),
    findingTasks: await findingTasksForDigest(deps.db),
    annualReports: await annualReportTasksForDigest(deps.db, dayIso),
    missingNotice: nextYearNoticeMissing(deps, chinaMidnight(parseIsoDate(dayIso)!)),
    inspection,
  });

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
    // Art. 20(四): the office is told once of each department whose hand-in is past due (docs/architecture.md).
    await queueLateHandInNotices(tx, handIns, takenAt);
    const run = { takenAt, newSince: since, builtAt: new Date() };
    await tx
      .insert(digestRuns)
      .values({ day: dayIso, ...run })
      .onConflictDoUpdate({ target: digestRuns.day, set: run });
    for (const c of contents) {
      // The office's digest is mailed when it lists a letter or reminds of a missing holiday notice.
      if (c.content.kind === 'office' && itemCount(c.content) === 0 && !c.content.missingNotice) continue;
      const dept = depts.find((d) => d.id === c.departmentId)!;
      const mail = digestEmail(dayIso, c.content);
      const dedupeKey = `digest:${dayIso}:${c.kind}:${c.departmentId}`;
      if (await enqueueNotification(tx, { dedupeKey, kind: 'digest', recipients: dept.notifyEmails, ...mail })) emailsQueued++;
    }
  });
  return { day: dayIso, digests: contents.length, emailsQueued };
}
