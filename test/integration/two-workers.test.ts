// Issue #20 point 7: two worker processes (src/worker-main.ts, as deployed) on one PostgreSQL and one
// Temporal. Both run the outbox starter, the calendar reconcile, the digest Schedule's set-up and the
// start-up digest catch-up; nothing may double. Proved by counting: one workflow run per letter, one
// event and one e-mail per action, one digest Schedule, at most one digest run for the day (catch-up
// with DIGEST_TIME 00:00 makes both workers try to run today's digest at boot, on a working day).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { buildApp } from '../../src/app.js';
import { chinaDayOf, dayToIso } from '../../src/calendar/china-time.js';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { departments } from '../../src/departments/tables.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { digestRuns, digests } from '../../src/digest/tables.js';
import { DIGEST_SCHEDULE_ID } from '../../src/digest/schedule.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { fromClient, type TemporalGateway } from '../../src/temporal/gateway.js';
import { ensureWorkflowBundle } from '../../src/temporal/workflow-bundle.js';
import { workflowIdOf } from '../../workflows/messages.js';
import { freshDatabase } from '../support/db.js';
import { bearer, DEMO_PASSWORD, sampleLetter } from '../support/harness.js';
import { startSmtpServer } from '../support/smtp.js';
import { startDevServer } from '../support/temporal.js';
import { waitFor } from '../support/wait.js';
import { spawnWorkerProcess } from '../support/worker-process.js';

const TASK_QUEUE = 'amr-two-workers';
const LETTERS = 24;
const ANSWERED = 8;

let server: Awaited<ReturnType<typeof startDevServer>>;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let calendar: CalendarService;
let connection: Connection;
let gateway: TemporalGateway;
let app: FastifyInstance;
let bundleDir: string;
const workers: ChildProcess[] = [];
const tracking: string[] = [];

const spawnWorker = async (bundle: string) => {
  const child = await spawnWorkerProcess(bundle, {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    SMTP_URL: smtp.url,
    DIGEST_TIME: '00:00',
  });
  workers.push(child);
  return child;
};

beforeAll(async () => {
  server = await startDevServer('two-workers');
  smtp = await startSmtpServer();
  database = await freshDatabase();
  await seedDepartments(database.db);
  await seedDemoAccounts(database.db, DEMO_PASSWORD);
  // Every department has a notice address, so its digest and notices are e-mailed (pending, not held).
  await database.db.update(departments).set({ notifyEmails: sql`array[code || '@amr.test']` });
  const env = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url });
  calendar = new CalendarService(database.db, database.sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
  await calendar.start();
  connection = await Connection.connect({ address: server.address });
  gateway = fromClient(new Client({ connection }), TASK_QUEUE);
  app = await buildApp({ env, db: database.db, sql: database.sql, temporal: gateway, calendar }, { logger: false });
  await app.ready();
  // The letters arrive before the workers start: both outbox starters find them, and both start-up
  // catch-ups find today's digest to build.
  for (let i = 0; i < LETTERS; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), remoteAddress: `198.51.100.${i + 1}` });
    expect(res.statusCode, res.body).toBe(201);
    tracking.push((res.json() as { trackingNo: string }).trackingNo);
  }
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-two-workers-bundle-'));
  const bundle = await ensureWorkflowBundle({ dir: bundleDir });
  await Promise.all([spawnWorker(bundle), spawnWorker(bundle)]);
}, 300_000);

afterAll(async () => {
  await app?.close();
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : Promise.resolve())));
  await connection?.close();
  await calendar?.stop();
  await database?.close();
  await smtp?.close();
  await server?.close();
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
});

const count = async (where: ReturnType<typeof sql>, table: typeof notifications | typeof letterEvents) =>
  (
    (await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(where)) as [{ n: number }]
  )[0].n;

describe('two worker processes, one PostgreSQL and one Temporal (issue #20 point 7)', () => {
  it('every letter gets exactly one workflow run, started by one of the two outbox starters', async () => {
    await waitFor(
      async () => (await database.db.select().from(letters)).every((r) => r.workflowStartedAt),
      'every letter started by the workers',
      60_000,
    );
    const client = gateway.client;
    await waitFor(
      async () => {
        let n = 0;
        for await (const _ of client.workflow.list({ query: `WorkflowType = 'letterWorkflow'` })) n++;
        return n >= LETTERS;
      },
      'visibility lists every letter workflow',
      30_000,
    );
    for (const no of tracking) {
      let runs = 0;
      for await (const _ of client.workflow.list({ query: `WorkflowId = '${workflowIdOf(no)}'` })) runs++;
      expect(runs, no).toBe(1);
    }
  });

  it('an answer taken through either worker writes one event, one writer notice and one e-mail', async () => {
    const token = (
      (
        await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'h-registration', password: DEMO_PASSWORD } })
      ).json() as {
        token: string;
      }
    ).token;
    for (const no of tracking.slice(0, ANSWERED)) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/cases/${no}/answer`,
        headers: bearer(token),
        payload: { content: '已处理。' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await count(sql`kind = 'answered'`, letterEvents)).toBe(ANSWERED);
    expect(await count(sql`kind = 'writer_answered'`, notifications)).toBe(ANSWERED);
    await waitFor(async () => (await count(sql`kind = 'writer_answered' and status = 'sent'`, notifications)) === ANSWERED, 'notices sent');
    // Give a second delivery (the other worker's) the chance to send one again.
    await new Promise((r) => setTimeout(r, 2_000));
    const answeredMails = smtp.received.filter((m) => (m.mail.subject ?? '').includes('已答复'));
    expect(answeredMails).toHaveLength(ANSWERED);
    expect(new Set(answeredMails.map((m) => m.mail.subject)).size).toBe(ANSWERED);
  });

  it('one digest Schedule, and today’s digest (on a working day) built and e-mailed once although both workers caught up', async () => {
    let schedules = 0;
    for await (const s of gateway.client.schedule.list()) if (s.scheduleId === DIGEST_SCHEDULE_ID) schedules++;
    expect(schedules).toBe(1);

    const today = dayToIso(chinaDayOf(new Date()));
    const working = calendar.current.isWorkingDay(chinaDayOf(new Date()));
    if (working) await waitFor(async () => (await database.db.select().from(digestRuns)).length > 0, 'the caught-up digest', 60_000);
    const runs = await database.db.select().from(digestRuns);
    expect(runs.map((r) => r.day)).toEqual(working ? [today] : []);
    const built = await database.db.select().from(digests).where(eq(digests.day, today));
    // One digest per (day, kind, department) at most: a second build would replace, not add.
    expect(new Set(built.map((d) => `${d.kind}:${d.departmentId}`)).size).toBe(built.length);
    if (working) {
      await waitFor(async () => (await count(sql`kind = 'digest' and status = 'pending'`, notifications)) === 0, 'digests sent');
      await new Promise((r) => setTimeout(r, 2_000));
      const digestMails = smtp.received.filter((m) => (m.mail.subject ?? '').includes(`${today} 待办提醒`));
      const sent = await count(sql`kind = 'digest' and status = 'sent'`, notifications);
      expect(sent).toBeGreaterThan(0);
      expect(digestMails.length).toBe(sent);
    }
  }, 120_000);
});
