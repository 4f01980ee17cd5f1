import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { staffIdByUsername } from '../../src/auth/service/staff-directory.js';
import { allDepartments } from '../../src/departments/service.js';
import { seedColumns, seedDemoLeader } from '../../src/publishing/seed.js';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { startPendingWorkflows } from '../../src/mailbox/workflow-starter.js';
import { buildApp } from '../../src/app.js';
import { connectTemporal, fromClient, type TemporalGateway } from '../../src/temporal/gateway.js';
import { createActivities, workflowsPath } from '../../src/temporal/worker.js';
import { createDatabase } from '../../src/db/client.js';
import { freshDatabase } from './db.js';
import { startTimeSkippingServer } from './temporal.js';

export const DEMO_PASSWORD = 'Test-Passw0rd!';
const TASK_QUEUE = 'amr-test';

/**
 * The real system for one test file: a fresh PostgreSQL database with the bureau's departments and
 * demo accounts (or `databaseUrl`'s database as it is), the Fastify app, and (with `temporal: true`) Temporal's time-skipping test server
 * with a worker running the real workflows and activities. Without it, Temporal is unreachable.
 */
export async function startHarness(opts: { temporal?: boolean; env?: Record<string, string>; databaseUrl?: string } = {}) {
  // An existing database (e.g. a restored backup) is used as it is, without seeding.
  const database = opts.databaseUrl ? { url: opts.databaseUrl, ...createDatabase(opts.databaseUrl, { max: 5 }) } : await freshDatabase();
  if (!opts.databaseUrl) {
    await seedDepartments(database.db);
    await seedDemoAccounts(database.db, DEMO_PASSWORD);
    await seedColumns(database.db);
    const leader = await staffIdByUsername(database.db, 'leader');
    await seedDemoLeader(
      database.db,
      leader!,
      (await allDepartments(database.db)).map((d) => d.id),
    );
  }
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...opts.env });
  const calendar = new CalendarService(database.db, database.sql, {
    afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY,
    officeHoursEnd: env.OFFICE_HOURS_END,
  });
  await calendar.start();
  const deps = { db: database.db, calendar, env };

  let testEnv: TestWorkflowEnvironment | undefined;
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let temporal: TemporalGateway;
  if (opts.temporal) {
    testEnv = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: testEnv.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath,
      activities: createActivities(deps),
    });
    workerRun = worker.run();
    temporal = fromClient(testEnv.client, TASK_QUEUE);
  } else {
    // Nothing listens on port 1: every Temporal call fails fast, as when the cluster is down.
    temporal = connectTemporal({ address: '127.0.0.1:1', namespace: 'default', taskQueue: TASK_QUEUE });
  }

  const app = await buildApp({ env, db: database.db, sql: database.sql, temporal, calendar }, { logger: false });
  await app.ready();

  return {
    app,
    db: database.db,
    sql: database.sql,
    calendar,
    env,
    temporal,
    testEnv,
    /** Runs the outbox once (the production process runs it on NOTIFY and every few seconds). */
    startPending: () => startPendingWorkflows(database.db, temporal),
    async login(username: string, password = DEMO_PASSWORD): Promise<string> {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    async close() {
      await app.close();
      if (worker) {
        worker.shutdown();
        await workerRun;
      }
      await testEnv?.teardown();
      await calendar.stop();
      await database.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const sampleLetter = (over: Record<string, unknown> = {}) => ({
  writer: { name: '张三', phone: '13800138000', email: 'zhangsan@example.com' },
  type: 'complaint',
  departmentId: 5,
  subject: '网店不退货',
  content: '我在某网店购买的商品有质量问题，商家拒绝退货。',
  allowPublication: true,
  ...over,
});
