import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosureRequestWorkflowIdOf } from '../../workflows/messages.js';
import { recordEvent } from '../../src/requests/service/events.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { answerLetterOf } from '../../src/requests/service/letter.js';
import { getRequest } from '../../src/requests/service/reads.js';
import { startHarness, type Harness } from '../support/harness.js';
import { loadNotice2027, skippingClock } from '../support/time-skipping.js';
import { requestNoticeKeys, requestRow } from '../support/request-records.js';
import { staffViewers } from '../support/viewers.js';
import { waitFor } from '../support/wait.js';

// Issue 17 point 6 (国办函〔2020〕109号): a fee notice stops the clock until payment; unpaid in its period →
// 其他处理 2 (other_fee_unpaid), concluded by the request's workflow on Temporal's time-skipping server. Real
// now is December 2026, so this runs in early 2027 under the test notice: 春节 Thursday 4 – Wednesday 10
// February off, Saturday 20 February worked. Both requests are received in person on Monday 2027-01-25 at
// 10:00 (due Friday 2027-02-26 as received) and get a fee notice on Thursday 2027-01-28 with 5 working days:
// 1/29 (1), 2/1 (2), 2/2 (3), 2/3 (4), 春节, 2/11 (5): payable to Thursday 2027-02-11.
//
// Unpaid: concluded on Friday 2027-02-12 as other_fee_unpaid (the first day after the period).
// Paid on Wednesday 2027-02-03: 1/26, 1/27, 1/28 counted (3); 1/29 – 2/3 paused (4 working days); then 2/11
// (4), 2/12 (5), 2/15–19 (10), Sat 2/20 (11), 2/22–26 (16), 3/1–3/4 (20): due Thursday 2027-03-04, the plain
// deadline 2027-02-26 shifted by the 4 paused working days.
//
// With RECORD_REQUEST_HISTORY=1 the unpaid run's history is written to test/fixtures for the replay test
// (disclosure-request-workflow-replay.test.ts).

let h: Harness;
const { workflowNow, skipTo } = skippingClock(() => h);
const as = staffViewers(() => h, 'request-fee-workflow-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const rowOf = (id: number) => requestRow(h, id);
const noticeKeys = (requestId: number) => requestNoticeKeys(h, requestId);
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
  information: { title: '2026年度全省网络交易监测报告', docNumber: '', description: '' },
  form: 'paper' as const,
  receiveWay: 'pick_up' as const,
});
let unpaid = 0;
let paid = 0;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  await loadNotice2027(h);
  await skipTo('2027-01-25 10:00');
  const center = await as('center');
  unpaid = (await enterByStaff(deps(), center, body('丁', '350102199001011111'), await workflowNow())).id;
  paid = (await enterByStaff(deps(), center, body('戊', '350102199001012222'), await workflowNow())).id;
});
afterAll(async () => {
  await h?.close();
});

describe('the fee notice and its period on the time-skipping server (109号)', () => {
  it('both received 2027-01-25, due 2027-02-26; the fee notices of 2027-01-28 stop the clock, payable to 2027-02-11', async () => {
    for (const id of [unpaid, paid]) expect(await rowOf(id)).toMatchObject({ receivedOn: '2027-01-25', deadline: '2027-02-26' });
    await skipTo('2027-01-28 10:00');
    const office = await as('office');
    for (const id of [unpaid, paid]) {
      const v = await recordEvent(
        deps(),
        office,
        id,
        { kind: 'fee_notified', periodDays: 5, method: 'per_page', quantity: 45, detail: '' },
        await workflowNow(),
      );
      expect(v.clock).toMatchObject({ state: 'paused', feeDue: '2027-02-11', deadline: null });
      // 109号 Art. 5: pages 1–30 free, 31–45 at 10 元.
      expect(v.fee).toMatchObject({ amountYuan: 150, dueOn: '2027-02-11', paid: false });
    }
  });

  it('paid on 2027-02-03: the clock runs again, due 2027-03-04 (4 working days paused)', async () => {
    await skipTo('2027-02-03 15:00');
    const v = await recordEvent(deps(), await as('center'), paid, { kind: 'fee_paid' }, await workflowNow());
    expect(v.clock).toMatchObject({ state: 'running', deadline: '2027-03-04', pausedWorkingDays: 4, feeDue: null });
    expect(v.fee).toMatchObject({ paid: true, dueOn: null });
    expect(await rowOf(paid)).toMatchObject({ deadline: '2027-03-04', clockState: 'running' });
  });

  it('unpaid: still open on the evening of 2027-02-11, concluded on 2027-02-12 as other_fee_unpaid by the workflow', async () => {
    await skipTo('2027-02-11 20:00');
    expect(await rowOf(unpaid)).toMatchObject({ status: 'in_progress', outcome: null });
    await skipTo('2027-02-12 01:00');
    const row = await waitFor(async () => {
      const r = await rowOf(unpaid);
      return r.status === 'concluded' && r;
    }, 'the unpaid fee concluded');
    expect(row).toMatchObject({
      outcome: 'other_fee_unpaid',
      concludedOn: '2027-02-12',
      clockState: 'abandoned',
      reasons: '缴费期限于2027-02-11届满，本机关未收到您缴纳的信息处理费',
    });
    expect(await noticeKeys(unpaid)).toEqual([`request-${unpaid}:abandoned`]);
    const view = await getRequest(deps(), await as('office'), unpaid, await workflowNow());
    expect(view.events.map((e) => [e.kind, e.on, e.outcome, e.actor])).toEqual([
      ['fee_notified', '2027-01-28', null, 'office'],
      ['concluded', '2027-02-12', 'other_fee_unpaid', 'system:request-clock'],
    ]);
    expect(view.letterReady).toBe(true);
    // The 告知书 of 其他处理 2, dated the conclusion day, with the fee that went unpaid.
    const letter = await answerLetterOf(deps(), await as('office'), unpaid);
    expect(letter).toMatchObject({
      title: '政府信息公开申请告知书',
      outcomeLine: '处理结果：其他处理（申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请）',
      date: '2027年2月12日',
      appealFirst: false,
    });
    expect(letter.paragraphs.find((p) => p.section === 'decision')!.text).toBe(
      '本机关已向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费，本机关不再处理该政府信息公开申请。' +
        '理由：缴费期限于2027-02-11届满，本机关未收到您缴纳的信息处理费。依据：《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）。',
    );
    // The paid request is untouched by the lapse.
    expect(await rowOf(paid)).toMatchObject({ status: 'in_progress', deadline: '2027-03-04' });
  });

  it('the unpaid run ends; its history can be recorded for the replay test', async () => {
    const handle = h.temporal.client.workflow.getHandle(disclosureRequestWorkflowIdOf(unpaid));
    await handle.result();
    const history = await handle.fetchHistory();
    const scheduled = history.events!.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled[0]).toBe('applyRequestClock');
    expect(scheduled.at(-1)).toBe('deliverNotifications');
    if (process.env.RECORD_REQUEST_HISTORY) {
      const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/request-history-fee-unpaid.bin');
      fs.writeFileSync(out, proto.temporal.api.history.v1.History.encode(history).finish());
    }
  });
});
