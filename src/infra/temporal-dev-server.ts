import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { atBackgroundPriority } from './background-priority.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** `temporal server start-dev` with its SQLite file under `dataDir`, so workflows survive restarts. */
export async function startTemporalDevServer(opts: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** More `start-dev` arguments (benchmarks try server settings this way). */
  extraArgs?: string[];
  log?: (msg: string) => void;
}): Promise<DevServer> {
  const log = opts.log ?? (() => {});
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--db-filename', path.join(opts.dataDir, 'temporal.sqlite'),
    // A write-ahead log without an fsync per commit doubles the dev server's workflow throughput
    // (docs/performance.md §2). Only an OS crash or power loss (not a crash of the server process) can
    // lose its last commits; that is a dev server's bargain, and production runs a Temporal cluster.
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(...atBackgroundPriority(opts.cliPath, args), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => log(d.toString().trim()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trim()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const ready = await Promise.race([
    waitForPort(opts.port, 60_000).then(() => true),
    exited.then(() => false),
  ]);
  if (!ready) throw new Error(`the Temporal dev server exited before listening on port ${opts.port} (is the port taken?)`);
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
}
