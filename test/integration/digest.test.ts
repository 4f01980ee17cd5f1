import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments } from '../../src/departments/tables.js';
import type { DepartmentDigest, OfficeDigest } from '../../src/digest/rules.js';
import { digests } from '../../src/digest/tables.js';
import { letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestWorkflow } from '../../workflows/messages.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';
import { startSmtpServer } from '../support/smtp.js';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let received: typeof smtp.received;
let h: Harness;
const REGISTRATION = 5;
const CREDIT = 6;

beforeAll(async () => {
  smtp = await startSmtpServer();
  received = smtp.received;
  h = await startHarness({ temporal: true, env: { SMTP_URL: smtp.url } });
  await h.db
    .update(departments)
    .set({ notifyEmails: ['registration@amr.test', 'registration-lead@amr.test'] })
    .where(eq(departments.id, REGISTRATION));
  await h.db
    .update(departments)
    .set({ notifyEmails: ['credit@amr.test'] })
    .where(eq(departments.id, CREDIT));
  await h.db
    .update(departments)
    .set({ notifyEmails: ['office@amr.test'] })
    .where(eq(departments.code, 'office'));
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

/** A letter as intake would store it, received at a chosen China time (the API stamps "now"); its due date. */
async function letterAt(trackingNo: string, receivedChina: string, type: 'complaint' | 'inquiry', departmentId: number) {
  const row = await storeLetter(h, {
    type,
    receivedAt: new Date(`${receivedChina}+08:00`),
    departmentId,
    trackingNo,
    subject: `${trackingNo} 的来信`,
    over: { workflowStartedAt: new Date() },
    receivedEvent: false,
  });
  return row.dueDate;
}

const runDay = (day: string) =>
  h.testEnv!.client.workflow.execute<DailyDigestWorkflow>(DAILY_DIGEST_WORKFLOW, {
    taskQueue: h.temporal.taskQueue,
    workflowId: `digest-test-${day}-${received.length}-${Math.random()}`,
    args: [{ day }],
  });

async function digestsOf(day: string) {
  const rows = await h.db.select().from(digests).where(eq(digests.day, day));
  const dept = (id: number) => rows.find((r) => r.kind === 'department' && r.departmentId === id)?.content as DepartmentDigest | undefined;
  const office = rows.find((r) => r.kind === 'office')?.content as OfficeDigest | undefined;
  return { rows, dept, office };
}
const numbers = (items: { trackingNo: string }[] | undefined) => (items ?? []).map((i) => i.trackingNo).sort();

describe('daily digest over National Day week 2026 (Oct 1-7 off, Saturday Oct 10 a make-up working day)', () => {
  it('digests exactly on the working days, with the right letters, and e-mails them once', async () => {
    expect(await letterAt('260929-AAAA3', '2026-09-29T11:00:00', 'inquiry', REGISTRATION)).toBe('2026-10-08');
    expect(await letterAt('260930-AAAA1', '2026-09-30T10:00:00', 'complaint', REGISTRATION)).toBe('2026-10-20');
    expect(await letterAt('261008-AAAA2', '2026-10-08T09:00:00', 'inquiry', CREDIT)).toBe('2026-10-10');

    for (const day of ['2026-10-05', '2026-10-06', '2026-10-07']) {
      expect(await runDay(day)).toMatchObject({ skipped: true });
      expect((await digestsOf(day)).rows).toHaveLength(0);
    }

    // Thu Oct 8: first working day after the holiday.
    expect(await runDay('2026-10-08')).toMatchObject({ skipped: false });
    let d = await digestsOf('2026-10-08');
    expect(numbers(d.dept(REGISTRATION)?.newLetters)).toEqual(['260930-AAAA1']); // since Sep 30 08:30
    expect(numbers(d.dept(REGISTRATION)?.dueToday)).toEqual(['260929-AAAA3']);
    expect(d.dept(CREDIT)).toBeUndefined(); // its letter came at 09:00, after the 08:30 digest
    expect(d.office?.overdue).toEqual([]);

    // Fri Oct 9.
    await runDay('2026-10-09');
    d = await digestsOf('2026-10-09');
    expect(d.dept(REGISTRATION)?.overdue).toEqual([expect.objectContaining({ trackingNo: '260929-AAAA3', workingDaysOverdue: 1 })]);
    expect(numbers(d.dept(REGISTRATION)?.newLetters)).toEqual([]);
    expect(numbers(d.dept(REGISTRATION)?.others)).toEqual(['260930-AAAA1']); // listed every working day (Art. 22)
    // New, and due on the make-up Saturday: the more urgent group wins, marked new.
    expect(numbers(d.dept(CREDIT)?.newLetters)).toEqual([]);
    expect(d.dept(CREDIT)?.dueNextWorkingDay).toEqual([expect.objectContaining({ trackingNo: '261008-AAAA2', isNew: true })]);
    expect(numbers(d.office?.overdue)).toEqual(['260929-AAAA3']);

    const mail = received.find((r) => r.mail.subject?.includes('2026-10-09') && r.mail.subject.includes('登记注册局'));
    expect(mail, 'the registration digest of Oct 9 reached the SMTP server').toBeDefined();
    expect(mail!.envelopeTo.sort()).toEqual(['registration-lead@amr.test', 'registration@amr.test']);
    expect(mail!.mail.subject).toBe('【局长信箱】2026-10-09 待办提醒：登记注册局（2 件）');
    expect(mail!.mail.text).toContain('260929-AAAA3');
    expect(mail!.mail.text).toContain('已超期 1 个工作日');
    expect(mail!.mail.html).toContain('<li>260929-AAAA3');

    // Re-running Oct 9 gives the same digests and sends nothing again.
    const before = (await digestsOf('2026-10-09')).rows.map((r) => [r.kind, r.departmentId, r.content]);
    const mailsBefore = received.length;
    expect(await runDay('2026-10-09')).toMatchObject({ emailsQueued: 0 });
    expect((await digestsOf('2026-10-09')).rows.map((r) => [r.kind, r.departmentId, r.content])).toEqual(before);
    expect(received.length).toBe(mailsBefore);

    // The overdue inquiry is answered after Friday's digest: Saturday's does not list it again.
    await h.db
      .update(letters)
      .set({ status: 'answered', answer: '已答复', answeredAt: new Date('2026-10-09T15:00:00+08:00') })
      .where(eq(letters.trackingNo, '260929-AAAA3'));
    await runDay('2026-10-10');
    d = await digestsOf('2026-10-10');
    expect(numbers(d.dept(REGISTRATION)?.overdue)).toEqual([]);
    expect(numbers(d.dept(REGISTRATION)?.others)).toEqual(['260930-AAAA1']);
    expect(numbers(d.dept(CREDIT)?.dueToday)).toEqual(['261008-AAAA2']);
    expect(d.office?.overdue).toEqual([]);

    // Sunday Oct 11: rest day.
    expect(await runDay('2026-10-11')).toMatchObject({ skipped: true });
    expect((await digestsOf('2026-10-11')).rows).toHaveLength(0);

    const sent = await h.db.select().from(notifications).where(eq(notifications.kind, 'digest'));
    expect(sent.every((n) => n.status === 'sent')).toBe(true);
    expect(new Set(sent.map((n) => n.dedupeKey)).size).toBe(sent.length);
    expect(received.length).toBe(sent.length);
  });

  it('GET /api/digests/{date}: everything for the service centre, its own for a department', async () => {
    const center = await h.app.inject({ url: '/api/digests/2026-10-09', headers: bearer(await h.login('center')) });
    expect(center.statusCode).toBe(200);
    expect(
      center
        .json()
        .map((r: { kind: string; departmentId: number }) => `${r.kind}:${r.departmentId}`)
        .sort(),
    ).toEqual(['department:5', 'department:6', 'office:1']);
    const handler = await h.app.inject({ url: '/api/digests/2026-10-09', headers: bearer(await h.login('h-credit')) });
    expect(handler.json().map((r: { departmentId: number }) => r.departmentId)).toEqual([CREDIT]);
    const bad = await h.app.inject({ url: '/api/digests/2026-02-30', headers: bearer(await h.login('center')) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['params.date']).toBeDefined();
    expect((await h.app.inject({ url: '/api/digests/2026-10-09' })).statusCode).toBe(401);
  });

  it('POST /api/digests/{date}/run rebuilds a day for the service centre only', async () => {
    const run = await h.app.inject({ method: 'POST', url: '/api/digests/2026-10-09/run', headers: bearer(await h.login('center')) });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ day: '2026-10-09', skipped: false, emailsQueued: 0 });
    const denied = await h.app.inject({ method: 'POST', url: '/api/digests/2026-10-09/run', headers: bearer(await h.login('h-credit')) });
    expect(denied.statusCode).toBe(403);
  });
});
