import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../src/infra/embedded-postgres.js';
import { sampleLetter } from '../support/harness.js';
import { spawnApi } from '../support/spawn-api.js';

// Issue #19 point 6: with PostgreSQL stalled (every one of its processes stopped, as a frozen VM or a
// full disk looks from outside), requests and /ready hung for the whole stall, and a letter could be
// stored after its writer's client gave up. This test stalls a PostgreSQL of its own (the suite's is
// shared by other files) under the real API process and checks the bounds and the recovery.

const REQUEST_TIMEOUT_MS = 3_000;
let dir: string;
let pg: EmbeddedPg;
let pgPort = 0;
let api: ChildProcess;
let base = '';
let stalled: number[] = [];

/** The postmaster and every process it forked (backends, checkpointer, …). */
function clusterPids(postmaster: number): number[] {
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
  return [postmaster, ...children.map(Number)];
}
const signalAll = (pids: number[], signal: NodeJS.Signals) =>
  pids.forEach((pid) => {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  });

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-stall-'));
  pgPort = 20000 + Math.floor(Math.random() * 20000);
  pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pgdata'), port: pgPort, database: 'amr' });
  await runMigrations(pg.url);
  const seeding = createDatabase(pg.url, { max: 1 });
  await seedDepartments(seeding.db);
  await seeding.close();
  ({ child: api, base } = await spawnApi({ DATABASE_URL: pg.url, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }));
}, 120_000);

afterAll(async () => {
  signalAll(stalled, 'SIGCONT');
  api?.kill('SIGKILL');
  await pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const ready = () => fetch(`${base}/ready`).then(async (r) => ({ status: r.status, body: await r.json() }));
const sendLetter = (key: string) =>
  fetch(`${base}/api/letters`, {
    method: 'POST',
    body: JSON.stringify(sampleLetter({ subject: '数据库停顿时的来信' })),
    headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-forwarded-for': '10.66.0.1' },
  });

describe('issue #19 point 6: a stalled PostgreSQL makes requests answer 503 in bounded time, and everything recovers by itself', () => {
  const key = `stall-test-${Date.now()}`;

  it('before the stall PostgreSQL is up (Temporal is unreachable in this process)', async () => {
    const r = await ready();
    expect(r.body.postgres, JSON.stringify(r.body)).toBe('up');
  });

  it('stalled: /ready says postgres down within 3 s; a letter and a list answer 503 by the request deadline', async () => {
    stalled = clusterPids(pg.pid);
    expect(stalled.length).toBeGreaterThan(3);
    signalAll(stalled, 'SIGSTOP');

    const r = await timed(ready);
    console.log(`/ready during the stall: ${r.value.status} in ${r.ms.toFixed(0)} ms`);
    expect(r.value.status).toBe(503);
    expect(r.value.body.postgres).toBe('down');
    expect(r.ms).toBeLessThan(3_000);

    const letter = await timed(() => sendLetter(key));
    console.log(`POST /api/letters during the stall: ${letter.value.status} in ${letter.ms.toFixed(0)} ms`);
    expect(letter.value.status).toBe(503);
    expect(letter.value.headers.get('retry-after')).toBe('5');
    expect((await letter.value.json()).error).toMatchObject({ code: 'timeout', message: '服务暂时繁忙，请稍后重试' });
    expect(letter.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1_500);

    const items = await timed(() => fetch(`${base}/api/convenience-items`));
    expect(items.value.status).toBe(503);
    expect(items.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1_500);
  }, 30_000);

  it("resumed: /ready is up again without a restart, and the writer's retry with the same key gets one letter back", async () => {
    signalAll(stalled, 'SIGCONT');
    stalled = [];
    const deadline = Date.now() + 15_000;
    while ((await ready()).body.postgres !== 'up') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    const retry = await sendLetter(key);
    // 200 if the stalled insert went through when PostgreSQL resumed, 201 if it never arrived.
    expect([200, 201]).toContain(retry.status);
    const letter = await retry.json();
    const again = await sendLetter(key);
    expect(again.status).toBe(200);
    expect((await again.json()).trackingNo).toBe(letter.trackingNo);
    const check = createDatabase(pg.url, { max: 1 });
    const rows = await check.sql`select tracking_no from letters where subject = '数据库停顿时的来信'`;
    await check.close();
    expect(rows.map((r) => r.tracking_no)).toEqual([letter.trackingNo]);
    const view = await fetch(`${base}/api/letters/${letter.trackingNo}`, {
      headers: { 'x-access-code': letter.accessCode, 'x-forwarded-for': '10.66.0.2' },
    });
    expect(view.status).toBe(200);
  }, 30_000);
});

describe('issue #20 point 5: PostgreSQL restarted under the running API: 503 while it is down, recovery without a restart', () => {
  it('stopped: /ready names postgres down, a letter and a list answer 503 (not 500), each within the deadline', async () => {
    await pg.stop();
    const r = await timed(ready);
    expect(r.value.status).toBe(503);
    expect(r.value.body.postgres).toBe('down');
    expect(r.ms).toBeLessThan(3_000);

    const letter = await timed(() => sendLetter(`restart-${Date.now()}`));
    expect(letter.value.status).toBe(503);
    expect(letter.value.headers.get('retry-after')).not.toBeNull();
    expect(letter.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1_500);
    const items = await timed(() => fetch(`${base}/api/convenience-items`));
    expect(items.value.status).toBe(503);
    expect(items.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1_500);
    // The public letter form (it reads the departments) says so in a page, not a 500.
    const form = await fetch(`${base}/`);
    expect(form.status).toBe(503);
    expect(await form.text()).toContain('服务暂时繁忙');
  }, 30_000);

  it('started again on the same data: /ready up, letters accepted and the earlier ones still there, no API restart', async () => {
    pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pgdata'), port: pgPort, database: 'amr' });
    const deadline = Date.now() + 15_000;
    while ((await ready()).body.postgres !== 'up') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(api.exitCode).toBeNull();
    const res = await sendLetter(`after-restart-${Date.now()}`);
    expect(res.status).toBe(201);
    const check = createDatabase(pg.url, { max: 1 });
    const rows = await check.sql`select count(*)::int as n from letters where subject = '数据库停顿时的来信'`;
    await check.close();
    // The letter of the stall test and this one.
    expect(rows[0]!.n).toBe(2);
  }, 60_000);
});
