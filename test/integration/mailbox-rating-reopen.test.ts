import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { buildDigests } from '../../src/digest/service.js';
import { openLettersForDigest } from '../../src/mailbox/service/digest-feed.js';
import { rateLetter } from '../../src/mailbox/service/rating.js';
import { mailboxStatistics } from '../../src/mailbox/service/statistics.js';
import { reopenLetter } from '../../src/mailbox/service/reopen.js';
import { letterEvents, letterRatings, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { workflowIdOf } from '../../workflows/messages.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';
import { NOTICE_2027, skippingClock } from '../support/time-skipping.js';
import { waitFor } from '../support/wait.js';

// Issue 14 points 6-7 (局长信箱 measures Art. 22 limits; satisfaction and reopening): the writer rates an
// answer once per round within RATING_WINDOW_WORKING_DAYS (15) working days, a 不满意 goes to the
// general office, which reopens it (new deadline from the reopening under the letter's type, a new run
// of the letter's workflow) or closes it with an explanation the writer sees.
//
// Real now is December 2026, so the workflow scenario runs in early 2027 on Temporal's time-skipping
// server, under a 2027 fixture notice: 春节 Thursday 4 – Wednesday 10 February, Saturday 20 February
// worked (the same fixture as deadline-transfer-clock.test.ts).

let h: Harness;
const tokens: Record<string, string> = {};
const token = async (u: string) => (tokens[u] ??= await h.login(u));
let ipSeq = 0;
const writerIp = () => ({ 'x-forwarded-for': `10.14.${Math.floor(++ipSeq / 200)}.${ipSeq % 200}` });
const at = (chinaTime: string) => parseChinaInstant(chinaTime)!;
const { workflowNow, skipTo } = skippingClock(() => h);
const rowOf = async (id: number) => (await h.db.select().from(letters).where(eq(letters.id, id)))[0]!;
async function viewerOf(username: string): Promise<Viewer> {
  const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await token(username)) });
  return { staff: me.json(), ip: '127.0.0.1', requestId: 'rating-test' };
}
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });

/** A letter already answered at `answeredAt` (no workflow: nothing in these cases needs one). */
async function answeredLetter(answeredAt: Date, over: Partial<typeof letters.$inferInsert> = {}) {
  return storeLetter(h, {
    type: 'complaint',
    receivedAt: new Date(answeredAt.getTime() - 86_400_000),
    over: {
      status: 'answered',
      answer: '经核查，商家已同意退货。',
      answeredAt,
      workflowStartedAt: answeredAt,
      writerEmail: 'lisi@example.com',
      ...over,
    },
  });
}

async function rateByApi(trackingNo: string, accessCode: string, payload: object) {
  return h.app.inject({
    method: 'POST',
    url: `/api/letters/${trackingNo}/rating`,
    headers: { 'x-access-code': accessCode, ...writerIp() },
    payload,
  });
}
async function writerView(trackingNo: string, accessCode: string) {
  const res = await h.app.inject({
    method: 'GET',
    url: `/api/letters/${trackingNo}`,
    headers: { 'x-access-code': accessCode, ...writerIp() },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function officeQueue(): Promise<string[]> {
  const res = await h.app.inject({ method: 'GET', url: '/api/dissatisfied-letters', headers: bearer(await token('office')) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((i: { trackingNo: string }) => i.trackingNo);
}

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  const put = await h.app.inject({
    method: 'PUT',
    url: '/api/calendar/years/2027',
    headers: bearer(await token('admin')),
    payload: NOTICE_2027,
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(async () => h?.close());

describe('measures Art. 22 / issue 14 point 6: rating an answer (API, real now)', () => {
  it('a rating before the answer is refused with 409', async () => {
    const l = await storeLetter(h, { type: 'complaint', receivedAt: new Date(), over: { workflowStartedAt: new Date() } });
    const res = await rateByApi(l.trackingNo, l.accessCode, { rating: 'satisfied' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toEqual({ code: 'conflict', message: '信件尚未答复，答复后才能评价' });
  });

  it('rates once: the rating row, the public rated event for the answering department (statistics contract); a second rating is 409', async () => {
    const l = await answeredLetter(new Date(Date.now() - 3_600_000));
    const res = await rateByApi(l.trackingNo, l.accessCode, { rating: 'basically_satisfied', comment: '  处理及时，但解释不够详细。 ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rating).toMatchObject({
      round: 1,
      canRate: false,
      given: { rating: 'basically_satisfied', label: '基本满意', comment: '处理及时，但解释不够详细。' },
      closing: null,
    });
    const events = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, l.id), eq(letterEvents.kind, 'rated')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ isPublic: true, departmentId: 5, data: { rating: 'basically_satisfied', round: 1 } });
    const again = await rateByApi(l.trackingNo, l.accessCode, { rating: 'dissatisfied' });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error.message).toBe('您已评价过本次答复，每次答复只能评价一次');
    expect(await h.db.select().from(letterRatings).where(eq(letterRatings.letterId, l.id))).toHaveLength(1);
  });

  it('after the window (answered Monday 2026-01-05: 15 working days end on Monday 2026-01-26) a rating is 409', async () => {
    const l = await answeredLetter(at('2026-01-05T10:00'));
    expect((await writerView(l.trackingNo, l.accessCode)).rating).toMatchObject({ canRate: false, windowEndsOn: '2026-01-26' });
    const res = await rateByApi(l.trackingNo, l.accessCode, { rating: 'satisfied' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.message).toBe('评价期限已于2026年1月26日结束，不能再评价');
  });

  it('the window under the 2027 fixture: answered 2027-01-28, day 15 is 2027-02-24 (春节 not counted, Saturday 20 February counted)', async () => {
    const a = await answeredLetter(at('2027-01-28T10:00'));
    const late = await rateLetter(
      deps(),
      { staff: null, ip: '10.14.9.8', requestId: 't' },
      a.trackingNo,
      { accessCode: a.accessCode },
      { rating: 'satisfied' },
      at('2027-02-25T00:00:01'),
    ).catch((e: Error) => e);
    expect(late).toBeInstanceOf(Error);
    expect((late as Error).message).toBe('评价期限已于2027年2月24日结束，不能再评价');
    const b = await answeredLetter(at('2027-01-28T10:00'));
    const inTime = await rateLetter(
      deps(),
      { staff: null, ip: '10.14.9.9', requestId: 't' },
      b.trackingNo,
      { accessCode: b.accessCode },
      { rating: 'satisfied' },
      at('2027-02-24T23:59'),
    );
    expect(inTime.kind).toBe('found');
  });

  it('bad input is 400 with Chinese field messages; a wrong access code is 404', async () => {
    const l = await answeredLetter(new Date(Date.now() - 3_600_000));
    const bad = await rateByApi(l.trackingNo, l.accessCode, { rating: 'great', comment: '意'.repeat(501) });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.fields).toEqual({ 'body.rating': '请选择满意、基本满意或不满意', 'body.comment': '评价意见不能超过 500 个字' });
    const missing = await rateByApi(l.trackingNo, l.accessCode, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual({ 'body.rating': '请选择满意、基本满意或不满意' });
    const wrong = await rateByApi(l.trackingNo, 'WRONGCODE2', { rating: 'satisfied' });
    expect(wrong.statusCode).toBe(404);
  });

  it('满意 and 基本满意 do not enter the office queue; 不满意 does, and the office is told', async () => {
    const s = await answeredLetter(new Date(Date.now() - 3_600_000));
    const b = await answeredLetter(new Date(Date.now() - 3_600_000));
    const d = await answeredLetter(new Date(Date.now() - 3_600_000));
    expect((await rateByApi(s.trackingNo, s.accessCode, { rating: 'satisfied' })).statusCode).toBe(200);
    expect((await rateByApi(b.trackingNo, b.accessCode, { rating: 'basically_satisfied' })).statusCode).toBe(200);
    expect((await rateByApi(d.trackingNo, d.accessCode, { rating: 'dissatisfied', comment: '没有退货' })).statusCode).toBe(200);
    const queue = await officeQueue();
    expect(queue).toContain(d.trackingNo);
    expect(queue).not.toContain(s.trackingNo);
    expect(queue).not.toContain(b.trackingNo);
    const notices = await h.db.select().from(notifications).where(eq(notifications.letterId, d.id));
    expect(notices.map((n) => n.kind)).toEqual(['office_dissatisfied']);
  });
});

describe('issue 14 point 6: 不满意 → closed by the office with an explanation the writer sees', () => {
  it('closes; the writer sees the explanation in the API, the timeline and the lookup page; a second decision is 409', async () => {
    const l = await answeredLetter(new Date(Date.now() - 3_600_000));
    expect((await rateByApi(l.trackingNo, l.accessCode, { rating: 'dissatisfied', comment: '答复没有回应诉求' })).statusCode).toBe(200);
    const explanation = '经核查，商家已按规定办理退货，相关情况已于答复中说明。';
    const close = (payload: object, who = 'office') =>
      h.app.inject({ method: 'POST', url: `/api/cases/${l.trackingNo}/close-dissatisfied`, headers: bearer(tokens[who]!), payload });
    await token('office');
    const empty = await close({ explanation: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toEqual({ 'body.explanation': '请填写办结说明' });
    const res = await close({ explanation });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'answered' });
    expect(await officeQueue()).not.toContain(l.trackingNo);

    const v = await writerView(l.trackingNo, l.accessCode);
    expect(v.rating.closing).toMatchObject({ explanation });
    expect(v.timeline.at(-1)).toMatchObject({ kind: 'dissatisfaction_closed', title: '办公室已作出说明并办结', text: explanation });
    const [event] = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, l.id), eq(letterEvents.kind, 'dissatisfaction_closed')));
    expect(event).toMatchObject({ isPublic: true, departmentId: 5, text: explanation });
    const notices = await h.db.select().from(notifications).where(eq(notifications.letterId, l.id));
    expect(notices.map((n) => n.kind).sort()).toEqual(['office_dissatisfied', 'writer_dissatisfaction_closed']);

    const page = await h.app.inject({
      method: 'POST',
      url: '/lookup',
      headers: writerIp(),
      payload: { trackingNo: l.trackingNo, accessCode: l.accessCode },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(explanation);
    expect(page.body).not.toContain('提交评价');

    const twice = await close({ explanation });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('该信件已作出说明并办结');
    const reopen = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${l.trackingNo}/reopen`,
      headers: bearer(tokens.office!),
      payload: { departmentId: 7, reason: '重新核查' },
    });
    expect(reopen.statusCode).toBe(409);
  });

  it('reopen: bad input is 400 with Chinese field messages; a letter with no 不满意 is 409', async () => {
    const l = await answeredLetter(new Date(Date.now() - 3_600_000));
    const reopen = async (payload: object) =>
      h.app.inject({ method: 'POST', url: `/api/cases/${l.trackingNo}/reopen`, headers: bearer(await token('office')), payload });
    const noRating = await reopen({ departmentId: 7, reason: '重新核查' });
    expect(noRating.statusCode).toBe(409);
    expect(noRating.json().error.message).toBe('该信件没有待处理的不满意评价');
    expect((await rateByApi(l.trackingNo, l.accessCode, { rating: 'dissatisfied' })).statusCode).toBe(200);
    const bad = await reopen({ departmentId: 'seven', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ 'body.departmentId': '请选择承办处室', 'body.reason': '请填写重新交办理由' });
    const unknown = await reopen({ departmentId: 9999, reason: '重新核查' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toEqual({ 'body.departmentId': '处室不存在或已停用' });
  });
});

describe('issue 14 point 6 / Art. 22: 不满意 → reopened over 春节 → new run, timers → answered again', () => {
  let letter: Awaited<ReturnType<typeof storeLetter>>;
  let firstRunId: string;
  let reopenedAt: Date;
  const handle = () => h.temporal.client.workflow.getHandle(workflowIdOf(letter.trackingNo));

  it('round 1: an inquiry received 2027-01-27 is answered 2027-01-28 and its workflow run completes', async () => {
    await skipTo('2027-01-27T10:00');
    letter = await storeLetter(h, { type: 'inquiry', receivedAt: at('2027-01-27T10:00'), over: { writerEmail: 'lisi@example.com' } });
    expect(letter.dueDate).toBe('2027-01-29');
    await h.startPending();
    await waitFor(async () => (await rowOf(letter.id)).workflowStartedAt, 'round 1 started');
    await skipTo('2027-01-28T10:00');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${letter.trackingNo}/answer`,
      headers: bearer(await token('h-registration')),
      payload: { content: '第一次答复：请携带营业执照原件办理。' },
    });
    expect(res.statusCode, res.body).toBe(200);
    firstRunId = (await handle().describe()).runId;
    await waitFor(async () => (await handle().describe()).status.name === 'COMPLETED', 'round 1 run completed');
  });

  it('不满意 on 2027-02-02, reopened by the office on Wednesday 2027-02-03 to 执法稽查局: 2 working days after 春节 → due 2027-02-12', async () => {
    await skipTo('2027-02-02T10:00');
    const rated = await rateLetter(
      deps(),
      { staff: null, ip: '10.14.8.1', requestId: 't' },
      letter.trackingNo,
      { accessCode: letter.accessCode },
      { rating: 'dissatisfied', comment: '答复没有解决问题' },
      await workflowNow(),
    );
    expect(rated.kind).toBe('found');
    expect(await officeQueue()).toContain(letter.trackingNo);

    await skipTo('2027-02-03T10:00');
    reopenedAt = await workflowNow();
    const c = await reopenLetter(
      { ...deps(), temporal: h.temporal },
      await viewerOf('office'),
      letter.trackingNo,
      { departmentId: 7, reason: '答复未说明办理依据，请执法稽查局重新核查' },
      reopenedAt,
    );
    // Day 1 is Thursday 11 February (4-10 February is 春节), day 2 Friday 12 February.
    expect(c).toMatchObject({
      status: 'processing',
      departmentId: 7,
      dueDate: '2027-02-12',
      limitDays: 2,
      answer: null,
      clockStartedAt: expect.stringMatching(/^2027-02-03T10:00/),
    });
    expect(await officeQueue()).not.toContain(letter.trackingNo);
    const row = await waitFor(async () => {
      const r = await rowOf(letter.id);
      return r.workflowStartedAt && r;
    }, 'round 2 started');
    expect(row).toMatchObject({ round: 2, status: 'processing', dueSoon: false, overdue: false, answeredAt: null });
    expect(row.dueAt.toISOString()).toBe(at('2027-02-12T23:59:59.999').toISOString());
    // A new run of the same workflow id (the old one completed); the outbox has nothing left to start.
    const run = await handle().describe();
    expect(run.runId).not.toBe(firstRunId);
    expect(run.status.name).toBe('RUNNING');
    expect(await h.startPending()).toBe(0);
    const [reopened] = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, letter.id), eq(letterEvents.kind, 'reopened')));
    expect(reopened).toMatchObject({ isPublic: true, departmentId: 5, toDepartmentId: 7, data: { round: 2, dueDate: '2027-02-12' } });
    const notices = await h.db.select().from(notifications).where(eq(notifications.letterId, letter.id));
    expect(notices.map((n) => n.kind).sort()).toEqual(['department_reopened', 'office_dissatisfied', 'writer_answered', 'writer_reopened']);
  });

  it('the new run flags it due soon from Thursday 2027-02-11 00:00 and overdue from Saturday 2027-02-13 00:00; the digest lists it', async () => {
    await skipTo('2027-02-10T12:00');
    expect((await rowOf(letter.id)).dueSoon).toBe(false);
    await skipTo('2027-02-11T00:00:30');
    await waitFor(async () => (await rowOf(letter.id)).dueSoon, 'due soon');
    expect((await rowOf(letter.id)).overdue).toBe(false);

    // The digest reads open letters through digest-feed: the reopened letter is one of them, for 执法稽查局.
    const feed = await openLettersForDigest(h.db, at('2027-02-11T08:30'));
    expect(feed.find((f) => f.trackingNo === letter.trackingNo)).toMatchObject({
      departmentId: 7,
      dueDate: '2027-02-12',
      status: 'processing',
    });
    await buildDigests({ db: h.db, calendar: h.calendar, env: h.env }, '2027-02-11');
    const digest = await h.app.inject({ method: 'GET', url: '/api/digests/2027-02-11', headers: bearer(await token('l-enforcement')) });
    expect(digest.statusCode, digest.body).toBe(200);
    expect(digest.body).toContain(letter.trackingNo);

    await skipTo('2027-02-13T00:00:30');
    await waitFor(async () => (await rowOf(letter.id)).overdue, 'overdue');
  });

  it('answered again by 执法稽查局 (late): the writer sees both rounds and may rate the new answer', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${letter.trackingNo}/answer`,
      headers: bearer(await token('h-enforcement')),
      payload: { content: '第二次答复：经重新核查，依据《市场主体登记管理条例》第二十四条办理。' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'answered', departmentId: 7, closedLate: true });
    const answers = res.json().timeline.filter((e: { kind: string }) => e.kind === 'answered');
    expect(
      answers.map((e: { departmentId: number; data: { late: boolean; clockStartedAt: string } }) => [e.departmentId, e.data.late]),
    ).toEqual([
      [5, false],
      [7, true],
    ]);
    expect(answers[1].data.clockStartedAt).toBe(reopenedAt.toISOString());

    const v = await writerView(letter.trackingNo, letter.accessCode);
    expect(v.timeline.map((e: { kind: string }) => e.kind)).toEqual(['received', 'answered', 'rated', 'reopened', 'answered']);
    expect(v.timeline[3].title).toBe('办公室已重新交由执法稽查局办理');
    expect(v.earlierAnswers).toEqual([
      { round: 1, content: '第一次答复：请携带营业执照原件办理。', answeredAt: expect.stringMatching(/^2027-01-28T10:00/) },
    ]);
    expect(v.answer.content).toMatch(/^第二次答复/);
    expect(v.rating).toMatchObject({ round: 2, given: null });
    const events = await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, letter.id)).orderBy(asc(letterEvents.id));
    // Round 1 was due soon from 28 January 00:00 before its answer; round 2 has its own flags under its own deadline.
    expect(events.map((e) => e.kind)).toEqual(['received', 'due_soon', 'answered', 'rated', 'reopened', 'due_soon', 'overdue', 'answered']);
    await waitFor(async () => (await handle().describe()).status.name === 'COMPLETED', 'round 2 run completed');
  });

  it('issue 14 point 7: the February 2027 statistics count the ratings for 登记注册局 and the reopening for 执法稽查局', async () => {
    // Seen on 28 February 2027 (the service's `now`; the API would see real now, before 2027).
    const report = await mailboxStatistics(
      deps(),
      { staff: null, ip: '', requestId: '' },
      { year: 2027, month: 2 },
      at('2027-02-28T12:00'),
    );
    const dept = (id: number) => report.departments.find((d) => d.departmentId === id)!;
    // This letter's 不满意 (2 February) and the 满意 given in time on 24 February by the window case above.
    expect(dept(5).satisfaction).toEqual({ rated: 2, satisfied: 1, basicallySatisfied: 0, dissatisfied: 1 });
    expect(dept(5).reopened).toBe(0);
    expect(dept(7).reopened).toBe(1);
    // The second answer is not a first answer: February counts no answers for 执法稽查局.
    expect(dept(7).answered).toBe(0);
  });
});

describe('issue 14 point 6: a reopening while Temporal is down', () => {
  let down: Harness;
  beforeAll(async () => {
    down = await startHarness();
  });
  afterAll(async () => down?.close());

  it('commits with its deadline and leaves the letter in the outbox for the starter', async () => {
    const answeredAt = new Date(Date.now() - 3_600_000);
    const l = await storeLetter(down, {
      type: 'complaint',
      receivedAt: new Date(answeredAt.getTime() - 86_400_000),
      over: { status: 'answered', answer: '答复', answeredAt, workflowStartedAt: answeredAt },
    });
    const rate = await down.app.inject({
      method: 'POST',
      url: `/api/letters/${l.trackingNo}/rating`,
      headers: { 'x-access-code': l.accessCode },
      payload: { rating: 'dissatisfied' },
    });
    expect(rate.statusCode, rate.body).toBe(200);
    const res = await down.app.inject({
      method: 'POST',
      url: `/api/cases/${l.trackingNo}/reopen`,
      headers: bearer(await down.login('office')),
      payload: { departmentId: 7, reason: '请重新核查' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const due = down.calendar.deadline(new Date(res.json().clockStartedAt), 10);
    expect(res.json()).toMatchObject({ status: 'processing', departmentId: 7, dueDate: due.dueDate });
    const [row] = await down.db.select().from(letters).where(eq(letters.id, l.id));
    expect(row).toMatchObject({ round: 2, workflowStartedAt: null });
  });
});
