import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDelivery } from '../../src/requests/service/delivery.js';
import { recordEvent } from '../../src/requests/service/events.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { getRequest } from '../../src/requests/service/reads.js';
import { draftAnswer, routeRequest, signAnswer } from '../../src/requests/service/routing.js';
import type { EventBody } from '../../src/requests/schemas.js';
import { disclosureRequestEvents, disclosureRequests } from '../../src/requests/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Issue 17 points 6, 10–12: the answer letter built from the record (条例 Arts. 36, 37), its delivery
// judged on the day that counts (国办公开办函〔2016〕235号), a repeated request offered as 不予处理 2
// (Art. 36(六)), the fee computed from the 109号 bands, the lookup's per-number limit and the public form's
// Idempotency-Key. Every step runs at a fixed China time (the services take `now`); dates written out from the
// 2026 calendar (国庆 10/1–7 off, Saturday 10/10 worked).

let h: Harness;
const as = staffViewers(() => h, 'request-letter-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const at = (s: string) => new Date(`${s}+08:00`);
let office: Record<string, string>;

const applicant = (name: string, idDocumentNumber: string) => ({
  type: 'natural_person' as const,
  name,
  idDocumentType: 'resident_id' as const,
  idDocumentNumber,
  phone: '13800000000',
  email: '',
  address: '',
});
const inPerson = async (
  submittedAt: string,
  who: ReturnType<typeof applicant>,
  information: { title: string; docNumber?: string; description?: string },
) =>
  enterByStaff(
    deps(),
    await as('center'),
    {
      channel: 'in_person',
      submittedAt: `${submittedAt}+08:00`,
      applicant: who,
      information: { docNumber: '', description: '', ...information },
      form: 'paper',
      receiveWay: 'post',
    },
    at(submittedAt),
  );
const event = async (id: number, body: EventBody, now: string) => recordEvent(deps(), await as('office'), id, body, at(now));
const ACCESS = { form: '纸质文本邮寄', place: '福州市鼓楼区本局政府信息公开受理窗口', time: '2026年11月23日起' };
const api = (url: string, headers = office) => h.app.inject({ method: 'GET', url, headers });
const publicLetter = (url: string, number: string, accessCode: string) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ number, accessCode }).toString(),
  });

/** A request taken through 批办 → 拟办 → 签发 at the given times (routing-rules.ts). */
async function routeDraftSign(id: number, times: { route: string; draft: string; sign: string }) {
  await routeRequest(deps(), await as('office'), id, 5, at(times.route));
  await draftAnswer(deps(), await as('h-registration'), id, '拟不予公开', at(times.draft));
  await signAnswer(deps(), await as('office'), id, at(times.sign));
}

beforeAll(async () => {
  h = await startHarness();
  office = bearer(await h.login('office'));
});
afterAll(async () => {
  await h?.close();
});

describe('the answer letter from the record (条例 Arts. 36, 37; 行政复议法 2023 Art. 23(四))', () => {
  // Received in person Monday 2026-11-02: 11/3–6 (4), 9–13 (9), 16–20 (14), 23–27 (19), 30 (20): due 2026-11-30.
  let r: Awaited<ReturnType<typeof inPerson>>;
  beforeAll(async () => {
    r = await inPerson('2026-11-02T10:00:00', applicant('林小梅', '350102199001011234'), { title: '某公司抽检不合格整改报告' });
    await routeDraftSign(r.id, { route: '2026-11-03T09:00:00', draft: '2026-11-10T09:00:00', sign: '2026-11-20T15:00:00' });
  });

  it('a 不予公开 conclusion without reasons is a 400 with the article, and nothing is stored (Art. 36(三))', async () => {
    const before = (await h.db.select({ n: count() }).from(disclosureRequestEvents))[0]!.n;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${r.id}/events`,
      headers: office,
      payload: { kind: 'concluded', outcome: 'withheld_third_party', responsibleAgency: { name: '福州市市场监督管理局' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      'body.reasons': '该处理结果须说明理由（条例第三十六条、第三十七条）',
      'body.responsibleAgency': '只有“本机关不掌握相关政府信息”的答复才写明负责公开的机关（条例第三十六条第（五）项）',
    });
    expect((await h.db.select({ n: count() }).from(disclosureRequestEvents))[0]!.n).toBe(before);
    const [row] = await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, r.id));
    expect(row).toMatchObject({ status: 'in_progress', outcome: null, reasons: '' });
  });

  it('concluded 2026-11-20 as 不予公开 4 (third party): the letter names the request, the finding, the reasons, the basis and reconsideration first', async () => {
    const view = await event(
      r.id,
      { kind: 'concluded', on: '2026-11-20', outcome: 'withheld_third_party', reasons: '该报告含第三方商业秘密，第三方不同意公开' },
      '2026-11-20T16:00:00',
    );
    expect(view.conclusion).toEqual({ reasons: '该报告含第三方商业秘密，第三方不同意公开', access: null, responsibleAgency: null });
    const res = await api(`/api/disclosure-requests/${r.id}/answer-letter`);
    expect(res.statusCode, res.body).toBe(200);
    const letter = res.json();
    expect(letter).toMatchObject({
      title: '政府信息公开申请答复书',
      letterNumber: `闽市监依申〔2026〕${r.number}号`,
      salutation: '林小梅：',
      outcomeLine: '处理结果：不予公开（保护第三方合法权益）',
      appealFirst: true,
      office: '福建省市场监督管理局',
      date: '2026年11月20日',
    });
    expect(letter.paragraphs.map((p: { section: string }) => p.section)).toEqual(['request', 'decision', 'remedies']);
    expect(letter.paragraphs[0].text).toBe(
      `本机关于2026年11月2日收到您提出的政府信息公开申请（申请编号：${r.number}），申请获取“某公司抽检不合格整改报告”。`,
    );
    expect(letter.paragraphs[1].text).toBe(
      '经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开。' +
        '理由：该报告含第三方商业秘密，第三方不同意公开。依据：《中华人民共和国政府信息公开条例》第十五条、第三十二条。',
    );
    expect(letter.paragraphs[2].text).toContain('应当先申请行政复议：可以自收到本答复书之日起六十日内，向福建省人民政府申请行政复议');
  });

  it('the staff print page and PDF; department staff of another department get 404', async () => {
    const page = await api(`/staff/requests/${r.id}/answer-letter`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<article class="answer-letter" data-appeal-first="true">');
    expect(page.body).toContain(`href="/staff/requests/${r.id}/answer-letter.pdf"`);
    const pdf = await api(`/staff/requests/${r.id}/answer-letter.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // The holding department (5) reads it; a handler of department 6 does not.
    expect((await api(`/api/disclosure-requests/${r.id}/answer-letter`, bearer(await h.login('h-registration')))).statusCode).toBe(200);
    expect((await api(`/api/disclosure-requests/${r.id}/answer-letter`, bearer(await h.login('h-credit')))).statusCode).toBe(404);
  });

  it("the applicant's copy with number and access code; a wrong code answers as an unknown number", async () => {
    const page = await publicLetter('/xxgk/request/letter', r.number, r.accessCode);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('政府信息公开申请答复书');
    expect(page.body).toContain('理由：该报告含第三方商业秘密，第三方不同意公开。');
    const pdf = await publicLetter('/xxgk/request/letter.pdf', r.number, r.accessCode);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const wrong = await publicLetter('/xxgk/request/letter', r.number, 'AAAAAAAAAA');
    const unknown = await publicLetter('/xxgk/request/letter', '261102-AAAAA', 'AAAAAAAAAA');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.body).toContain('未找到该申请，请核对申请编号和查询码');
  });

  it('delivery by post on 2026-11-23 counts on the 交邮日: in time for 2026-11-30 (235号); once only', async () => {
    const view = await recordDelivery(
      deps(),
      await as('office'),
      r.id,
      { method: 'post', postedOn: '2026-11-23' },
      at('2026-11-24T09:00:00'),
    );
    expect(view.delivery).toEqual({
      method: 'post',
      methodLabel: '邮寄送达',
      postedOn: '2026-11-23',
      signedOn: null,
      countsOn: '2026-11-23',
      countsAs: '交邮日',
      deadline: '2026-11-30',
      inTime: true,
      daysLate: 0,
      explanation: '邮寄送达，以交邮日（2026-11-23）为准，在答复期限（2026-11-30）内（国办公开办函〔2016〕235号）。',
    });
    expect(view.events.at(-1)).toMatchObject({ kind: 'delivered', on: '2026-11-23', actor: 'office' });
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${r.id}/delivery`,
      headers: office,
      payload: { method: 'direct', signedOn: '2026-11-24' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('该申请的答复已登记送达');
  });

  it('signed for on 2026-11-06, three days after the deadline 2026-11-03: late, judged on the 签收日', async () => {
    // Received Wednesday 2026-09-30: 10/8, 9, Sat 10, 12 (4), 13–16 (8), 19–23 (13), 26–30 (18), 11/2 (19), 11/3 (20).
    const late = await inPerson('2026-09-30T10:00:00', applicant('陈志明', '350102198502023456'), { title: '2026年国庆期间价格检查记录' });
    await routeDraftSign(late.id, { route: '2026-10-08T09:00:00', draft: '2026-10-20T09:00:00', sign: '2026-11-02T15:00:00' });
    await event(late.id, { kind: 'concluded', on: '2026-11-02', outcome: 'disclosed', reasons: '', access: ACCESS }, '2026-11-02T16:00:00');
    const bad = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${late.id}/delivery`,
      headers: office,
      payload: { method: 'direct' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ 'body.signedOn': '直接送达或委托送达的，请填写签收日期' });
    const view = await recordDelivery(
      deps(),
      await as('center'),
      late.id,
      { method: 'direct', signedOn: '2026-11-06' },
      at('2026-11-06T17:00:00'),
    );
    expect(view.delivery).toMatchObject({
      countsOn: '2026-11-06',
      countsAs: '签收日',
      deadline: '2026-11-03',
      inTime: false,
      daysLate: 3,
      explanation: '直接送达，以签收日（2026-11-06）为准，超过答复期限（2026-11-03）3日（国办公开办函〔2016〕235号）。',
    });
    const [row] = await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, late.id));
    expect(row).toMatchObject({ deliveryInTime: false, deliveryCountsOn: '2026-11-06', concludedOn: '2026-11-02', outcome: 'disclosed' });
  });
});

describe('a repeated request is offered as 不予处理 2, the office decides (条例 Art. 36(六))', () => {
  it('same applicant, same 文号 in another bracket form → repeatOf; another 文号 → none; concluding as repeated is the office’s act', async () => {
    const who = applicant('吴建华', '35010219700303567X');
    const first = await inPerson('2026-11-02T10:00:00', who, { title: '食品经营许可审查细则', docNumber: '闽市监规〔2021〕3号' });
    await event(
      first.id,
      { kind: 'concluded', on: '2026-11-20', outcome: 'disclosed', reasons: '', access: ACCESS },
      '2026-11-20T16:00:00',
    );
    const again = await inPerson(
      '2026-11-25T10:00:00',
      { ...who, idDocumentNumber: '3501 0219 7003 0356 7x' },
      {
        title: '食品经营许可审查细则（2021）',
        docNumber: '闽市监规[2021]3号',
      },
    );
    const other = await inPerson('2026-11-25T11:00:00', who, { title: '食品经营许可审查细则', docNumber: '闽市监规〔2021〕4号' });
    const routed = await routeRequest(deps(), await as('office'), again.id, 5, at('2026-11-26T09:00:00'));
    expect(routed.repeatOf).toEqual({ number: first.number, answeredOn: '2026-11-20', by: 'document_number' });
    expect((await getRequest(deps(), await as('office'), other.id)).repeatOf).toBeNull();
    // Offered, not decided: still in progress until the office concludes it.
    expect(routed).toMatchObject({ status: 'in_progress', outcome: null });
    const done = await event(
      again.id,
      {
        kind: 'concluded',
        on: '2026-11-27',
        outcome: 'not_processed_repeated',
        reasons: `与申请${first.number}所申请的信息相同，本机关已于2026年11月20日答复`,
      },
      '2026-11-27T10:00:00',
    );
    expect(done).toMatchObject({ status: 'concluded', outcome: 'not_processed_repeated', repeatOf: null });
  });
});

describe('the fee notice computed from the 109号 bands (Art. 4, per piece, per applicant per month)', () => {
  it('12 pieces then 5 in the same month: 200 元 then 500 元, shown with the calculation; paid, then in the letter', async () => {
    const who = applicant('郑海', '350102196804045678');
    const f1 = await inPerson('2026-12-01T10:00:00', who, { title: '2026年11月全省抽检结果汇总（12项）' });
    const f2 = await inPerson('2026-12-02T10:00:00', who, { title: '2026年11月全省投诉数据（5项）' });
    await event(
      f1.id,
      { kind: 'fee_notified', on: '2026-12-02', periodDays: 20, method: 'per_piece', quantity: 12, detail: '' },
      '2026-12-02T15:00:00',
    );
    await event(
      f2.id,
      { kind: 'fee_notified', on: '2026-12-03', periodDays: 20, method: 'per_piece', quantity: 5, detail: '' },
      '2026-12-03T15:00:00',
    );
    const look = (n: string, c: string) => api(`/api/disclosure-requests/lookup?number=${n}&accessCode=${c}`, {});
    // Period from the day after 12/2: 12/3, 4 (2), 7–11 (7), 14–18 (12), 21–25 (17), 28, 29, 30 (20).
    expect((await look(f1.number, f1.accessCode)).json().fee).toEqual({
      method: 'per_piece',
      quantity: 12,
      amountYuan: 200,
      notifiedOn: '2026-12-02',
      dueOn: '2026-12-30',
      paid: false,
      lines: [
        '按件计收（国办函〔2020〕109号第四条）：申请人2026年12月已累计申请0件，本申请12件，按第1—12件计算。',
        '第1—10件：10件，不收费',
        '第11—30件：100元/件 × 2件 = 200元',
        '合计：200元',
      ],
    });
    expect((await look(f2.number, f2.accessCode)).json().fee.lines).toEqual([
      '按件计收（国办函〔2020〕109号第四条）：申请人2026年12月已累计申请12件，本申请5件，按第13—17件计算。',
      '第11—30件：100元/件 × 5件 = 500元',
      '合计：500元',
    ]);
    await event(f1.id, { kind: 'fee_paid', on: '2026-12-03' }, '2026-12-03T16:00:00');
    // No 签发 yet: no delivery, and the applicant's copy is not out.
    const early = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${f1.id}/delivery`,
      headers: office,
      payload: { method: 'direct', signedOn: '2026-12-03' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('答复尚未签发，不能登记送达');
    await event(f1.id, { kind: 'concluded', on: '2026-12-03', outcome: 'disclosed', reasons: '', access: ACCESS }, '2026-12-03T17:00:00');
    expect((await look(f1.number, f1.accessCode)).json()).toMatchObject({ fee: { paid: true, dueOn: null }, letterReady: false });
    const out = await publicLetter('/xxgk/request/letter', f1.number, f1.accessCode);
    expect(out.statusCode).toBe(409);
    expect(out.body).toContain('答复书尚未签发，请稍后查询');
    const letter = (await api(`/api/disclosure-requests/${f1.id}/answer-letter`)).json();
    const fee = letter.paragraphs.find((p: { section: string }) => p.section === 'fee');
    expect(fee).toEqual({
      section: 'fee',
      text: '依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本申请收取信息处理费200元，计算如下：',
      lines: [
        '按件计收（国办函〔2020〕109号第四条）：申请人2026年12月已累计申请0件，本申请12件，按第1—12件计算。',
        '第1—10件：10件，不收费',
        '第11—30件：100元/件 × 2件 = 200元',
        '合计：200元',
      ],
    });
  });

  it('a fee notice without a method or quantity is a 400 with Chinese messages', async () => {
    const f = await inPerson('2026-12-01T11:00:00', applicant('黄丽', '350102197505056789'), { title: '2026年度特种设备检验汇总' });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${f.id}/events`,
      headers: office,
      payload: { kind: 'fee_notified', quantity: 0 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      'body.method': '请选择计费方式：按件计收或按量计收（国办函〔2020〕109号第三条）',
      'body.quantity': '件数或页数至少为 1',
    });
  });
});

describe('the lookup protections', () => {
  it('5 wrong codes on one number in an hour → 429 with Chinese text even with the right code, also for the letter; after the window, 200', async () => {
    const r = await inPerson('2026-12-01T14:00:00', applicant('许文', '350102199106067890'), { title: '某区域市场监管执法统计' });
    const look = (code: string) => api(`/api/disclosure-requests/lookup?number=${r.number}&accessCode=${code}`, {});
    for (let i = 0; i < 5; i++) expect((await look('AAAAAAAAAA')).statusCode).toBe(404);
    const blocked = await look(r.accessCode);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toEqual({ code: 'lookup_throttled', message: '该申请编号的查询码错误次数过多，请于 60 分钟后再试' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(3500);
    const letter = await publicLetter('/xxgk/request/letter', r.number, r.accessCode);
    expect(letter.statusCode).toBe(429);
    expect(letter.body).toContain('该申请编号的查询码错误次数过多');
    // The window is a PostgreSQL row, shared by every API process: once it ends, the right code works again.
    await h.db.execute(
      sql`update lookup_counters set window_ends_at = now() - interval '1 second' where key = ${`request-number:${r.number}`}`,
    );
    expect((await look(r.accessCode)).statusCode).toBe(200);
  });

  it('a right code gives its count back: four wrong, then right ones, do not block', async () => {
    const r = await inPerson('2026-12-01T15:00:00', applicant('高远', '350102199207078901'), { title: '某县计量器具检定记录' });
    const look = (code: string) => api(`/api/disclosure-requests/lookup?number=${r.number}&accessCode=${code}`, {});
    for (let i = 0; i < 4; i++) expect((await look('AAAAAAAAAA')).statusCode).toBe(404);
    for (let i = 0; i < 5; i++) expect((await look(r.accessCode)).statusCode).toBe(200);
  });
});

describe('Idempotency-Key on the public form (as POST /api/letters)', () => {
  const body = {
    applicant: { ...applicant('方明', '350102198808089012') },
    information: { title: '2026年福建省广告监测报告', docNumber: '', description: '' },
    form: 'electronic',
    receiveWay: 'online',
  };
  const post = (payload: object, key: string) =>
    h.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: { 'idempotency-key': key }, payload });
  const total = async () => (await h.db.select({ n: count() }).from(disclosureRequests))[0]!.n;

  it('same key and body → the same request (200, same number and code); same key, other body → 422; nothing extra stored', async () => {
    const before = await total();
    const first = await post(body, 'request-key-0001');
    expect(first.statusCode, first.body).toBe(201);
    const retry = await post(body, 'request-key-0001');
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await total()).toBe(before + 1);
    const reused = await post({ ...body, information: { ...body.information, title: '另一份报告' } }, 'request-key-0001');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error).toEqual({
      code: 'idempotency_key_reused',
      message: '该 Idempotency-Key 已用于内容不同的另一份申请，请换用新的 Idempotency-Key',
    });
    expect(await total()).toBe(before + 1);
    // Without a key, every submission is a request of its own.
    expect((await h.app.inject({ method: 'POST', url: '/api/disclosure-requests', payload: body })).statusCode).toBe(201);
    expect(await total()).toBe(before + 2);
  });
});
