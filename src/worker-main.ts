// The worker process: the Temporal worker (workflows and activities), the workflow starter (the
// outbox of letters to start), the calendar-change signals to letters whose deadline a change moves and
// their periodic reconcile, the daily digest Schedule and the catch-up of a missed digest. `npm start`
// forks it from src/main.ts with DATABASE_URL and TEMPORAL_ADDRESS set to what that process found or
// started, and `--workflow-bundle <file>` (scripts/build-workflow-bundle.ts). It also runs on its own:
//
//   DATABASE_URL=… TEMPORAL_ADDRESS=… node --import tsx src/worker-main.ts [--workflow-bundle FILE]
//
// Without --workflow-bundle the worker bundles workflows/ itself (≈ 137 MB more RSS).
import { NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { CalendarService } from './calendar/service.js';
import { loadEnvOrExit } from './config/env.js';
import { createDatabase } from './db/client.js';
import { catchUpMissedDigest } from './digest/catch-up.js';
import { ensureDigestSchedule } from './digest/schedule.js';
import { followCalendarChanges } from './mailbox/calendar-follow.js';
import { runWorkflowStarter } from './mailbox/workflow-starter.js';
import { disclosureOutbox } from './disclosure/service/sync.js';
import { requestOutbox } from './requests/service/sync.js';
import { linkOutbox } from './links/service/sync.js';
import { ensureHomeProbeSchedule } from './inspection/schedule.js';
import { ensureLinkWatchSchedule } from './links/schedule.js';
import { reviewOutbox } from './publishing/service/review-sync.js';
import { runClockSweeper } from './temporal/clock-outbox.js';
import { connectTemporal } from './temporal/gateway.js';
import { createWorker } from './temporal/worker.js';

const env = loadEnvOrExit();

const log = pino({ level: env.LOG_LEVEL, name: 'worker' });
const cleanups: (() => Promise<unknown>)[] = [];
let shuttingDown = false;
/** Forked by src/main.ts: it owns the shutdown order, we follow its messages. */
const supervised = typeof process.send === 'function';

async function shutdown(reason: string, code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ reason }, 'worker process shutting down');
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((err: unknown) => log.error({ err }, 'error during worker shutdown'));
  }
  log.info('worker process stopped');
  process.exit(code);
}

if (supervised) {
  // A signal to the whole process group (Ctrl-C, systemd) reaches us and the parent at once; a signal
  // to us alone should stop the system too. Either way the parent runs the shutdown, in its order
  // (this process first), and tells us when.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (process.connected) process.send!({ type: 'signal', signal: sig }, (err: Error | null) => err && void shutdown(sig));
      else void shutdown(sig);
    });
  }
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'shutdown') void shutdown('asked by the parent process');
  });
  // The parent is gone (killed, crashed): nothing would ever stop us, so stop now. PostgreSQL and
  // Temporal are stopping too (their parent-death signal), so the drain is short; should it hang on
  // them, exit anyway rather than outlive the supervisor.
  process.on('disconnect', () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    void shutdown('parent process gone', 1);
  });
} else {
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS)
    throw new Error('the worker process needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both)');
  const bundlePath = argValue('--workflow-bundle');
  if (!bundlePath) log.warn('no --workflow-bundle: bundling workflows/ in this process');

  const { db, sql, close } = createDatabase(env.DATABASE_URL);
  cleanups.push(close);
  const calendar = new CalendarService(db, sql, {
    afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY,
    officeHoursEnd: env.OFFICE_HOURS_END,
  });
  await calendar.start();
  cleanups.push(() => calendar.stop());

  // We own SIGINT/SIGTERM (the parent stops us before the API, Temporal and PostgreSQL), not the SDK.
  Runtime.install({ shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  cleanups.push(() => connection.close());
  // The starter's client shares the worker's NativeConnection: eager workflow start needs that.
  const temporal = connectTemporal({ connection, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE });

  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    deps: { db, calendar, env },
    bundlePath,
  });
  const workerRun = worker.run();
  workerRun.then(
    () => void (!shuttingDown && shutdown('the Temporal worker stopped', 1)),
    (err: unknown) => {
      log.error({ err }, 'the Temporal worker failed');
      void shutdown('the Temporal worker failed', 1);
    },
  );
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun.catch(() => {});
  });

  await ensureDigestSchedule(temporal.client, env.TEMPORAL_TASK_QUEUE, env.DIGEST_TIME);
  // The daily check of every link (src/links, issue 21 point 3).
  await ensureLinkWatchSchedule(temporal.client, env.TEMPORAL_TASK_QUEUE, env.LINK_CHECK_TIME);
  // The home-page availability probe (src/inspection, issue 21 point 5).
  await ensureHomeProbeSchedule(temporal.client, env.TEMPORAL_TASK_QUEUE, env.HOME_PROBE_EVERY_MINUTES);
  // Today's digest, if the system was down at DIGEST_TIME (src/digest/catch-up.ts); not awaited by the worker's start.
  void catchUpMissedDigest({ db, calendar, env, temporal }).then(
    (r) => log.info(r, 'digest catch-up checked'),
    (err: unknown) => log.error({ err }, 'digest catch-up failed'),
  );
  if (!env.SMTP_URL) log.warn('SMTP_URL is not set: digests and notices are kept in the notification outbox, not e-mailed');

  const stopStarter = runWorkflowStarter(db, sql, temporal, log);
  cleanups.push(stopStarter);
  // The clock outboxes: review forms (publishing) and documents (disclosure register).
  cleanups.push(runClockSweeper({ temporal, log }, [reviewOutbox(db), disclosureOutbox(db)]));
  // Disclosure requests' clocks (src/requests): their own sweeper, so this module adds a line, not a change.
  cleanups.push(runClockSweeper({ temporal, log }, [requestOutbox(db)]));
  // External-link applications (src/links): their own sweeper, so this file only gains lines.
  cleanups.push(runClockSweeper({ temporal, log }, [linkOutbox(db)]));
  // Every calendar change signals the open letters whose deadline it moves; a periodic reconcile makes
  // good signals lost while Temporal was unreachable.
  cleanups.push(followCalendarChanges(db, temporal, calendar, log));

  log.info({ pid: process.pid, bundle: bundlePath ?? '(built in process)', taskQueue: env.TEMPORAL_TASK_QUEUE }, 'worker process ready');
  if (supervised && process.connected) process.send!({ type: 'ready' });
}

main().catch(async (err: unknown) => {
  if (shuttingDown) return;
  log.error({ err }, 'the worker process failed to start');
  await shutdown('startup-failure', 1);
});
