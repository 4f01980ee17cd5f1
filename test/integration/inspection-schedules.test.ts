// Issue 21 points 3 and 5 on a real Temporal dev server (the time-skipping server has no Schedules): the
// worker process (src/worker-main.ts, as deployed) creates the `home-probe` and `link-watch` Schedules at
// boot; a run of each, triggered through Temporal, visits real HTTP servers on loopback and stores what it
// saw. 国办秘函〔2019〕19号 站点无法访问: a home page not open within 15 s, or not answering 2xx, fails.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { asc, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { chinaDayOf, dayToIso } from '../../src/calendar/china-time.js';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { HOME_PROBE_SCHEDULE_ID } from '../../src/inspection/schedule.js';
import { latestInspection } from '../../src/inspection/service/index.js';
import { availabilityFacts } from '../../src/inspection/service/probes.js';
import { homeProbes } from '../../src/inspection/tables.js';
import { LINK_WATCH_SCHEDULE_ID } from '../../src/links/schedule.js';
import { linkChecks } from '../../src/links/tables.js';
import { seedColumns } from '../../src/publishing/seed.js';
import { fromClient } from '../../src/temporal/gateway.js';
import { ensureWorkflowBundle } from '../../src/temporal/workflow-bundle.js';
import { freshDatabase } from '../support/db.js';
import { startDevServer } from '../support/temporal.js';
import { DEMO_PASSWORD } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';
import { waitFor } from '../support/wait.js';
import { spawnWorkerProcess, stopWorkerProcess } from '../support/worker-process.js';

const TASK_QUEUE = 'amr-inspection-schedules';

let server: Awaited<ReturnType<typeof startDevServer>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let calendar: CalendarService;
let connection: Connection;
let client: Client;
let app: FastifyInstance;
let bundleDir: string;
let worker: ChildProcess | undefined;
let home: http.Server;
let homeAnswer = 200;
let homeHits = 0;

const listen = (s: http.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

beforeAll(async () => {
  server = await startDevServer('inspection-schedules');
  database = await freshDatabase();
  await seedDepartments(database.db);
  await seedColumns(database.db);
  await seedDemoAccounts(database.db, DEMO_PASSWORD);
  // The "home page" the probe visits: a stand-in whose answer the test changes.
  home = http.createServer((req, res) => {
    homeHits++;
    res.writeHead(homeAnswer, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>首页</title>');
  });
  const homePort = await listen(home);
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url });
  calendar = new CalendarService(database.db, database.sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
  await calendar.start();
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
  // The site itself, listening: the link watcher in the worker visits its column pages over HTTP.
  app = await buildApp({ env, db: database.db, sql: database.sql, temporal: fromClient(client, TASK_QUEUE), calendar }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const sitePort = (app.server.address() as AddressInfo).port;
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-inspection-bundle-'));
  const bundle = await ensureWorkflowBundle({ dir: bundleDir });
  worker = await spawnWorkerProcess(bundle, {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    HOST: '127.0.0.1',
    PORT: String(sitePort),
    HOME_PROBE_URL: `http://127.0.0.1:${homePort}/`,
    HOME_PROBE_EVERY_MINUTES: '20',
    LINK_CHECK_TIME: '03:00',
  });
}, 300_000);

afterAll(async () => {
  await stopWorkerProcess(worker);
  await app?.close();
  await connection?.close();
  await calendar?.stop();
  await database?.close();
  home?.close();
  await server?.close();
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
});

const as = staffViewers(
  () =>
    ({
      app,
      login: async (username: string) =>
        (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } })).json()
          .token as string,
    }) as never,
  'inspection-schedules',
);
const probes = () => database.db.select().from(homeProbes).orderBy(asc(homeProbes.id));

describe('issue 21 point 5: the home-page probe runs on its Schedule (19号 站点无法访问)', { timeout: 120_000 }, () => {
  it('the worker created the Schedule: every 20 minutes (72 a day, at least the 20 the national method asks for)', async () => {
    const d = await client.schedule.getHandle(HOME_PROBE_SCHEDULE_ID).describe();
    expect(d.spec.intervals?.map((i) => i.every)).toEqual([20 * 60_000]);
    expect(d.action.type === 'startWorkflow' && d.action.workflowType).toBe('homeProbeWorkflow');
  });

  it('a triggered run visits the home page and stores an answer in time; a 503 is stored as a failure', async () => {
    const handle = client.schedule.getHandle(HOME_PROBE_SCHEDULE_ID);
    // Paused, so its own 20-minute runs cannot add a visit while the test counts; a trigger still runs,
    // and ALLOW_ALL lets the second start while the first run's workflow is still closing.
    await handle.pause('test: only triggered runs');
    await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    await waitFor(async () => (await probes()).length === 1, 'the first probe stored', 60_000);
    homeAnswer = 503;
    // A Schedule names its runs by the second (home-probe-run-<time>): a trigger in the same second as the
    // last would collide with that run's id and start nothing.
    await new Promise((r) => setTimeout(r, 1_100));
    await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    await waitFor(async () => (await probes()).length === 2, 'the second probe stored', 60_000);
    const [ok, bad] = await probes();
    expect(ok).toMatchObject({ status: 200, failed: false, error: null });
    expect(ok!.ms).toBeLessThan(15_000);
    expect(bad).toMatchObject({ status: 503, failed: true, error: 'HTTP 503' });
    expect(homeHits).toBe(2);
    const today = dayToIso(chinaDayOf(new Date()));
    expect(ok!.day).toBe(today);
  });

  it("the next day's inspection counts today's two visits: 1 of 2 failed, 50%, red and a veto", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = dayToIso(chinaDayOf(tomorrow));
    const facts = await availabilityFacts(database.db, day);
    expect(facts.days.at(-1)).toEqual({ day: dayToIso(chinaDayOf(new Date())), probes: 2, failures: 1 });
    // Computed through the service as the dashboard does, the viewer the office logged in over HTTP.
    const report = await latestInspection({ db: database.db }, await as('office'), tomorrow);
    const r = report.results.find((x) => x.key === 'availability')!;
    expect(r.status).toBe('red');
    expect(r.value).toBe('50.0%');
    expect(report.vetoed).toBe(true);
  });
});

describe('issue 21 point 3: the link watch runs on its Schedule and checks the site over HTTP', { timeout: 180_000 }, () => {
  it('the Schedule is daily at 03:00 China time', async () => {
    const d = await client.schedule.getHandle(LINK_WATCH_SCHEDULE_ID).describe();
    expect(d.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(d.spec.timezone).toBe('Asia/Shanghai');
  });

  it('a triggered run checks every column page of the listening site and finds them answering 200', async () => {
    await client.schedule.getHandle(LINK_WATCH_SCHEDULE_ID).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    const columnPages = () => database.db.select().from(linkChecks).where(like(linkChecks.url, '/columns/%'));
    await waitFor(async () => (await columnPages()).length > 0, 'column pages checked', 120_000);
    const rows = await columnPages();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => r.status === 200 && !r.broken)).toBe(true);
  });
});
