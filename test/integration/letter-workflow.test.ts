import { Client } from '@temporalio/client';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { chinaDayOf, parseChinaInstant } from '../../src/calendar/china-time.js';
import { applyCaseAction } from '../../src/mailbox/service/apply-case-action.js';
import { markDeadlineEvent } from '../../src/mailbox/service/case-records.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { signalChangedDeadlines } from '../../src/mailbox/calendar-follow.js';
import { startPendingWorkflows } from '../../src/mailbox/workflow-starter.js';
import { workflowIdOf } from '../../workflows/messages.js';
import { fromClient } from '../../src/temporal/gateway.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { storeLetter as storeLetterIn } from '../support/letters.js';
import { waitFor } from '../support/wait.js';

// The letter workflow on Temporal's time-skipping test server, with the real worker, activities and
// PostgreSQL. The server's clock starts at the real now; tests run in order and move it forward, so
// the API-driven scenarios come first (their receipt time is the real now), then the timer scenarios
// (letters stored with a receipt time on the workflow clock), then late December 2026 → January 2027.

let h: Harness;
const tokens: Record<string, string> = {};
let ipSeq = 0;
let convenienceItemId: number;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  const item = await h.app.inject({
    method: 'POST',
    url: '/api/admin/convenience-items',
    headers: bearer(await token('admin')),
    payload: { name: '营业执照补领', departmentId: 5 },
  });
  convenienceItemId = item.json().id;
});
afterAll(async () => h?.close());

async function token(username: string) {
  tokens[username] ??= await h.login(username);
  return tokens[username];
}

async function rowOf(trackingNo: string) {
  const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  return row!;
}

const settle = () => new Promise((r) => setTimeout(r, 400));

/** Intake through the API (the receipt time is the real now). */
async function submit(over: Record<string, unknown> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter(over),
    headers: { 'x-forwarded-for': `10.3.0.${++ipSeq}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { trackingNo: string; accessCode: string; dueDate: string; dueAt: string };
}

/** Submits and waits until the workflow has reported in. */
async function submitStarted(over: Record<string, unknown> = {}) {
  const letter = await submit(over);
  await h.startPending();
  await waitFor(async () => (await rowOf(letter.trackingNo)).workflowStartedAt, 'workflow start');
  return letter;
}

/** The support helper (test/support/letters.ts) over this file's harness. */
const storeLetter = (o: Parameters<typeof storeLetterIn>[1]) => storeLetterIn(h, o);

async function act(username: string, trackingNo: string, action: string, payload: object) {
  return h.app.inject({ method: 'POST', url: `/api/cases/${trackingNo}/${action}`, headers: bearer(await token(username)), payload });
}
async function ok(username: string, trackingNo: string, action: string, payload: object) {
  const res = await act(username, trackingNo, action, payload);
  expect(res.statusCode, `${username} ${action}: ${res.body}`).toBe(200);
  return res.json();
}
async function refused(username: string, trackingNo: string, action: string, payload: object, message: string) {
  const res = await act(username, trackingNo, action, payload);
  expect(res.statusCode, `${username} ${action}: ${res.body}`).toBe(409);
  expect(res.json().error).toEqual({ code: 'conflict', message });
}
async function writerTimeline(trackingNo: string, accessCode: string) {
  const res = await h.app.inject({
    method: 'GET',
    url: `/api/letters/${trackingNo}`,
    headers: { 'x-access-code': accessCode, 'x-forwarded-for': `10.3.1.${++ipSeq}` },
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}
const kinds = (c: { timeline: { kind: string }[] }) => c.timeline.map((e) => e.kind);

const transferTo = (toDepartmentId: number, reason = '属于其他处室职责') => ({ toDepartmentId, reasonCode: 'not_in_remit', reason });

/** Moves the time-skipping server's clock to a China date-time (e.g. '2026-12-29T10:00'). */
async function skipTo(chinaTime: string) {
  const target = parseChinaInstant(chinaTime)!.getTime();
  const now = await h.testEnv!.currentTimeMs();
  expect(target, `skipTo ${chinaTime}`).toBeGreaterThan(now);
  await h.testEnv!.sleep(target - now);
}

describe('the outbox and the first workflow task', () => {
  it('starts from the outbox; its first activity writes to PostgreSQL', async () => {
    const { trackingNo } = await submit();
    expect((await rowOf(trackingNo)).workflowStartedAt).toBeNull();
    expect(await h.startPending()).toBe(1);
    const started = await waitFor(async () => (await rowOf(trackingNo)).workflowStartedAt, 'workflowStartedAt');
    expect(started).toBeInstanceOf(Date);
    // Running the outbox again starts nothing new.
    expect(await h.startPending()).toBe(0);
    // The first step is a local activity: a marker in the first workflow task, no activity task.
    // (The stamp in PostgreSQL comes before the workflow task that records the marker completes.)
    const history = async () => (await h.temporal.client.workflow.getHandle(workflowIdOf(trackingNo)).fetchHistory()).events!;
    await waitFor(async () => (await history()).some((e) => e.markerRecordedEventAttributes), 'local activity marker');
    const events = await history();
    expect(events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? [])).toEqual(['core_patch', 'core_local_activity']);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
  });

  it("a starter whose client shares the worker's NativeConnection asks for an eager start, and the letter starts", async () => {
    const shared = fromClient(new Client({ connection: h.testEnv!.nativeConnection }), h.temporal.taskQueue);
    const { trackingNo } = await submit();
    expect(await startPendingWorkflows(h.db, shared)).toBe(1);
    await waitFor(async () => (await rowOf(trackingNo)).workflowStartedAt, 'workflowStartedAt');
  });

  it('a pass skips the letters the starter has just started (exclude), and reports each one it starts', async () => {
    const a = await submit();
    const b = await submit();
    const idA = (await rowOf(a.trackingNo)).id;
    const idB = (await rowOf(b.trackingNo)).id;
    const reported: number[] = [];
    expect(await startPendingWorkflows(h.db, h.temporal, { exclude: [idA], onStarted: (id) => reported.push(id) })).toBe(1);
    expect(reported).toEqual([idB]);
    await waitFor(async () => (await rowOf(b.trackingNo)).workflowStartedAt, 'b started');
    expect((await rowOf(a.trackingNo)).workflowStartedAt).toBeNull();
    // Once out of the window (no longer excluded), a letter that never reported in is started.
    expect(await startPendingWorkflows(h.db, h.temporal, { exclude: [idB] })).toBe(1);
    await waitFor(async () => (await rowOf(a.trackingNo)).workflowStartedAt, 'a started');
  });

  it('the outbox can start several workflows at once; each starts exactly once', async () => {
    const submitted = [await submit(), await submit(), await submit()];
    expect(await startPendingWorkflows(h.db, h.temporal, { concurrency: 3 })).toBe(3);
    for (const { trackingNo } of submitted) await waitFor(async () => (await rowOf(trackingNo)).workflowStartedAt, `${trackingNo} started`);
    expect(await startPendingWorkflows(h.db, h.temporal, { concurrency: 3 })).toBe(0);
  });

  it('an action on a letter still in the outbox starts its workflow and is applied', async () => {
    const { trackingNo } = await submit();
    const c = await ok('h-registration', trackingNo, 'transfer', transferTo(7));
    expect(c).toMatchObject({ departmentId: 7, status: 'processing' });
    expect((await rowOf(trackingNo)).workflowStartedAt).toBeInstanceOf(Date);
  });
});

describe('staff actions through the workflow update', () => {
  it('transfer: the case moves with its deadline, the writer sees it with the reason, the old department is read-only', async () => {
    const letter = await submitStarted();
    const c = await ok('h-registration', letter.trackingNo, 'transfer', transferTo(7, '涉及无照经营，属执法稽查局职责'));
    expect(c).toMatchObject({
      departmentId: 7,
      departmentName: '执法稽查局',
      status: 'processing',
      dueDate: letter.dueDate,
      readOnly: true,
    });
    expect(c.timeline.at(-1)).toMatchObject({
      kind: 'transferred',
      isPublic: true,
      departmentId: 5,
      toDepartmentId: 7,
      reasonCode: 'not_in_remit',
      text: '涉及无照经营，属执法稽查局职责',
      actor: '登记注册局经办人',
    });
    // The deadline runs from receipt: a transfer does not reset it.
    expect((await rowOf(letter.trackingNo)).dueAt.toISOString()).toBe(new Date(letter.dueAt).toISOString());

    const w = await writerTimeline(letter.trackingNo, letter.accessCode);
    expect(w.department).toEqual({ id: 7, name: '执法稽查局' });
    expect(w.timeline.map((e: { kind: string; title: string; text: string | null }) => [e.kind, e.title, e.text])).toEqual([
      ['received', '来信已收到', null],
      ['transferred', '已转至执法稽查局办理', '涉及无照经营，属执法稽查局职责'],
    ]);

    // The department the case left: read-only (403 to act), a department never involved: 404.
    const view = await h.app.inject({
      method: 'GET',
      url: `/api/cases/${letter.trackingNo}`,
      headers: bearer(await token('h-registration')),
    });
    expect(view.json().readOnly).toBe(true);
    const res403 = await act('h-registration', letter.trackingNo, 'answer', { content: '答复' });
    expect(res403.statusCode).toBe(403);
    expect(res403.json().error.message).toBe('该信件已不在本处室，只能查看');
    expect((await act('h-credit', letter.trackingNo, 'answer', { content: '答复' })).statusCode).toBe(404);
    expect(
      (await h.app.inject({ method: 'GET', url: `/api/cases/${letter.trackingNo}`, headers: bearer(await token('h-credit')) })).statusCode,
    ).toBe(404);

    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.recordId, letter.trackingNo), eq(auditLog.action, 'letter.transfer')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUsername: 'h-registration',
      actorRole: 'handler',
      before: { departmentId: 5 },
      after: { departmentId: 7 },
    });
  });

  it('ping-pong: a transfer back goes to the office, which decides lead and assisting departments; assisting opinions; answer', async () => {
    const letter = await submitStarted();
    await ok('h-registration', letter.trackingNo, 'transfer', transferTo(7));
    const back = await ok('h-enforcement', letter.trackingNo, 'transfer', transferTo(5, '应由登记注册局办理'));
    expect(back).toMatchObject({ status: 'in_arbitration', departmentId: 7 });
    expect(back.timeline.at(-1)).toMatchObject({ kind: 'transfer_disputed', toDepartmentId: 5, text: '应由登记注册局办理' });
    // While the office decides, neither department can answer or transfer.
    await refused('h-enforcement', letter.trackingNo, 'answer', { content: '答复' }, '信件正由办公室协调，暂不能答复');
    await refused('h-enforcement', letter.trackingNo, 'transfer', transferTo(6), '信件正由办公室协调，暂不能转办');
    // Only the office arbitrates: another role is refused for its role (403), not for the case's state (409).
    const notOffice = await act('h-enforcement', letter.trackingNo, 'arbitrate', { leadDepartmentId: 7, note: '我来' });
    expect(notOffice.statusCode, notOffice.body).toBe(403);
    expect(notOffice.json().error.code).toBe('forbidden');

    const decided = await ok('office', letter.trackingNo, 'arbitrate', {
      leadDepartmentId: 5,
      assistingDepartmentIds: [6, 5],
      note: '由登记注册局牵头，信用处协办',
    });
    expect(decided).toMatchObject({ status: 'processing', departmentId: 5, assistingDepartmentIds: [6], dueDate: letter.dueDate });

    // The assisting department gives an opinion (internal), and cannot answer.
    const opinion = await ok('h-credit', letter.trackingNo, 'opinions', { content: '该企业已列入经营异常名录' });
    expect(opinion.timeline.at(-1)).toMatchObject({ kind: 'opinion', isPublic: false, departmentId: 6, text: '该企业已列入经营异常名录' });
    await refused('h-credit', letter.trackingNo, 'answer', { content: '答复' }, '只有当前承办处室可以答复');
    await refused('h-registration', letter.trackingNo, 'opinions', { content: '牵头处室不写协办意见' }, '只有协办处室可以提交协办意见');

    const answered = await ok('l-registration', letter.trackingNo, 'answer', { content: '经核查，已责令商家退货。' });
    expect(answered).toMatchObject({ status: 'answered', answer: '经核查，已责令商家退货。', closedLate: false });
    expect(kinds(answered)).toEqual(['received', 'transferred', 'transfer_disputed', 'arbitrated', 'opinion', 'answered']);

    const w = await writerTimeline(letter.trackingNo, letter.accessCode);
    expect(w.status).toBe('answered');
    expect(w.answer.content).toBe('经核查，已责令商家退货。');
    // Internal opinions are not on the writer's timeline.
    expect(w.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'received',
      'transferred',
      'transfer_disputed',
      'arbitrated',
      'answered',
    ]);
    // Only the transfer's stated reason reaches the writer; the office's deliberation stays internal.
    expect(w.timeline.map((e: { text: string | null }) => e.text !== null)).toEqual([false, true, false, false, false]);
  });

  it('dispute: the receiving department objects, the office decides; a case that was not transferred cannot be disputed', async () => {
    const letter = await submitStarted();
    await refused('h-registration', letter.trackingNo, 'dispute', { reason: '不是我们的' }, '该信件不是转办来的，无需提出异议');
    await ok('h-registration', letter.trackingNo, 'transfer', transferTo(7));
    // The sending department no longer has the case: it cannot dispute (or do anything else).
    expect((await act('h-registration', letter.trackingNo, 'dispute', { reason: '?' })).statusCode).toBe(403);
    const disputed = await ok('h-enforcement', letter.trackingNo, 'dispute', { reason: '无照经营线索不足，应由登记注册局核实' });
    expect(disputed).toMatchObject({ status: 'in_arbitration', departmentId: 7 });
    expect(disputed.timeline.at(-1)).toMatchObject({ kind: 'disputed', toDepartmentId: 5 });
    await refused('h-enforcement', letter.trackingNo, 'dispute', { reason: '再次' }, '信件已在办公室协调中');
    const decided = await ok('office', letter.trackingNo, 'arbitrate', { leadDepartmentId: 7, note: '仍由执法稽查局办理' });
    expect(decided).toMatchObject({ status: 'processing', departmentId: 7, assistingDepartmentIds: [] });
    // After arbitration the transfer can no longer be disputed.
    await refused('h-enforcement', letter.trackingNo, 'dispute', { reason: '还是不服' }, '该信件不是转办来的，无需提出异议');
  });

  it('escalation ends in arbitration; arbitrating a case not in coordination is a 409', async () => {
    const letter = await submitStarted();
    await refused('office', letter.trackingNo, 'arbitrate', { leadDepartmentId: 6, note: '协调' }, '信件不在协调中');
    const escalated = await ok('h-registration', letter.trackingNo, 'escalate', {
      reason: '涉及登记和信用两个处室',
      departmentIds: [5, 6],
    });
    expect(escalated).toMatchObject({ status: 'in_arbitration', departmentId: 5 });
    expect(escalated.timeline.at(-1)).toMatchObject({ kind: 'escalated', data: { departmentIds: [5, 6] } });
    await refused('h-registration', letter.trackingNo, 'escalate', { reason: '再次' }, '信件已在办公室协调中');
    const decided = await ok('office', letter.trackingNo, 'arbitrate', {
      leadDepartmentId: 6,
      assistingDepartmentIds: [5],
      note: '由信用处牵头',
    });
    expect(decided).toMatchObject({ status: 'processing', departmentId: 6, assistingDepartmentIds: [5], readOnly: false });
    // The former lead is now an assisting department: it may give opinions but not answer.
    await ok('h-registration', letter.trackingNo, 'opinions', { content: '登记信息已核实' });
    await refused('h-registration', letter.trackingNo, 'answer', { content: '答复' }, '只有当前承办处室可以答复');
    await ok('h-credit', letter.trackingNo, 'answer', { content: '已处理' });
  });

  it('reject: a department requests it, the office confirms; the writer sees the reason', async () => {
    const letter = await submitStarted();
    const requested = await ok('h-registration', letter.trackingNo, 'reject', { reasonCode: 'duplicate', reason: '与 261120-ABCDE 重复' });
    expect(requested).toMatchObject({
      status: 'in_arbitration',
      pendingRejection: { reasonCode: 'duplicate', reason: '与 261120-ABCDE 重复' },
    });
    await refused('h-registration', letter.trackingNo, 'reject', { reasonCode: 'duplicate', reason: '再次' }, '信件正由办公室协调');
    await refused('h-registration', letter.trackingNo, 'answer', { content: '答复' }, '信件正由办公室协调，暂不能答复');
    const rejected = await ok('office', letter.trackingNo, 'reject', {
      reasonCode: 'duplicate',
      reason: '重复来信，已在 261120-ABCDE 中答复',
    });
    expect(rejected).toMatchObject({ status: 'rejected', pendingRejection: null });
    await refused('h-registration', letter.trackingNo, 'answer', { content: '答复' }, '该信件已不予受理');
    const w = await writerTimeline(letter.trackingNo, letter.accessCode);
    expect(w).toMatchObject({ status: 'rejected', statusLabel: '不予受理' });
    expect(w.timeline.at(-1)).toMatchObject({ kind: 'rejected', title: '不予受理', text: '重复来信，已在 261120-ABCDE 中答复' });
    // The request itself is internal.
    expect(w.timeline.map((e: { kind: string }) => e.kind)).toEqual(['received', 'rejected']);
  });

  it('the office declines a rejection request by arbitrating; the department then answers', async () => {
    const letter = await submitStarted();
    await ok('h-registration', letter.trackingNo, 'reject', { reasonCode: 'no_content', reason: '无实质内容' });
    const back = await ok('office', letter.trackingNo, 'arbitrate', { leadDepartmentId: 5, note: '有实质内容，请办理' });
    expect(back).toMatchObject({ status: 'processing', pendingRejection: null, departmentId: 5 });
    await ok('h-registration', letter.trackingNo, 'answer', { content: '已办理' });
  });

  it('answering twice is a 409; so is any later action', async () => {
    const letter = await submitStarted();
    await ok('h-registration', letter.trackingNo, 'answer', { content: '第一次答复' });
    await refused('h-registration', letter.trackingNo, 'answer', { content: '第二次答复' }, '该信件已答复办结');
    await refused('h-registration', letter.trackingNo, 'transfer', transferTo(7), '该信件已答复办结');
    await refused('office', letter.trackingNo, 'reject', { reasonCode: 'duplicate', reason: '重复' }, '该信件已答复办结');
    const row = await rowOf(letter.trackingNo);
    expect(row.answer).toBe('第一次答复');
    const events = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.kind, 'answered')));
    expect(events).toHaveLength(1);
  });

  it('two answers at the same moment: one is applied, the other is a 409', async () => {
    const letter = await submitStarted();
    const results = await Promise.all([
      act('h-registration', letter.trackingNo, 'answer', { content: '答复甲' }),
      act('l-registration', letter.trackingNo, 'answer', { content: '答复乙' }),
    ]);
    expect(results.map((r) => r.statusCode).sort(), results.map((r) => r.body).join('\n')).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().error.message).toBe('该信件已答复办结');
    const row = await rowOf(letter.trackingNo);
    const events = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.kind, 'answered')));
    expect(events).toHaveLength(1);
    expect(events[0]!.text).toBe(row.answer);
  });

  it('a transfer to a department deactivated after the letter arrived is a 400', async () => {
    const letter = await submitStarted();
    const admin = await token('admin');
    const dept = await h.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: bearer(admin),
      payload: { code: 'merged-unit', name: '已合并处室' },
    });
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/departments/${dept.json().id}`,
      headers: bearer(admin),
      payload: { active: false },
    });
    const res = await act('h-registration', letter.trackingNo, 'transfer', transferTo(dept.json().id));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['body.toDepartmentId']).toBe('处室不存在或已停用');
    expect((await rowOf(letter.trackingNo)).departmentId).toBe(5);
  });

  it('activities are idempotent: a retried action or deadline event with the same key writes once', async () => {
    const letter = await submit(); // no workflow: call the activities' functions directly
    const row = await rowOf(letter.trackingNo);
    const deps = { db: h.db, calendar: h.calendar, env: h.env };
    const handler = { staffId: await staffId('h-registration'), username: 'h-registration', roles: ['handler'], departmentId: 5 };
    const now = new Date();
    const first = await applyCaseAction(deps, row.id, { kind: 'escalate', reason: '测试', departmentIds: [] }, handler, 'test-key-1', now);
    expect(first.status).toBe('in_arbitration');
    // The retry finds its event: no second event, no second audit row, and no refusal (the state moved on).
    const again = await applyCaseAction(deps, row.id, { kind: 'escalate', reason: '测试', departmentIds: [] }, handler, 'test-key-1', now);
    expect(again).toEqual(first);
    await markDeadlineEvent(deps, row.id, 'overdue', new Date(row.dueAt.getTime() + 1));
    await markDeadlineEvent(deps, row.id, 'overdue', new Date(row.dueAt.getTime() + 2));
    const events = await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, row.id)).orderBy(asc(letterEvents.id));
    expect(events.map((e) => e.kind)).toEqual(['received', 'escalated', 'overdue']);
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.recordId, letter.trackingNo), eq(auditLog.action, 'letter.escalate')));
    expect(audits).toHaveLength(1);
    // A deadline event before its time is a no-op (a stale timer after the deadline moved).
    const fresh = await rowOf((await submit()).trackingNo);
    const s = await markDeadlineEvent(deps, fresh.id, 'overdue', new Date());
    expect(s.overdue).toBe(false);
    expect((await rowOf(fresh.trackingNo)).overdue).toBe(false);
  });
});

async function staffId(username: string) {
  const res = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await token(username)) });
  return res.json().id as number;
}

describe('timers on the workflow clock', () => {
  it('fires due-soon and overdue at the China-time deadline, and an answer after it is still recorded as late', async () => {
    const { trackingNo, dueAt } = await submitStarted({ type: 'inquiry' });
    const due = Date.parse(dueAt);
    // One minute before the deadline: due soon, not overdue.
    await h.testEnv!.sleep(due - 60_000 - (await h.testEnv!.currentTimeMs()));
    await waitFor(async () => (await rowOf(trackingNo)).dueSoon, 'dueSoon');
    expect((await rowOf(trackingNo)).overdue).toBe(false);
    // Two minutes later: overdue.
    await h.testEnv!.sleep(120_000);
    const row = await waitFor(async () => {
      const r = await rowOf(trackingNo);
      return r.overdue && r;
    }, 'overdue');
    expect(row.status).toBe('processing');

    const answered = await ok('h-registration', trackingNo, 'answer', { content: '已答复：请按规定办理。' });
    expect(answered).toMatchObject({ status: 'answered', closedLate: true, overdue: true });
    expect(kinds(answered)).toEqual(['received', 'due_soon', 'overdue', 'answered']);
  });

  it('reclassification recomputes the deadline from the original receipt, and the timers follow it', async () => {
    const nowMs = await h.testEnv!.currentTimeMs();
    const letter = await storeLetter({ type: 'complaint', receivedAt: new Date(nowMs) });
    await h.startPending();
    await waitFor(async () => (await rowOf(letter.trackingNo)).workflowStartedAt, 'workflow start');
    const cal = h.calendar.current;
    const receiptDay = chinaDayOf(letter.receivedAt);
    const dayIso = (n: number) => new Date(cal.addWorkingDays(receiptDay, n) * 86_400_000).toISOString().slice(0, 10);
    expect(letter.dueDate).toBe(dayIso(10));

    const asInquiry = await ok('h-registration', letter.trackingNo, 'reclassify', { type: 'inquiry', reason: '实为咨询' });
    expect(asInquiry).toMatchObject({ type: 'inquiry', limitDays: 2, dueDate: dayIso(2), dueSoon: false });
    expect(asInquiry.timeline.at(-1)).toMatchObject({
      kind: 'reclassified',
      isPublic: false,
      data: { type: 'inquiry', convenienceItemId: null, dueDate: dayIso(2) },
    });

    // Due soon now follows the new deadline: the start of working day 1.
    await skipTo(`${dayIso(1)}T00:00:30`);
    await waitFor(async () => (await rowOf(letter.trackingNo)).dueSoon, 'dueSoon after reclassification');

    // The office makes it a convenience-list complaint: 3 working days; due soon clears (day 2 not yet begun).
    const asConvenience = await ok('office', letter.trackingNo, 'reclassify', {
      type: 'complaint',
      convenienceItemId,
      reason: '属便民服务事项',
    });
    expect(asConvenience).toMatchObject({
      type: 'complaint',
      convenienceItemId,
      // Filed under the item by the reclassification: the name it has now is kept with the letter.
      convenienceItem: { id: convenienceItemId, nameWhenFiled: '营业执照补领', name: '营业执照补领', active: true },
      limitDays: 3,
      dueDate: dayIso(3),
      dueSoon: false,
      overdue: false,
    });
    await skipTo(`${dayIso(2)}T00:00:30`);
    await waitFor(async () => (await rowOf(letter.trackingNo)).dueSoon, 'dueSoon on the 3-day deadline');
    expect((await rowOf(letter.trackingNo)).overdue).toBe(false);
    await skipTo(`${dayIso(4)}T00:00:30`);
    await waitFor(async () => (await rowOf(letter.trackingNo)).overdue, 'overdue on the 3-day deadline');

    // Back to an ordinary complaint after the 3-day deadline passed: no longer overdue; the timers re-arm.
    const asComplaint = await ok('h-registration', letter.trackingNo, 'reclassify', { type: 'complaint', reason: '不属便民服务事项' });
    expect(asComplaint).toMatchObject({ limitDays: 10, dueDate: dayIso(10), overdue: false, dueSoon: false });
    await skipTo(`${dayIso(9)}T00:00:30`);
    await waitFor(async () => (await rowOf(letter.trackingNo)).dueSoon, 'dueSoon on the 10-day deadline');
    await skipTo(`${dayIso(11)}T00:00:30`);
    await waitFor(async () => (await rowOf(letter.trackingNo)).overdue, 'overdue on the 10-day deadline');
    const events = await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, letter.id)).orderBy(asc(letterEvents.id));
    expect(events.map((e) => e.kind)).toEqual([
      'received',
      'reclassified',
      'due_soon',
      'reclassified',
      'due_soon',
      'overdue',
      'reclassified',
      'due_soon',
      'overdue',
    ]);
  });
});

// 2027 as a fixture notice: New Year from Thursday 31 December to Sunday 3 January, and Sunday
// 10 January a make-up working day.
const NOTICE_2027 = {
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number: '国办发明电〔2026〕99号', date: '2026-12-20' },
  holidays: [{ name: '元旦', dates: ['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'] }],
  adjustedWorkdays: [{ name: '元旦', dates: ['2027-01-10'] }],
};

describe('late December 2026: provisional deadlines, the 2027 notice, holidays and a make-up Sunday', () => {
  const L: Record<string, Awaited<ReturnType<typeof storeLetter>>> = {};
  const due = async (name: string) => rowOf(L[name]!.trackingNo);
  const flag = async (name: string, f: 'dueSoon' | 'overdue') => (await due(name))[f];

  it('letters received 2026-12-29 have provisional deadlines by the weekday rule', async () => {
    await skipTo('2026-12-29T10:00');
    const receivedAt = new Date(await h.testEnv!.currentTimeMs());
    L.inquiry = await storeLetter({ type: 'inquiry', receivedAt });
    L.convenience = await storeLetter({ type: 'complaint', convenienceItemId, receivedAt });
    L.complaint = await storeLetter({ type: 'complaint', receivedAt });
    L.suggestion = await storeLetter({ type: 'suggestion', receivedAt, departmentId: 7 });
    L.report = await storeLetter({ type: 'report', receivedAt, departmentId: 8 });
    // Received on Thursday 24 December: its deadline will fall on the make-up Sunday.
    L.early = await storeLetter({ type: 'complaint', receivedAt: parseChinaInstant('2026-12-24T10:00')! });
    await h.startPending();
    for (const name of Object.keys(L)) await waitFor(async () => (await due(name)).workflowStartedAt, `start ${name}`);

    const expected = {
      inquiry: '2026-12-31',
      convenience: '2027-01-01',
      complaint: '2027-01-12',
      suggestion: '2027-01-12',
      report: '2027-01-12',
      early: '2027-01-07',
    };
    for (const [name, date] of Object.entries(expected)) {
      expect(await due(name), name).toMatchObject({ dueDate: date, dueProvisional: true });
    }
  });

  it('loading 2027 (PUT → NOTIFY → onChange → signalChangedDeadlines) recomputes them from the original receipt', async () => {
    const changed = new Promise<number>((resolve) => {
      const off = h.calendar.onChange(() => {
        off();
        // As the worker process does on every calendar change (followCalendarChanges), on the workflow clock.
        void h.testEnv!.currentTimeMs().then((ms) => signalChangedDeadlines(h.db, h.temporal, h.calendar, new Date(ms)).then(resolve));
      });
    });
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: bearer(await token('admin')),
      payload: NOTICE_2027,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, status: 'official', source: 'loaded' });
    expect(await changed).toBeGreaterThanOrEqual(6);

    const expected = {
      inquiry: '2027-01-04',
      convenience: '2027-01-05',
      complaint: '2027-01-13',
      suggestion: '2027-01-13',
      report: '2027-01-13',
      early: '2027-01-10',
    };
    for (const [name, date] of Object.entries(expected)) {
      const row = await waitFor(async () => {
        const r = await due(name);
        return !r.dueProvisional && r;
      }, `recompute ${name}`);
      expect(row.dueDate, name).toBe(date);
      expect(row.dueAt.toISOString(), name).toBe(parseChinaInstant(`${date}T23:59:59.999`)!.toISOString());
      expect(row.receivedAt.getTime()).toBe(L[name]!.receivedAt.getTime());
    }
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.recordId, L.inquiry!.trackingNo), eq(auditLog.action, 'letter.deadline_recomputed')));
    expect(audits[0]).toMatchObject({
      actorUsername: 'system:calendar',
      before: { dueDate: '2026-12-31', provisional: true },
      after: { dueDate: '2027-01-04', provisional: false },
    });

    // The explanation counts the make-up Sunday and skips the holiday.
    const res = await h.app.inject({ method: 'GET', url: `/api/cases/${L.early!.trackingNo}`, headers: bearer(await token('office')) });
    const days = res.json().deadlineExplanation as { date: string; counted: boolean; reason: string }[];
    expect(days.find((d) => d.date === '2026-12-31')).toMatchObject({ counted: false, reason: '法定节假日（元旦）' });
    expect(days.find((d) => d.date === '2027-01-09')).toMatchObject({ counted: false, reason: '周末休息日' });
    expect(days.at(-1)).toMatchObject({ date: '2027-01-10', counted: true, reason: '调休上班日，第10个工作日' });
    expect(res.json()).toMatchObject({ dueDate: '2027-01-10', dueProvisional: false });

    // A second pass finds no deadline the calendar would still change.
    expect(await signalChangedDeadlines(h.db, h.temporal, h.calendar, new Date(await h.testEnv!.currentTimeMs()))).toBe(0);
  });

  it('an inquiry due Monday 4 January: due soon from Wednesday 30 December (the holiday is skipped), overdue from 5 January', async () => {
    await skipTo('2026-12-29T23:59');
    await settle();
    expect(await flag('inquiry', 'dueSoon')).toBe(false);
    await skipTo('2026-12-30T00:00:30');
    await waitFor(() => flag('inquiry', 'dueSoon'), 'inquiry due soon');
    // Under the old provisional deadlines the convenience complaint would be due soon now, and the inquiry overdue on 1 January.
    await skipTo('2026-12-31T00:00:30');
    await settle();
    expect(await flag('convenience', 'dueSoon')).toBe(false);
    await skipTo('2027-01-01T00:00:30');
    await settle();
    expect(await flag('inquiry', 'overdue')).toBe(false);
    await skipTo('2027-01-04T23:59');
    await settle();
    expect(await flag('inquiry', 'overdue')).toBe(false);
    await skipTo('2027-01-05T00:00:30');
    await waitFor(() => flag('inquiry', 'overdue'), 'inquiry overdue');
  });

  it('a convenience complaint due Tuesday 5 January: due soon from Monday 4 January, overdue from 6 January', async () => {
    // Already past 4 January 00:00 on the clock: it fired on the way here.
    expect(await flag('convenience', 'dueSoon')).toBe(true);
    const ev = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, L.convenience!.id), eq(letterEvents.kind, 'due_soon')));
    expect(ev).toHaveLength(1);
    // Fired on 4 January, China time (at its start; how fast the worker ran is not this test's business).
    expect(chinaDayOf(ev[0]!.at)).toBe(chinaDayOf(parseChinaInstant('2027-01-04T00:00')!));
    await skipTo('2027-01-05T23:59');
    await settle();
    expect(await flag('convenience', 'overdue')).toBe(false);
    await skipTo('2027-01-06T00:00:30');
    await waitFor(() => flag('convenience', 'overdue'), 'convenience overdue');
  });

  it('a complaint due on the make-up Sunday 10 January: due soon from Friday 8 January, overdue only from Monday 11 January', async () => {
    await skipTo('2027-01-07T23:59');
    await settle();
    expect(await flag('early', 'dueSoon')).toBe(false);
    await skipTo('2027-01-08T00:00:30');
    await waitFor(() => flag('early', 'dueSoon'), 'early due soon');
    await skipTo('2027-01-10T23:59');
    await settle();
    expect(await flag('early', 'overdue')).toBe(false);
    await skipTo('2027-01-11T00:00:30');
    await waitFor(() => flag('early', 'overdue'), 'early overdue');
  });

  it('complaint, suggestion and report due Wednesday 13 January (10 working days counting the make-up Sunday)', async () => {
    await skipTo('2027-01-11T23:59');
    await settle();
    for (const n of ['complaint', 'suggestion', 'report']) expect(await flag(n, 'dueSoon'), n).toBe(false);
    await skipTo('2027-01-12T00:00:30');
    for (const n of ['complaint', 'suggestion', 'report']) await waitFor(() => flag(n, 'dueSoon'), `${n} due soon`);
    await skipTo('2027-01-13T23:59');
    await settle();
    for (const n of ['complaint', 'suggestion', 'report']) expect(await flag(n, 'overdue'), n).toBe(false);
    // Answered in time: not late.
    const inTime = await ok('h-enforcement', L.suggestion!.trackingNo, 'answer', { content: '感谢建议' });
    expect(inTime).toMatchObject({ status: 'answered', closedLate: false, overdue: false });
    await skipTo('2027-01-14T00:00:30');
    for (const n of ['complaint', 'report']) await waitFor(() => flag(n, 'overdue'), `${n} overdue`);
    expect(await flag('suggestion', 'overdue')).toBe(false);
    const late = await ok('h-registration', L.complaint!.trackingNo, 'answer', { content: '已处理' });
    expect(late).toMatchObject({ status: 'answered', closedLate: true, overdue: true });
  });
});
