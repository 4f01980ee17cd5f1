import { chinaDayOf, dayToIso } from '../../src/calendar/china-time.js';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosureRequests } from '../../src/requests/tables.js';
import { startHarness, type Harness } from '../support/harness.js';
import { fieldError, PageBrowser } from '../support/page-browser.js';

// Issue 17 points 1, 2, 8 and 9 through the pages, as a browser without JavaScript sends them: the public
// online form (bad input → 400 with the Chinese field messages and every typed value kept, nothing stored),
// the receipt with the number and the access code, the lookup (a wrong code answers as an unknown number),
// the deadline and its explanation on both sides, and the staff pages' scope and actions. Dates from the
// 2026 calendar: confirmed Wednesday 2026-09-30, 国庆 10/1–7 off, Saturday 10/10 worked → due 2026-11-03.

let h: Harness;
const anon = () => new PageBrowser(() => h);
const staff = async (username: string) => new PageBrowser(() => h).login(username);
const stored = async () => (await h.db.select({ n: count() }).from(disclosureRequests))[0]!.n;
/** The value attribute of a text input on a page. */
const valueOf = (page: string, id: string) => new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(page)?.[1];
const checked = (page: string, name: string, value: string) =>
  new RegExp(`name="${name.replace('.', '\\.')}" value="${value}" checked`).test(page);

const person = {
  'applicant.type': 'natural_person',
  'person.name': '林小梅',
  'person.idDocumentType': 'resident_id',
  'person.idDocumentNumber': '350102199001011234',
  'applicant.phone': '13800000000',
  'information.title': '福建省2026年食品安全监督抽检计划',
  form: 'electronic',
  receiveWay: 'online',
};

/** Files the form and reads the number and the code off the receipt page. */
async function file(form: Record<string, string> = person) {
  const res = await anon().post('/xxgk/request', form);
  expect(res.statusCode, res.body).toBe(200);
  const number = /id="request-number">([^<]+)</.exec(res.body)![1]!;
  const accessCode = /id="access-code">([^<]+)</.exec(res.body)![1]!;
  const [row] = await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.number, number));
  return { number, accessCode, id: row!.id, page: res.body };
}
const lookup = (number: string, accessCode: string) => anon().post('/xxgk/request/lookup', { number, accessCode });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('the public online form (issue 17 points 1–2; 条例 Art. 29)', () => {
  it('a reload of the receipt page (the browser posts the same form again) shows the same number and code, files nothing twice', async () => {
    const formId = /name="formId" value="([^"]+)"/.exec((await anon().get('/xxgk/request')).body)![1]!;
    const total = async () => (await h.db.select({ n: count() }).from(disclosureRequests))[0]!.n;
    const first = await file({ ...person, formId });
    const before = await total();
    const again = await file({ ...person, formId });
    expect(await total()).toBe(before);
    expect(again.number).toBe(first.number);
    expect(again.accessCode).toBe(first.accessCode);
    const other = await file({ ...person, 'information.title': '另一项信息', formId });
    expect(other.number).not.toBe(first.number);
    expect(await total()).toBe(before + 1);
  });

  it('shows the applicant types, both identity blocks and the receipt-date notice of Art. 31(三); the 指南 and 依申请公开 pages link to it', async () => {
    const res = await anon().get('/xxgk/request');
    expect(res.statusCode).toBe(200);
    for (const label of ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']) expect(res.body).toContain(label);
    expect(res.body).toContain('id="person-fields"');
    expect(res.body).toContain('统一社会信用代码');
    expect(res.body).toContain('法定代表人或者负责人');
    expect(res.body).toContain('以本局政府信息公开工作机构与您双方确认之日为收到申请之日');
    expect(res.body).toContain('第三十一条第（三）项');
    expect(res.body).not.toMatch(/<script(?![^>]*src="\/assets\/app\.js)/);
    expect((await anon().get('/xxgk/guide')).body).toContain('href="/xxgk/request"');
    expect((await anon().get('/xxgk/apply')).body).toContain('href="/xxgk/request"');
  });

  it('no identity document and an unknown applicant type: 400, Chinese field messages, every typed value kept, nothing stored', async () => {
    const before = await stored();
    const typed = { ...person, 'person.idDocumentNumber': '', 'information.description': '2026年第三季度的抽检结果' };
    const noId = await anon().post('/xxgk/request', typed);
    expect(noId.statusCode).toBe(400);
    expect(fieldError(noId.body, 'f-person-idDocumentNumber')).toBe('请填写身份证明号码');
    expect(valueOf(noId.body, 'f-person-name')).toBe('林小梅');
    expect(valueOf(noId.body, 'f-applicant-phone')).toBe('13800000000');
    expect(valueOf(noId.body, 'f-information-title')).toBe('福建省2026年食品安全监督抽检计划');
    expect(noId.body).toContain('2026年第三季度的抽检结果</textarea>');
    expect(checked(noId.body, 'form', 'electronic')).toBe(true);
    expect(checked(noId.body, 'receiveWay', 'online')).toBe(true);
    expect(noId.body).toContain('class="error-summary"');

    const unknownType = await anon().post('/xxgk/request', { ...person, 'applicant.type': 'alien' });
    expect(unknownType.statusCode).toBe(400);
    expect(fieldError(unknownType.body, 'f-applicant-type')).toBe(
      '请选择申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他',
    );
    expect(valueOf(unknownType.body, 'f-person-idDocumentNumber')).toBe('350102199001011234');

    // Nothing sought, no contact, e-mail chosen without an address (Art. 29(二); the receive way's need).
    const empty = await anon().post('/xxgk/request', {
      ...person,
      'applicant.phone': '',
      'information.title': '',
      receiveWay: 'email',
    });
    expect(empty.statusCode).toBe(400);
    expect(fieldError(empty.body, 'f-information-description')).toBe('请至少填写所需信息的名称、文号或便于查询的特征性描述之一');
    expect(fieldError(empty.body, 'f-applicant-phone')).toBe('请至少填写一种联系方式（电话、电子邮箱或通信地址）');
    expect(fieldError(empty.body, 'f-applicant-email')).toBe('选择电子邮件的，请填写电子邮箱');

    // An organisation: its credit code, legal representative and contact person.
    const org = await anon().post('/xxgk/request', {
      'applicant.type': 'commercial_enterprise',
      'org.name': '福州某某贸易有限公司',
      'org.creditCode': '',
      'applicant.phone': '0591-87612345',
      'information.docNumber': '闽市监规〔2026〕7号',
      form: 'paper',
      receiveWay: 'post',
    });
    expect(org.statusCode).toBe(400);
    expect(fieldError(org.body, 'f-org-creditCode')).toBe('请填写身份证明号码');
    expect(fieldError(org.body, 'f-org-legalRepresentative')).toBe('法人或者其他组织申请的，请填写法定代表人或者负责人');
    expect(fieldError(org.body, 'f-org-contactPerson')).toBe('法人或者其他组织申请的，请填写联系人');
    expect(fieldError(org.body, 'f-applicant-address')).toBe('选择邮寄的，请填写通信地址');
    expect(valueOf(org.body, 'f-org-name')).toBe('福州某某贸易有限公司');
    expect(checked(org.body, 'applicant.type', 'commercial_enterprise')).toBe(true);

    expect(await stored()).toBe(before);
  });

  it('a filing shows the number and the access code once, told to keep it; an organisation is stored with its four facts', async () => {
    const r = await file();
    expect(r.number).toMatch(/^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/);
    expect(r.accessCode.length).toBeGreaterThanOrEqual(6);
    expect(r.page).toContain('查询码只显示这一次，请妥善保存');
    expect(r.page).toContain('href="/xxgk/request/lookup"');

    const o = await file({
      'applicant.type': 'legal_service_institution',
      'org.name': '福建某某律师事务所',
      'org.creditCode': '31350000MD0123456X',
      'org.legalRepresentative': '陈律',
      'org.contactPerson': '吴助理',
      'applicant.address': '福州市鼓楼区某某路1号',
      'information.description': '2025年度全省律师事务所登记信息',
      form: 'paper',
      receiveWay: 'post',
    });
    const [row] = await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, o.id));
    expect(row).toMatchObject({
      channel: 'online',
      status: 'awaiting_confirmation',
      applicantType: 'legal_service_institution',
      applicantName: '福建某某律师事务所',
      idDocumentType: 'unified_credit_code',
      idDocumentNumber: '31350000MD0123456X',
      legalRepresentative: '陈律',
      contactPerson: '吴助理',
      receivedOn: null,
    });
  });
});

describe('the lookup and the staff pages (points 8 and 9)', () => {
  it('a wrong code answers like an unknown number; the applicant then follows confirmation, routing, drafting and signing', async () => {
    const r = await file();
    const wrong = await lookup(r.number, 'WRONGCODE');
    const unknown = await lookup('261127-AAAAA', r.accessCode);
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    const message = (body: string) => /<p class="form-error" role="alert">([^<]+)</.exec(body)?.[1];
    expect(message(wrong.body)).toBe('未找到该申请，请核对申请编号和查询码');
    expect(message(unknown.body)).toBe(message(wrong.body));
    expect(wrong.body).not.toContain('WRONGCODE');

    const waiting = await lookup(r.number, r.accessCode);
    expect(waiting.statusCode).toBe(200);
    expect(waiting.headers['cache-control']).toBe('no-store'); // the code is in the page's forms
    expect(waiting.body).toContain('>待确认收到<');
    expect(waiting.body).toContain('尚未确认收到，确认后开始计算答复期限（条例第三十一条）');

    // As if filed Monday 2026-09-28; the office confirms with the applicant on Wednesday 2026-09-30.
    await h.db
      .update(disclosureRequests)
      .set({ submittedAt: new Date('2026-09-28T09:00:00+08:00') })
      .where(eq(disclosureRequests.id, r.id));
    const office = await staff('office');
    const detail = `/staff/requests/${r.id}`;
    const confirmed = await office.submit(detail, `${detail}/confirm`, { confirmedAt: '2026-09-30T10:00' });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(`${detail}?done=confirm`);
    const page = (await office.get(`${detail}?done=confirm`)).body;
    expect(page).toContain('已确认收到申请，答复期限开始计算。');
    // 20 working days after 9/30: 10/8, 10/9, 10/10 (make-up Saturday), 10/12 … 10/30, 11/2, 11/3.
    expect(page).toContain('id="deadline-date">2026年11月3日<');
    expect(page).toContain('网上申请，以双方确认之日为收到申请之日（条例第三十一条第（三）项）');

    const seen = await lookup(r.number, r.accessCode);
    expect(seen.body).toContain('>办理中<');
    expect(seen.body).toContain('id="deadline-date">2026年11月3日<');
    const lines = [...seen.body.matchAll(/<li data-kind="([a-z_]+)">([^<]+)<\/li>/g)].map((m) => m[1]);
    expect(lines[0]).toBe('receipt');
    expect(lines).toContain('counted');
    expect(lines.at(-1)).toBe('deadline');
    expect(seen.body).not.toContain('action="/xxgk/request/letter"');

    // Before routing, 登记注册局 neither lists nor opens it.
    const registrar = await staff('h-registration');
    expect((await registrar.get('/staff/requests')).body).not.toContain(r.number);
    expect((await registrar.get(detail)).statusCode).toBe(404);

    // Routing without a department: the page again with the field message; then to 登记注册局 (5).
    const noDept = await office.submit(detail, `${detail}/route`, { departmentId: '' });
    expect(noDept.statusCode).toBe(400);
    expect(fieldError(noDept.body, 'f-route-departmentId')).toBe('请选择承办处室');
    expect((await office.submit(detail, `${detail}/route`, { departmentId: '5' })).statusCode).toBe(303);

    expect((await registrar.get('/staff/requests')).body).toContain(r.number);
    const other = await staff('h-credit');
    expect((await other.get('/staff/requests')).body).not.toContain(r.number);
    expect((await other.get(detail)).statusCode).toBe(404);
    expect((await anon().get('/staff/requests')).statusCode).toBe(303);
    expect((await (await staff('publicity')).get('/staff/requests')).statusCode).toBe(403);

    const deptPage = (await registrar.get(detail)).body;
    expect(deptPage).toContain('id="act-draft"');
    expect(deptPage).not.toContain('id="act-sign"');
    expect(deptPage).not.toContain('id="act-route"');
    const emptyDraft = await registrar.submit(detail, `${detail}/draft`, { draft: '  ' });
    expect(emptyDraft.statusCode).toBe(400);
    expect(fieldError(emptyDraft.body, 'f-draft-draft')).toBe('请填写拟办答复意见');
    expect((await registrar.submit(detail, `${detail}/draft`, { draft: '经查，该计划已主动公开，拟予以公开。' })).statusCode).toBe(303);
    expect((await other.submit(detail, `${detail}/draft`, { draft: '越权' })).statusCode).toBe(404);

    expect((await office.submit(detail, `${detail}/sign`, {})).statusCode).toBe(303);
    const signed = (await office.get(detail)).body;
    // Signed but not concluded: the letter states the outcome, so there is none yet.
    expect(signed).not.toContain(`href="/staff/requests/${r.id}/answer-letter"`);
    expect(signed).toContain('经查，该计划已主动公开，拟予以公开。');
    expect((await lookup(r.number, r.accessCode)).body).not.toContain('action="/xxgk/request/letter"');

    // The list shows status, receipt date, deadline and department; a filter by status narrows it.
    const list = (await office.get('/staff/requests?status=in_progress')).body;
    const line = new RegExp(`<tr data-id="${r.id}">[\\s\\S]*?</tr>`).exec(list)?.[0] ?? '';
    expect(line).toContain('2026年9月30日');
    expect(line).toContain('2026年11月3日');
    expect(line).toContain('登记注册局');
    expect(line).toContain('已超期');
    expect((await office.get('/staff/requests?status=withdrawn')).body).not.toContain(r.number);

    // Concluded 予以公开: how, where and when are required (条例 Art. 36(一)(二)), at the block's first field.
    const noAccess = await office.submit(detail, `${detail}/conclude`, { outcome: 'disclosed' });
    expect(noAccess.statusCode).toBe(400);
    expect(fieldError(noAccess.body, 'f-conclude-access.form')).toContain('获取信息的方式、地点和时间');
    const concluded = await office.submit(detail, `${detail}/conclude`, {
      outcome: 'disclosed',
      'access.form': '电子文本',
      'access.place': '本局政府信息公开受理点',
      'access.time': '收到本答复书之日起',
    });
    expect(concluded.statusCode).toBe(303);
    expect((await office.get(detail)).body).toContain(`href="/staff/requests/${r.id}/answer-letter"`);
    const after = await lookup(r.number, r.accessCode);
    expect(after.body).toContain('action="/xxgk/request/letter"');
    expect(after.body).toContain('action="/xxgk/request/letter.pdf"');
    expect(after.body).toContain(`name="number" value="${r.number}"`);

    // Delivery (235号): offered once concluded; by post the 交邮日 is required.
    const deliverable = (await office.get(detail)).body;
    expect(deliverable).toContain('id="act-delivery"');
    const noDate = await office.submit(detail, `${detail}/delivery`, { method: 'post' });
    expect(noDate.statusCode).toBe(400);
    expect(fieldError(noDate.body, 'f-delivery-postedOn')).toBe('邮寄送达的，请填写交邮日期');
    expect(
      (await office.submit(detail, `${detail}/delivery`, { method: 'post', postedOn: dayToIso(chinaDayOf(new Date())) })).statusCode,
    ).toBe(303);
    expect((await office.get(detail)).body).not.toContain('id="act-delivery"');
  });

  it('clock events from the staff page: 补正 with its points (Art. 30) shows on the lookup; a bad one answers its field message', async () => {
    const r = await file();
    const office = await staff('office');
    const detail = `/staff/requests/${r.id}`;
    expect((await office.submit(detail, `${detail}/confirm`, {})).statusCode).toBe(303);
    const noPoints = await office.submit(detail, `${detail}/correction`, { periodDays: '10', points: '' });
    expect(noPoints.statusCode).toBe(400);
    expect(fieldError(noPoints.body, 'f-correction-points')).toBe('请一次性列出需要补正的全部事项');
    const ok = await office.submit(detail, `${detail}/correction`, {
      periodDays: '10',
      points: '请提供身份证明复印件\n请说明所需信息的年份',
    });
    expect(ok.statusCode).toBe(303);
    const seen = (await lookup(r.number, r.accessCode)).body;
    expect(seen).toContain('>等待补正<');
    expect(seen).toContain('告知补正（条例第三十条）：补正期限 10 个工作日');
    expect(seen).toContain('1. 请提供身份证明复印件\n2. 请说明所需信息的年份');
    // An extension needs the office; the service centre is not offered it and is refused if it posts.
    const center = await staff('center');
    expect((await center.get(detail)).body).not.toContain('id="act-extend"');
    expect((await center.get(detail)).body).toContain('id="act-supplement"');
    expect((await center.submit(detail, `${detail}/extend`, { days: '5', reason: '需要调档' })).statusCode).toBe(403);
  });

  it('the applicant withdraws after ticking the confirmation; the staff entry of an in-person request counts from its day', async () => {
    const r = await file();
    const wrongCode = await anon().post('/xxgk/request/withdraw', { number: r.number, accessCode: 'WRONGCODE', confirm: 'yes' });
    expect(wrongCode.statusCode).toBe(404);
    expect(wrongCode.body).toContain('未找到该申请，请核对申请编号和查询码');
    expect((await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, r.id)))[0]!.status).toBe('awaiting_confirmation');
    const unticked = await anon().post('/xxgk/request/withdraw', { number: r.number, accessCode: r.accessCode });
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('请勾选“我确认撤回该申请”后再撤回');
    const done = await anon().post('/xxgk/request/withdraw', { number: r.number, accessCode: r.accessCode, confirm: 'yes' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('>已撤回<');
    expect(done.body).not.toContain('id="withdraw"');

    const center = await staff('center');
    const bad = await center.submit('/staff/requests/new', '/staff/requests/new', { ...person, 'person.idDocumentNumber': '' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'f-channel')).toBe('请选择申请渠道：邮寄、当面提交、传真或电子邮件');
    expect(fieldError(bad.body, 'f-person-idDocumentNumber')).toBe('请填写身份证明号码');
    expect(valueOf(bad.body, 'f-person-name')).toBe('林小梅');
    const entered = await center.submit('/staff/requests/new', '/staff/requests/new', {
      ...person,
      channel: 'in_person',
      submittedAt: '2026-09-30T10:00',
    });
    expect(entered.statusCode).toBe(303);
    const page = (await center.get(entered.headers.location as string)).body;
    expect(page).toContain('申请已登记。');
    expect(page).toContain('当面提交，以提交之日为收到申请之日（条例第三十一条第（一）项）');
    expect(page).toContain('id="deadline-date">2026年11月3日<');
  });
});
