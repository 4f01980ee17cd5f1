import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { departments } from '../../src/departments/tables.js';
import { signalChangedDeadlines } from '../../src/mailbox/calendar-follow.js';
import { recomputeDeadline } from '../../src/mailbox/service/case-records.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';
import { waitFor } from '../support/wait.js';

// Any calendar change recomputes every open letter whose deadline it changes, official years
// included (the State Council has amended a year's notice mid-year before): a corrected notice for
// 2027, already loaded, first lengthens 清明节 (deadlines move later), then shortens it again
// (deadlines move earlier, but never into the past: the end of the working day after the change
// at the earliest; docs/architecture.md, Deadline policy). Limits are Art. 22's: complaints 10
// working days, inquiries 2. Each move is audited and told to the handling department once; the
// workflow's timers follow it on the time-skipping server.

let h: Harness;
let admin: string;

const notice2027 = (number: string, qingming: string[]) => ({
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number, date: '2026-11-10' },
  holidays: [
    { name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] },
    { name: '清明节', dates: qingming },
  ],
  adjustedWorkdays: [],
});
// As first published: 清明节 Saturday 3 to Monday 5 April.
const V1 = notice2027('国办发明电〔2026〕90号', ['2027-04-03', '2027-04-04', '2027-04-05']);
// Corrected: Saturday 3 to Wednesday 7 April (two more working days off).
const V2 = notice2027('国办发明电〔2027〕91号', ['2027-04-03', '2027-04-04', '2027-04-05', '2027-04-06', '2027-04-07']);
// Corrected again: the weekend only (Monday 5 to Wednesday 7 April become working days).
const V3 = notice2027('国办发明电〔2027〕92号', ['2027-04-03', '2027-04-04']);

const workflowNow = async () => new Date(await h.testEnv!.currentTimeMs());

async function skipTo(chinaTime: string) {
  const target = parseChinaInstant(chinaTime)!.getTime();
  const now = await h.testEnv!.currentTimeMs();
  expect(target, `skipTo ${chinaTime}`).toBeGreaterThan(now);
  await h.testEnv!.sleep(target - now);
}
const settle = () => new Promise((r) => setTimeout(r, 500));

async function rowOf(id: number) {
  const [row] = await h.db.select().from(letters).where(eq(letters.id, id));
  return row!;
}
const endOf = (date: string) => parseChinaInstant(`${date}T23:59:59.999`)!.toISOString();

/** Loads a notice through the API, then signals as the worker process does on the change (on the workflow clock). */
async function loadNotice(body: typeof V1): Promise<number> {
  const signalled = new Promise<number>((resolve) => {
    const off = h.calendar.onChange(() => {
      off();
      void workflowNow().then((now) => signalChangedDeadlines(h.db, h.temporal, h.calendar, now).then(resolve));
    });
  });
  const put = await h.app.inject({ method: 'PUT', url: '/api/calendar/years/2027', headers: bearer(admin), payload: body });
  expect(put.statusCode, put.body).toBe(200);
  expect(put.json()).toMatchObject({ year: 2027, status: 'official', notice: { number: body.notice.number } });
  return signalled;
}

const recomputeAudits = async (trackingNo: string) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.recordId, trackingNo), eq(auditLog.action, 'letter.deadline_recomputed')))
    .orderBy(asc(auditLog.id));
const movedNotices = async (letterId: number) =>
  h.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.letterId, letterId), eq(notifications.kind, 'deadline_moved')))
    .orderBy(asc(notifications.id));

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  admin = await h.login('admin');
  await h.db
    .update(departments)
    .set({ notifyEmails: ['registration@example.cn'] })
    .where(eq(departments.id, 5));
});
afterAll(async () => h?.close());

describe('a corrected notice for a year already official (2027)', () => {
  const L: Record<'A' | 'B' | 'D', Awaited<ReturnType<typeof storeLetter>>> = {} as never;

  it('2027 as first published: a complaint and an inquiry received Monday 29 March', async () => {
    expect(await loadNotice(V1)).toBe(0); // no letter yet
    await skipTo('2027-03-29T10:00');
    const receivedAt = await workflowNow();
    // A: 10 working days, 5 April off → due Tuesday 13 April. B: 2 working days → due Wednesday 31 March.
    L.A = await storeLetter(h, { type: 'complaint', receivedAt, subject: '清明前的投诉' });
    L.B = await storeLetter(h, { type: 'inquiry', receivedAt, subject: '不受影响的咨询' });
    await h.startPending();
    for (const l of [L.A, L.B]) await waitFor(async () => (await rowOf(l.id)).workflowStartedAt, `start ${l.trackingNo}`);
    expect(await rowOf(L.A.id)).toMatchObject({ dueDate: '2027-04-13', dueProvisional: false });
    expect(await rowOf(L.B.id)).toMatchObject({ dueDate: '2027-03-31', dueProvisional: false });
  });

  it('a correction that lengthens 清明节 moves the complaint later (13 → 15 April), audited, its department told once', async () => {
    await skipTo('2027-03-30T10:00');
    expect(await loadNotice(V2)).toBe(1); // only A: B's deadline does not change
    const a = await waitFor(async () => {
      const r = await rowOf(L.A.id);
      return r.dueDate === '2027-04-15' && r;
    }, 'A moved to 15 April');
    expect(a.dueAt.toISOString()).toBe(endOf('2027-04-15'));
    expect(a.receivedAt.getTime()).toBe(L.A.receivedAt.getTime());
    const audits = await recomputeAudits(L.A.trackingNo);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUsername: 'system:calendar',
      before: { dueDate: '2027-04-13', provisional: false },
      after: { dueDate: '2027-04-15', provisional: false },
    });
    const notices = await movedNotices(L.A.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipients: ['registration@example.cn'], status: 'pending' });
    expect(notices[0]!.text).toContain('答复期限延后，由2027年4月13日改为2027年4月15日');
    // The workflow delivered at once (deliver-after-recompute); without SMTP the notice stays pending.
    // The row is written by the recompute activity, before the workflow schedules the delivery: wait for it.
    const scheduled = await waitFor(async () => {
      const history = (await h.temporal.client.workflow.getHandle(`letter-${L.A.trackingNo}`).fetchHistory()).events!;
      const names = history.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      return names.at(-1) === 'deliverNotifications' && names;
    }, 'the delivery after the recompute');
    expect(scheduled.slice(-2)).toEqual(['recomputeDeadline', 'deliverNotifications']);

    // Enqueued once: the same recompute again (a retried activity, a second signal) writes nothing.
    await recomputeDeadline({ db: h.db, calendar: h.calendar, env: h.env }, L.A.id, await workflowNow());
    expect(await recomputeAudits(L.A.trackingNo)).toHaveLength(1);
    expect(await movedNotices(L.A.id)).toHaveLength(1);
    expect(await signalChangedDeadlines(h.db, h.temporal, h.calendar, await workflowNow())).toBe(0);

    // The unaffected inquiry: no audit row, no notice.
    expect(await recomputeAudits(L.B.trackingNo)).toEqual([]);
    expect(await movedNotices(L.B.id)).toEqual([]);
  });

  it('the timers follow the later deadline: not due soon on Monday 12 April, the point under the first notice', async () => {
    // D: received Friday 2 April under the corrected notice: 8 April is its first working day → due Wednesday 21 April.
    await skipTo('2027-04-02T10:00');
    L.D = await storeLetter(h, { type: 'complaint', receivedAt: await workflowNow(), subject: '清明节期间的投诉' });
    await h.startPending();
    await waitFor(async () => (await rowOf(L.D.id)).workflowStartedAt, 'start D');
    expect(await rowOf(L.D.id)).toMatchObject({ dueDate: '2027-04-21' });
    // The inquiry went overdue on 1 April, as before the correction.
    expect(await rowOf(L.B.id)).toMatchObject({ overdue: true, dueDate: '2027-03-31' });
    // Under the first notice A would be due soon from Monday 12 April; now from Wednesday 14 April.
    await skipTo('2027-04-12T00:00:30');
    await settle();
    expect((await rowOf(L.A.id)).dueSoon).toBe(false);
  });

  it('a correction that shortens 清明节 on Tuesday 13 April: A would be due 12 April (past) and is held to 14 April; D moves to 16 April', async () => {
    await skipTo('2027-04-13T10:00');
    expect((await rowOf(L.A.id)).dueSoon).toBe(false);
    expect(await loadNotice(V3)).toBe(2);
    // A: by the rule its 10th working day is Monday 12 April, already over; it may not become overdue
    // in the past, so it is due at the end of the working day after the change, Wednesday 14 April.
    const a = await waitFor(async () => {
      const r = await rowOf(L.A.id);
      return r.dueDate === '2027-04-14' && r;
    }, 'A held to 14 April');
    expect(a).toMatchObject({ overdue: false, dueProvisional: false });
    expect(a.dueAt.toISOString()).toBe(endOf('2027-04-14'));
    // D: 5 to 7 April count again → due Friday 16 April (in the future: taken as computed).
    const d = await waitFor(async () => {
      const r = await rowOf(L.D.id);
      return r.dueDate === '2027-04-16' && r;
    }, 'D moved to 16 April');
    expect(d.dueAt.toISOString()).toBe(endOf('2027-04-16'));

    expect((await recomputeAudits(L.A.trackingNo)).at(-1)).toMatchObject({
      before: { dueDate: '2027-04-15', provisional: false },
      after: { dueDate: '2027-04-14', provisional: false, held: true, byRule: '2027-04-12' },
    });
    expect(await recomputeAudits(L.D.trackingNo)).toHaveLength(1);
    const aNotices = await movedNotices(L.A.id);
    expect(aNotices).toHaveLength(2);
    expect(aNotices[1]!.text).toContain('答复期限提前，由2027年4月15日改为2027年4月14日');
    expect(aNotices[1]!.text).toContain('按调整后的日历计算应为2027年4月12日');
    expect(await movedNotices(L.D.id)).toHaveLength(1);
    expect(await recomputeAudits(L.B.trackingNo)).toEqual([]);
    // Held letters are not signalled again and again (the reconcile applies the same rule).
    expect(await signalChangedDeadlines(h.db, h.temporal, h.calendar, await workflowNow())).toBe(0);

    // The staff page explains the held date.
    const res = await h.app.inject({ method: 'GET', url: `/staff/cases/${L.A.trackingNo}`, headers: bearer(await h.login('office')) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '节假日安排调整后按工作日计算应为2027年4月12日；期限不因日历调整提前到调整次一工作日结束之前，故为2027年4月14日。',
    );
  });

  it('the timers follow the earlier deadlines: A due soon at once and overdue only from 15 April; D due soon 15 April, overdue 17 April', async () => {
    // A's due-soon point (the start of the working day before 14 April) has passed: it fires now.
    await waitFor(async () => (await rowOf(L.A.id)).dueSoon, 'A due soon after the change');
    const dueSoon = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, L.A.id), eq(letterEvents.kind, 'due_soon')));
    expect(dueSoon).toHaveLength(1);
    await skipTo('2027-04-14T23:59');
    await settle();
    expect((await rowOf(L.A.id)).overdue).toBe(false);
    expect((await rowOf(L.D.id)).dueSoon).toBe(false);
    await skipTo('2027-04-15T00:00:30');
    await waitFor(async () => (await rowOf(L.A.id)).overdue, 'A overdue from 15 April');
    await waitFor(async () => (await rowOf(L.D.id)).dueSoon, 'D due soon from 15 April');
    await skipTo('2027-04-16T23:59');
    await settle();
    expect((await rowOf(L.D.id)).overdue).toBe(false);
    await skipTo('2027-04-17T00:00:30');
    await waitFor(async () => (await rowOf(L.D.id)).overdue, 'D overdue from 17 April (not 22 April)');
  });
});
