import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

// Inputs that can never be stored (a NUL, an id beyond PostgreSQL's integer, a date PostgreSQL or the
// calendar cannot take, a non-canonical number) answer 400 with a message on the field, never a 5xx.
// The cases are the schemathesis findings of issue #19 (points 3 and 4).

let h: Harness;
let trackingNo: string;
const tokens: Record<string, string> = {};
let ip = 0;

beforeAll(async () => {
  h = await startHarness();
  // h-registration handles department 5, where sampleLetter goes (answer and transfer are a department's actions).
  for (const u of ['office', 'admin', 'h-registration']) tokens[u] = await h.login(u);
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter(),
    headers: { 'x-forwarded-for': '10.9.0.1' },
  });
  expect(res.statusCode, res.body).toBe(201);
  trackingNo = res.json().trackingNo;
});
afterAll(async () => h?.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]).toString('base64');
const NUL = 'a\u0000b';
const HUGE = 4398046511105;
const INT32_PLUS_ONE = 2 ** 31;

interface Probe {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string | (() => string);
  payload?: object;
  as?: 'office' | 'admin' | 'h-registration';
  headers?: Record<string, string>;
  /** The field the 400 names. */
  field: string;
}

const letter = (over: Record<string, unknown>, field: string, name: string): Probe => ({
  name: `letter: ${name}`,
  method: 'POST',
  url: '/api/letters',
  payload: sampleLetter(over),
  field,
});
const cases = (query: string, field: string): Probe => ({
  name: `cases ?${query}`,
  method: 'GET',
  url: `/api/cases?${query}`,
  as: 'office',
  field,
});
const audit = (query: string, field: string): Probe => ({
  name: `audit ?${query}`,
  method: 'GET',
  url: `/api/audit?${query}`,
  as: 'admin',
  field,
});
const action = (path: string, payload: object, field: string): Probe => ({
  name: `${path} ${JSON.stringify(payload)}`,
  method: 'POST',
  url: () => `/api/cases/${trackingNo}/${path}`,
  payload,
  as: 'h-registration',
  field,
});
const staffBody = { username: 'new-user', displayName: '新用户', password: 'Quite-Long-Passw0rd!', roles: ['office'] };
const yearBody = {
  notice: { title: NUL, number: '国办发明电〔2026〕1号', date: '2026-11-01' },
  holidays: [{ name: '元旦', dates: ['2027-01-01'] }],
};

const probes: Probe[] = [
  letter({ subject: NUL }, 'body.subject', 'NUL in subject'),
  letter({ content: NUL }, 'body.content', 'NUL in content'),
  letter({ writer: { name: NUL, phone: '13800138000' } }, 'body.writer.name', 'NUL in name'),
  letter({ attachments: [{ filename: 'a\u0000.png', contentBase64: PNG }] }, 'body.attachments.0.filename', 'NUL in a file name'),
  letter({ departmentId: HUGE }, 'body.departmentId', 'department id 2^42+1'),
  letter({ departmentId: INT32_PLUS_ONE }, 'body.departmentId', 'department id 2^31'),
  letter({ convenienceItemId: HUGE }, 'body.convenienceItemId', 'convenience item id 2^42+1'),
  {
    name: 'lookup /api/letters/%00',
    method: 'GET',
    url: '/api/letters/%00',
    headers: { 'x-access-code': 'ABCDEFGH' },
    field: 'params.trackingNo',
  },
  {
    name: 'login username with NUL',
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: NUL, password: 'x' },
    field: 'body.username',
  },
  cases('q=a%00b', 'querystring.q'),
  cases(`departmentId=${HUGE}`, 'querystring.departmentId'),
  cases(`departmentId=${INT32_PLUS_ONE}`, 'querystring.departmentId'),
  cases('departmentId=1e1', 'querystring.departmentId'),
  cases('departmentId=0x1', 'querystring.departmentId'),
  cases('departmentId=%2012', 'querystring.departmentId'),
  cases('departmentId=012', 'querystring.departmentId'),
  cases('departmentId=1.0', 'querystring.departmentId'),
  cases('limit=1e1', 'querystring.limit'),
  cases('dueBefore=0000-01-01', 'querystring.dueBefore'),
  {
    name: 'attachment id 2^42+1',
    method: 'GET',
    url: () => `/api/cases/${trackingNo}/attachments/${HUGE}`,
    as: 'office',
    field: 'params.id',
  },
  { name: 'attachment id 0x1', method: 'GET', url: () => `/api/cases/${trackingNo}/attachments/0x1`, as: 'office', field: 'params.id' },
  { name: 'case /api/cases/%00', method: 'GET', url: '/api/cases/%00', as: 'office', field: 'params.trackingNo' },
  action('reclassify', { type: 'complaint', reason: NUL }, 'body.reason'),
  action('reclassify', { type: 'complaint', convenienceItemId: HUGE, reason: '类型有误' }, 'body.convenienceItemId'),
  action('transfer', { toDepartmentId: HUGE, reasonCode: 'not_in_remit', reason: '不属本处室' }, 'body.toDepartmentId'),
  action('answer', { content: NUL }, 'body.content'),
  audit('actor=a%00', 'querystring.actor'),
  audit('recordId=%00', 'querystring.recordId'),
  audit('actorId=1e1', 'querystring.actorId'),
  audit('beforeId=0x1', 'querystring.beforeId'),
  audit('from=0000-01-01', 'querystring.from'),
  {
    name: 'department name with NUL',
    method: 'POST',
    url: '/api/admin/departments',
    payload: { code: 'nul-test', name: NUL },
    as: 'admin',
    field: 'body.name',
  },
  {
    name: 'department /1e1',
    method: 'PATCH',
    url: '/api/admin/departments/1e1',
    payload: { active: true },
    as: 'admin',
    field: 'params.id',
  },
  {
    name: 'department rename with NUL',
    method: 'PATCH',
    url: '/api/admin/departments/1',
    payload: { name: NUL },
    as: 'admin',
    field: 'body.name',
  },
  {
    name: 'convenience item name with NUL',
    method: 'POST',
    url: '/api/admin/convenience-items',
    payload: { name: NUL, departmentId: 5 },
    as: 'admin',
    field: 'body.name',
  },
  {
    name: 'convenience item department 2^42+1',
    method: 'POST',
    url: '/api/admin/convenience-items',
    payload: { name: '补领', departmentId: HUGE },
    as: 'admin',
    field: 'body.departmentId',
  },
  {
    name: 'staff department 2^42+1',
    method: 'POST',
    url: '/api/admin/staff',
    payload: { ...staffBody, departmentId: HUGE },
    as: 'admin',
    field: 'body.departmentId',
  },
  {
    name: 'staff name with NUL',
    method: 'POST',
    url: '/api/admin/staff',
    payload: { ...staffBody, displayName: NUL },
    as: 'admin',
    field: 'body.displayName',
  },
  { name: 'staff /0x1', method: 'PATCH', url: '/api/admin/staff/0x1', payload: { disabled: false }, as: 'admin', field: 'params.id' },
  {
    name: 'staff patch department 2^31',
    method: 'PATCH',
    url: '/api/admin/staff/1',
    payload: { departmentId: INT32_PLUS_ONE },
    as: 'admin',
    field: 'body.departmentId',
  },
  { name: 'digest 0000-01-01', method: 'GET', url: '/api/digests/0000-01-01', as: 'admin', field: 'params.date' },
  { name: 'digest 2026-02-30', method: 'GET', url: '/api/digests/2026-02-30', as: 'admin', field: 'params.date' },
  { name: 'digest %00', method: 'GET', url: '/api/digests/%00', as: 'admin', field: 'params.date' },
  {
    name: 'working days from 0000-01-01',
    method: 'GET',
    url: '/api/calendar/working-days?from=0000-01-01&to=2026-01-01',
    field: 'querystring.from',
  },
  {
    name: 'deadline workingDays=1e1',
    method: 'GET',
    url: '/api/calendar/deadline?from=2026-01-05&workingDays=1e1',
    field: 'querystring.workingDays',
  },
  {
    name: 'calendar notice title with NUL',
    method: 'PUT',
    url: '/api/calendar/years/2027',
    payload: yearBody,
    as: 'admin',
    field: 'body.notice.title',
  },
];

describe('input that can never be stored answers 400 with a field message', () => {
  it.each(probes.map((p) => [p.name, p] as const))('%s', async (_name, p) => {
    const headers = { 'x-forwarded-for': `10.9.1.${++ip}`, ...(p.as ? bearer(tokens[p.as]!) : {}), ...p.headers };
    const url = typeof p.url === 'function' ? p.url() : p.url;
    const res = await h.app.inject({ method: p.method, url, headers, ...(p.payload ? { payload: p.payload } : {}) });
    expect(res.statusCode, res.body).toBe(400);
    const fields = res.json().error.fields as Record<string, string>;
    expect(fields[p.field], res.body).toMatch(/\p{Script=Han}/u);
  });

  it('the public lookup page refuses a NUL with a 400 page, not a 500', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/lookup',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.9.2.1' },
      payload: 'trackingNo=%00&accessCode=ABCDEFGH',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain('空字符');
  });

  it('a staff page passing a NUL on to the API shows a 400, not a 500', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/staff/audit?actor=a%00b', headers: bearer(tokens.admin!) });
    expect(res.statusCode, res.body).toBe(400);
  });

  it('nothing stored was touched: the letter is still there, untouched', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/api/cases/${trackingNo}`, headers: bearer(tokens.office!) });
    expect(res.statusCode).toBe(200);
    expect(res.json().subject).toBe('网店不退货');
    expect(res.json().type).toBe('complaint');
  });
});
