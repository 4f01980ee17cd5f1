import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosureRequestEvents, disclosureRequests } from '../../src/requests/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';

// Issue 17 points 1–3 and 8 through the API: intake by channel with the receipt date of 条例 Art. 31, the
// clock events of Arts. 30–35 with their refusals, the applicant's lookup with the explanation. Dates
// are written out from the 2026 calendar: 国庆 10/1–7 off, Saturday 10/10 worked.

let h: Harness;
let office: Record<string, string>;
let center: Record<string, string>;

const applicant = (over: Record<string, unknown> = {}) => ({
  type: 'natural_person',
  name: '林小梅',
  idDocumentType: 'resident_id',
  idDocumentNumber: '350102199001011234',
  phone: '13800000000',
  ...over,
});
const request = (over: Record<string, unknown> = {}) => ({
  applicant: applicant(),
  information: { title: '福建省2026年食品安全监督抽检计划', docNumber: '', description: '' },
  form: 'electronic',
  receiveWay: 'online',
  ...over,
});
const rows = async () => ({
  requests: (await h.db.select({ n: count() }).from(disclosureRequests))[0]!.n,
  events: (await h.db.select({ n: count() }).from(disclosureRequestEvents))[0]!.n,
});
const enter = async (body: Record<string, unknown>) => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/disclosure-requests/staff-entry',
    headers: center,
    payload: { ...request(), ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; number: string; accessCode: string; status: string };
};
const event = (id: number, payload: Record<string, unknown>, headers = office) =>
  h.app.inject({ method: 'POST', url: `/api/disclosure-requests/${id}/events`, headers, payload });
const staffView = async (id: number) =>
  (await h.app.inject({ method: 'GET', url: `/api/disclosure-requests/${id}`, headers: office })).json();

beforeAll(async () => {
  h = await startHarness();
  office = bearer(await h.login('office'));
  center = bearer(await h.login('center'));
});
afterAll(async () => {
  await h?.close();
});

describe('online intake (条例 Art. 31(三)): number and access code at once, the receipt date from the office confirming', () => {
  it('files, waits for confirmation, is confirmed on 2026-11-30 and is due 2026-12-28; the applicant sees why', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/disclosure-requests', payload: request() });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ status: 'awaiting_confirmation' });
    expect(created.number).toMatch(/^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/);
    const lookup = () =>
      h.app.inject({ method: 'GET', url: `/api/disclosure-requests/lookup?number=${created.number}&accessCode=${created.accessCode}` });
    const before = (await lookup()).json();
    expect(before).toMatchObject({ status: 'awaiting_confirmation', statusLabel: '待确认收到', clock: { state: null, deadline: null } });
    // As if filed on the morning of Monday 2026-11-30 (real now is later): the office confirms that day.
    await h.db
      .update(disclosureRequests)
      .set({ submittedAt: new Date('2026-11-30T09:00:00+08:00') })
      .where(eq(disclosureRequests.id, created.id));

    const confirm = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${created.id}/confirm`,
      headers: office,
      payload: { confirmedAt: '2026-11-30T10:00:00+08:00' },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    // 12/1–4 (4), 7–11 (9), 14–18 (14), 21–25 (19), Mon 28 (20).
    const after = (await lookup()).json();
    expect(after).toMatchObject({ status: 'in_progress', clock: { receivedOn: '2026-11-30', deadline: '2026-12-28' } });
    const texts = after.clock.explanation.map((l: { text: string }) => l.text);
    expect(texts[0]).toBe('收到申请日：2026-11-30。网上申请，以双方确认之日为收到申请之日（条例第三十一条第（三）项）');
    expect(texts).toContain('自2026-11-30次日起计算20个工作日（20个工作日），第20个计入的工作日为2026-12-28');
    // A second confirmation is a conflict, not a new receipt date.
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${created.id}/confirm`,
      headers: office,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
  });

  it('a wrong access code answers the same 404 as an unknown number', async () => {
    const created = (await h.app.inject({ method: 'POST', url: '/api/disclosure-requests', payload: request() })).json();
    const wrong = await h.app.inject({
      method: 'GET',
      url: `/api/disclosure-requests/lookup?number=${created.number}&accessCode=AAAAAAAAAA`,
    });
    const unknown = await h.app.inject({ method: 'GET', url: `/api/disclosure-requests/lookup?number=261203-AAAAA&accessCode=AAAAAAAAAA` });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.json()).toEqual(wrong.json());
  });
});

describe('bad input answers 400 with Chinese field messages, and nothing is stored (条例 Art. 29)', () => {
  it.each([
    [
      'no identity document number',
      request({ applicant: applicant({ idDocumentNumber: '' }) }),
      'body.applicant.idDocumentNumber',
      '请填写身份证明号码',
    ],
    ['an unknown applicant type', request({ applicant: applicant({ type: 'alien' }) }), 'body.applicant.type', '请选择申请人类型'],
    [
      'no identity document type',
      request({ applicant: applicant({ idDocumentType: undefined }) }),
      'body.applicant.idDocumentType',
      '请选择身份证明类型',
    ],
    [
      'nothing identifying the information',
      request({ information: { title: '', docNumber: '', description: '' } }),
      'body.information.description',
      '请至少填写所需信息的名称、文号或便于查询的特征性描述之一',
    ],
    ['post without an address', request({ receiveWay: 'post' }), 'body.applicant.address', '选择邮寄的，请填写通信地址'],
  ])('%s', async (_what, payload, field, message) => {
    const before = await rows();
    const res = await h.app.inject({ method: 'POST', url: '/api/disclosure-requests', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await rows()).toEqual(before);
  });
});

describe('staff entry by channel (条例 Art. 31; measures Art. 32)', () => {
  it('a posted letter signed for on make-up working Saturday 2026-10-10 is received that day and due 2026-11-06', async () => {
    const r = await enter({ channel: 'post', signedForAt: '2026-10-10T10:00:00+08:00', applicant: applicant({ address: '福州市鼓楼区' }) });
    expect(r.status).toBe('in_progress');
    const v = await staffView(r.id);
    expect(v.clock).toMatchObject({ receivedOn: '2026-10-10', deadline: '2026-11-06' });
    expect(v.receiptBasis).toBe('邮寄，以签收之日为收到申请之日（条例第三十一条第（二）项）');
  });

  it('an unsigned letter whose applicant is not yet reached is kept, awaiting confirmation — never refused', async () => {
    const r = await enter({ channel: 'post' });
    expect(r.status).toBe('awaiting_confirmation');
  });

  it('an e-mail counts from the mail system receiving it (国办公开办函〔2015〕207号); without that time: 400', async () => {
    const missing = await h.app.inject({
      method: 'POST',
      url: '/api/disclosure-requests/staff-entry',
      headers: center,
      payload: { ...request(), channel: 'email' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields['body.mailReceivedAt']).toBe('请填写邮件系统接收时间');
    const r = await enter({ channel: 'email', mailReceivedAt: '2026-09-30T21:15:00+08:00' });
    expect((await staffView(r.id)).clock).toMatchObject({ receivedOn: '2026-09-30', deadline: '2026-11-03' });
  });
});

describe('clock events (条例 Arts. 30, 33)', () => {
  const inPerson = () => enter({ channel: 'in_person', submittedAt: '2026-09-30T10:00:00+08:00' });

  it('extension approved on day 19 (2026-11-02) → 2026-12-01; by the service centre: 403', async () => {
    const r = await inPerson();
    const denied = await event(r.id, { kind: 'extended', on: '2026-11-02', days: 20, reason: '需调取档案' }, center);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toContain('负责人同意');
    const ok = await event(r.id, { kind: 'extended', on: '2026-11-02', days: 20, reason: '需调取档案' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().clock).toMatchObject({ deadline: '2026-12-01', extensionDays: 20 });
    expect(ok.json().events).toHaveLength(1);
    expect(ok.json().events[0]).toMatchObject({ kind: 'extended', on: '2026-11-02', days: 20, actor: 'office', detail: '需调取档案' });
  });

  it('extension attempted on day 21 (2026-11-04): 409; beyond 20 working days: 400; nothing stored', async () => {
    const r = await inPerson();
    const before = await rows();
    const late = await event(r.id, { kind: 'extended', on: '2026-11-04', days: 5, reason: '需调取档案' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('答复期限已于2026-11-03届满，不能再延长（条例第三十三条第二款）');
    const long = await event(r.id, { kind: 'extended', on: '2026-11-02', days: 21, reason: '需调取档案' });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.fields['body.days']).toBe('延长的期限最长不得超过 20 个工作日');
    expect(await rows()).toEqual(before);
  });

  it('补正 on day 7 (2026-10-15) and the supplement on 2026-10-29: due 2026-11-26, explained; the applicant then withdraws', async () => {
    const r = await inPerson();
    const notice = await event(r.id, {
      kind: 'correction_requested',
      on: '2026-10-15',
      periodDays: 15,
      points: ['请说明所需信息的年份', '请提供文号'],
    });
    // Read today (December 2026) the period of 10/16–11/5 has passed: the clock says abandoned until the supplement is entered.
    expect(notice.json().clock).toMatchObject({ state: 'abandoned', deadline: null });
    expect(notice.json().clock.explanation.map((l: { text: string }) => l.text)).toContain(
      '2026-10-15一次性告知补正，补正期限15个工作日，至2026-11-05；补正前不计算答复期限',
    );
    expect(notice.json().events[0].detail).toBe('1. 请说明所需信息的年份\n2. 请提供文号');
    // A supplement that arrived on 2026-10-29, within the period, entered late: it counts from its day.
    const back = await event(r.id, { kind: 'supplement_received', on: '2026-10-29' }, center);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().clock.deadline).toBe('2026-11-26');
    const lookup = await h.app.inject({
      method: 'GET',
      url: `/api/disclosure-requests/lookup?number=${r.number}&accessCode=${r.accessCode}`,
    });
    expect(lookup.json().clock.explanation.map((l: { text: string }) => l.text)).toContain(
      '2026-10-29收到补正，答复期限自该日重新起算（条例第三十条）',
    );
    // An earlier date than the last event is refused.
    expect(
      (await event(r.id, { kind: 'consultation_opened', on: '2026-10-20', party: 'third_party', addressee: '某公司' })).statusCode,
    ).toBe(409);

    const wrong = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${r.number}/withdraw`,
      payload: { accessCode: 'AAAAAAAAAA' },
    });
    expect(wrong.statusCode).toBe(404);
    const w = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${r.number}/withdraw`,
      payload: { accessCode: r.accessCode },
    });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ status: 'withdrawn', clock: { state: 'done', deadline: null } });
    const twice = await h.app.inject({
      method: 'POST',
      url: `/api/disclosure-requests/${r.number}/withdraw`,
      payload: { accessCode: r.accessCode },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('a consultation opened and closed by its id pauses the clock (Art. 33(3)); concluding records the outcome', async () => {
    const r = await inPerson();
    const opened = await event(r.id, {
      kind: 'consultation_opened',
      on: '2026-10-12',
      party: 'third_party',
      addressee: '福州某食品有限公司',
    });
    const consultationId = opened.json().events[0].id;
    // Read today its 15 working days (to 11/2) are over, so the clock runs again; the consultation stays listed until closed.
    expect(opened.json().clock).toMatchObject({
      state: 'running',
      openConsultations: [{ ref: consultationId, party: 'third_party', openedOn: '2026-10-12', windowEnd: '2026-11-02' }],
    });
    const closed = await event(r.id, { kind: 'consultation_closed', on: '2026-10-22', consultationId });
    // 4 working days counted (10/8, 9, 10, 12), 8 paused (10/13–16, 19–22), then 16: 10/23 … 11/13.
    expect(closed.json().clock).toMatchObject({ deadline: '2026-11-13', pausedWorkingDays: 8 });
    // 予以公开 states how, where and when (条例 Art. 36(一)(二)): without it the conclusion is a 400.
    const bare = await event(r.id, { kind: 'concluded', on: '2026-11-10', outcome: 'disclosed' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.fields['body.access']).toMatch(/^予以公开或者部分公开的，须写明获取信息的方式、地点和时间/);
    const access = { form: '电子数据', place: '本局政府信息公开申请受理窗口', time: '2026年11月11日至2026年11月20日工作日' };
    const done = await event(r.id, { kind: 'concluded', on: '2026-11-10', outcome: 'disclosed', access });
    expect(done.json()).toMatchObject({ status: 'concluded', outcome: 'disclosed', outcomeLabel: '予以公开' });
    expect((await event(r.id, { kind: 'fee_paid' })).statusCode).toBe(409);
  });
});
