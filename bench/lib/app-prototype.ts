// A PROTOTYPE of src/main.ts for measuring candidate changes; it is not the app and nothing in src/
// uses it. Same wiring as src/main.ts with an external PostgreSQL and Temporal (DATABASE_URL and
// TEMPORAL_ADDRESS must be set; nothing embedded, no demo seeding), except:
//  - the worker runs a prebuilt workflow bundle (BENCH_WORKFLOW_BUNDLE, made by the benchmark with
//    bundleWorkflowCode) instead of bundling workflows/ with webpack inside the app at boot;
//  - the worker caches at most BENCH_MAX_CACHED_WORKFLOWS workflows (default 100) instead of the
//    SDK's default derived from the heap limit (≈ 2,300 with Node's default heap on this machine);
//  - the outbox starts up to BENCH_STARTER_CONCURRENCY workflows at once (default 16) instead of one
//    after the other.
// Selected with BENCH_APP=prototype (bench/lib/infra.ts startApp).
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { createDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { ensureDigestSchedule } from '../../src/digest/schedule.js';
import { runWorkflowStarter } from '../../src/mailbox/workflow-starter.js';
import { buildApp } from '../../src/server/app.js';
import { connectTemporal } from '../../src/temporal/gateway.js';
import { createActivities } from '../../src/temporal/worker.js';

const env = loadEnv();
const log = pino({ level: env.LOG_LEVEL });
const bundlePath = process.env.BENCH_WORKFLOW_BUNDLE;
const maxCachedWorkflows = Number(process.env.BENCH_MAX_CACHED_WORKFLOWS ?? 100);
const concurrency = Number(process.env.BENCH_STARTER_CONCURRENCY ?? 16);
if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS || !bundlePath) throw new Error('DATABASE_URL, TEMPORAL_ADDRESS and BENCH_WORKFLOW_BUNDLE are required');

const cleanups: (() => Promise<unknown>)[] = [];
const shutdown = async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

await runMigrations(env.DATABASE_URL);
const { db, sql, close } = createDatabase(env.DATABASE_URL);
cleanups.push(close);
const calendar = new CalendarService(db, sql, { afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY, officeHoursEnd: env.OFFICE_HOURS_END });
await calendar.start();
cleanups.push(() => calendar.stop());
const temporal = connectTemporal({ address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE });
cleanups.push(() => temporal.close());
Runtime.install({ shutdownSignals: [] });
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
cleanups.push(() => connection.close());
const worker = await Worker.create({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  workflowBundle: { codePath: bundlePath },
  maxCachedWorkflows,
  activities: createActivities({ db, calendar, env }),
});
const workerRun = worker.run();
cleanups.push(async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
});
await ensureDigestSchedule(temporal.client, env.TEMPORAL_TASK_QUEUE, env.DIGEST_TIME);
const app = await buildApp({ env, db, sql, temporal, calendar });
cleanups.push(runWorkflowStarter(db, sql, temporal, log, { concurrency }));
cleanups.push(() => app.close());
await app.listen({ host: env.HOST, port: env.PORT });
log.info({ maxCachedWorkflows, concurrency, bundlePath }, 'prototype app listening');
