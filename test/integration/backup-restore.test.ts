// Issue #20 point 9: `npm run backup` writes the whole record, `npm run restore` loads it into a fresh
// database, and with an EMPTY Temporal (its state lost) the system rebuilds a workflow for every open
// letter from PostgreSQL — deadlines unchanged, nothing sent twice — while closed letters stay closed.
// Both sides are real: PostgreSQL (two databases) and two separate Temporal time-skipping servers.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { restoreBackup } from '../../src/db/backup.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { workflowIdOf } from '../../workflows/messages.js';
import { emptyDatabase } from '../support/db.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { startSmtpServer } from '../support/smtp.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-backup-test-'));
const backupFile = path.join(tmp, 'amr.backup.gz');

let before: Harness;
let restored: Harness;
let smtpBefore: Awaited<ReturnType<typeof startSmtpServer>>;
let smtpAfter: Awaited<ReturnType<typeof startSmtpServer>>;
let target: Awaited<ReturnType<typeof emptyDatabase>>;
let ip = 0;

const api = (h: Harness) => ({
  async submit(over: Record<string, unknown> = {}) {
    const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(over), remoteAddress: `192.0.2.${++ip}` });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { trackingNo: string }).trackingNo;
  },
  async act(username: string, trackingNo: string, action: string, payload: object) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${trackingNo}/${action}`,
      headers: bearer(await h.login(username)),
      payload,
    });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  },
});

/** What must survive the restore unchanged, letter by letter (workflow_started_at aside: it is requeued). */
async function record(h: Harness) {
  const rows = await h.db
    .select({
      trackingNo: letters.trackingNo,
      status: letters.status,
      departmentId: letters.departmentId,
      dueAt: letters.dueAt,
      dueDate: letters.dueDate,
      dueSoon: letters.dueSoon,
      overdue: letters.overdue,
      answer: letters.answer,
      accessCodeHash: letters.accessCodeHash,
    })
    .from(letters)
    .orderBy(asc(letters.id));
  const count = async (table: typeof letterEvents | typeof notifications | typeof auditLog) =>
    ((await h.db.select({ n: sql<number>`count(*)::int` }).from(table)) as [{ n: number }])[0].n;
  const notices = await h.db
    .select({ key: notifications.dedupeKey, status: notifications.status })
    .from(notifications)
    .orderBy(asc(notifications.id));
  return { rows, events: await count(letterEvents), notices, audit: await count(auditLog) };
}

const workflowOf = (h: Harness, trackingNo: string) => h.testEnv!.client.workflow.getHandle(workflowIdOf(trackingNo)).describe();

let open: string[] = [];
let closed: string[] = [];
let snapshot: Awaited<ReturnType<typeof record>>;

beforeAll(async () => {
  smtpBefore = await startSmtpServer();
  smtpAfter = await startSmtpServer();
  before = await startHarness({ temporal: true, env: { SMTP_URL: smtpBefore.url } });
  const a = api(before);
  const inquiry = await a.submit({ type: 'inquiry', subject: '咨询营业执照办理' });
  const transferred = await a.submit();
  const answered = await a.submit({ subject: '已答复的投诉' });
  await before.startPending();
  await waitFor(async () => (await before.db.select().from(letters)).every((r) => r.workflowStartedAt), 'workflows started');
  await a.act('h-registration', transferred, 'transfer', { toDepartmentId: 7, reasonCode: 'not_in_remit', reason: '属于执法稽查处职责' });
  await a.act('h-registration', answered, 'answer', { content: '已责成商家退货。' });
  open = [inquiry, transferred];
  closed = [answered];
  // The writer's notices of the transfer and the answer have gone out before the backup.
  await waitFor(
    async () => (await before.db.select().from(notifications).where(eq(notifications.status, 'pending'))).length === 0,
    'notices sent',
  );
  expect(smtpBefore.received.length).toBeGreaterThanOrEqual(2);
  snapshot = await record(before);
}, 240_000);

afterAll(async () => {
  await restored?.close();
  await before?.close();
  await target?.close();
  await smtpBefore?.close();
  await smtpAfter?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('backup and restore onto an empty Temporal (issue #20 point 9)', () => {
  it('npm run backup writes the record; npm run restore loads it into an empty database and requeues the open letters', async () => {
    const env = { ...process.env, LOG_LEVEL: 'silent' };
    const backup = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', backupFile], {
      env: { ...env, DATABASE_URL: before.env.DATABASE_URL },
    });
    expect(backup.stdout).toMatch(/^backup written: .* \(\d+ rows in \d+ tables, \d+ migrations\)/);
    target = await emptyDatabase();
    const restore = await run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', backupFile], {
      env: { ...env, DATABASE_URL: target.url },
    });
    expect(restore.stdout).toContain('2 open letters will get their workflow at the next start');
  }, 120_000);

  it('the restored record is the backed-up one: letters, deadlines, timeline, notices, audit', async () => {
    restored = await startHarness({ temporal: true, databaseUrl: target.url, env: { SMTP_URL: smtpAfter.url } });
    expect(await record(restored)).toEqual(snapshot);
    const requeued = await restored.db
      .select({ n: letters.trackingNo })
      .from(letters)
      .where(sql`workflow_started_at is null`);
    expect(requeued.map((r) => r.n).sort()).toEqual([...open].sort());
  }, 120_000);

  it('the empty Temporal gets one running workflow per open letter and none for the closed one; nothing is written twice', async () => {
    for (const no of [...open, ...closed]) await expect(workflowOf(restored, no)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await restored.startPending();
    await waitFor(async () => (await restored.db.select().from(letters)).every((r) => r.workflowStartedAt), 'restored workflows started');
    for (const no of open) expect((await workflowOf(restored, no)).status.name).toBe('RUNNING');
    await expect(workflowOf(restored, closed[0]!)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // Starting again (a second outbox pass, another worker) finds the running workflows.
    await restored.startPending();
    expect(await record(restored)).toEqual(snapshot);
  });

  it('the rebuilt workflows act and keep time: an answer lands once, and the inquiry goes overdue at its unchanged deadline', async () => {
    const [inquiry, transferred] = open as [string, string];
    await api(restored).act('h-enforcement', transferred, 'answer', { content: '已立案调查。' });
    const [row] = await restored.db.select().from(letters).where(eq(letters.trackingNo, transferred));
    expect(row).toMatchObject({ status: 'answered', answer: '已立案调查。' });
    const kinds = await restored.db
      .select({ kind: letterEvents.kind })
      .from(letterEvents)
      .where(eq(letterEvents.letterId, row!.id))
      .orderBy(asc(letterEvents.id));
    expect(kinds.map((k) => k.kind)).toEqual(['received', 'transferred', 'answered']);
    // Nothing sent before the backup goes out again: the new mail server gets the new answer's notice only.
    await waitFor(() => smtpAfter.received.length >= 1, 'the new notice');
    await restored.startPending();
    await new Promise((r) => setTimeout(r, 500));
    expect(smtpAfter.received.map((m) => m.envelopeTo)).toEqual([['zhangsan@example.com']]);
    expect(smtpAfter.received[0]!.mail.subject).toContain(`您的来信 ${transferred} 已答复`);

    const [inq] = await restored.db.select().from(letters).where(eq(letters.trackingNo, inquiry));
    expect(inq!.dueAt).toEqual(snapshot.rows.find((r) => r.trackingNo === inquiry)!.dueAt);
    await restored.testEnv!.sleep(inq!.dueAt.getTime() + 60_000 - (await restored.testEnv!.currentTimeMs()));
    await waitFor(async () => (await restored.db.select().from(letters).where(eq(letters.trackingNo, inquiry)))[0]!.overdue, 'overdue');
    const events = await restored.db
      .select({ kind: letterEvents.kind })
      .from(letterEvents)
      .where(eq(letterEvents.letterId, inq!.id))
      .orderBy(asc(letterEvents.id));
    expect(events.map((e) => e.kind)).toEqual(['received', 'due_soon', 'overdue']);
  }, 120_000);

  it('refuses a database that already has tables, and a truncated or foreign file', async () => {
    await expect(restoreBackup(restored.env.DATABASE_URL!, backupFile)).rejects.toThrow('restore into a fresh, empty database');
    const truncated = path.join(tmp, 'truncated.gz');
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const text = gunzipSync(fs.readFileSync(backupFile)).toString('utf8');
    fs.writeFileSync(truncated, gzipSync(text.slice(0, text.indexOf('#end '))));
    const fresh = await emptyDatabase();
    try {
      await expect(restoreBackup(fresh.url, truncated)).rejects.toThrow('has no end marker');
      // The load is one transaction: the refused restore left no rows behind.
      expect(((await fresh.sql`select count(*)::int as n from letters`) as unknown as [{ n: number }])[0].n).toBe(0);
      fs.writeFileSync(truncated, gzipSync('not a backup\n'));
      await expect(restoreBackup(fresh.url, truncated)).rejects.toThrow('is not an amr-portal backup');
    } finally {
      await fresh.close();
    }
  });
});
