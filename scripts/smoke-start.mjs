#!/usr/bin/env node
// Smoke run of `npm start` as a person would use it (CI runs this after the suite): start, wait for
// /ready (the worker process up), check the OpenAPI document, write a letter, SIGTERM, check nothing
// is left running or bound (every process that was under npm start, the worker process included);
// start again on the same data and read the letter back.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSystem, waitReady as waitUntilReady } from './lib/system-run.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-smoke-'));
const ports = { PORT: 3310, EMBEDDED_PG_PORT: 55433, TEMPORAL_DEV_PORT: 57233, TEMPORAL_UI_PORT: 58233 };
const base = `http://127.0.0.1:${ports.PORT}`;
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
};
delete env.DATABASE_URL;
delete env.TEMPORAL_ADDRESS;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => {
  console.error(`smoke: FAILED: ${msg}`);
  process.exit(1);
};

const start = () => startSystem(root, env);
const waitReady = (exited, timeoutMs) => waitUntilReady(base, exited, timeoutMs).catch((err) => fail(err.message));

/** Pids of every process under `pid` (npm → scripts/start.mjs → src/main.ts → worker, PostgreSQL, Temporal…). */
function descendants(pid) {
  const children = new Map();
  for (const line of execSync('ps -eo pid=,ppid=').toString().trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (!children.has(pp)) children.set(pp, []);
    children.get(pp).push(p);
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}
const alive = (pids) =>
  pids.length
    ? execSync(`ps -o pid=,args= -p ${pids.join(',')} || true`)
        .toString()
        .trim()
    : '';

/** After /ready: the process tree, which must contain the worker process (src/worker-main.ts), remembered for stop(). */
function recordTree(run) {
  run.tree = descendants(run.child.pid);
  const worker = alive(run.tree)
    .split('\n')
    .find((l) => l.includes('src/worker-main.ts'));
  if (!worker) fail(`no worker process (src/worker-main.ts) under npm start:\n${alive(run.tree)}`);
  console.log(`smoke: ${run.tree.length} processes under npm start, the worker process among them (pid ${worker.trim().split(/\s+/)[0]})`);
  // Background work yields the CPU to the API (src/infra/background-priority.ts); the API does not.
  const niceOf = (match) => {
    const line = execSync(`ps -o ni=,args= -p ${run.tree.join(',')} || true`)
      .toString()
      .split('\n')
      .find((l) => l.includes(match));
    return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0]);
  };
  const nices = { worker: niceOf('src/worker-main.ts'), temporal: niceOf('server start-dev'), api: niceOf('src/main.ts') };
  if (nices.worker !== 10 || nices.temporal !== 10 || nices.api !== 0)
    fail(`CPU priorities (nice) should be worker 10, Temporal 10, API 0: ${JSON.stringify(nices)}`);
  console.log(`smoke: nice values ${JSON.stringify(nices)}`);
}

const portFree = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

async function stop(run, { groupKill }) {
  // groupKill: SIGTERM to the whole group (Ctrl-C, systemd, docker); else to the npm process only.
  if (groupKill) process.kill(-run.child.pid, 'SIGTERM');
  else run.child.kill('SIGTERM');
  const result = await Promise.race([run.exited, sleep(60_000).then(() => 'timeout')]);
  if (result === 'timeout') fail('npm start did not exit within 60s of SIGTERM');
  // npm itself may exit first; give its children the time their orderly shutdown takes.
  for (
    let i = 0;
    i < 60 && (execSync(`ps -eo args | grep -F '${dataDir}' | grep -v grep || true`).toString().trim() || alive(run.tree));
    i++
  )
    await sleep(500);
  for (const [name, port] of Object.entries(ports)) if (!(await portFree(port))) fail(`${name} ${port} still bound after SIGTERM`);
  const left = execSync(`ps -eo pid,args | grep -F '${dataDir}' | grep -v grep || true`).toString().trim();
  if (left) fail(`processes left behind:\n${left}`);
  // Everything that ran under npm start (the API and worker processes, tsx's esbuild services, …).
  const leftOfTree = alive(run.tree);
  if (leftOfTree) fail(`processes of npm start left behind:\n${leftOfTree}`);
}

// Run 1: fresh data directory.
let run = start();
const firstMs = await waitReady(run.exited, 30 * 60_000);
console.log(`smoke: /ready = 200 after ${(firstMs / 1000).toFixed(1)}s (first start)`);
recordTree(run);
const ready = await (await fetch(`${base}/ready`)).json();
if (ready.worker !== 'up') fail(`/ready does not report the worker process up: ${JSON.stringify(ready)}`);
const docs = await (await fetch(`${base}/docs/json`)).json();
if (!String(docs.openapi).startsWith('3.') || !docs.paths['/api/letters'])
  fail('/docs/json is not an OpenAPI 3 document with the mailbox paths');
console.log(`smoke: /docs/json is OpenAPI ${docs.openapi} with ${Object.keys(docs.paths).length} paths`);
const { ensureTemporalCli } = await import('./lib/temporal-tools.mjs');
const schedule = execSync(
  `'${ensureTemporalCli()}' schedule describe --schedule-id daily-digest --address 127.0.0.1:${ports.TEMPORAL_DEV_PORT} -o json`,
).toString();
if (!schedule.includes('Asia/Shanghai') || !schedule.includes('dailyDigestWorkflow')) fail('the daily-digest Schedule was not created');
console.log('smoke: the daily-digest Schedule exists (08:30 Asia/Shanghai)');
const { postSampleLetter } = await import('./lib/sample-letter.mjs');
const created = await postSampleLetter(base, { subject: '冒烟测试', content: '启动检查', departmentIndex: 4 });
if (created.status !== 201) fail(`POST /api/letters answered ${created.status}`);
const letter = await created.json();
await stop(run, { groupKill: false });
console.log('smoke: SIGTERM to npm left no process and no bound port');

// Run 2: same data directory, the letter is still there.
run = start();
const secondMs = await waitReady(run.exited, 5 * 60_000);
console.log(`smoke: /ready = 200 after ${(secondMs / 1000).toFixed(1)}s (restart on the same data)`);
recordTree(run);
const lookup = await fetch(`${base}/api/letters/${letter.trackingNo}`, { headers: { 'x-access-code': letter.accessCode } });
if (lookup.status !== 200) fail(`the letter written before the restart is not found (${lookup.status})`);
await stop(run, { groupKill: true });
console.log('smoke: SIGTERM to the process group left no process and no bound port');
fs.rmSync(dataDir, { recursive: true, force: true });
console.log('smoke: 1 passed, 0 failed');
