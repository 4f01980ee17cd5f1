// Issue #20 point 3: Temporal frozen (SIGSTOP, as a stalled host or a long GC pause looks from outside)
// in the middle of a burst of letters, then resumed. Intake does not wait for Temporal (the outbox,
// src/mailbox/workflow-starter.ts), so every letter is accepted; once Temporal is back every letter
// gets its workflow, and none gets two (the workflow id is the tracking number, USE_EXISTING).
// Runs the Temporal CLI dev server (TEMPORAL_CLI_PATH, set by npm test): the time-skipping server
// runs in-process with the SDK's bridge and cannot be paused on its own.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { letters } from '../../src/mailbox/tables.js';
import { startPendingWorkflows } from '../../src/mailbox/workflow-starter.js';
import { fromClient, type TemporalGateway } from '../../src/temporal/gateway.js';
import { createActivities, workflowsPath } from '../../src/temporal/worker.js';
import { workflowIdOf } from '../../workflows/messages.js';
import { freshDatabase } from '../support/db.js';
import { sampleLetter } from '../support/harness.js';
import { startDevServer } from '../support/temporal.js';
import { waitFor } from '../support/wait.js';

const TASK_QUEUE = 'amr-frozen';
const PER_WAVE = 15;

let server: Awaited<ReturnType<typeof startDevServer>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let calendar: CalendarService;
let connection: Connection;
let native: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let gateway: TemporalGateway;
let app: FastifyInstance;
let serverPid: number;

beforeAll(async () => {
  server = await startDevServer('frozen');
  serverPid = server.pid;

  database = await freshDatabase();
  await seedDepartments(database.db);
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url });
  calendar = new CalendarService(database.db, database.sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
  await calendar.start();
  const deps = { db: database.db, calendar, env };
  native = await NativeConnection.connect({ address: server.address });
  worker = await Worker.create({ connection: native, taskQueue: TASK_QUEUE, workflowsPath, activities: createActivities(deps) });
  workerRun = worker.run();
  connection = await Connection.connect({ address: server.address });
  gateway = fromClient(new Client({ connection }), TASK_QUEUE);
  app = await buildApp({ env, db: database.db, sql: database.sql, temporal: gateway, calendar }, { logger: false });
  await app.ready();
}, 300_000);

afterAll(async () => {
  if (serverPid) process.kill(serverPid, 'SIGCONT');
  await app?.close();
  worker?.shutdown();
  await workerRun;
  await connection?.close();
  await native?.close();
  await calendar?.stop();
  await database?.close();
  await server?.close();
});

let ip = 0;
async function wave(): Promise<string[]> {
  const results = await Promise.all(
    Array.from({ length: PER_WAVE }, () =>
      app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), remoteAddress: `198.51.100.${(ip++ % 250) + 1}` }),
    ),
  );
  expect(results.map((r) => r.statusCode)).toEqual(Array(PER_WAVE).fill(201));
  return results.map((r) => (r.json() as { trackingNo: string }).trackingNo);
}

const notStarted = async () => (await database.db.select({ id: letters.id }).from(letters).where(isNull(letters.workflowStartedAt))).length;

describe('Temporal frozen mid-burst, then resumed (issue #20 point 3)', () => {
  const accepted: string[] = [];

  it('accepts every letter of the burst while Temporal is frozen, with starts in flight; outbox passes fail in bounded time', async () => {
    accepted.push(...(await wave()));
    // Frozen while the outbox is starting the first wave: some starts reach the server unanswered.
    const t0 = Date.now();
    const inFlight = startPendingWorkflows(database.db, gateway, { concurrency: 4 }).then(
      (n) => ({ started: n }),
      (err: unknown) => ({ failed: err }),
    );
    await new Promise((r) => setTimeout(r, 20));
    process.kill(serverPid, 'SIGSTOP');
    accepted.push(...(await wave()));
    await inFlight;
    await expect(startPendingWorkflows(database.db, gateway, { concurrency: 4 })).rejects.toThrow();
    // Each start waits at most 5 s (withDeadline in the outbox), whatever the frozen server does.
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(await notStarted()).toBeGreaterThanOrEqual(PER_WAVE);
  });

  it('once resumed, every letter has exactly one workflow run, the ones started before the freeze included', async () => {
    process.kill(serverPid, 'SIGCONT');
    accepted.push(...(await wave()));
    await waitFor(
      async () => {
        await startPendingWorkflows(database.db, gateway, { concurrency: 4 }).catch(() => 0);
        return (await notStarted()) === 0;
      },
      'every letter started',
      90_000,
    );
    expect(accepted).toHaveLength(3 * PER_WAVE);
    const [{ n }] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(letters)) as [{ n: number }];
    expect(n).toBe(3 * PER_WAVE);
    const client = gateway.client;
    // Visibility is eventually consistent: wait until it lists them all, then count runs per letter.
    const runs = await waitFor(
      async () => {
        const seen = new Map<string, number>();
        for await (const wf of client.workflow.list({ query: `TaskQueue = '${TASK_QUEUE}'` })) {
          seen.set(wf.workflowId, (seen.get(wf.workflowId) ?? 0) + 1);
        }
        return seen.size === accepted.length ? seen : undefined;
      },
      'visibility listing every workflow',
      30_000,
    );
    for (const no of accepted) expect(runs.get(workflowIdOf(no)), no).toBe(1);
    const [row] = await database.db.select().from(letters).where(eq(letters.trackingNo, accepted[PER_WAVE]!));
    expect(row!.workflowStartedAt).not.toBeNull();
  });
});
