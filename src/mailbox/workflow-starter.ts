import { InternalConnectionLikeSymbol, type InternalConnectionLike } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { and, asc, isNull, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';
import type { TemporalGateway } from '../temporal/gateway.js';
import { LETTER_WORKFLOW, workflowIdOf, type LetterWorkflow } from '../../workflows/messages.js';
import { letters } from './tables.js';

/**
 * The outbox between PostgreSQL and Temporal: a letter is committed to PostgreSQL first, and every
 * letter whose workflow has not yet reported in (workflow_started_at is null) is started from here.
 * Starting is idempotent (same workflow id, USE_EXISTING), so a crash between the start and the
 * workflow's first activity only means a harmless second start.
 */
export async function startPendingWorkflows(
  db: Database,
  temporal: TemporalGateway,
  opts: { limit?: number; olderThanMs?: number; concurrency?: number; exclude?: number[]; onStarted?: (letterId: number) => void } = {},
): Promise<number> {
  // `exclude`: letters this starter has just started, whose first step has not reported in yet.
  const excluded = opts.exclude?.length ? sql`not (${letters.id} = any(${`{${opts.exclude.join(',')}}`}::bigint[]))` : undefined;
  const rows = await db
    .select({ id: letters.id, trackingNo: letters.trackingNo })
    .from(letters)
    .where(
      and(
        isNull(letters.workflowStartedAt),
        sql`${letters.updatedAt} <= now() - make_interval(secs => ${(opts.olderThanMs ?? 0) / 1000})`,
        excluded,
      ),
    )
    .orderBy(asc(letters.id))
    .limit(opts.limit ?? 200);
  // Up to `concurrency` starts in flight (default one after the other); oldest letters first.
  let next = 0;
  let started = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      // A bounded wait, so an unreachable Temporal fails this pass in seconds rather than ~20 s.
      await temporal.client.connection.withDeadline(Date.now() + 5_000, () => startLetterWorkflow(temporal, row));
      opts.onStarted?.(row.id);
      started++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 1, rows.length) }, lane));
  return started;
}

export async function startLetterWorkflow(temporal: TemporalGateway, letter: { id: number; trackingNo: string }) {
  await temporal.client.workflow.start<LetterWorkflow>(LETTER_WORKFLOW, {
    taskQueue: temporal.taskQueue,
    workflowId: workflowIdOf(letter.trackingNo),
    args: [{ letterId: letter.id, trackingNo: letter.trackingNo }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    // When this client shares the worker's NativeConnection, the server hands the first workflow task
    // straight back in the start response, skipping a trip through matching for every letter.
    requestEagerStart: sharesWorkerConnection(temporal),
  });
}

const sharesWorkerConnection = (temporal: TemporalGateway) =>
  (temporal.client.connection as InternalConnectionLike)[InternalConnectionLikeSymbol]?.supportsEagerStart === true;

/**
 * Runs the outbox: on a NOTIFY from intake, and every few seconds to catch anything missed. Up to 16
 * starts are in flight by default: one at a time, the outbox cannot exceed 1 / (start latency), about
 * 50 letters/s, whatever the server could take (docs/performance.md §2).
 */
export function runWorkflowStarter(
  db: Database,
  listenSql: import('postgres').Sql,
  temporal: TemporalGateway,
  log: Pick<FastifyBaseLogger, 'warn'>,
  { concurrency = 16, restartAfterMs = 60_000 }: { concurrency?: number; restartAfterMs?: number } = {},
) {
  // A letter started moments ago reports in once the worker has run its first task, which under a
  // burst can take a while; until then every pass would start it again (a harmless but costly
  // USE_EXISTING start). So a pass skips the letters this starter started within `restartAfterMs`;
  // after that, a letter that never reported in is started again.
  const recentlyStarted = new Map<number, number>();
  const onStarted = (id: number) => recentlyStarted.set(id, Date.now());
  const stillRecent = () => {
    const cutoff = Date.now() - restartAfterMs;
    for (const [id, at] of recentlyStarted) if (at < cutoff) recentlyStarted.delete(id);
    return [...recentlyStarted.keys()];
  };
  let stopped = false;
  let running = false;
  let again = false;
  const tick = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await startPendingWorkflows(db, temporal, { concurrency, exclude: stillRecent(), onStarted });
      } while (again && !stopped);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'starting letter workflows failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), 5_000);
  // The payload is the letter's id: a new letter, or one the office has just reopened (a new run of its
  // workflow), which must not wait out the skip its previous run's start left behind.
  const sub = listenSql.listen('letter_received', (id) => {
    recentlyStarted.delete(Number(id));
    void tick();
  });
  void tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await (await sub).unlisten();
  };
}
