import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { signalChangedDeadlines } from '../../src/mailbox/calendar-follow.js';
import { letters } from '../../src/mailbox/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';
import { waitFor } from '../support/wait.js';

// RESET_DEADLINE_ON_TRANSFER both ways (Art. 22: complaints 10 working days, complaints on the
// convenience-service list 3). The clock's start is stored on the letter, so after a transfer a
// reclassification and a calendar change count from the same start as the transfer did, and the staff
// page explains the count from it. February 2027 has no notice yet (weekday rule, provisional) until
// a 2027 notice with 春节 Thursday 4 to Wednesday 10 February (and Saturday 20 February worked) is loaded.

const NOTICE_2027 = {
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number: '国办发明电〔2026〕93号', date: '2026-11-10' },
  holidays: [{ name: '春节', dates: ['2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'] }],
  adjustedWorkdays: [{ name: '春节', dates: ['2027-02-20'] }],
};

// Received Monday 1 February 10:00, transferred Tuesday 2 February 10:00.
const CASES = [
  {
    reset: false,
    clockStart: '2027-02-01T10:00',
    afterTransfer: '2027-02-15', // 10 weekdays after 1 February
    afterReclassify: '2027-02-04', // 3 weekdays after 1 February
    afterCalendar: '2027-02-11', // 2, 3 February, then 11 February after 春节
    firstDay: { date: '2027-02-01', reason: '收到当日不计入' },
    dueSoonFrom: '2027-02-03',
    overdueFrom: '2027-02-12',
  },
  {
    reset: true,
    clockStart: '2027-02-02T10:00',
    afterTransfer: '2027-02-16', // 10 weekdays after 2 February
    afterReclassify: '2027-02-05', // 3 weekdays after 2 February (not after the receipt: 4 February)
    afterCalendar: '2027-02-12', // 3 February, then 11 and 12 February (not 11 February, counted from the receipt)
    firstDay: { date: '2027-02-02', reason: '转办当日不计入（时限自转办起重新计算）' },
    dueSoonFrom: '2027-02-11',
    overdueFrom: '2027-02-13',
  },
] as const;

const dayBefore = (iso: string) => new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10);

describe.each(CASES)('RESET_DEADLINE_ON_TRANSFER=$reset', (c) => {
  let h: Harness;
  let letter: Awaited<ReturnType<typeof storeLetter>>;
  let convenienceItemId: number;
  const tokens: Record<string, string> = {};
  const token = async (u: string) => (tokens[u] ??= await h.login(u));
  const rowOf = async () => (await h.db.select().from(letters).where(eq(letters.id, letter.id)))[0]!;
  const now = async () => new Date(await h.testEnv!.currentTimeMs());
  async function skipTo(chinaTime: string) {
    const target = parseChinaInstant(chinaTime)!.getTime();
    const current = await h.testEnv!.currentTimeMs();
    expect(target, `skipTo ${chinaTime}`).toBeGreaterThan(current);
    await h.testEnv!.sleep(target - current);
  }
  const settle = () => new Promise((r) => setTimeout(r, 500));
  async function act(username: string, action: string, payload: object) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${letter.trackingNo}/${action}`,
      headers: bearer(await token(username)),
      payload,
    });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    h = await startHarness({ temporal: true, env: { RESET_DEADLINE_ON_TRANSFER: String(c.reset) } });
    const item = await h.app.inject({
      method: 'POST',
      url: '/api/admin/convenience-items',
      headers: bearer(await token('admin')),
      payload: { name: '行政处罚信息信用修复', departmentId: 7 },
    });
    convenienceItemId = item.json().id;
  });
  afterAll(async () => h?.close());

  it(`a complaint received 1 February (weekday rule, provisional: due 15 February), transferred 2 February: due ${c.afterTransfer}`, async () => {
    await skipTo('2027-02-01T10:00');
    letter = await storeLetter(h, { type: 'complaint', receivedAt: await now() });
    expect(letter).toMatchObject({ dueDate: '2027-02-15', dueProvisional: true });
    await h.startPending();
    await waitFor(async () => (await rowOf()).workflowStartedAt, 'workflow start');

    await skipTo('2027-02-02T10:00');
    const moved = await act('h-registration', 'transfer', { toDepartmentId: 7, reasonCode: 'not_in_remit', reason: '属执法稽查局职责' });
    expect(moved).toMatchObject({ departmentId: 7, dueDate: c.afterTransfer, dueProvisional: true });
    expect(moved.clockStartedAt.slice(0, 16)).toBe(c.clockStart);
    const row = await rowOf();
    // Off: the clock still runs from the receipt itself; on: from the transfer (the workflow's clock).
    if (!c.reset) expect(row.clockStartedAt.getTime()).toBe(letter.receivedAt.getTime());
    else expect(row.clockStartedAt.getTime()).toBeGreaterThan(letter.receivedAt.getTime() + 86_000_000);
    expect(row.receivedAt.getTime()).toBe(letter.receivedAt.getTime());
  });

  it(`reclassified as a convenience-list complaint (3 working days): due ${c.afterReclassify}, counted from the clock's start`, async () => {
    const reclassified = await act('h-enforcement', 'reclassify', { type: 'complaint', convenienceItemId, reason: '属便民服务事项' });
    expect(reclassified).toMatchObject({ limitDays: 3, dueDate: c.afterReclassify, dueProvisional: true });
  });

  it(`the 2027 notice (春节 4–10 February) recomputes from the same start: due ${c.afterCalendar}, official, audited`, async () => {
    await skipTo('2027-02-02T12:00');
    const signalled = new Promise<number>((resolve) => {
      const off = h.calendar.onChange(() => {
        off();
        void now().then((at) => signalChangedDeadlines(h.db, h.temporal, h.calendar, at).then(resolve));
      });
    });
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: bearer(await token('admin')),
      payload: NOTICE_2027,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(await signalled).toBe(1);
    const row = await waitFor(async () => {
      const r = await rowOf();
      return !r.dueProvisional && r;
    }, 'recomputed');
    expect(row.dueDate).toBe(c.afterCalendar);
    expect(row.dueAt.toISOString()).toBe(parseChinaInstant(`${c.afterCalendar}T23:59:59.999`)!.toISOString());
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.recordId, letter.trackingNo), eq(auditLog.action, 'letter.deadline_recomputed')));
    expect(audit).toMatchObject({
      before: { dueDate: c.afterReclassify, provisional: true },
      after: { dueDate: c.afterCalendar, provisional: false },
    });
  });

  it("the staff page's deadline explanation counts from the clock's start", async () => {
    const res = await h.app.inject({ method: 'GET', url: `/api/cases/${letter.trackingNo}`, headers: bearer(await token('office')) });
    const detail = res.json();
    expect(detail).toMatchObject({ dueDate: c.afterCalendar, deadlineByRule: c.afterCalendar });
    const days = detail.deadlineExplanation as { date: string; counted: boolean; reason: string }[];
    expect(days[0]).toMatchObject({ ...c.firstDay, counted: false });
    expect(days.find((d) => d.date === '2027-02-04')).toMatchObject({ counted: false, reason: '法定节假日（春节）' });
    expect(days.at(-1)).toMatchObject({ date: c.afterCalendar, counted: true, reason: '第3个工作日' });
    expect(days.filter((d) => d.counted)).toHaveLength(3);

    const page = await h.app.inject({ method: 'GET', url: `/staff/cases/${letter.trackingNo}`, headers: bearer(await token('office')) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      c.reset ? '每次转办后，时限从转办之日起重新计算（本件自 2027-02-02 10:00 转办起计算）。' : '时限从收信时起算，转办和协调不重新计算。',
    );
    expect(page.body).toContain(`${c.firstDay.date}</span> 不计：${c.firstDay.reason}`);
  });

  it(`the timers follow: due soon from ${c.dueSoonFrom}, overdue from ${c.overdueFrom}`, async () => {
    await skipTo(`${dayBefore(c.dueSoonFrom)}T23:59`);
    await settle();
    expect((await rowOf()).dueSoon).toBe(false);
    await skipTo(`${c.dueSoonFrom}T00:00:30`);
    await waitFor(async () => (await rowOf()).dueSoon, 'due soon');
    await skipTo(`${dayBefore(c.overdueFrom)}T23:59`);
    await settle();
    expect((await rowOf()).overdue).toBe(false);
    await skipTo(`${c.overdueFrom}T00:00:30`);
    await waitFor(async () => (await rowOf()).overdue, 'overdue');
  });
});
