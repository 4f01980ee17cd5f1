// Runs the whole system in one process: PostgreSQL and the Temporal dev server when no external ones
// are configured, migrations, the Temporal worker, the workflow starter and the Fastify API.
import path from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { seedDemoAccounts } from './auth/seed-demo.js';
import { CalendarService } from './calendar/service.js';
import { ConfigError, loadEnv } from './config/env.js';
import { createDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { seedDepartments } from './departments/seed.js';
import { ensureDigestSchedule } from './digest/schedule.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { startTemporalDevServer } from './infra/temporal-dev-server.js';
import { runWorkflowStarter, signalProvisionalLetters } from './mailbox/workflow-starter.js';
import { buildApp } from './server/app.js';
import { connectTemporal } from './temporal/gateway.js';
import { createWorker } from './temporal/worker.js';

let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const log = pino({ level: env.LOG_LEVEL });
const cleanups: (() => Promise<unknown>)[] = [];
let shuttingDown = false;

async function shutdown(signal: string, code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, 'shutting down');
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((err: unknown) => log.error({ err }, 'error during shutdown'));
  }
  log.info('stopped');
  process.exit(code);
}
// embedded-postgres installs async-exit-hook, which on a signal stops PostgreSQL and exits at once,
// racing our orderly shutdown (worker, then Temporal, then PostgreSQL). We own these signals.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

async function main() {
  const embedded = !env.DATABASE_URL;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({
      dir: path.join(env.dataDir, 'postgres'),
      port: env.EMBEDDED_PG_PORT,
      database: 'amr',
      log: (m) => log.debug({ component: 'postgres' }, m),
    });
    cleanups.push(() => pg.stop());
    databaseUrl = pg.url;
    log.info({ port: env.EMBEDDED_PG_PORT, dir: path.join(env.dataDir, 'postgres') }, 'embedded PostgreSQL started');
  }

  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    if (!env.TEMPORAL_CLI_PATH) throw new Error('TEMPORAL_CLI_PATH is not set: run through `npm start`, or set TEMPORAL_ADDRESS');
    const dev = await startTemporalDevServer({
      cliPath: env.TEMPORAL_CLI_PATH,
      dataDir: path.join(env.dataDir, 'temporal'),
      port: env.TEMPORAL_DEV_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      namespace: env.TEMPORAL_NAMESPACE,
      log: (m) => log.debug({ component: 'temporal' }, m),
    });
    cleanups.push(() => dev.stop());
    temporalAddress = dev.address;
    temporalUi = dev.uiUrl;
    log.info({ address: dev.address }, 'Temporal dev server started');
  }

  await runMigrations(databaseUrl);
  const { db, sql, close } = createDatabase(databaseUrl);
  cleanups.push(close);
  if (embedded) {
    await seedDepartments(db);
    const created = await seedDemoAccounts(db, env.DEMO_PASSWORD);
    if (created.length > 0) log.info({ count: created.length }, 'demo accounts created (see README)');
  }

  const calendar = new CalendarService(db, sql, { afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY, officeHoursEnd: env.OFFICE_HOURS_END });
  await calendar.start();
  cleanups.push(() => calendar.stop());

  const temporal = connectTemporal({ address: temporalAddress, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE });
  cleanups.push(() => temporal.close());

  // We own SIGINT/SIGTERM (to stop PostgreSQL and Temporal after the worker), not the SDK.
  Runtime.install({ shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: temporalAddress });
  cleanups.push(() => connection.close());
  const worker = await createWorker({ connection, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE, deps: { db, calendar, env } });
  const workerRun = worker.run();
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
  });

  await ensureDigestSchedule(temporal.client, env.TEMPORAL_TASK_QUEUE, env.DIGEST_TIME);
  if (!env.SMTP_URL) log.warn('SMTP_URL is not set: digests and notices are kept in the notification outbox, not e-mailed');

  const app = await buildApp({ env, db, sql, temporal, calendar });
  const stopStarter = runWorkflowStarter(db, sql, temporal, app.log);
  cleanups.push(stopStarter);
  calendar.onChange(() => {
    void signalProvisionalLetters(db, temporal).then((n) => app.log.info({ letters: n }, 'calendar changed: provisional deadlines recomputing'));
  });
  // Signals lost while Temporal was unreachable are made good here.
  const reconcile = setInterval(() => void signalProvisionalLetters(db, temporal, calendar), 10 * 60_000);
  cleanups.push(async () => clearInterval(reconcile));
  cleanups.push(() => app.close());
  await app.listen({ host: env.HOST, port: env.PORT });

  const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  console.log(`\n  API           ${base}/api\n  API docs      ${base}/docs\n  Health        ${base}/ready${temporalUi ? `\n  Temporal UI   ${temporalUi}` : ''}\n  Data          ${embedded ? env.dataDir : '(external)'}\n`);
}

main().catch(async (err: unknown) => {
  log.error({ err }, 'failed to start');
  await shutdown('startup-failure', 1);
});
