import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getReport } from '../../src/annual-report/service/report.js';
import { feesPaidInYear } from '../../src/requests/service/annual-feed.js';
import { recordEvent } from '../../src/requests/service/events.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Issue 18 point 1: section 一 is the office's text, with figures from the record offered as sentences to start
// from — here the 信息处理费 collected (国办函〔2020〕109号: a paid fee notice counts in the year of its payment) and
// the proactive catalogue's on-time share (条例 Art. 26). Four requests in person in 2025 and 2026, fees per piece
// (1–10 free, 11–30 at 100 元) or per page (1–30 free, 31–100 at 10 元), each applicant's own monthly count:
//   A received 2025-03-03, 12 pieces noticed 2025-03-05, paid 2025-03-06 → 2 × 100 = 200 元, counted in 2025;
//   B received 2025-06-02, 40 pages noticed 2025-06-04, never paid → not counted;
//   C received 2025-12-22, 15 pieces noticed 2025-12-23, paid 2026-01-05 → 500 元, counted in 2026, not 2025;
//   D received 2025-09-01, 8 pieces noticed 2025-09-02 (0 元, within the free band), paid 2025-09-03 → 1 request, 0 元.

let h: Harness;
const as = staffViewers(() => h, 'annual-sentences-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const at = (s: string) => new Date(`${s}+08:00`);

async function request(name: string, id: string, receivedAt: string) {
  const r = await enterByStaff(
    deps(),
    await as('center'),
    {
      channel: 'in_person',
      submittedAt: `${receivedAt}+08:00`,
      applicant: {
        type: 'natural_person',
        name,
        idDocumentType: 'resident_id',
        idDocumentNumber: id,
        phone: '13800000000',
        email: '',
        address: '',
      },
      information: { title: `${name}申请的信息`, docNumber: '', description: '' },
      form: 'paper',
      receiveWay: 'post',
    },
    at(receivedAt),
  );
  return r.id;
}
const fee = async (id: number, on: string, method: 'per_piece' | 'per_page', quantity: number) =>
  recordEvent(
    deps(),
    await as('office'),
    id,
    { kind: 'fee_notified', on, periodDays: 20, method, quantity, detail: '' },
    at(`${on} 10:00`),
  );
const pay = async (id: number, on: string) => recordEvent(deps(), await as('office'), id, { kind: 'fee_paid', on }, at(`${on} 10:00`));

beforeAll(async () => {
  h = await startHarness();
  const a = await request('甲', '350102199001011111', '2025-03-03 09:00');
  await fee(a, '2025-03-05', 'per_piece', 12);
  await pay(a, '2025-03-06');
  const b = await request('乙', '350102199001012222', '2025-06-02 09:00');
  await fee(b, '2025-06-04', 'per_page', 40);
  const c = await request('丙', '350102199001013333', '2025-12-22 09:00');
  await fee(c, '2025-12-23', 'per_piece', 15);
  await pay(c, '2026-01-05');
  const d = await request('丁', '350102199001014444', '2025-09-01 09:00');
  await fee(d, '2025-09-02', 'per_piece', 8);
  await pay(d, '2025-09-03');
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('issue 18 point 1: sentences from the record for section 一', () => {
  it('fees paid in 2025: A and D, 200 元 (B unpaid, C paid in 2026); in 2026: C, 500 元', async () => {
    expect(await feesPaidInYear(h.db, await as('office'), 2025)).toEqual({ requests: 2, amountYuan: 200 });
    expect(await feesPaidInYear(h.db, await as('office'), 2026)).toEqual({ requests: 1, amountYuan: 500 });
  });

  it('the 2025 report offers the fee sentence and, with no proactive entry due in 2025, says so', async () => {
    const r = await getReport(deps(), await as('office'), 2025);
    expect(r.suggestions).toContain('本年度对2件政府信息公开申请收取信息处理费，共计200.00元。');
    expect(r.suggestions).toContain('本年度没有应录入政府信息公开目录的主动公开信息。');
    expect(r.suggestions[0]).toContain('2025年，本局共收到政府信息公开申请4件');
  });

  it('a department handler may not read the fee figures (the requests service checks)', async () => {
    await expect(feesPaidInYear(h.db, await as('h-registration'), 2025)).rejects.toMatchObject({ statusCode: 403 });
  });
});
