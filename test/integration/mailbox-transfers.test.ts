import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { departments } from '../../src/departments/tables.js';
import type { CaseAction } from '../../src/mailbox/case-rules.js';
import { hashSecret, newAccessCode, newTrackingNo } from '../../src/mailbox/codes.js';
import { applyCaseAction } from '../../src/mailbox/service/apply-case-action.js';
import { lateTransfersByDepartment } from '../../src/mailbox/service/transfer-figures.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { waitFor } from '../support/wait.js';

// Art. 22 of the website measures: the department the writer chose (首办部门) answers what is within
// its remit and transfers at once (立即转交) what is not; the receiving department answers it or
// disputes it; disputes and letters for several departments go to the general office, which decides.
// On Temporal's time-skipping test server with the real worker and PostgreSQL.
// Departments as seeded: 1 office, 5 registration, 6 credit, 7 enforcement, 8 food-safety.

let h: Harness;
let ipSeq = 0;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  // Notice addresses, so the department notices are sendable (pending) rather than held.
  for (const [code, email] of [
    ['office', 'office@amr.test'],
    ['enforcement', 'enforcement@amr.test'],
    ['credit', 'credit@amr.test'],
  ]) {
    await h.db
      .update(departments)
      .set({ notifyEmails: [email!] })
      .where(eq(departments.code, code!));
  }
});
afterAll(async () => h?.close());

type Api = Pick<Harness, 'app' | 'db' | 'login' | 'startPending'>;
const tokenCache = new Map<Api, Map<string, string>>();
async function token(api: Api, username: string) {
  const cache = tokenCache.get(api) ?? new Map<string, string>();
  tokenCache.set(api, cache);
  if (!cache.has(username)) cache.set(username, await api.login(username));
  return cache.get(username)!;
}

async function rowOf(api: Api, trackingNo: string) {
  const [row] = await api.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  return row!;
}

/** A letter through the API (received now), its workflow started. */
async function submitStarted(api: Api, over: Record<string, unknown> = {}) {
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter(over),
    headers: { 'x-forwarded-for': `10.5.0.${++ipSeq}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  const letter = res.json() as { trackingNo: string; accessCode: string };
  await api.startPending();
  await waitFor(async () => (await rowOf(api, letter.trackingNo)).workflowStartedAt, 'workflow start');
  return { ...letter, id: (await rowOf(api, letter.trackingNo)).id };
}

async function act(api: Api, username: string, trackingNo: string, action: string, payload: object) {
  return api.app.inject({
    method: 'POST',
    url: `/api/cases/${trackingNo}/${action}`,
    headers: bearer(await token(api, username)),
    payload,
  });
}
async function ok(api: Api, username: string, trackingNo: string, action: string, payload: object) {
  const res = await act(api, username, trackingNo, action, payload);
  expect(res.statusCode, `${username} ${action}: ${res.body}`).toBe(200);
  return res.json();
}
async function refused(api: Api, username: string, trackingNo: string, action: string, payload: object, message: string) {
  const res = await act(api, username, trackingNo, action, payload);
  expect(res.statusCode, `${username} ${action}: ${res.body}`).toBe(409);
  expect(res.json().error).toEqual({ code: 'conflict', message });
}

const transferTo = (toDepartmentId: number, reason = '属于其他处室职责') => ({ toDepartmentId, reasonCode: 'not_in_remit', reason });
const ONWARD = '转办来的信件不能再转给其他处室：请答复，或对转办提出异议，由办公室协调';
const DECIDED = '办公室已协调确定承办处室，不能再转办；如有异议，可再次提请办公室协调';

async function viewerOf(username: string): Promise<Viewer> {
  const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await token(h, username)) });
  return { staff: me.json(), ip: '127.0.0.1', requestId: 'test' };
}

describe('Art. 22: only the first department transfers', () => {
  it('the receiving department cannot pass a transfer on to a third department (409); it answers or disputes', async () => {
    const letter = await submitStarted(h);
    await ok(h, 'h-registration', letter.trackingNo, 'transfer', transferTo(7));
    await refused(h, 'h-enforcement', letter.trackingNo, 'transfer', transferTo(6), ONWARD);
    await refused(h, 'l-enforcement', letter.trackingNo, 'transfer', transferTo(8), ONWARD);
    const row = await rowOf(h, letter.trackingNo);
    expect(row).toMatchObject({ departmentId: 7, transferredFromDepartmentId: 5, status: 'processing' });
    // Nothing was written for the refused transfers.
    const events = await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, letter.id));
    expect(events.map((e) => e.kind)).toEqual(['received', 'transferred']);
    // The staff page offers it no transfer form, but the answer and the dispute.
    const page = await h.app.inject({
      method: 'GET',
      url: `/staff/cases/${letter.trackingNo}`,
      cookies: { amr_session: await token(h, 'h-enforcement') },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="act-transfer"');
    expect(page.body).toContain('id="act-answer"');
    expect(page.body).toContain('id="act-dispute"');
    // Disputing sends it to the office, which is what Art. 22 provides for.
    const disputed = await ok(h, 'h-enforcement', letter.trackingNo, 'dispute', { reason: '应由信用监督管理处办理' });
    expect(disputed).toMatchObject({ status: 'in_arbitration', departmentId: 7 });
  });

  it("after the office's decision the lead department cannot transfer (409), but can escalate again", async () => {
    const letter = await submitStarted(h);
    await ok(h, 'h-registration', letter.trackingNo, 'escalate', { reason: '涉及登记和执法两个处室', departmentIds: [5, 7] });
    const decided = await ok(h, 'office', letter.trackingNo, 'arbitrate', { leadDepartmentId: 7, note: '由执法稽查局牵头' });
    expect(decided).toMatchObject({ status: 'processing', departmentId: 7 });
    expect((await rowOf(h, letter.trackingNo)).arbitratedAt).toBeInstanceOf(Date);
    await refused(h, 'h-enforcement', letter.trackingNo, 'transfer', transferTo(6), DECIDED);
    // Not back to the first department either: that too would undo the office's decision.
    await refused(h, 'h-enforcement', letter.trackingNo, 'transfer', transferTo(5), DECIDED);
    const again = await ok(h, 'h-enforcement', letter.trackingNo, 'escalate', { reason: '仍涉及信用监管', departmentIds: [6, 7] });
    expect(again).toMatchObject({ status: 'in_arbitration', departmentId: 7 });
    const second = await ok(h, 'office', letter.trackingNo, 'arbitrate', {
      leadDepartmentId: 6,
      assistingDepartmentIds: [7],
      note: '改由信用监督管理处牵头',
    });
    expect(second).toMatchObject({ status: 'processing', departmentId: 6, assistingDepartmentIds: [7] });
    await refused(h, 'h-credit', letter.trackingNo, 'transfer', transferTo(8), DECIDED);
    await ok(h, 'h-credit', letter.trackingNo, 'answer', { content: '已处理' });
  });

  describe('with ALLOW_ONWARD_TRANSFER=true', () => {
    let on: Harness;
    beforeAll(async () => {
      on = await startHarness({ temporal: true, env: { ALLOW_ONWARD_TRANSFER: 'true' } });
    });
    afterAll(async () => on?.close());

    it('the receiving department may pass it on; after arbitration it still may not transfer', async () => {
      const letter = await submitStarted(on);
      await ok(on, 'h-registration', letter.trackingNo, 'transfer', transferTo(7));
      const onward = await ok(on, 'h-enforcement', letter.trackingNo, 'transfer', transferTo(6, '属信用监督管理处职责'));
      expect(onward).toMatchObject({ status: 'processing', departmentId: 6 });
      expect(onward.timeline.at(-1)).toMatchObject({ kind: 'transferred', departmentId: 7, toDepartmentId: 6, late: false });
      // Sent back to a department it already left: a disputed transfer, the office decides.
      const back = await ok(on, 'h-credit', letter.trackingNo, 'transfer', transferTo(5));
      expect(back).toMatchObject({ status: 'in_arbitration', departmentId: 6 });
      await ok(on, 'office', letter.trackingNo, 'arbitrate', { leadDepartmentId: 6, note: '由信用监督管理处办理' });
      await refused(on, 'h-credit', letter.trackingNo, 'transfer', transferTo(8), DECIDED);
    });
  });
});

/**
 * Stores a letter with a chosen receipt time (the API always uses the real now). Unless `outbox`, its
 * workflow is marked started so the outbox leaves it alone (the test calls the activity's function).
 */
async function storeLetter(receivedAt: Date, departmentId = 5, outbox = false) {
  const due = h.calendar.deadline(receivedAt, 10);
  const [row] = await h.db
    .insert(letters)
    .values({
      trackingNo: newTrackingNo(receivedAt),
      accessCodeHash: hashSecret(newAccessCode()),
      type: 'complaint',
      firstDepartmentId: departmentId,
      departmentId,
      visitedDepartmentIds: [departmentId],
      writerName: '李四',
      writerPhone: '13900139000',
      subject: '转办时限测试',
      content: '测试内容',
      allowPublication: false,
      receivedAt,
      limitDays: 10,
      dueDate: due.dueDate,
      dueAt: due.dueAt,
      dueProvisional: due.provisional,
      workflowStartedAt: outbox ? null : receivedAt,
    })
    .returning();
  return row!;
}

describe('Art. 22 "立即转交": a transfer later than TRANSFER_EXPECTED_WORKING_DAYS (1) after receipt is marked late', () => {
  it('through the API: on the receipt day on time; 10 days after receipt late (event flag, staff timeline)', async () => {
    const onTime = await submitStarted(h);
    const moved = await ok(h, 'h-registration', onTime.trackingNo, 'transfer', transferTo(7));
    expect(moved.timeline.at(-1)).toMatchObject({ kind: 'transferred', late: false });

    // Received ten days before the workflow's clock: at least six working days have passed.
    const receivedAt = new Date((await h.testEnv!.currentTimeMs()) - 10 * 86_400_000);
    const stored = await storeLetter(receivedAt, 5, true);
    await h.startPending();
    await waitFor(async () => (await rowOf(h, stored.trackingNo)).workflowStartedAt, 'workflow start');
    const late = await ok(h, 'h-registration', stored.trackingNo, 'transfer', transferTo(7));
    expect(late).toMatchObject({ departmentId: 7, status: 'processing' });
    expect(late.timeline.at(-1)).toMatchObject({ kind: 'transferred', late: true });
    const [event] = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, stored.id), eq(letterEvents.kind, 'transferred')));
    expect(event!.late).toBe(true);
    expect(event!.data).toEqual({ expectedBy: h.calendar.deadline(receivedAt, 1).dueAtIso });

    const page = async (trackingNo: string) =>
      (
        await h.app.inject({
          method: 'GET',
          url: `/staff/cases/${trackingNo}`,
          cookies: { amr_session: await token(h, 'office') },
        })
      ).body;
    expect(await page(stored.trackingNo)).toMatch(/<p class="what">转办（超时转办）<span class="who">/);
    expect(await page(onTime.trackingNo)).toMatch(/<p class="what">转办<span class="who">/);
    expect(await page(onTime.trackingNo)).not.toContain('超时转办');
    // The writer's timeline does not carry the internal flag.
    const writer = await h.app.inject({
      method: 'GET',
      url: `/api/letters/${onTime.trackingNo}`,
      headers: { 'x-access-code': onTime.accessCode, 'x-forwarded-for': `10.5.1.${++ipSeq}` },
    });
    expect(JSON.stringify(writer.json())).not.toContain('late');
  });

  // 2026 National Day: 1–7 October off; Sunday 20 September and Saturday 10 October worked (国办发明电〔2025〕7号).
  const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
  const at = (china: string) => parseChinaInstant(china)!;
  let seq = 0;
  async function transferAt(receivedChina: string, transferredChina: string) {
    const row = await storeLetter(at(receivedChina));
    const me = await viewerOf('h-registration');
    const acting = { staffId: me.staff!.id, username: 'h-registration', roles: ['handler'], departmentId: 5 };
    await applyCaseAction(deps(), row.id, { kind: 'transfer', ...transferTo(7) }, acting, `test-late-${++seq}`, at(transferredChina));
    const [event] = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.kind, 'transferred')));
    return event!;
  }

  it('across the National Day holiday: received Wednesday 30 September, on time to Thursday 8 October 24:00, late after', async () => {
    expect((await transferAt('2026-09-30T10:00', '2026-10-08T23:59:59')).late).toBe(false);
    const late = await transferAt('2026-09-30T10:00', '2026-10-09T00:00:01');
    expect(late.late).toBe(true);
    expect(late.data).toEqual({ expectedBy: '2026-10-08T23:59:59.999+08:00' });
  });

  it('on the make-up Saturday: received Friday 9 October, on time on Saturday 10 October, late on Sunday 11 October', async () => {
    expect((await transferAt('2026-10-09T16:00', '2026-10-10T22:00')).late).toBe(false);
    expect((await transferAt('2026-10-09T16:00', '2026-10-11T08:00')).late).toBe(true);
  });

  it('late transfers are counted per transferring department over a period of China dates, both days included', async () => {
    // 登记注册局's four transfers above, dated 8–11 October 2026 (two late); an on-time one by 信用监督管理处 on 9 October.
    const credit = await storeLetter(at('2026-10-09T09:00'), 6);
    const me = await viewerOf('h-credit');
    const acting = { staffId: me.staff!.id, username: 'h-credit', roles: ['handler'], departmentId: 6 };
    await applyCaseAction(deps(), credit.id, { kind: 'transfer', ...transferTo(8) }, acting, 'test-late-credit', at('2026-10-09T11:00'));
    const office = await viewerOf('office');
    expect(await lateTransfersByDepartment(deps(), office, { from: '2026-10-01', to: '2026-10-31' })).toEqual([
      { departmentId: 5, departmentName: '登记注册局', transfers: 4, late: 2 },
      { departmentId: 6, departmentName: '信用监督管理处', transfers: 1, late: 0 },
    ]);
    // Day bounds are China midnights: 9 October holds the late 00:00:01 transfer and the credit one.
    expect(await lateTransfersByDepartment(deps(), office, { from: '2026-10-09', to: '2026-10-09' })).toEqual([
      { departmentId: 5, departmentName: '登记注册局', transfers: 1, late: 1 },
      { departmentId: 6, departmentName: '信用监督管理处', transfers: 1, late: 0 },
    ]);
    expect(await lateTransfersByDepartment(deps(), office, { from: '2026-10-10', to: '2026-10-10' })).toEqual([
      { departmentId: 5, departmentName: '登记注册局', transfers: 1, late: 0 },
    ]);
    expect(await lateTransfersByDepartment(deps(), office, { from: '2026-09-01', to: '2026-09-30' })).toEqual([]);
    // A department's handler is not given the bureau's figures; a reversed period is a 400 with the field.
    await expect(lateTransfersByDepartment(deps(), me, { from: '2026-10-01', to: '2026-10-31' })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(lateTransfersByDepartment(deps(), office, { from: '2026-10-31', to: '2026-10-01' })).rejects.toMatchObject({
      statusCode: 400,
      fields: { to: '结束日期不能早于开始日期' },
    });
  });
});

describe('Art. 22: who is told, through the notification outbox, each notice once', () => {
  const noticesOf = async (letterId: number) =>
    (await h.db.select().from(notifications).where(eq(notifications.letterId, letterId)).orderBy(asc(notifications.id))).map((n) => ({
      kind: n.kind,
      recipients: n.recipients,
      status: n.status,
    }));

  it('transfer → the receiving department; dispute → the office; decision → lead and assisting departments', async () => {
    const letter = await submitStarted(h);
    await ok(h, 'h-registration', letter.trackingNo, 'transfer', transferTo(7));
    await ok(h, 'h-enforcement', letter.trackingNo, 'dispute', { reason: '应由信用监督管理处办理' });
    await ok(h, 'office', letter.trackingNo, 'arbitrate', { leadDepartmentId: 6, assistingDepartmentIds: [7], note: '信用处牵头' });
    const expected = [
      { kind: 'department_transferred', recipients: ['enforcement@amr.test'], status: expect.any(String) },
      { kind: 'writer_transferred', recipients: ['zhangsan@example.com'], status: expect.any(String) },
      { kind: 'office_disputed', recipients: ['office@amr.test'], status: expect.any(String) },
      { kind: 'department_arbitrated', recipients: ['credit@amr.test'], status: expect.any(String) },
      { kind: 'department_arbitrated', recipients: ['enforcement@amr.test'], status: expect.any(String) },
    ];
    expect(await noticesOf(letter.id)).toEqual(expected);
    const [transferNotice] = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.letterId, letter.id), eq(notifications.kind, 'department_transferred')));
    expect(transferNotice!.subject).toBe(`【局长信箱】转办来信：${letter.trackingNo}`);
    expect(transferNotice!.text).toContain('由登记注册局转至你处办理');
    expect(transferNotice!.text).toContain('转办理由：属于其他处室职责');
    const decisions = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.letterId, letter.id), eq(notifications.kind, 'department_arbitrated')));
    expect(decisions.map((d) => d.subject)).toEqual([
      `【局长信箱】办公室协调确定由你处牵头办理：${letter.trackingNo}`,
      `【局长信箱】办公室协调确定由你处协办：${letter.trackingNo}`,
    ]);

    // A retried activity (the same event keys the workflow used) enqueues nothing more.
    const actions = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, letter.id), inArray(letterEvents.kind, ['transferred', 'disputed', 'arbitrated'])))
      .orderBy(asc(letterEvents.id));
    expect(actions.map((e) => e.kind)).toEqual(['transferred', 'disputed', 'arbitrated']);
    const deps = { db: h.db, calendar: h.calendar, env: h.env };
    const registration = await viewerOf('h-registration');
    const acting = { staffId: registration.staff!.id, username: 'h-registration', roles: ['handler'], departmentId: 5 };
    const retried: [(typeof actions)[number], CaseAction][] = [
      [actions[0]!, { kind: 'transfer', ...transferTo(7) }],
      [actions[1]!, { kind: 'dispute', reason: '应由信用监督管理处办理' }],
      [actions[2]!, { kind: 'arbitrate', leadDepartmentId: 6, assistingDepartmentIds: [7], note: '信用处牵头' }],
    ];
    for (const [e, action] of retried) {
      await applyCaseAction(deps, letter.id, action, acting, e.eventKey, e.at);
    }
    expect(await noticesOf(letter.id)).toEqual(expected);
  });

  it('escalation and a transfer sent back (disputed) → the office, once each', async () => {
    const escalated = await submitStarted(h);
    await ok(h, 'h-registration', escalated.trackingNo, 'escalate', { reason: '涉及多个处室', departmentIds: [5, 6] });
    expect((await noticesOf(escalated.id)).map((n) => [n.kind, n.recipients])).toEqual([['office_escalated', ['office@amr.test']]]);

    const back = await submitStarted(h, { writer: { name: '张三', phone: '13800138000' } });
    await ok(h, 'h-registration', back.trackingNo, 'transfer', transferTo(7));
    await ok(h, 'h-enforcement', back.trackingNo, 'transfer', transferTo(5, '应由登记注册局办理'));
    expect((await noticesOf(back.id)).map((n) => [n.kind, n.recipients])).toEqual([
      ['department_transferred', ['enforcement@amr.test']],
      ['office_transfer_disputed', ['office@amr.test']],
    ]);
    const [office] = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.letterId, back.id), eq(notifications.kind, 'office_transfer_disputed')));
    expect(office!.text).toContain('执法稽查局将信件转回已办过该信的处室');
    expect(office!.text).toContain('理由：应由登记注册局办理');
  });

  it('a department without notice addresses gets its notice held in the outbox, not lost', async () => {
    const letter = await submitStarted(h);
    await ok(h, 'h-registration', letter.trackingNo, 'transfer', transferTo(8));
    expect((await noticesOf(letter.id)).find((n) => n.kind === 'department_transferred')).toEqual({
      kind: 'department_transferred',
      recipients: [],
      status: 'held',
    });
  });
});
