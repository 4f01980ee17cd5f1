// Issue #20 point 4: the worker process killed (SIGKILL) while a staff action is in flight. The action
// runs as an activity in the worker: one PostgreSQL transaction writes the letter, its event, the audit
// row and the writer's notice, keyed by the update's event key. Killed mid-transaction, PostgreSQL rolls
// it back; Temporal retries the activity on the next worker, and the key makes a retry after a commit a
// no-op. So after the worker is back the action has happened exactly once (the caller may have seen a
// timeout, never a doubled action). Real processes: the Temporal CLI dev server, src/worker-main.ts.
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { auditLog } from '../../src/audit/tables.js';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { fromClient, type TemporalGateway } from '../../src/temporal/gateway.js';
import { freshDatabase } from '../support/db.js';
import { bearer, DEMO_PASSWORD, sampleLetter } from '../support/harness.js';
import { startDevServer } from '../support/temporal.js';
import { waitFor } from '../support/wait.js';

const TASK_QUEUE = 'amr-worker-killed';
const root = path.resolve(import.meta.dirname, '../..');

let server: Awaited<ReturnType<typeof startDevServer>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let calendar: CalendarService;
let connection: Connection;
let gateway: TemporalGateway;
let app: FastifyInstance;
let worker: ChildProcess | undefined;

/** src/worker-main.ts on its own, as in production; resolves once it says it is ready. */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      LOG_LEVEL: 'info',
      SMTP_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('worker process ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return child;
}

async function killWorker() {
  const w = worker!;
  const gone = new Promise((r) => w.once('exit', r));
  w.kill('SIGKILL');
  await gone;
  worker = undefined;
}

beforeAll(async () => {
  server = await startDevServer('worker-killed');
  database = await freshDatabase();
  await seedDepartments(database.db);
  await seedDemoAccounts(database.db, DEMO_PASSWORD);
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: TASK_QUEUE });
  calendar = new CalendarService(database.db, database.sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
  await calendar.start();
  connection = await Connection.connect({ address: server.address });
  gateway = fromClient(new Client({ connection }), TASK_QUEUE);
  app = await buildApp({ env, db: database.db, sql: database.sql, temporal: gateway, calendar }, { logger: false });
  await app.ready();
  worker = await startWorker();
}, 300_000);

afterAll(async () => {
  if (worker) await killWorker();
  await app?.close();
  await connection?.close();
  await calendar?.stop();
  await database?.close();
  await server?.close();
});

async function startedLetter() {
  const res = await app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter({ writer: { name: '钱七', phone: '13500135000', email: 'qian@example.com' } }),
  });
  expect(res.statusCode).toBe(201);
  const { trackingNo } = res.json() as { trackingNo: string };
  // The worker process's outbox starts the workflow; its first step stamps the letter.
  const row = await waitFor(async () => {
    const [r] = await database.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
    return r?.workflowStartedAt ? r : undefined;
  }, 'the workflow started by the worker process');
  return { trackingNo, letterId: row.id };
}

async function login(username: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  return (res.json() as { token: string }).token;
}

/** How many times the transfer happened, by each of its three records. */
async function transferRecords(letterId: number, trackingNo: string) {
  const count = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
  const n = sql<number>`count(*)::int`;
  return {
    events: await count(
      database.db
        .select({ n })
        .from(letterEvents)
        .where(and(eq(letterEvents.letterId, letterId), eq(letterEvents.kind, 'transferred'))),
    ),
    audits: await count(
      database.db
        .select({ n })
        .from(auditLog)
        .where(and(eq(auditLog.recordId, trackingNo), eq(auditLog.action, 'letter.transfer'))),
    ),
    notices: await count(
      database.db
        .select({ n })
        .from(notifications)
        .where(and(eq(notifications.letterId, letterId), eq(notifications.kind, 'writer_transferred'))),
    ),
  };
}

/** Backends of this database waiting for a row lock: the activity's transaction stuck on our lock. */
const lockWaiters = async () =>
  (
    (await database.sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`) as unknown as { n: number }[]
  )[0]!.n;

describe('the worker process killed with SIGKILL while a staff action is in flight (issue #20 point 4)', () => {
  it("killed inside the action's transaction: rolled back, retried on the next worker, done exactly once", async () => {
    const { trackingNo, letterId } = await startedLetter();
    const token = await login('h-registration');
    // Hold the letter's row lock, so the action's activity is stuck inside its transaction when killed.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const holding = database.db.transaction(async (tx) => {
      await tx.select().from(letters).where(eq(letters.id, letterId)).for('update');
      await released;
    });
    const action = app.inject({
      method: 'POST',
      url: `/api/cases/${trackingNo}/transfer`,
      headers: bearer(token),
      payload: { toDepartmentId: 6, reasonCode: 'not_in_remit', reason: '属信用监督管理处职责' },
    });
    await waitFor(async () => (await lockWaiters()) > 0, "the action's transaction waiting on the row lock");
    await killWorker();
    release();
    await holding;
    expect(await transferRecords(letterId, trackingNo)).toEqual({ events: 0, audits: 0, notices: 0 });

    worker = await startWorker();
    const res = await action;
    // Temporal retries the activity once its 30 s start-to-close timeout has passed; the API waits up
    // to 40 s for a case action, so the caller sees the result or a 503 telling them to look again.
    expect([200, 503]).toContain(res.statusCode);
    const done = await waitFor(
      async () => {
        const r = await transferRecords(letterId, trackingNo);
        return r.events > 0 ? r : undefined;
      },
      'the retried action',
      90_000,
    );
    expect(done).toEqual({ events: 1, audits: 1, notices: 1 });
    const [row] = await database.db.select().from(letters).where(eq(letters.id, letterId));
    expect(row!.departmentId).toBe(6);
    // Nothing more comes later.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await transferRecords(letterId, trackingNo)).toEqual({ events: 1, audits: 1, notices: 1 });
  }, 180_000);
});
