// Issue #20 point 6: the SMTP server down, then back. Notices are queued in the outbox in the same
// transaction as what they report (src/notifications/service.ts); a failed delivery leaves them pending
// with the error, and the next delivery after the server is back sends each exactly once.
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letters } from '../../src/mailbox/tables.js';
import { createMailer, deliverPending } from '../../src/notifications/service.js';
import { notifications } from '../../src/notifications/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { startSmtpServer } from '../support/smtp.js';
import { waitFor } from '../support/wait.js';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let h: Harness;

beforeAll(async () => {
  // A port the system is told to use, with nothing listening on it yet: the server is "down".
  const probe = await startSmtpServer();
  await probe.close();
  smtp = { ...probe, received: [] };
  h = await startHarness({ temporal: true, env: { SMTP_URL: probe.url } });
});
afterAll(async () => {
  await h?.close();
  await smtp?.close().catch(() => undefined);
});

async function letterWithTransferNotice(writerEmail: string) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter({ writer: { name: '赵六', phone: '13600136000', email: writerEmail } }),
  });
  expect(res.statusCode).toBe(201);
  const { trackingNo } = res.json() as { trackingNo: string };
  await h.startPending();
  await waitFor(async () => (await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo)))[0]?.workflowStartedAt, 'start');
  const moved = await h.app.inject({
    method: 'POST',
    url: `/api/cases/${trackingNo}/transfer`,
    headers: bearer(await h.login('h-registration')),
    payload: { toDepartmentId: 6, reasonCode: 'not_in_remit', reason: '属信用监督管理处职责' },
  });
  expect(moved.statusCode).toBe(200);
  const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  return { trackingNo, letterId: row!.id };
}

describe('the SMTP server down, then back (issue #20 point 6)', () => {
  const sent: { letterId: number; trackingNo: string }[] = [];

  it('while it is down, each notice stays pending in the outbox with the error; none is lost', async () => {
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) sent.push(await letterWithTransferNotice(email));
    const ids = sent.map((s) => s.letterId);
    // The letter workflows try to deliver after each action (and retry); every try fails. A failed
    // batch stops at its first failure (no hammering a server that is down), so the head of the queue
    // carries the attempts and the error, and the rest wait behind it.
    const rows = await waitFor(async () => {
      const r = await h.db.select().from(notifications).where(inArray(notifications.letterId, ids)).orderBy(notifications.id);
      const writer = r.filter((n) => n.kind === 'writer_transferred');
      const head = r.find((n) => n.status === 'pending');
      return writer.length === 3 && head && head.attempts >= 2 ? r : undefined;
    }, 'repeated failed deliveries');
    // The writer's notices, and the receiving department's where it has addresses (held where not).
    expect(rows.every((r) => r.status === 'pending' || r.status === 'held')).toBe(true);
    expect(rows.find((r) => r.status === 'pending')!.lastError).toMatch(/ECONNREFUSED/);
    expect(rows.every((r) => r.sentAt === null)).toBe(true);
  });

  it("when it is back, the next letter's delivery sends each waiting notice exactly once; a later delivery sends nothing", async () => {
    smtp = await startSmtpServer(smtp.port);
    // Any letter's next delivery drains the outbox: here the answer to the first letter.
    const answered = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${sent[0]!.trackingNo}/answer`,
      headers: bearer(await h.login('h-credit')),
      payload: { content: '已核查处理。' },
    });
    expect(answered.statusCode).toBe(200);
    const ids = sent.map((s) => s.letterId);
    const deliverable = (await h.db.select().from(notifications).where(inArray(notifications.letterId, ids))).filter(
      (r) => r.status !== 'held',
    ).length;
    await waitFor(() => smtp.received.length >= deliverable, `the ${deliverable} deliverable notices`);
    const again = await deliverPending(h.db, createMailer(smtp.url), 'from@amr.test', () => undefined);
    expect(again.sent).toBe(0);

    const subjects = smtp.received.map((r) => r.mail.subject ?? '');
    expect(subjects).toHaveLength(deliverable);
    for (const s of sent) expect(subjects.filter((x) => x.includes(`${s.trackingNo} 已转至`))).toHaveLength(1);
    expect(subjects.filter((x) => x.includes(`${sent[0]!.trackingNo} 已答复`))).toHaveLength(1);
    const rows = await h.db.select().from(notifications).where(inArray(notifications.letterId, ids));
    expect(rows.filter((r) => r.status !== 'held').map((r) => r.status)).toEqual(Array(deliverable).fill('sent'));
    expect(rows.filter((r) => r.kind.startsWith('writer_'))).toHaveLength(4);
  });
});
