// Runs the whole system (`npm start`). This process supervises PostgreSQL and the Temporal dev server
// when no external ones are configured, applies the migrations, seeds the embedded default, serves the
// Fastify API, and forks the worker process (src/worker-main.ts: the Temporal worker, the workflow
// starter, calendar-change signals, the digest Schedule) and watches it. Two processes so that each
// stays under its memory budget (docs/performance.md §5); each has its own memory caps
// (src/config/heap-limits.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { seedDemoAccounts } from './auth/seed-demo.js';
import { CalendarService } from './calendar/service.js';
import { loadEnvOrExit } from './config/env.js';
import { WORKER_HEAP_MB, WORKER_MALLOC_ARENA_MAX, WORKER_SEMI_SPACE_MB, withMemoryCaps } from './config/heap-limits.mjs';
import { createDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { seedColumns, seedDemoLeader } from './publishing/seed.js';
import { staffIdByUsername } from './auth/service/staff-directory.js';
import { seedDepartments } from './departments/seed.js';
import { allDepartments } from './departments/service.js';
import { seedConvenienceItems } from './mailbox/convenience-seed.js';
import { atBackgroundPriority } from './infra/background-priority.js';
import { startEmbeddedPostgres } from './infra/embedded-postgres.js';
import { claimDataDir } from './infra/stale-processes.js';
import { startTemporalDevServer } from './infra/temporal-dev-server.js';
import { buildApp } from './app.js';
import { connectTemporal } from './temporal/gateway.js';
import { ensureWorkflowBundle } from './temporal/workflow-bundle.js';

const env = loadEnvOrExit();

const log = pino({ level: env.LOG_LEVEL });
const cleanups: (() => Promise<unknown>)[] = [];
let shuttingDown = false;
const aborter = new AbortController();
let worker: WorkerProcess | undefined;

async function shutdown(signal: string, code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ signal }, 'shutting down');
  aborter.abort();
  // The worker first: it stops starting workflows and drains its tasks while the API, Temporal and
  // PostgreSQL are still there; then the rest in the reverse order of starting (API, Temporal, PostgreSQL).
  if (worker) await worker.stop().catch((err: unknown) => log.error({ err }, 'error stopping the worker process'));
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((err: unknown) => log.error({ err }, 'error during shutdown'));
  }
  log.info('stopped');
  process.exit(code);
}
// embedded-postgres installs async-exit-hook, which on a signal stops PostgreSQL and exits at once,
// racing our orderly shutdown (worker, then API, then Temporal, then PostgreSQL). We own these signals.
// (The Temporal worker's runtime, which would install its own, lives in the worker process; there
// `Runtime.install({ shutdownSignals: [] })` leaves signals to us as well, see src/worker-main.ts.)
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

interface WorkerProcess {
  pid: number | undefined;
  /** Resolves once the worker reports ready (worker polling, starter running, Schedule ensured). */
  ready: Promise<void>;
  up(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts src/worker-main.ts with its own memory caps, at background CPU priority, on the PostgreSQL and Temporal this process found or
 * started. Messages: worker → us `{ type: 'ready' }`, `{ type: 'signal', signal }` (a SIGINT/SIGTERM
 * it received: we run the shutdown); us → worker `{ type: 'shutdown' }`. The worker stops by itself
 * when this process dies (the IPC channel closes). If it exits while we are not shutting down, this
 * process logs it and stops everything with exit code 1: a service manager restarts the whole
 * system, rather than this process hiding a crash loop.
 */
function startWorkerProcess(opts: { databaseUrl: string; temporalAddress: string; bundlePath: string }): WorkerProcess {
  const self = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(self), `worker-main${path.extname(self)}`);
  // Our own flags (`--import tsx`, …) with the worker's memory caps instead of ours; like fork(), with an
  // IPC channel, but through `nice`: background priority (src/infra/background-priority.ts).
  const execArgv = withMemoryCaps(process.execArgv, { oldSpaceMb: WORKER_HEAP_MB, semiSpaceMb: WORKER_SEMI_SPACE_MB });
  const [command, args] = atBackgroundPriority(process.execPath, [...execArgv, entry, '--workflow-bundle', opts.bundlePath]);
  const child: ChildProcess = spawn(command, args, {
    env: {
      MALLOC_ARENA_MAX: String(WORKER_MALLOC_ARENA_MAX),
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      TEMPORAL_ADDRESS: opts.temporalAddress,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('error', (err) => log.error({ err }, 'worker process error'));
  let isUp = false;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      isUp = false;
      resolve();
      if (!shuttingDown) {
        log.error({ code, signal, pid: child.pid }, 'the worker process exited unexpectedly; stopping everything');
        void shutdown('worker-exit', 1);
      }
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type?: string; signal?: string }) => {
      if (m?.type === 'ready') {
        isUp = true;
        resolve();
      } else if (m?.type === 'signal') {
        void shutdown(m.signal ?? 'SIGTERM');
      }
    });
    void exit.then(() => reject(new Error('the worker process exited before it was ready')));
  });
  ready.catch(() => {}); // reported by the exit handler
  return {
    pid: child.pid,
    ready,
    up: () => isUp,
    async stop() {
      if (exited) return;
      if (child.connected) child.send({ type: 'shutdown' }, (err) => err && child.kill('SIGTERM'));
      else child.kill('SIGTERM');
      // Draining takes seconds (activities in flight are cancelled after the SDK's grace time).
      const timer = setTimeout(() => {
        log.warn({ pid: child.pid }, 'the worker process did not stop within 30 s: killing it');
        child.kill('SIGKILL');
      }, 30_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

async function main() {
  const embedded = !env.DATABASE_URL;
  if (embedded || !env.TEMPORAL_ADDRESS) {
    // One supervisor per data folder: what is found running on it later is then known to be left
    // by a run that died, and is stopped (src/infra/stale-processes.ts). Released last at shutdown.
    const claim = claimDataDir(env.dataDir);
    cleanups.push(async () => claim.release());
  }
  // The workflow bundle is built (when the workflow sources changed) by a short-lived process while
  // PostgreSQL and Temporal start.
  const bundle = ensureWorkflowBundle({ dir: path.join(env.dataDir, 'workflow-bundle'), log: (m) => log.info(m), signal: aborter.signal });
  bundle.catch(() => {}); // awaited below; this only keeps an earlier failure from being "unhandled"

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({
      dir: path.join(env.dataDir, 'postgres'),
      port: env.EMBEDDED_PG_PORT,
      database: 'amr',
      log: (m) => log.debug({ component: 'postgres' }, m),
      warn: (m) => log.warn({ component: 'postgres' }, m),
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
      warn: (m) => log.warn({ component: 'temporal' }, m),
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
    const items = await seedConvenienceItems(db);
    if (items > 0) log.info({ count: items }, 'convenience-service list items created (src/mailbox/convenience-seed.ts)');
    const created = await seedDemoAccounts(db, env.DEMO_PASSWORD);
    if (created.length > 0) log.info({ count: created.length }, 'demo accounts created (see README)');
    await seedColumns(db);
    const leader = await staffIdByUsername(db, 'leader');
    if (leader)
      await seedDemoLeader(
        db,
        leader,
        (await allDepartments(db)).map((d) => d.id),
      );
  }

  // The worker process boots (loads the bundle, connects, polls) while this one builds the API.
  const bundlePath = await bundle;
  if (shuttingDown) return;
  const workerProcess = startWorkerProcess({ databaseUrl, temporalAddress, bundlePath });
  worker = workerProcess;
  log.info({ pid: workerProcess.pid }, 'worker process started');

  const calendar = new CalendarService(db, sql, {
    afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY,
    officeHoursEnd: env.OFFICE_HOURS_END,
  });
  await calendar.start();
  cleanups.push(() => calendar.stop());

  // The API's own lazy client connection (updates, digest re-runs, /ready); the worker process has its own.
  const temporal = connectTemporal({ address: temporalAddress, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE });
  cleanups.push(() => temporal.close());

  const app = await buildApp({ env, db, sql, temporal, calendar, worker: workerProcess });
  cleanups.push(() => app.close());
  await app.listen({ host: env.HOST, port: env.PORT });
  await workerProcess.ready;

  const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  const lines = [
    `  API           ${base}/api`,
    `  API docs      ${base}/docs`,
    `  Health        ${base}/ready`,
    ...(temporalUi ? [`  Temporal UI   ${temporalUi}`] : []),
    `  Data          ${embedded ? env.dataDir : '(external)'}`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
}

main().catch(async (err: unknown) => {
  if (shuttingDown) return; // e.g. the worker process exited during boot: already being handled
  log.error({ err }, 'failed to start');
  await shutdown('startup-failure', 1);
});
