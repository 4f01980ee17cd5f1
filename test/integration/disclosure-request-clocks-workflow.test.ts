import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/requests/service/events.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { getRequest } from '../../src/requests/service/reads.js';
import { disclosureRequestEvents } from '../../src/requests/tables.js';
import { startHarness, type Harness } from '../support/harness.js';
import { loadNotice2027, skippingClock } from '../support/time-skipping.js';
import { requestNoticeKeys, requestRow } from '../support/request-records.js';
import { staffViewers } from '../support/viewers.js';
import { waitFor } from '../support/wait.js';

// Issue 17: the remaining clocks of a disclosure request, each run by the request's workflow on Temporal's
// time-skipping server (workflows/disclosure-request.ts → applyRequestClock → clock-rules.ts). Real now is
// December 2026, so everything runs in early 2027 under the test notice: 春节 Thursday 4 – Wednesday 10
// February off, Saturday 20 February worked; no other 2027 holiday in the fixture. The office is reminded
// REMINDER_WORKING_DAYS_BEFORE (3) working days before a deadline and told it is overdue from 00:00 of the
// day after it. One timeline (time only goes forward), so the tests below run in date order.
//
// Extension (条例 Art. 33(2)), two requests received in person on Monday 2027-01-18 at 10:00: 19–22 Jan (4),
// 25–29 (9), 1–3 Feb (12), 春节, 11, 12 (14), 15–19 (19), Sat 20 (20): due Saturday 2027-02-20, the make-up
// day; reminded on 2027-02-17 (2/19, 2/18, 2/17). Day 19 is Friday 2027-02-19: an extension of 10 working
// days then gives 22–26 Feb (5), 1–5 Mar (10): due Friday 2027-03-05, reminded Tuesday 2027-03-02, overdue
// from 2027-03-06 — and not from 2027-02-21. Day 21 is Monday 2027-02-22 (after the deadline): refused, 409.
//
// 补正 (Art. 30), received in person on Monday 2027-01-25 (as received: due 2027-02-26, reminded 2027-02-23):
// working day 7 is 26–29 Jan (4), 1, 2, 3 Feb (7) → Wednesday 2027-02-03, the last day for the notice; with
// 15 working days the supplement is due 11, 12 (2), 15–19 (7), 20 (8), 22–26 (13), 1, 2 Mar (15) → 2027-03-02.
// The supplement comes 10 working days after the notice: 11, 12 (2), 15–19 (7), Sat 20 (8), 22 (9), 23 (10) →
// Tuesday 2027-02-23. The 20 working days restart from it: 24–26 (3), 1–5 Mar (8), 8–12 (13), 15–19 (18), 22
// (19), 23 (20) → due Tuesday 2027-03-23, reminded Thursday 2027-03-18 (3/22, 3/19, 3/18), overdue from
// 2027-03-24. Not at the old dates: 2027-02-23 / 2027-02-27 (as received), nor 2027-03-09 / 2027-03-13 (the
// 补正 merely pausing the first count: 7 counted + 13 from 2/24 → 2027-03-12).
//
// Consultations (Arts. 32, 33(3), 34), received in person on Monday 2027-01-25: a third party consulted on
// Wednesday 2027-01-27 has 15 working days, 28, 29 Jan (2), 1–3 Feb (5), 11, 12 (7), 15–19 (12), 20 (13), 22,
// 23 (15) → 2027-02-23, and does not answer; an agency consulted on Monday 2027-02-01 (its window to
// 2027-02-26) answers on Wednesday 2027-02-24. Paused: the working days after 1/27 through 2/24 — 28, 29 Jan,
// 1–3 Feb (5), 11, 12 (7), 15–19 (12), 20 (13), 22–24 (16): 16, the overlap 2/2–2/23 counted once (15 + 13 − 12).
// Counted: 26, 27 Jan (2), then 25, 26 Feb (4), 1–5 Mar (9), 8–12 (14), 15–19 (19), 22 (20) → due Monday
// 2027-03-22, reminded Wednesday 2027-03-17 (3/19, 3/18, 3/17), overdue from 2027-03-23. Not at 2027-02-23 /
// 2027-02-27 (no pause).
//
// Post (Art. 31(二)): signed for on Saturday 2027-02-20 at 09:30, the make-up working day: received that day;
// 22–26 Feb (5), 1–5 Mar (10), 8–12 (15), 15–19 (20) → due Friday 2027-03-19, reminded Tuesday 2027-03-16,
// overdue from 2027-03-20. (Were the Saturday a rest day and Monday 2/22 the receipt: 2027-03-22, reminded 3/17.)

let h: Harness;
const { workflowNow, skipTo } = skippingClock(() => h);
const as = staffViewers(() => h, 'request-clocks-workflow-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const noticeKeys = (requestId: number) => requestNoticeKeys(h, requestId);
const rowOf = (id: number) => requestRow(h, id);
const eventCount = async (id: number) =>
  (await h.db.select().from(disclosureRequestEvents).where(eq(disclosureRequestEvents.requestId, id))).length;
/** Waits until the request's workflow has queued exactly `keys` (sorted), then checks them. */
const expectNotices = async (id: number, keys: string[], what: string) => {
  await waitFor(async () => (await noticeKeys(id)).length === keys.length, what);
  expect(await noticeKeys(id)).toEqual([...keys].sort());
};
const viewOf = async (id: number) => getRequest(deps(), await as('office'), id, await workflowNow());
const body = (name: string, idDocumentNumber: string) => ({
  channel: 'in_person' as const,
  applicant: {
    type: 'natural_person' as const,
    name,
    idDocumentType: 'resident_id' as const,
    idDocumentNumber,
    phone: '13800000000',
    email: '',
    address: '',
  },
  information: { title: '2026年度全省特种设备安全监察年报', docNumber: '', description: '' },
  form: 'paper' as const,
  receiveWay: 'pick_up' as const,
});
const key = (id: number, kind: 'reminder' | 'overdue', deadline: string) => `request-${id}:${kind}:${deadline}`;

let extended = 0;
let lateExtension = 0;
let correction = 0;
let consulted = 0;
let posted = 0;
let agencyConsultation = 0;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  await loadNotice2027(h);
  const center = await as('center');
  await skipTo('2027-01-18 10:00');
  extended = (await enterByStaff(deps(), center, body('庚', '350102199001013333'), await workflowNow())).id;
  lateExtension = (await enterByStaff(deps(), center, body('辛', '350102199001014444'), await workflowNow())).id;
  await skipTo('2027-01-25 10:00');
  correction = (await enterByStaff(deps(), center, body('壬', '350102199001015555'), await workflowNow())).id;
  consulted = (await enterByStaff(deps(), center, body('癸', '350102199001016666'), await workflowNow())).id;
});
afterAll(async () => {
  await h?.close();
});

describe('the request clocks on the time-skipping server (条例 Arts. 30–34)', () => {
  it('received 2027-01-18 → due on the make-up Saturday 2027-02-20; received 2027-01-25 → due 2027-02-26, 补正 notice due 2027-02-03', async () => {
    for (const id of [extended, lateExtension])
      expect(await rowOf(id)).toMatchObject({ receivedOn: '2027-01-18', deadline: '2027-02-20', clockState: 'running' });
    for (const id of [correction, consulted])
      expect(await rowOf(id)).toMatchObject({ receivedOn: '2027-01-25', deadline: '2027-02-26', clockState: 'running' });
    expect((await viewOf(correction)).clock).toMatchObject({ correctionNoticeDue: '2027-02-03' });
  });

  it('Arts. 32, 34: a third party consulted on 2027-01-27 (due 2027-03-19 while open), an agency on 2027-02-01 (2027-03-24)', async () => {
    const office = await as('office');
    await skipTo('2027-01-27 10:00');
    const third = await recordEvent(
      deps(),
      office,
      consulted,
      { kind: 'consultation_opened', party: 'third_party', addressee: '福州某电梯工程有限公司' },
      await workflowNow(),
    );
    // Paused to the end of the third party's 15 working days (2027-02-23): 2 counted, then 24–26 Feb, 1–5,
    // 8–12, 15–19 Mar → 2027-03-19.
    expect(third.clock).toMatchObject({ state: 'paused', deadline: '2027-03-19', pausedWorkingDays: 15 });
    expect(third.clock.openConsultations).toMatchObject([{ party: 'third_party', openedOn: '2027-01-27', windowEnd: '2027-02-23' }]);
    await skipTo('2027-02-01 10:00');
    const agency = await recordEvent(
      deps(),
      office,
      consulted,
      { kind: 'consultation_opened', party: 'agency', addressee: '福建省应急管理厅' },
      await workflowNow(),
    );
    agencyConsultation = agency.events.find((e) => e.kind === 'consultation_opened' && e.on === '2027-02-01')!.id;
    // The agency's window ends 2027-02-26 (2, 3, 11, 12, 15–19, 20, 22–26): merged with the third party's,
    // 18 working days (28 Jan – 26 Feb) paused → 2, then 1–5, 8–12, 15–19, 22–24 Mar → 2027-03-24.
    expect(agency.clock).toMatchObject({ state: 'paused', deadline: '2027-03-24', pausedWorkingDays: 18 });
    expect(await rowOf(consulted)).toMatchObject({ clockState: 'paused', deadline: '2027-03-24' });
  });

  it('Art. 30: the 补正 notice on working day 7 (2027-02-03) stops the clock, supplement due 2027-03-02', async () => {
    await skipTo('2027-02-03 10:00');
    const v = await recordEvent(
      deps(),
      await as('office'),
      correction,
      { kind: 'correction_requested', periodDays: 15, points: ['请写明所需年报的年份', '请说明所需信息的具体内容'] },
      await workflowNow(),
    );
    expect(v.clock).toMatchObject({ state: 'waiting_for_supplement', supplementDue: '2027-03-02', deadline: null });
    expect(await rowOf(correction)).toMatchObject({ clockState: 'waiting_for_supplement', deadline: null });
  });

  it('Art. 33: the two requests due 2027-02-20 are reminded on 2027-02-17 (not on 2027-02-16); the others are not', async () => {
    await skipTo('2027-02-16 12:00');
    for (const id of [extended, lateExtension]) expect(await noticeKeys(id)).toEqual([]);
    await skipTo('2027-02-17 09:00');
    for (const id of [extended, lateExtension]) await expectNotices(id, [key(id, 'reminder', '2027-02-20')], 'the reminder of 2027-02-17');
    for (const id of [correction, consulted]) expect(await noticeKeys(id)).toEqual([]);
  });

  it('Art. 33(2): extended by 10 working days on day 19 (2027-02-19): due 2027-03-05', async () => {
    await skipTo('2027-02-19 10:00');
    const v = await recordEvent(
      deps(),
      await as('office'),
      extended,
      { kind: 'extended', days: 10, reason: '需调取多个部门的档案' },
      await workflowNow(),
    );
    expect(v.clock).toMatchObject({ state: 'running', deadline: '2027-03-05', extensionDays: 10 });
    expect(v.clock.explanation.map((l) => l.text)).toContain(
      '自2027-01-18次日起计算30个工作日（20个工作日，延长10个工作日），第30个计入的工作日为2027-03-05',
    );
    expect(await rowOf(extended)).toMatchObject({ deadline: '2027-03-05', remindedFor: '2027-02-20' });
  });

  it('Art. 31(二): a letter signed for on the make-up Saturday 2027-02-20 is received that day and due 2027-03-19', async () => {
    await skipTo('2027-02-20 10:00');
    const created = await enterByStaff(
      deps(),
      await as('center'),
      { ...body('子', '350102199001017777'), channel: 'post', signedForAt: '2027-02-20T09:30:00+08:00' },
      await workflowNow(),
    );
    posted = created.id;
    expect(created.status).toBe('in_progress');
    expect(await rowOf(posted)).toMatchObject({
      receivedOn: '2027-02-20',
      startOn: '2027-02-20',
      deadline: '2027-03-19',
      receiptBasis: '邮寄，以签收之日为收到申请之日（条例第三十一条第（二）项）',
    });
    const v = await viewOf(posted);
    expect(v.clock).toMatchObject({
      state: 'running',
      receivedOn: '2027-02-20',
      deadline: '2027-03-19',
      correctionNoticeDue: '2027-03-02',
    });
    expect(v.clock.explanation.map((l) => l.text)).toContain(
      '自2027-02-20次日起计算20个工作日（20个工作日），第20个计入的工作日为2027-03-19',
    );
  });

  it('Art. 33(2): the unextended request is overdue from 2027-02-21 (not on 2027-02-20); the extended one is not', async () => {
    await skipTo('2027-02-20 20:00');
    expect(await noticeKeys(lateExtension)).toEqual([key(lateExtension, 'reminder', '2027-02-20')]);
    await skipTo('2027-02-21 09:00');
    await expectNotices(
      lateExtension,
      [key(lateExtension, 'reminder', '2027-02-20'), key(lateExtension, 'overdue', '2027-02-20')],
      'the overdue notice of 2027-02-20',
    );
    expect(await noticeKeys(extended)).toEqual([key(extended, 'reminder', '2027-02-20')]);
    expect(await rowOf(extended)).toMatchObject({ overdueFor: null, deadline: '2027-03-05' });
  });

  it('Art. 33(2): an extension on day 21 (2027-02-22), after the deadline, is refused with 409 and nothing is stored', async () => {
    await skipTo('2027-02-22 10:00');
    const before = await eventCount(lateExtension);
    await expect(
      recordEvent(deps(), await as('office'), lateExtension, { kind: 'extended', days: 10, reason: '需调取档案' }, await workflowNow()),
    ).rejects.toMatchObject({ statusCode: 409, message: '答复期限已于2027-02-20届满，不能再延长（条例第三十三条第二款）' });
    expect(await eventCount(lateExtension)).toBe(before);
    expect(await rowOf(lateExtension)).toMatchObject({ deadline: '2027-02-20', overdueFor: '2027-02-20', status: 'in_progress' });
  });

  it('Art. 30: nothing at the old reminder date 2027-02-23; the supplement that day restarts the 20 working days: due 2027-03-23', async () => {
    await skipTo('2027-02-23 10:00');
    expect(await noticeKeys(correction)).toEqual([]);
    const v = await recordEvent(deps(), await as('center'), correction, { kind: 'supplement_received' }, await workflowNow());
    expect(v.clock).toMatchObject({
      state: 'running',
      deadline: '2027-03-23',
      supplementDue: null,
      pausedWorkingDays: 0,
      correctionNoticeDue: '2027-03-04',
    });
    expect(v.clock.explanation.map((l) => l.text)).toEqual(
      expect.arrayContaining([
        '2027-02-23收到补正，答复期限自该日重新起算（条例第三十条）',
        '自2027-02-23次日起计算20个工作日（20个工作日），第20个计入的工作日为2027-03-23',
      ]),
    );
    expect(await rowOf(correction)).toMatchObject({ clockState: 'running', deadline: '2027-03-23' });
  });

  it('Arts. 32, 34: still paused on 2027-02-24 while the agency is open; its answer that day gives 2027-03-22 (16 paused, overlap once)', async () => {
    await skipTo('2027-02-24 09:00');
    // The third party's 15 working days ended 2027-02-23; the agency's consultation still holds the clock.
    expect((await viewOf(consulted)).clock).toMatchObject({ state: 'paused', deadline: '2027-03-24' });
    expect(await noticeKeys(consulted)).toEqual([]);
    await skipTo('2027-02-24 10:00');
    const v = await recordEvent(
      deps(),
      await as('office'),
      consulted,
      { kind: 'consultation_closed', consultationId: agencyConsultation },
      await workflowNow(),
    );
    expect(v.clock).toMatchObject({ state: 'running', deadline: '2027-03-22', pausedWorkingDays: 16 });
    expect(v.clock.explanation.map((l) => l.text)).toEqual(
      expect.arrayContaining([
        '征求第三方意见：2027-01-27次日至2027-02-23暂停，共15个工作日不计算（条例第三十三条第三款）',
        '征求其他机关意见：2027-02-01次日至2027-02-24暂停，共13个工作日不计算（条例第三十三条第三款）',
        '合计暂停16个工作日（重叠的日期只计一次）',
        '答复期限：2027-03-22（当日24时前）',
      ]),
    );
    expect(await rowOf(consulted)).toMatchObject({ clockState: 'running', deadline: '2027-03-22' });
  });

  it('the old deadline 2027-02-26 passes: no overdue notice for the 补正 or the consulted request', async () => {
    await skipTo('2027-02-27 01:00');
    for (const id of [correction, consulted, posted]) expect(await noticeKeys(id)).toEqual([]);
    for (const id of [correction, consulted]) expect(await rowOf(id)).toMatchObject({ status: 'in_progress', overdueFor: null });
  });

  it('Art. 33(2): the extended request is reminded on 2027-03-02 (not 2027-03-01) and overdue from 2027-03-06', async () => {
    await skipTo('2027-03-01 12:00');
    expect(await noticeKeys(extended)).toEqual([key(extended, 'reminder', '2027-02-20')]);
    await skipTo('2027-03-02 09:00');
    await expectNotices(
      extended,
      [key(extended, 'reminder', '2027-02-20'), key(extended, 'reminder', '2027-03-05')],
      'the reminder of 2027-03-02',
    );
    await skipTo('2027-03-05 20:00');
    expect(await noticeKeys(extended)).toHaveLength(2);
    await skipTo('2027-03-06 01:00');
    // Never an overdue notice for the first deadline 2027-02-20.
    await expectNotices(
      extended,
      [key(extended, 'reminder', '2027-02-20'), key(extended, 'reminder', '2027-03-05'), key(extended, 'overdue', '2027-03-05')],
      'the overdue notice of 2027-03-05',
    );
    expect(await rowOf(extended)).toMatchObject({ remindedFor: '2027-03-05', overdueFor: '2027-03-05' });
  });

  it('Art. 30: not reminded or overdue by a count that merely paused for the 补正 (2027-03-09, 2027-03-13)', async () => {
    await skipTo('2027-03-13 01:00');
    expect(await noticeKeys(correction)).toEqual([]);
  });

  it('Art. 31(二): the posted request is reminded on 2027-03-16 (not 2027-03-15); the others not yet', async () => {
    await skipTo('2027-03-15 12:00');
    expect(await noticeKeys(posted)).toEqual([]);
    await skipTo('2027-03-16 09:00');
    await expectNotices(posted, [key(posted, 'reminder', '2027-03-19')], 'the reminder of the posted request');
    for (const id of [correction, consulted]) expect(await noticeKeys(id)).toEqual([]);
  });

  it('Arts. 32, 34: the consulted request is reminded on 2027-03-17 of 2027-03-22; the 补正 one not yet', async () => {
    await skipTo('2027-03-17 09:00');
    await expectNotices(consulted, [key(consulted, 'reminder', '2027-03-22')], 'the reminder of the consulted request');
    expect(await noticeKeys(correction)).toEqual([]);
  });

  it('Art. 30: the 补正 request is reminded on 2027-03-18 of 2027-03-23', async () => {
    await skipTo('2027-03-18 09:00');
    await expectNotices(correction, [key(correction, 'reminder', '2027-03-23')], 'the reminder of the 补正 request');
  });

  it('overdue notices at the new dates: posted from 2027-03-20, consulted from 2027-03-23, 补正 from 2027-03-24', async () => {
    await skipTo('2027-03-19 20:00');
    expect(await noticeKeys(posted)).toEqual([key(posted, 'reminder', '2027-03-19')]);
    await skipTo('2027-03-20 01:00');
    await expectNotices(posted, [key(posted, 'reminder', '2027-03-19'), key(posted, 'overdue', '2027-03-19')], 'posted overdue');
    await skipTo('2027-03-22 20:00');
    expect(await noticeKeys(consulted)).toEqual([key(consulted, 'reminder', '2027-03-22')]);
    await skipTo('2027-03-23 01:00');
    await expectNotices(
      consulted,
      [key(consulted, 'reminder', '2027-03-22'), key(consulted, 'overdue', '2027-03-22')],
      'consulted overdue',
    );
    expect(await noticeKeys(correction)).toEqual([key(correction, 'reminder', '2027-03-23')]);
    await skipTo('2027-03-24 01:00');
    // The whole history of the 补正 request's notices: only the restarted deadline's.
    await expectNotices(
      correction,
      [key(correction, 'reminder', '2027-03-23'), key(correction, 'overdue', '2027-03-23')],
      'the 补正 request overdue',
    );
    expect(await rowOf(correction)).toMatchObject({ remindedFor: '2027-03-23', overdueFor: '2027-03-23', status: 'in_progress' });
  });
});
