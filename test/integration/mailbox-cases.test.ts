import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letters } from '../../src/mailbox/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

// Staff case lists and details against a real PostgreSQL database. Temporal is unreachable in this
// file: everything here is answered from PostgreSQL, or refused before Temporal would be called.
// Actions that reach the workflow are in letter-workflow.test.ts.

let h: Harness;
const tokens: Record<string, string> = {};
const L: Record<string, { trackingNo: string; accessCode: string; dueDate: string; id: number }> = {};
let ipSeq = 0;

async function token(username: string) {
  tokens[username] ??= await h.login(username);
  return tokens[username];
}

async function create(name: string, over: Record<string, unknown>) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter(over),
    headers: { 'x-forwarded-for': `10.2.0.${++ipSeq}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, res.json().trackingNo));
  L[name] = { ...res.json(), id: row!.id };
}

const set = (name: string, values: Partial<typeof letters.$inferInsert>) =>
  h.db.update(letters).set(values).where(eq(letters.id, L[name]!.id));

async function get(username: string | null, url: string) {
  return h.app.inject({ method: 'GET', url, headers: username ? bearer(await token(username)) : {} });
}

async function list(username: string, query = '') {
  const res = await get(username, `/api/cases${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return (
    res.json() as { items: { trackingNo: string; dueAt: string; readOnly: boolean; departmentId: number; remainingWorkingDays: number }[] }
  ).items;
}
const nos = (rows: { trackingNo: string }[]) => rows.map((r) => r.trackingNo).sort();
const ids = (...names: string[]) => names.map((n) => L[n]!.trackingNo).sort();

beforeAll(async () => {
  h = await startHarness();
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png')]);
  await create('complaint5', {
    subject: '网店不退货',
    content: '商品有质量问题，商家拒绝退货。',
    attachments: [{ filename: '凭证.png', contentBase64: png.toString('base64') }],
    writer: { name: '张三', phone: '13800138000', email: 'z@example.com', idNumber: '11010519491231002X' },
  });
  await create('inquiry5', { type: 'inquiry', subject: '营业执照办理咨询', content: '请问个体工商户如何办理营业执照？' });
  await create('suggestion7', { type: 'suggestion', departmentId: 7, subject: '建议加强执法', content: '建议抽查覆盖率达到 100% 以上' });
  await create('report8', { type: 'report', departmentId: 8, subject: '餐馆卫生', content: 'ABC 餐馆后厨卫生差' });
  await create('answered6', { departmentId: 6, subject: '信用修复', content: '如何申请信用修复？' });
  await create('transferred', { subject: '转办的信', content: '本来写给登记注册局' });
  await create('assisted', { departmentId: 7, subject: '协办的信', content: '需要信用处协办' });
  // States reached through actions elsewhere, set directly here.
  await set('report8', { overdue: true, dueSoon: true });
  await set('answered6', { status: 'answered', answer: '已答复', answeredAt: new Date(), closedLate: false });
  await set('transferred', { departmentId: 7, visitedDepartmentIds: [5, 7], transferredFromDepartmentId: 5 });
  await set('assisted', { assistingDepartmentIds: [6], visitedDepartmentIds: [7, 6] });
});
afterAll(async () => h?.close());

describe('GET /api/cases', () => {
  it('the office sees every case, ordered by due time', async () => {
    const rows = await list('office');
    expect(nos(rows)).toEqual(ids(...Object.keys(L)));
    const due = rows.map((r) => Date.parse(r.dueAt));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(rows[0]!.trackingNo).toBe(L.inquiry5!.trackingNo); // 2 working days: first
    expect(rows.every((r) => r.readOnly === false)).toBe(true);
    const inquiry = rows[0]!;
    expect(inquiry).toMatchObject({
      type: 'inquiry',
      status: 'processing',
      departmentId: 5,
      departmentName: '登记注册局',
      dueDate: L.inquiry5!.dueDate,
      dueSoon: false,
      overdue: false,
    });
    expect(inquiry.remainingWorkingDays).toBe(
      h.calendar.current.countWorkingDays(
        Math.floor((Date.now() + 8 * 3600_000) / 86_400_000),
        Date.parse(L.inquiry5!.dueDate) / 86_400_000,
      ),
    );
  });

  it('paginates with limit and offset in the same order', async () => {
    const all = await list('office');
    const pages = [
      ...(await list('office', 'limit=3&offset=0')),
      ...(await list('office', 'limit=3&offset=3')),
      ...(await list('office', 'limit=3&offset=6')),
    ];
    expect(pages.map((r) => r.trackingNo)).toEqual(all.map((r) => r.trackingNo));
    expect(await list('office', 'limit=3&offset=100')).toEqual([]);
  });

  it('filters by status, type, department, overdue and due date', async () => {
    expect(nos(await list('office', 'status=answered'))).toEqual(ids('answered6'));
    expect(nos(await list('office', 'status=processing'))).toEqual(
      ids('complaint5', 'inquiry5', 'suggestion7', 'report8', 'transferred', 'assisted'),
    );
    expect(nos(await list('office', 'type=inquiry'))).toEqual(ids('inquiry5'));
    expect(nos(await list('office', 'departmentId=7'))).toEqual(ids('suggestion7', 'transferred', 'assisted'));
    expect(nos(await list('office', 'overdue=true'))).toEqual(ids('report8'));
    expect(nos(await list('office', 'overdue=false')).length).toBe(6);
    expect(nos(await list('office', `dueBefore=${L.inquiry5!.dueDate}`))).toEqual(ids('inquiry5'));
    expect(nos(await list('office', 'departmentId=5&type=complaint'))).toEqual(ids('complaint5'));
  });

  it('searches subject and content, case-insensitively, with % and _ taken literally', async () => {
    expect(nos(await list('office', `q=${encodeURIComponent('营业执照')}`))).toEqual(ids('inquiry5'));
    expect(nos(await list('office', `q=${encodeURIComponent('退货')}`))).toEqual(ids('complaint5'));
    expect(nos(await list('office', 'q=abc'))).toEqual(ids('report8'));
    expect(nos(await list('office', `q=${encodeURIComponent('100%')}`))).toEqual(ids('suggestion7'));
    expect(await list('office', `q=${encodeURIComponent('%')}`)).toHaveLength(1);
    expect(await list('office', `q=${encodeURIComponent('_')}`)).toHaveLength(0);
    expect(await list('office', `q=${encodeURIComponent('没有这样的信')}`)).toHaveLength(0);
  });

  it("a handler sees their department's cases, and read-only those that passed through it", async () => {
    const rows = await list('h-registration');
    expect(nos(rows)).toEqual(ids('complaint5', 'inquiry5', 'transferred'));
    expect(rows.find((r) => r.trackingNo === L.transferred!.trackingNo)!.readOnly).toBe(true);
    expect(rows.filter((r) => r.readOnly)).toHaveLength(1);
    // Filters narrow within the scope; they never widen it.
    expect(nos(await list('h-registration', 'departmentId=8'))).toEqual([]);
    expect(nos(await list('h-enforcement'))).toEqual(ids('suggestion7', 'transferred', 'assisted'));
    const credit = await list('h-credit');
    expect(nos(credit)).toEqual(ids('answered6', 'assisted'));
    expect(credit.every((r) => !r.readOnly)).toBe(true); // assisting departments act (opinions)
    expect(nos(await list('l-food-safety'))).toEqual(ids('report8'));
    expect(await list('h-it')).toEqual([]);
  });

  it('oversight roles see every case', async () => {
    expect(await list('center')).toHaveLength(7);
    expect(await list('leader')).toHaveLength(7);
    expect(await list('admin')).toHaveLength(7);
  });

  it('needs a staff login', async () => {
    expect((await get(null, '/api/cases')).statusCode).toBe(401);
    expect((await get('publicity', '/api/cases')).statusCode).toBe(403);
  });

  it('bad query parameters are 400 with field messages', async () => {
    for (const [query, field] of [
      ['limit=0', 'querystring.limit'],
      ['limit=201', 'querystring.limit'],
      ['offset=-1', 'querystring.offset'],
      ['status=closed', 'querystring.status'],
      ['type=praise', 'querystring.type'],
      ['overdue=maybe', 'querystring.overdue'],
      ['dueBefore=2026-02-30', 'querystring.dueBefore'],
      ['departmentId=abc', 'querystring.departmentId'],
    ] as const) {
      const res = await get('office', `/api/cases?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.fields?.[field], `${query}: ${res.body}`).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('GET /api/cases/{trackingNo}', () => {
  it('shows the handling department the whole case: personal data, attachments, timeline, deadline explanation', async () => {
    const res = await get('h-registration', `/api/cases/${L.complaint5!.trackingNo}`);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({
      trackingNo: L.complaint5!.trackingNo,
      readOnly: false,
      firstDepartmentId: 5,
      limitDays: 10,
      dueDate: L.complaint5!.dueDate,
      writer: { name: '张三', phone: '13800138000', email: 'z@example.com', idNumber: '11010519491231002X' },
      content: '商品有质量问题，商家拒绝退货。',
      allowPublication: true,
      convenienceItemId: null,
      assistingDepartmentIds: [],
      pendingRejection: null,
      answer: null,
    });
    expect(c.attachments).toEqual([{ id: expect.any(Number), filename: '凭证.png', mimeType: 'image/png', size: 11 }]);
    expect(c.timeline.map((e: { kind: string }) => e.kind)).toEqual(['received']);
    const days = c.deadlineExplanation as { date: string; counted: boolean; reason: string }[];
    expect(days[0]!.reason).toBe('收到当日不计入');
    expect(days.filter((d) => d.counted)).toHaveLength(10);
    expect(days.at(-1)).toMatchObject({ date: L.complaint5!.dueDate, counted: true, reason: '第10个工作日' });
  });

  it('serves an attachment to those who may see the case, byte for byte, with its checked type', async () => {
    const id = (await get('h-registration', `/api/cases/${L.complaint5!.trackingNo}`)).json().attachments[0].id;
    const res = await get('h-registration', `/api/cases/${L.complaint5!.trackingNo}/attachments/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('凭证.png'));
    expect(res.rawPayload.equals(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png')]))).toBe(
      true,
    );
    // Another department's handler: the same 404 as for a file that does not exist.
    expect((await get('h-credit', `/api/cases/${L.complaint5!.trackingNo}/attachments/${id}`)).statusCode).toBe(404);
    expect((await get('h-registration', `/api/cases/${L.complaint5!.trackingNo}/attachments/${id + 1000}`)).statusCode).toBe(404);
  });

  it('a department the case passed through sees it read-only', async () => {
    const res = await get('h-registration', `/api/cases/${L.transferred!.trackingNo}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ readOnly: true, departmentId: 7 });
  });

  it('a case of another department is a 404, the same as a case that does not exist', async () => {
    const other = await get('h-credit', `/api/cases/${L.complaint5!.trackingNo}`);
    const missing = await get('h-credit', '/api/cases/991231-ABCDE');
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
  });

  it('a malformed tracking number is a 400', async () => {
    const res = await get('office', '/api/cases/12345');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['params.trackingNo']).toBe('受理编号格式不正确');
  });
});

describe('POST /api/cases/{trackingNo}/… refused before the workflow is asked', () => {
  async function act(username: string | null, name: string, action: string, payload: unknown) {
    return h.app.inject({
      method: 'POST',
      url: `/api/cases/${L[name]?.trackingNo ?? name}/${action}`,
      headers: username ? bearer(await token(username)) : {},
      payload: payload as object,
    });
  }
  const answer = { content: '答复内容' };

  it('needs a login with a handling role', async () => {
    expect((await act(null, 'complaint5', 'answer', answer)).statusCode).toBe(401);
    expect((await act('center', 'complaint5', 'answer', answer)).statusCode).toBe(403);
    expect((await act('leader', 'complaint5', 'answer', answer)).statusCode).toBe(403);
    expect((await act('admin', 'complaint5', 'answer', answer)).statusCode).toBe(403);
  });

  it("404 for a case outside the handler's scope", async () => {
    const res = await act('h-credit', 'complaint5', 'answer', answer);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe('未找到该信件');
    expect((await act('h-credit', '991231-ABCDE', 'answer', answer)).statusCode).toBe(404);
  });

  it('403 for a department that no longer has the case', async () => {
    for (const [action, body] of [
      ['answer', answer],
      ['transfer', { toDepartmentId: 6, reasonCode: 'not_in_remit', reason: '不属于' }],
      ['escalate', { reason: '多个处室' }],
    ] as const) {
      const res = await act('h-registration', 'transferred', action, body);
      expect(res.statusCode, action).toBe(403);
      expect(res.json().error.message).toBe('该信件已不在本处室，只能查看');
    }
  });

  it('400 for a bad body, with Chinese field messages', async () => {
    const cases: [string, unknown, string, string][] = [
      ['answer', {}, 'body.content', '请填写答复内容'],
      ['answer', { content: '答'.repeat(5001) }, 'body.content', '答复内容不能超过 5000 个字'],
      ['transfer', { toDepartmentId: 7, reasonCode: 'because', reason: 'x' }, 'body.reasonCode', '请选择转办理由'],
      ['transfer', { toDepartmentId: 7, reasonCode: 'not_in_remit' }, 'body.reason', '请填写转办说明'],
      ['dispute', { reason: ' ' }, 'body.reason', '请填写异议理由'],
      ['reject', { reasonCode: 'nope', reason: 'x' }, 'body.reasonCode', '请选择不予受理理由'],
      ['opinions', {}, 'body.content', '请填写协办意见'],
      ['reclassify', { type: 'praise', reason: 'x' }, 'body.type', ''],
    ];
    for (const [action, body, field, message] of cases) {
      const res = await act('h-registration', 'complaint5', action, body);
      expect(res.statusCode, `${action} ${res.body}`).toBe(400);
      if (message) expect(res.json().error.fields[field]).toBe(message);
      else expect(res.json().error.fields[field]).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('400 for an unknown or inactive department, or a convenience item on a non-complaint', async () => {
    const unknown = await act('h-registration', 'complaint5', 'transfer', {
      toDepartmentId: 999,
      reasonCode: 'not_in_remit',
      reason: '不属于',
    });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().error.fields['body.toDepartmentId']).toBe('处室不存在或已停用');
    const admin = await token('admin');
    const dept = await h.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: bearer(admin),
      payload: { code: 'old-unit', name: '旧处室' },
    });
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/departments/${dept.json().id}`,
      headers: bearer(admin),
      payload: { active: false },
    });
    const inactive = await act('h-registration', 'complaint5', 'transfer', {
      toDepartmentId: dept.json().id,
      reasonCode: 'not_in_remit',
      reason: '不属于',
    });
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json().error.fields['body.toDepartmentId']).toBe('处室不存在或已停用');
    const arbitrate = await act('office', 'complaint5', 'arbitrate', { leadDepartmentId: 7, assistingDepartmentIds: [999], note: '协调' });
    expect(arbitrate.statusCode).toBe(400);
    expect(arbitrate.json().error.fields['body.assistingDepartmentIds.0']).toBe('处室不存在或已停用');
    const escalate = await act('h-registration', 'complaint5', 'escalate', { reason: '多个处室', departmentIds: [6, 999] });
    expect(escalate.statusCode).toBe(400);
    expect(escalate.json().error.fields['body.departmentIds.1']).toBe('处室不存在或已停用');
    const reclassify = await act('h-registration', 'complaint5', 'reclassify', {
      type: 'inquiry',
      convenienceItemId: 1,
      reason: '实为咨询',
    });
    expect(reclassify.statusCode).toBe(400);
    expect(reclassify.json().error.fields['body.convenienceItemId']).toBe('只有投诉可以选择便民服务事项');
    const noItem = await act('h-registration', 'complaint5', 'reclassify', {
      type: 'complaint',
      convenienceItemId: 4242,
      reason: '便民事项',
    });
    expect(noItem.statusCode).toBe(400);
    expect(noItem.json().error.fields['body.convenienceItemId']).toBe('便民服务事项不存在或已停用');
  });

  it('409 with the reason for a closed case (no workflow is started for it)', async () => {
    const res = await act('h-credit', 'answered6', 'answer', answer);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toEqual({ code: 'conflict', message: '该信件已答复办结' });
    const [row] = await h.db.select().from(letters).where(eq(letters.id, L.answered6!.id));
    expect(row!.workflowStartedAt).toBeNull();
  });

  it('503 for an allowed action while Temporal is unreachable; nothing changes', async () => {
    const res = await act('h-registration', 'complaint5', 'answer', answer);
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toEqual({ code: 'workflow_unavailable', message: '办理服务暂时不可用，请稍后再试' });
    const [row] = await h.db.select().from(letters).where(eq(letters.id, L.complaint5!.id));
    expect(row!.status).toBe('processing');
  });
});
