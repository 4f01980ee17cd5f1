// The general office's queue of 不满意 ratings (issue 14 point 6): each is either reopened to a
// department with a new deadline, or closed with an explanation the writer sees. How the reopened
// letter gets a workflow run again: docs/architecture.md, *A reopened letter*.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames, isActiveDepartment } from '../../departments/service.js';
import { badRequest, conflict, notFound } from '../../server/errors.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { queueReopenNotice, queueWriterNotice } from '../notices.js';
import { DISSATISFACTION_DECIDERS } from '../rating-rules.js';
import type { CloseDissatisfiedBody, ReopenBody } from '../rating-schemas.js';
import { limitDays } from '../rules.js';
import { letterRatings, letters } from '../tables.js';
import { startLetterWorkflow } from '../workflow-starter.js';
import { getCase } from './case-reads.js';
import { addEvent } from './case-records.js';

export interface ReopenDeps {
  db: Database;
  calendar: CalendarService;
  env: Env;
  /** Optional: without it (or with Temporal down) the outbox starts the new run. */
  temporal?: TemporalGateway;
  log?: { warn(obj: object, msg: string): void };
}

const demandDecider = (viewer: Viewer) => demand(viewer, viewerHolds(viewer, DISSATISFACTION_DECIDERS));

/** 不满意 ratings the office has not decided yet, oldest first. */
export async function listDissatisfied({ db }: { db: Database }, viewer: Viewer, limit = 100) {
  demandDecider(viewer);
  const rows = await db
    .select({ letter: letters, rating: letterRatings })
    .from(letterRatings)
    .innerJoin(letters, eq(letters.id, letterRatings.letterId))
    .where(and(eq(letterRatings.rating, 'dissatisfied'), isNull(letterRatings.decidedAt)))
    .orderBy(asc(letterRatings.ratedAt), asc(letterRatings.id))
    .limit(limit);
  const names = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  return {
    items: rows.map(({ letter, rating }) => ({
      trackingNo: letter.trackingNo,
      subject: letter.subject,
      type: letter.type,
      round: rating.round,
      departmentId: rating.departmentId,
      departmentName: names.get(rating.departmentId) ?? '',
      answer: letter.answer,
      answeredAt: letter.answeredAt && formatChinaDateTime(letter.answeredAt),
      comment: rating.comment,
      ratedAt: formatChinaDateTime(rating.ratedAt),
    })),
  };
}

/** The letter and its undecided 不满意 of the current round, both locked; 404 / 409 otherwise. */
async function lockUndecided(tx: Executor, trackingNo: string) {
  const [letter] = await tx.select().from(letters).where(eq(letters.trackingNo, trackingNo)).for('update');
  if (!letter) throw notFound('未找到该信件');
  const [rating] = await tx
    .select()
    .from(letterRatings)
    .where(and(eq(letterRatings.letterId, letter.id), eq(letterRatings.round, letter.round)))
    .for('update');
  if (letter.status !== 'answered' || !rating || rating.rating !== 'dissatisfied') throw conflict('该信件没有待处理的不满意评价');
  if (rating.decidedAt) throw conflict(rating.decision === 'reopened' ? '该信件已重新交办' : '该信件已作出说明并办结');
  return { letter, rating };
}

/**
 * Reopens the letter to the department the office chooses: a new round with a new deadline counted
 * from now under the letter's type (the limits intake uses), the current answer cleared (the round's
 * answer stays in its 'answered' event). One transaction writes the letter, the decision, the public
 * 'reopened' event, the department's and the writer's notices, the audit row, and clears
 * workflow_started_at, so the outbox starts a new run of `letter-<trackingNo>` even if Temporal is
 * down now. Starting it here as well is only to save the outbox's next pass.
 */
export async function reopenLetter(deps: ReopenDeps, viewer: Viewer, trackingNo: string, body: ReopenBody, now = new Date()) {
  demandDecider(viewer);
  const actor = actorFor(viewer, DISSATISFACTION_DECIDERS);
  const letter = await deps.db.transaction(async (tx) => {
    const { letter, rating } = await lockUndecided(tx, trackingNo);
    if (!(await isActiveDepartment(tx, body.departmentId))) {
      throw badRequest('提交的内容有误，请检查标注的字段', { 'body.departmentId': '处室不存在或已停用' });
    }
    const days = limitDays(deps.env, letter.type, letter.convenienceItemId);
    const due = deps.calendar.deadline(now, days);
    const round = letter.round + 1;
    const [reopened] = await tx
      .update(letters)
      .set({
        status: 'processing',
        round,
        // The office has decided who handles the letter now: like its arbitration, it ends transfers.
        departmentId: body.departmentId,
        arbitratedAt: now,
        assistingDepartmentIds: [],
        transferredFromDepartmentId: null,
        pendingRejection: null,
        requestedDepartmentIds: [],
        visitedDepartmentIds: [...new Set([...letter.visitedDepartmentIds, body.departmentId])],
        clockStartedAt: now,
        limitDays: days,
        dueDate: due.dueDate,
        dueAt: due.dueAt,
        dueProvisional: due.provisional,
        dueSoon: false,
        overdue: false,
        answer: null,
        answeredAt: null,
        answeredBy: null,
        closedLate: null,
        // Back into the outbox: the starter begins a new run of the letter's workflow.
        workflowStartedAt: null,
        // The database's clock, not `now`: the outbox picks up rows updated by its own now().
        updatedAt: sql`now()`,
      })
      .where(eq(letters.id, letter.id))
      .returning();
    await tx
      .update(letterRatings)
      .set({
        decision: 'reopened',
        decisionText: body.reason,
        reopenedToDepartmentId: body.departmentId,
        decidedAt: now,
        decidedBy: actor.staffId,
      })
      .where(eq(letterRatings.id, rating.id));
    const eventKey = `letter-${letter.id}:reopened:${round}`;
    await addEvent(tx, {
      letterId: letter.id,
      eventKey,
      kind: 'reopened',
      isPublic: true,
      departmentId: rating.departmentId,
      toDepartmentId: body.departmentId,
      actorId: actor.staffId,
      text: body.reason,
      data: { round, dueDate: due.dueDate },
      at: now,
    });
    await queueReopenNotice(tx, reopened!, eventKey, {
      toDepartmentId: body.departmentId,
      round,
      reason: body.reason,
      comment: rating.comment,
    });
    await queueWriterNotice(tx, deps.env.SITE_NAME, reopened!, eventKey, {
      kind: 'reopened',
      toDepartmentId: body.departmentId,
      dueDate: due.dueDate,
    });
    await recordAudit(tx, actor, {
      action: 'letter.reopen',
      recordType: 'letter',
      recordId: letter.trackingNo,
      before: { status: letter.status, departmentId: letter.departmentId, round: letter.round, dueDate: letter.dueDate },
      after: { status: 'processing', departmentId: body.departmentId, round, dueDate: due.dueDate },
    });
    // Wakes the outbox at once, as intake does.
    await tx.execute(sql`select pg_notify('letter_received', ${String(letter.id)})`);
    return reopened!;
  });
  if (deps.temporal) {
    const temporal = deps.temporal;
    await temporal.client.connection
      .withDeadline(Date.now() + 5_000, () => startLetterWorkflow(temporal, letter))
      .catch((err: unknown) => deps.log?.warn({ err }, 'starting the reopened letter failed; the outbox will start it'));
  }
  return getCase(deps, viewer, trackingNo);
}

/** Closes a 不满意 with an explanation the writer sees on the lookup page (and by e-mail when they gave one). */
export async function closeDissatisfied(
  deps: ReopenDeps,
  viewer: Viewer,
  trackingNo: string,
  body: CloseDissatisfiedBody,
  now = new Date(),
) {
  demandDecider(viewer);
  const actor = actorFor(viewer, DISSATISFACTION_DECIDERS);
  await deps.db.transaction(async (tx) => {
    const { letter, rating } = await lockUndecided(tx, trackingNo);
    await tx
      .update(letterRatings)
      .set({ decision: 'closed', decisionText: body.explanation, decidedAt: now, decidedBy: actor.staffId })
      .where(eq(letterRatings.id, rating.id));
    const eventKey = `letter-${letter.id}:dissatisfaction_closed:${letter.round}`;
    await addEvent(tx, {
      letterId: letter.id,
      eventKey,
      kind: 'dissatisfaction_closed',
      isPublic: true,
      departmentId: rating.departmentId,
      actorId: actor.staffId,
      text: body.explanation,
      data: { round: letter.round },
      at: now,
    });
    await queueWriterNotice(tx, deps.env.SITE_NAME, letter, eventKey, { kind: 'dissatisfaction_closed', explanation: body.explanation });
    await tx
      .update(letters)
      .set({ updatedAt: sql`now()` })
      .where(eq(letters.id, letter.id));
    await recordAudit(tx, actor, {
      action: 'letter.close_dissatisfied',
      recordType: 'letter',
      recordId: letter.trackingNo,
      after: { round: letter.round, decision: 'closed' },
    });
  });
  return getCase(deps, viewer, trackingNo);
}
