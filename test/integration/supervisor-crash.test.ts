// The supervisor (src/main.ts) against real processes: embedded PostgreSQL, the Temporal CLI dev
// server, the worker process. Killed outright (SIGKILL: what a crash or the out-of-memory killer
// does), it must take every child with it, and the next start on the same data folder must work; what
// an earlier run did leave running on the data folder is stopped at start; nothing that is not
// provably ours is touched. Needs TEMPORAL_CLI_PATH (npm test sets it, see scripts/test.mjs).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinary, postgresUserIds, stopLeftoverPostgres } from '../../src/infra/embedded-postgres.js';
import { dieWithParent, parentDeathSignalSupported } from '../../src/infra/parent-death.mjs';
import { commandLine, isRunning, readPidFile, writePidFile } from '../../src/infra/stale-processes.js';
import { postSampleLetter } from '../../scripts/lib/sample-letter.mjs';
import { devServerPidFile, stopLeftoverDevServers, waitForPort } from '../../src/infra/temporal-dev-server.js';
import { ROOT } from '../../src/temporal/workflow-bundle.js';
import { stablePort } from '../support/ports.js';

const CLI = process.env.TEMPORAL_CLI_PATH;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every pid this file started or saw under what it started: killed in afterAll if still running. */
const tracked = new Set<number>();
let dataDir: string;
let ports: { PORT: number; EMBEDDED_PG_PORT: number; TEMPORAL_DEV_PORT: number; TEMPORAL_UI_PORT: number };
let base: string;

/** Below the ephemeral range: the restarts here bind the same ports again (test/support/ports.ts). */
const freePort = stablePort;

/** Nothing listens on the port and it can be bound again (what the next start needs). */
async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

interface Run {
  child: ChildProcess;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** `node --import tsx src/main.ts` on `dataDir`, as npm start runs it (and dying with this test process). */
function startSystem(portsOverride: Partial<typeof ports> = {}): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TEMPORAL_CLI_PATH: CLI,
    ...Object.fromEntries(Object.entries({ ...ports, ...portsOverride }).map(([k, v]) => [k, String(v)])),
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(...dieWithParent(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], 'SIGTERM'), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  tracked.add(child.pid!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid!, exited, output: () => output };
}

async function waitReady(run: Run, ms: number): Promise<void> {
  let done = false;
  void run.exited.then(() => (done = true));
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (done) throw new Error(`src/main.ts exited before /ready answered 200:\n${run.output()}`);
    const res = await fetch(`${base}/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    await sleep(300);
  }
  throw new Error(`/ready did not answer 200 within ${ms / 1000} s:\n${run.output()}`);
}

/** Pids of every process under `pid` (from /proc: each process's parent). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

const describePids = (pids: number[]) => pids.map((p) => `${p} ${commandLine(p).join(' ').slice(0, 160)}`).join('\n');

/** Waits until none of `pids` runs and every port is free; fails naming what is left. */
async function expectAllGone(pids: number[], ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = pids.filter(isRunning);
    const bound: string[] = [];
    for (const [name, port] of Object.entries(ports)) if (!(await portFree(port))) bound.push(`${name} ${port}`);
    if (running.length === 0 && bound.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${ms / 1000} s after the supervisor died: still running:\n${describePids(running)}\nstill bound: ${bound.join(', ')}`,
      );
    }
    await sleep(200);
  }
}

/** An orderly stop (SIGTERM), as a service manager would. */
async function stopSystem(run: Run) {
  run.child.kill('SIGTERM');
  const result = await Promise.race([run.exited, sleep(60_000).then(() => undefined)]);
  if (!result) throw new Error(`src/main.ts did not stop within 60 s of SIGTERM:\n${run.output()}`);
}

async function postLetter(): Promise<{ trackingNo: string; accessCode: string }> {
  const res = await postSampleLetter(base, { subject: '崩溃之前', content: '监督进程被杀之前写的信' });
  expect(res.status).toBe(201);
  return (await res.json()) as { trackingNo: string; accessCode: string };
}

/** Starts `command args…` detached, owned by nobody here: what an earlier run's orphan looks like. */
function startOrphan(command: string, args: string[], ids: { uid?: number; gid?: number } = {}): number {
  const child = spawn(command, args, { ...ids, detached: true, stdio: 'ignore' });
  child.unref();
  tracked.add(child.pid!);
  return child.pid!;
}

const isRoot = os.userInfo().uid === 0;

beforeAll(async () => {
  if (!CLI || !fs.existsSync(CLI)) {
    throw new Error(
      'TEMPORAL_CLI_PATH is not set or missing: run this file through `npm test` (scripts/test.mjs builds or finds the Temporal CLI)',
    );
  }
  if (!fs.existsSync('/proc/self/stat')) throw new Error('these tests read /proc (Linux)');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-crash-'));
  ports = {
    PORT: await freePort(),
    EMBEDDED_PG_PORT: await freePort(),
    TEMPORAL_DEV_PORT: await freePort(),
    TEMPORAL_UI_PORT: await freePort(),
  };
  base = `http://127.0.0.1:${ports.PORT}`;
});

afterAll(async () => {
  // Whatever is still running of ours: PostgreSQL by its immediate shutdown (never SIGKILL a
  // postmaster), the rest by SIGTERM, then SIGKILL.
  const pids = [...tracked].flatMap((p) => [p, ...(isRunning(p) ? descendants(p) : [])]).filter(isRunning);
  for (const pid of pids) {
    const postmaster = path.basename(commandLine(pid)[0] ?? '') === 'postgres';
    try {
      process.kill(pid, postmaster ? 'SIGQUIT' : 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && pids.some(isRunning)) await sleep(200);
  for (const pid of pids.filter(isRunning)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('the supervisor (src/main.ts) against real PostgreSQL, Temporal dev server and worker processes', () => {
  it('killed with SIGKILL, leaves no process and no bound port, and the next start works on the same data', async () => {
    expect(parentDeathSignalSupported(), 'setpriv (util-linux) with --pdeathsig is needed here').toBe(true);
    const first = startSystem();
    await waitReady(first, 240_000);
    const letter = await postLetter();

    // The whole tree: PostgreSQL (postmaster and backends), the dev server, the worker process, tsx's esbuild.
    const tree = descendants(first.pid);
    tree.forEach((p) => tracked.add(p));
    const postmaster = readPidFile(path.join(dataDir, 'postgres', 'postmaster.pid'))!.pid;
    const devServer = readPidFile(devServerPidFile(path.join(dataDir, 'temporal')))!.pid;
    const worker = tree.find((p) => commandLine(p).some((a) => a.endsWith('worker-main.ts')));
    expect(tree).toContain(postmaster);
    expect(tree).toContain(devServer);
    expect(worker, `no worker process among:\n${describePids(tree)}`).toBeDefined();
    expect(commandLine(devServer)).toContain('start-dev');

    process.kill(first.pid, 'SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await expectAllGone(tree, 15_000);

    // The same data folder, the same ports: it starts, and the letter written before the crash is there.
    const second = startSystem();
    await waitReady(second, 120_000);
    const lookup = await fetch(`${base}/api/letters/${letter.trackingNo}`, { headers: { 'x-access-code': letter.accessCode } });
    expect(lookup.status).toBe(200);

    // While it runs, a second supervisor on the same data folder refuses to start (and stops nothing).
    const other = {
      PORT: await freePort(),
      EMBEDDED_PG_PORT: await freePort(),
      TEMPORAL_DEV_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
    };
    const intruder = startSystem(other);
    const result = await Promise.race([intruder.exited, sleep(60_000).then(() => undefined)]);
    expect(result?.code, intruder.output()).toBe(1);
    expect(intruder.output()).toContain('in use by another running instance');
    expect((await fetch(`${base}/ready`)).status).toBe(200);

    const tree2 = descendants(second.pid);
    tree2.forEach((p) => tracked.add(p));
    await stopSystem(second);
    await expectAllGone(tree2, 15_000);
  }, 420_000);

  it('at start, stops a PostgreSQL and a Temporal dev server an earlier run left running on its data folder', async () => {
    if (!fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))) {
      const init = startSystem(); // run alone (-t): make the data folder first
      await waitReady(init, 240_000);
      await stopSystem(init);
    }
    // What a supervisor killed before any parent-death signal could act leaves (or an earlier version
    // of this program): PostgreSQL and the dev server spawned as it spawned them, now owned by nobody,
    // holding the ports and the data; and its supervisor.pid, naming a pid that has exited.
    const pg = startOrphan(
      await postgresBinary(),
      [
        '-D',
        path.join(dataDir, 'postgres'),
        '-p',
        String(ports.EMBEDDED_PG_PORT),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${os.tmpdir()}`,
      ],
      isRoot ? postgresUserIds() : {},
    );
    const dev = startOrphan(CLI!, [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(ports.TEMPORAL_DEV_PORT),
      '--ui-port',
      String(ports.TEMPORAL_UI_PORT),
      '--db-filename',
      path.join(dataDir, 'temporal', 'temporal.sqlite'),
      '--log-level',
      'warn',
    ]);
    await waitForPort(ports.EMBEDDED_PG_PORT, 30_000);
    await waitForPort(ports.TEMPORAL_DEV_PORT, 60_000);
    fs.writeFileSync(path.join(dataDir, 'supervisor.pid'), `${spawnSync('true').pid}\n`);

    const run = startSystem();
    await waitReady(run, 120_000);
    expect(isRunning(pg), 'the leftover PostgreSQL').toBe(false);
    expect(isRunning(dev), 'the leftover dev server').toBe(false);
    expect(run.output()).toContain(`stopping PostgreSQL (pid ${pg}) left running`);
    expect(run.output()).toContain(`stopping the Temporal dev server (pid ${dev}) left running`);
    const tree = descendants(run.pid);
    tree.forEach((p) => tracked.add(p));
    await stopSystem(run);
    await expectAllGone(tree, 15_000);
  }, 420_000);

  it('never signals a process it cannot prove is ours, whatever a pid file says', async () => {
    // Pid files naming a live process that is something else (pids are reused): a `sleep`.
    const bystander = startOrphan('sleep', ['300']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-stale-'));
    try {
      fs.mkdirSync(path.join(dir, 'postgres'));
      fs.mkdirSync(path.join(dir, 'temporal'));
      fs.writeFileSync(path.join(dir, 'postgres', 'postmaster.pid'), `${bystander}\n${path.join(dir, 'postgres')}\n`);
      fs.writeFileSync(devServerPidFile(path.join(dir, 'temporal')), `${bystander} 1\n`); // another start time
      await stopLeftoverPostgres(path.join(dir, 'postgres'));
      await stopLeftoverDevServers(path.join(dir, 'temporal'));
      expect(isRunning(bystander)).toBe(true);
      // PostgreSQL would take the live pid for another postmaster and refuse to start: the lock is removed.
      expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
      // Even a pid file naming that very process (same pid and start time) does not make it a dev server.
      writePidFile(devServerPidFile(path.join(dir, 'temporal')), bystander);
      await stopLeftoverDevServers(path.join(dir, 'temporal'));
      expect(isRunning(bystander)).toBe(true);
    } finally {
      process.kill(bystander, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
