import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { atBackgroundPriority } from './background-priority.js';
import { dieWithParent } from './parent-death.mjs';
import {
  argAfter,
  commandLine,
  findProcesses,
  isSameProcess,
  loggersOf,
  procAvailable,
  readPidFile,
  removePidFile,
  samePath,
  terminate,
  writePidFile,
  type StarterLogging,
} from './stale-processes.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** SIGTERM: the dev server's orderly stop; SIGKILL when it takes longer (SQLite's WAL keeps every commit). */
const SHUTDOWN: [NodeJS.Signals, number][] = [
  ['SIGTERM', 10_000],
  ['SIGKILL', 5_000],
];

/** The pid file of the dev server running on `dataDir` (`<pid> <start time>`). */
export const devServerPidFile = (dataDir: string) => path.join(dataDir, 'dev-server.pid');

/**
 * `temporal server start-dev` with its SQLite file under `dataDir`, so workflows survive restarts. It
 * dies with this process (SIGTERM on the parent-death signal, src/infra/parent-death.mjs); one an
 * earlier run left on `dataDir` is stopped first (stopLeftoverDevServers).
 */
export async function startTemporalDevServer(
  opts: {
    cliPath: string;
    dataDir: string;
    port: number;
    uiPort: number;
    namespace: string;
    /** More `start-dev` arguments (benchmarks try server settings this way). */
    extraArgs?: string[];
  } & StarterLogging,
): Promise<DevServer> {
  const { log, warn } = loggersOf(opts);
  const dataDir = path.resolve(opts.dataDir);
  const dbFile = path.join(dataDir, 'temporal.sqlite');
  fs.mkdirSync(dataDir, { recursive: true });
  await stopLeftoverDevServers(dataDir, warn);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    dbFile,
    // A write-ahead log without an fsync per commit doubles the dev server's workflow throughput
    // (docs/performance.md §2). Only an OS crash or power loss (not a crash of the server process) can
    // lose its last commits; that is a dev server's bargain, and production runs a Temporal cluster.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    ...(opts.extraArgs ?? []),
  ];
  // setpriv and nice exec the CLI: the pid spawned is the dev server's, and exec keeps the start time
  // the pid file records (read from /proc right after spawn, perhaps before those execs).
  const child = spawn(...dieWithParent(...atBackgroundPriority(opts.cliPath, args), 'SIGTERM'), { stdio: ['ignore', 'pipe', 'pipe'] });
  const pidFile = devServerPidFile(dataDir);
  if (child.pid !== undefined) writePidFile(pidFile, child.pid);
  // The last lines it printed, for the error when it exits before listening (which port, which file).
  let tail = '';
  const output = (d: Buffer) => {
    const text = d.toString().trim();
    tail = `${tail}\n${text}`.slice(-2000);
    log(text);
  };
  child.stdout?.on('data', output);
  child.stderr?.on('data', output);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (child.pid !== undefined) removePidFile(pidFile, child.pid);
      resolve(code);
    }),
  );

  const ready = await Promise.race([waitForPort(opts.port, 60_000).then(() => true), exited.then(() => false)]);
  if (!ready) {
    throw new Error(
      `the Temporal dev server exited before listening on port ${opts.port} (is it or the UI port ${opts.uiPort} taken?); its last output:${tail || ' (none)'}`,
    );
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  for (const [signal, ms] of SHUTDOWN) {
    child.kill(signal);
    const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms).unref())]);
    if (done) return;
  }
}

/**
 * Dev servers an earlier run left on `dataDir` (their supervisor killed before the parent-death
 * signal could act, a host without setpriv, or a version of this program without either), which hold
 * the ports and the SQLite file: the one `dev-server.pid` names, if /proc shows the same process
 * (same pid and start time) running `start-dev`, and any process running `start-dev` on this data
 * folder's SQLite file (`--db-filename`). SIGTERM, then SIGKILL after 10 s.
 */
export async function stopLeftoverDevServers(dataDir: string, log: (msg: string) => void = () => {}): Promise<void> {
  if (!procAvailable()) return;
  const pidFile = devServerPidFile(dataDir);
  const dbFile = path.join(dataDir, 'temporal.sqlite');
  const record = readPidFile(pidFile);
  const pids = new Set(findProcesses((args) => args.includes('start-dev') && samePath(argAfter(args, '--db-filename') ?? '', dbFile)));
  if (record && isSameProcess(record) && commandLine(record.pid).includes('start-dev')) pids.add(record.pid);
  for (const pid of pids) {
    log(`stopping the Temporal dev server (pid ${pid}) left running on ${dataDir} by an earlier run`);
    if (!(await terminate(pid, SHUTDOWN))) throw new Error(`the Temporal dev server (pid ${pid}) left running on ${dataDir} did not stop`);
  }
  if (record) removePidFile(pidFile, record.pid);
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
}
