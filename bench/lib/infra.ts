// The servers a benchmark needs, each started the way src/infra does and stopped by the benchmark:
// an embedded PostgreSQL in a temp dir, the Temporal CLI dev server with a temp SQLite file, the real
// app (src/main.ts, the API process, and the worker process it forks) as child processes, and a few
// /proc readers for memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiMemoryEnv, apiMemoryFlags } from '../../src/config/heap-limits.mjs';
import { runMigrations } from '../../src/db/migrate.js';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres.js';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server.js';
import { sleep } from './stats.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Cleanups run in reverse order on success, failure, SIGINT and SIGTERM. */
const cleanups: { name: string; fn: () => Promise<unknown> }[] = [];
export function onCleanup(name: string, fn: () => Promise<unknown>) {
  cleanups.push({ name, fn });
}
export async function cleanupAll() {
  while (cleanups.length > 0) {
    const c = cleanups.pop()!;
    await c.fn().catch((err: unknown) => console.error(`cleanup ${c.name} failed: ${(err as Error).message}`));
  }
}
let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (signalled) return;
    signalled = true;
    console.error(`\n${sig}: stopping everything this benchmark started…`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** Runs a benchmark's main: prints the error, always cleans up, sets the exit code. */
export async function runMain(main: () => Promise<void>) {
  try {
    await main();
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface BenchPg {
  url: string;
  /** URL of another database in the same cluster. */
  urlOf(database: string): string;
  dir: string;
}

/**
 * Embedded PostgreSQL (src/infra/embedded-postgres.ts) with its data under os.tmpdir(), removed at
 * cleanup. With `reusable` (the 1M-letter data set), BENCH_DATA_DIR=<dir> keeps the data instead, and the
 * next run reuses the seeded data set.
 */
export async function startPostgres(database = 'amr', opts: { reusable?: boolean } = {}): Promise<BenchPg> {
  const keep = opts.reusable ? process.env.BENCH_DATA_DIR : undefined;
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'amr-bench-pg-'));
  const port = await freePort();
  const t0 = Date.now();
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pgdata'), port, database });
  onCleanup('postgres', async () => {
    await pg.stop();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  });
  console.log(
    `PostgreSQL (embedded-postgres) on 127.0.0.1:${port}, data in ${dir}${keep ? ' (kept: BENCH_DATA_DIR)' : ''} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  await runMigrations(pg.url);
  return { url: pg.url, urlOf: (db) => pg.url.replace(/\/[^/]+$/, `/${db}`), dir };
}

export interface BenchTemporal {
  address: string;
}

/**
 * `temporal server start-dev` as src/infra/temporal-dev-server.ts starts it, SQLite file in a temp dir.
 * Knob, off by default: BENCH_TEMPORAL_ARGS (e.g. "--dynamic-config-value system.enableEagerWorkflowStart=false")
 * starts it with the same arguments plus those.
 */
export async function startTemporal(): Promise<BenchTemporal> {
  // scripts/lib/temporal-tools.mjs has no type declarations; its one function we need returns a path.
  const tools = (await import(path.join(ROOT, 'scripts/lib/temporal-tools.mjs'))) as {
    ensureTemporalCli: (o?: { log?: (m: string) => void }) => string;
  };
  const cliPath = tools.ensureTemporalCli({ log: (m) => console.log(m) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-bench-temporal-'));
  const port = await freePort();
  const uiPort = await freePort();
  const t0 = Date.now();
  const extraArgs = (process.env.BENCH_TEMPORAL_ARGS ?? '').split(' ').filter(Boolean);
  const dev = await startTemporalDevServer({ cliPath, dataDir: dir, port, uiPort, namespace: 'default', extraArgs });
  onCleanup('temporal', async () => {
    await dev.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const address = dev.address;
  if (extraArgs.length > 0) console.log(`Temporal dev server extra arguments: ${extraArgs.join(' ')}`);
  console.log(`Temporal dev server (${cliPath}) on ${address}, SQLite in ${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { address };
}

export interface ChildServer {
  pid: number;
  base: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** Spawns `node --import tsx <script>` with its output going straight to a log file (not through us). */
export async function spawnServer(
  name: string,
  script: string,
  env: Record<string, string>,
  opts: { readyPath: string; port: number; timeoutMs?: number; nodeArgs?: string[] },
): Promise<ChildServer> {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `amr-bench-${name}-`)), `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  onCleanup(name, async () => {
    await stop();
    // BENCH_KEEP_LOGS=1 keeps the child's log (and a CPU profile, BENCH_CPU_PROF=1) for a look afterwards.
    if (process.env.BENCH_KEEP_LOGS) console.log(`kept ${name} log: ${logFile}`);
    else fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (!alive) throw new Error(`${name} exited during startup; its log:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`);
    const ok = await fetch(base + opts.readyPath).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(
        `${name} not ready after ${opts.timeoutMs ?? 120_000} ms; its log:\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`,
      );
    await sleep(250);
  }
  return { pid: child.pid!, base, child, logFile, stop };
}

export interface AppServer extends ChildServer {
  /** The worker process (src/worker-main.ts), a child of the API process. */
  workerPid: number;
}

/** Pids of the children of `pid` whose command line contains `match`. */
function childPidsOf(pid: number, match: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(match)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * The real system, src/main.ts, against our PostgreSQL and Temporal (nothing embedded starts in it): the
 * API process, with the heap cap `npm start` gives it, and the worker process it forks.
 */
export async function startApp(databaseUrl: string, temporalAddress: string, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  const port = await freePort();
  const t0 = Date.now();
  // Prototyping knobs, off by default: BENCH_APP_NODE_ARGS (e.g. "--max-old-space-size=384", instead of
  // the API process's cap from src/config/heap-limits.mjs; the worker's is set by src/main.ts) and
  // BENCH_CPU_PROF=1 (a V8 CPU profile of each app process, written next to its log; implies BENCH_KEEP_LOGS).
  const nodeArgs =
    process.env.BENCH_APP_NODE_ARGS !== undefined ? process.env.BENCH_APP_NODE_ARGS.split(' ').filter(Boolean) : apiMemoryFlags();
  if (process.env.BENCH_CPU_PROF) {
    process.env.BENCH_KEEP_LOGS = '1';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-bench-cpuprof-'));
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    console.log(`app CPU profile will be written to ${dir} when it stops`);
  }
  const script = 'src/main.ts';
  const app = await spawnServer(
    'app',
    script,
    apiMemoryEnv({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      HOST: '127.0.0.1',
      PORT: String(port),
      // The production defaults otherwise: TRUST_PROXY=loopback, LOG_LEVEL=info (request logs go to a file).
      ...extraEnv,
    }),
    { readyPath: '/ready', port, nodeArgs },
  );
  if (nodeArgs.length > 0) console.log(`app node arguments: ${nodeArgs.join(' ')}`);
  // /ready answers 200 only once the worker process reported ready, so it is there by now.
  const workerPid = childPidsOf(app.pid, 'worker-main')[0];
  if (workerPid === undefined) throw new Error(`no worker process under the app (pid ${app.pid})`);
  console.log(
    `app (node --import tsx ${script}) pid ${app.pid}, its worker process pid ${workerPid}, on ${app.base}, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s, log ${app.logFile}`,
  );
  return { ...app, workerPid };
}

/** VmRSS / VmHWM (and the anonymous / file-backed parts of RSS) of a process, in kB (0 when it is gone). */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number; anonKb: number; fileKb: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile') };
  } catch {
    return { rssKb: 0, hwmKb: 0, anonKb: 0, fileKb: 0 };
  }
}

/**
 * Resets the peak (VmHWM) to the current RSS (Linux ≥ 4.0, `echo 5 > /proc/pid/clear_refs`), so the
 * next reading is the peak of one phase rather than since boot. Returns false when not permitted; the
 * sampler below still gives a (sampled) peak.
 */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The app's processes to measure: the API process and its worker process. */
export function appProcesses(app: AppServer): { name: string; pid: number }[] {
  return [
    { name: 'API', pid: app.pid },
    { name: 'worker', pid: app.workerPid },
  ];
}

/**
 * Memory of each app process over one phase: `start` is each one's reading now (its VmHWM is the peak
 * since it started), then each peak is reset and VmRSS sampled every `everyMs`. `stop()` gives per
 * process the peak of the phase (`peakKb`: VmHWM, or the sampled maximum where the reset was refused),
 * the sampled maximum and the readings at the end.
 */
export function watchAppMemory(app: AppServer, everyMs = 100) {
  const procs = appProcesses(app)
    .map((p) => ({ ...p, start: memoryOf(p.pid) }))
    .map((p) => ({ ...p, resetOk: resetPeak(p.pid), sampler: rssSampler(p.pid, everyMs) }));
  return {
    start: procs.map(({ name, pid, start }) => ({ name, pid, ...start })),
    resetOk: procs.every((p) => p.resetOk),
    stop: () =>
      procs.map((p) => {
        const end = memoryOf(p.pid);
        const sampledKb = p.sampler.stop();
        return { name: p.name, pid: p.pid, start: p.start, end, sampledKb, peakKb: p.resetOk ? end.hwmKb : sampledKb };
      }),
  };
}

/** Samples VmRSS every `everyMs` as a cross-check of VmHWM. */
export function rssSampler(pid: number, everyMs = 100) {
  let max = 0;
  const timer = setInterval(() => {
    max = Math.max(max, memoryOf(pid).rssKb);
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
    peek: () => max,
  };
}

/** CPU time (user+system, ms) of a process so far, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** Pids of every process whose command line contains `match` (all users). */
export function pidsMatching(match: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(match)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Busy and total CPU time of the whole machine so far (ms, all CPUs), from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!; // idle, iowait
  return { busy: ((total - idle) * 1000) / 100, total: (total * 1000) / 100 };
}

/** Load average and the machine, for the header of every run. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, node ${process.version}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}
