import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments } from '../../src/departments/tables.js';
import { letters } from '../../src/mailbox/tables.js';
import { deliverPending } from '../../src/notifications/service.js';
import { notifications } from '../../src/notifications/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { startSmtpServer } from '../support/smtp.js';
import { waitFor } from '../support/wait.js';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let h: Harness;

beforeAll(async () => {
  smtp = await startSmtpServer();
  h = await startHarness({ temporal: true, env: { SMTP_URL: smtp.url } });
  await h.db
    .update(departments)
    .set({ notifyEmails: ['office@amr.test'] })
    .where(eq(departments.code, 'office'));
  await h.db
    .update(departments)
    .set({ notifyEmails: ['credit@amr.test'] })
    .where(eq(departments.code, 'credit'));
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

const mailWith = (text: string) => () => smtp.received.find((r) => r.mail.subject?.includes(text));

async function newLetter(over: Record<string, unknown> = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(over) });
  expect(res.statusCode).toBe(201);
  const letter = res.json();
  await h.startPending();
  for (let i = 0; i < 200; i++) {
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, letter.trackingNo));
    if (row?.workflowStartedAt) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return letter as { trackingNo: string; dueAt: string };
}

describe('notices through the outbox to a real SMTP server', () => {
  it('tells the writer of a transfer (with its reason) and of the answer, and the receiving department (Art. 22)', async () => {
    const letter = await newLetter({ writer: { name: '王五', phone: '13700137000', email: 'wangwu@example.com' } });
    const token = (
      await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'h-registration', password: 'Test-Passw0rd!' } })
    ).json().token;
    const moved = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${letter.trackingNo}/transfer`,
      headers: bearer(token),
      payload: { toDepartmentId: 6, reasonCode: 'not_in_remit', reason: '属信用监督管理处职责' },
    });
    expect(moved.statusCode).toBe(200);
    const transferMail = await waitFor(mailWith(`${letter.trackingNo} 已转至信用监督管理处办理`), 'the transfer notice');
    expect(transferMail.envelopeTo).toEqual(['wangwu@example.com']);
    expect(transferMail.mail.text).toContain('转办理由：属信用监督管理处职责');
    const departmentMail = await waitFor(mailWith(`转办来信：${letter.trackingNo}`), "the receiving department's notice");
    expect(departmentMail.envelopeTo).toEqual(['credit@amr.test']);
    expect(departmentMail.mail.text).toContain('由登记注册局转至你处办理');
    // A notice to the public names the bureau in full (measures Art. 9(一)): subject, signature and sender.
    expect(transferMail.mail.subject).toBe(`【福建省市场监督管理局局长信箱】您的来信 ${letter.trackingNo} 已转至信用监督管理处办理`);
    expect(transferMail.mail.text).toContain('福建省市场监督管理局局长信箱（本邮件由系统发送，请勿回复）');
    expect(transferMail.mail.html).toContain('福建省市场监督管理局局长信箱');
    expect(transferMail.mail.from?.text).toContain('福建省市场监督管理局局长信箱');

    const creditToken = await h.login('h-credit');
    const answered = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${letter.trackingNo}/answer`,
      headers: bearer(creditToken),
      payload: { content: '经核查，已责令商家退货。' },
    });
    expect(answered.statusCode).toBe(200);
    const answerMail = await waitFor(mailWith(`${letter.trackingNo} 已答复`), 'the answer notice');
    expect(answerMail.envelopeTo).toEqual(['wangwu@example.com']);
    expect(answerMail.mail.text).toContain('福建省市场监督管理局局长信箱');
    // The answer itself stays behind the access code; the e-mail only says where to read it.
    expect(answerMail.mail.text).not.toContain('已责令商家退货');

    // The SMTP server has the mail before the outbox marks its row sent: wait for that, then compare.
    const letterId = (await h.db.select().from(letters).where(eq(letters.trackingNo, letter.trackingNo)))[0]!.id;
    const rows = await waitFor(async () => {
      const all = await h.db.select().from(notifications).where(eq(notifications.letterId, letterId));
      return all.every((r) => r.status !== 'pending') && all;
    }, 'every notice of the letter marked');
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ['department_transferred', 'sent'],
      ['writer_transferred', 'sent'],
      ['writer_answered', 'sent'],
    ]);
  });

  it('sends the general office an immediate notice when a letter becomes overdue', async () => {
    const letter = await newLetter({ type: 'inquiry' });
    await h.testEnv!.sleep(Date.parse(letter.dueAt) + 60_000 - (await h.testEnv!.currentTimeMs()));
    const notice = await waitFor(mailWith(`超期提醒：${letter.trackingNo}`), 'the overdue notice');
    expect(notice.envelopeTo).toEqual(['office@amr.test']);
    expect(notice.mail.text).toContain('登记注册局');
  });

  it('without SMTP the outbox keeps messages and says so', async () => {
    const logged: string[] = [];
    const pendingBefore = (await h.db.select().from(notifications).where(eq(notifications.status, 'pending'))).length;
    await h.db
      .insert(notifications)
      .values({ dedupeKey: `test:${Date.now()}`, kind: 'test', recipients: ['x@amr.test'], subject: 's', text: 't', html: '<p>t</p>' });
    const result = await deliverPending(h.db, null, 'from@amr.test', (m) => logged.push(m));
    expect(result).toEqual({ sent: 0, failed: 0, kept: pendingBefore + 1 });
    expect(logged[0]).toMatch(/SMTP_URL is not set: \d+ notification\(s\) kept in the outbox/);
  });
});
