import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/requests/service/events.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { getRequest } from '../../src/requests/service/reads.js';
import { startHarness, type Harness } from '../support/harness.js';
import { loadNotice2027, skippingClock } from '../support/time-skipping.js';
import { requestNoticeKeys, requestRow } from '../support/request-records.js';
import { staffViewers } from '../support/viewers.js';
import { waitFor } from '../support/wait.js';

// Issue 17 point 4: one workflow per disclosure request on Temporal's time-skipping server, reading the
// request and its events from PostgreSQL through its activity and computing with the pure clock rules.
// Real now is December 2026, so the clocks run in early 2027 under the test notice: 春节 Thursday 4 –
// Wednesday 10 February off, Saturday 20 February worked. All three requests are received in person on
// Monday 2027-01-25 at 10:00.
//
// Plain (条例 Art. 33): 26–29 Jan (4), 1–3 Feb (7), 11, 12 (9), 15–19 (14), Sat 20 (15), 22–26 (20):
// due Friday 2027-02-26; the office is reminded 3 working days before, on Tuesday 2027-02-23.
// 补正 (Art. 30) on 2027-01-26 with 7 working days: 27–29 (3), 1–3 Feb (6), 11 (7): lapses after 2027-02-11.
// Agency consultation (Arts. 33(3), 34) opened 2027-01-27, answered 2027-02-17: 26, 27 Jan counted (2);
// 28 Jan – 17 Feb paused (10 working days); then 18, 19, Sat 20 (3), 22–26 (8), 1–5 Mar (13), 8–12 Mar
// (18): due Friday 2027-03-12, reminded on Tuesday 2027-03-09.

let h: Harness;
const { workflowNow, skipTo } = skippingClock(() => h);
const as = staffViewers(() => h, 'request-workflow-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const noticeKeys = (requestId: number) => requestNoticeKeys(h, requestId);
const rowOf = (id: number) => requestRow(h, id);
const body = (name: string) => ({
  channel: 'in_person' as const,
  applicant: {
    type: 'natural_person' as const,
    name,
    idDocumentType: 'resident_id' as const,
    idDocumentNumber: '350102199001011234',
    phone: '13800000000',
    email: '',
    address: '',
  },
  information: { title: '2027年度抽检计划', docNumber: '', description: '' },
  form: 'paper' as const,
  receiveWay: 'pick_up' as const,
});
let plain = 0;
let correction = 0;
let consulted = 0;
let agencyConsultation = 0;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  await loadNotice2027(h);
  await skipTo('2027-01-25 10:00');
  const now = await workflowNow();
  const center = await as('center');
  plain = (await enterByStaff(deps(), center, body('甲'), now)).id;
  correction = (await enterByStaff(deps(), center, body('乙'), now)).id;
  consulted = (await enterByStaff(deps(), center, body('丙'), now)).id;
});
afterAll(async () => {
  await h?.close();
});

describe('the request workflow (条例 Arts. 30, 33, 34)', () => {
  it('each request is received on 2027-01-25 and due 2027-02-26', async () => {
    for (const id of [plain, correction, consulted])
      expect(await rowOf(id)).toMatchObject({ receivedOn: '2027-01-25', deadline: '2027-02-26' });
  });

  it('a 补正 notice and an agency consultation are signalled to their workflows', async () => {
    await skipTo('2027-01-26 10:00');
    const office = await as('office');
    const c = await recordEvent(
      deps(),
      office,
      correction,
      { kind: 'correction_requested', periodDays: 7, points: ['请写明所需信息的年份'] },
      await workflowNow(),
    );
    expect(c.clock).toMatchObject({ state: 'waiting_for_supplement', supplementDue: '2027-02-11' });
    await skipTo('2027-01-27 10:00');
    const k = await recordEvent(
      deps(),
      office,
      consulted,
      { kind: 'consultation_opened', party: 'agency', addressee: '福建省药品监督管理局' },
      await workflowNow(),
    );
    agencyConsultation = k.events[0]!.id;
    // While open the pause is counted to the end of the agency's 15 working days (2027-02-23): due 2027-03-19.
    expect(k.clock).toMatchObject({ state: 'paused', deadline: '2027-03-19' });
  });

  it('the 补正 period lapses after 2027-02-11: concluded on 2027-02-12 as other_no_correction, the office told', async () => {
    await skipTo('2027-02-11 20:00');
    expect(await rowOf(correction)).toMatchObject({ status: 'in_progress', outcome: null });
    await skipTo('2027-02-12 01:00');
    const row = await waitFor(async () => {
      const r = await rowOf(correction);
      return r.status === 'concluded' && r;
    }, 'the lapsed 补正 concluded');
    expect(row).toMatchObject({ outcome: 'other_no_correction', concludedOn: '2027-02-12', clockState: 'abandoned' });
    expect(await noticeKeys(correction)).toEqual([`request-${correction}:abandoned`]);
    const view = await getRequest(deps(), await as('office'), correction, await workflowNow());
    expect(view.events.map((e) => [e.kind, e.on, e.outcome, e.actor])).toEqual([
      ['correction_requested', '2027-01-26', null, 'office'],
      ['concluded', '2027-02-12', 'other_no_correction', 'system:request-clock'],
    ]);
  });

  it('the agency answers on 2027-02-17: the deadline becomes 2027-03-12', async () => {
    await skipTo('2027-02-17 10:00');
    const v = await recordEvent(
      deps(),
      await as('office'),
      consulted,
      { kind: 'consultation_closed', consultationId: agencyConsultation },
      await workflowNow(),
    );
    expect(v.clock).toMatchObject({ state: 'running', deadline: '2027-03-12', pausedWorkingDays: 10 });
  });

  it('the plain request: reminded on 2027-02-23 (not before), told it is overdue after 2027-02-26', async () => {
    await skipTo('2027-02-22 12:00');
    expect(await noticeKeys(plain)).toEqual([]);
    await skipTo('2027-02-23 09:00');
    await waitFor(async () => (await noticeKeys(plain)).length === 1, 'the reminder');
    expect(await noticeKeys(plain)).toEqual([`request-${plain}:reminder:2027-02-26`]);
    await skipTo('2027-02-27 01:00');
    await waitFor(async () => (await noticeKeys(plain)).length === 2, 'the overdue notice');
    expect(await noticeKeys(plain)).toEqual([`request-${plain}:overdue:2027-02-26`, `request-${plain}:reminder:2027-02-26`]);
    // The paused request is not overdue on the plain deadline.
    expect(await noticeKeys(consulted)).toEqual([]);
  });

  it('the consulted request is reminded on 2027-03-09 of its deadline 2027-03-12', async () => {
    await skipTo('2027-03-08 12:00');
    expect(await noticeKeys(consulted)).toEqual([]);
    await skipTo('2027-03-09 09:00');
    await waitFor(async () => (await noticeKeys(consulted)).length === 1, 'the reminder of the consulted request');
    expect(await noticeKeys(consulted)).toEqual([`request-${consulted}:reminder:2027-03-12`]);
    expect(await rowOf(consulted)).toMatchObject({ deadline: '2027-03-12', remindedFor: '2027-03-12', status: 'in_progress' });
  });
});
