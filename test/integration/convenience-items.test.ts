import { and, asc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { BUREAU_CONVENIENCE_ITEMS, seedConvenienceItems } from '../../src/mailbox/convenience-seed.js';
import { convenienceItems, letters } from '../../src/mailbox/tables.js';
import { bearer, DEMO_PASSWORD, sampleLetter, startHarness, type Harness } from '../support/harness.js';

// 便民服务事项清单 (complaints on an item: 3 working days, Art. 22 of the measures): the embedded
// default's seed, administrators adding, renaming, moving, deactivating and reactivating items through
// the API and the staff pages, the history of each change, and what letters and the public form see.

let h: Harness;
let admin: string;
let ipSeq = 0;
const ip = () => `10.31.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.login('admin');
});
afterAll(async () => h?.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, token?: string, payload?: object) =>
  h.app.inject({ method, url, headers: { ...(token ? bearer(token) : {}), 'x-forwarded-for': ip() }, ...(payload ? { payload } : {}) });
const addItem = async (name: string, departmentId = 5) => {
  const res = await api('POST', '/api/admin/convenience-items', admin, { name, departmentId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; name: string; departmentId: number; active: boolean };
};
const patch = (id: number, body: object, token = admin) => api('PATCH', `/api/admin/convenience-items/${id}`, token, body);
const itemRow = async (id: number) => (await h.db.select().from(convenienceItems).where(eq(convenienceItems.id, id)))[0]!;
const auditOf = (id: number) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.recordType, 'convenience_item'), eq(auditLog.recordId, String(id))))
    .orderBy(asc(auditLog.id));

describe('the embedded default seed', () => {
  it('seeds the bureau list once: a second run adds nothing and undoes no administrator edit', async () => {
    expect(await seedConvenienceItems(h.db)).toBe(BUREAU_CONVENIENCE_ITEMS.length);
    const first = await h.db.select().from(convenienceItems).orderBy(asc(convenienceItems.id));
    const names = first.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['营业执照办理咨询', '食品经营许可', '特种设备使用登记', '计量器具强制检定']));
    expect(names.filter((n) => n.includes('12315')).length).toBeGreaterThanOrEqual(2);
    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(first.length).toBeLessThanOrEqual(20);
    // Each seeded item answered by the department its code names (食品经营许可 → 食品经营安全监督管理处).
    const food = first.find((i) => i.code === 'food-business-licence')!;
    const [dept] = await h.sql<{ name: string }[]>`select name from departments where id = ${food.departmentId}`;
    expect(dept!.name).toBe('食品经营安全监督管理处');
    // One audit row per seeded item, by the system.
    const seededAudit = await auditOf(food.id);
    expect(seededAudit.map((a) => [a.action, a.actorUsername])).toEqual([['convenience_item.create', 'system:seed']]);

    // An administrator renames one seeded item and deactivates another.
    const licence = first.find((i) => i.code === 'business-licence')!;
    const metrology = first.find((i) => i.code === 'metrology-standard')!;
    expect((await patch(licence.id, { name: '营业执照办理（企业开办一网通办）咨询' })).statusCode).toBe(200);
    expect((await patch(metrology.id, { active: false })).statusCode).toBe(200);

    expect(await seedConvenienceItems(h.db)).toBe(0);
    const second = await h.db.select().from(convenienceItems).orderBy(asc(convenienceItems.id));
    expect(second).toHaveLength(first.length);
    expect(second.find((i) => i.id === licence.id)!.name).toBe('营业执照办理（企业开办一网通办）咨询');
    expect(second.find((i) => i.id === metrology.id)!.active).toBe(false);
    // The seed wrote no second audit row for the item it found.
    expect((await auditOf(food.id)).length).toBe(1);
    // Put back for the tests below.
    expect((await patch(metrology.id, { active: true })).statusCode).toBe(200);
  });
});

describe('administrators change the list through the API', () => {
  it('create, rename, move, deactivate and reactivate: each change one audit row with who, when, before and after', async () => {
    const item = await addItem('食品经营许可证延续');
    expect(item).toMatchObject({ name: '食品经营许可证延续', departmentId: 5, active: true });

    const renamed = await patch(item.id, { name: '食品经营许可证延续申请' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toEqual({ id: item.id, name: '食品经营许可证延续申请', departmentId: 5, active: true });
    const moved = await patch(item.id, { departmentId: 10 });
    expect(moved.json()).toMatchObject({ departmentId: 10 });
    const off = await patch(item.id, { active: false });
    expect(off.json()).toMatchObject({ active: false });
    const on = await patch(item.id, { active: true });
    expect(on.json()).toMatchObject({ active: true, name: '食品经营许可证延续申请' });

    const trail = await auditOf(item.id);
    expect(trail.map((a) => a.action)).toEqual([
      'convenience_item.create',
      'convenience_item.update',
      'convenience_item.update',
      'convenience_item.update',
      'convenience_item.update',
    ]);
    expect(trail.every((a) => a.actorUsername === 'admin' && a.actorRole === 'admin' && a.at instanceof Date)).toBe(true);
    expect(trail[1]!.before).toMatchObject({ name: '食品经营许可证延续' });
    expect(trail[1]!.after).toMatchObject({ name: '食品经营许可证延续申请' });
    expect(trail[2]!.before).toMatchObject({ departmentId: 5 });
    expect(trail[2]!.after).toMatchObject({ departmentId: 10 });
    expect([trail[3]!.after, trail[4]!.after]).toMatchObject([{ active: false }, { active: true }]);
    // The audit API tells the same history.
    const history = await api('GET', `/api/audit?recordType=convenience_item&recordId=${item.id}`, admin);
    expect(history.json()).toHaveLength(5);
  });

  it('the general office sees the whole list but may not change it; other roles see neither', async () => {
    const item = await addItem('计量器具型式批准');
    const office = await h.login('office');
    const list = await api('GET', '/api/admin/convenience-items', office);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { id: number }[]).map((i) => i.id)).toContain(item.id);
    expect((await patch(item.id, { active: false }, office)).statusCode).toBe(403);
    expect((await api('POST', '/api/admin/convenience-items', office, { name: '办公室新增', departmentId: 5 })).statusCode).toBe(403);
    const handler = await h.login('h-registration');
    expect((await api('GET', '/api/admin/convenience-items', handler)).statusCode).toBe(403);
    expect((await patch(item.id, { name: '处室改名' }, handler)).statusCode).toBe(403);
    expect((await api('PATCH', `/api/admin/convenience-items/${item.id}`, undefined, { name: '匿名改名' })).statusCode).toBe(401);
    expect((await itemRow(item.id)).name).toBe('计量器具型式批准');
  });

  it('bad input: 400 with Chinese messages on the fields; an unknown item 404', async () => {
    const item = await addItem('特种设备检验检测');
    const expectFields = async (res: LightMyRequestResponse, fields: Record<string, string>) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields).toEqual(fields);
    };
    await expectFields(await api('POST', '/api/admin/convenience-items', admin, { name: '  ', departmentId: 'x' }), {
      'body.name': '请填写事项名称',
      'body.departmentId': '请选择处室',
    });
    await expectFields(await api('POST', '/api/admin/convenience-items', admin, { name: '特种设备检验检测', departmentId: 5 }), {
      'body.name': '已有同名的便民服务事项',
    });
    await expectFields(await api('POST', '/api/admin/convenience-items', admin, { name: '不存在的处室', departmentId: 9999 }), {
      'body.departmentId': '处室不存在或已停用',
    });
    await expectFields(await patch(item.id, { name: '名'.repeat(101) }), { 'body.name': '事项名称不能超过 100 个字' });
    await expectFields(await patch(item.id, { active: 'no' }), { 'body.active': '启用状态应为 true 或 false' });
    await expectFields(await patch(item.id, {}), { body: '没有要修改的内容' });
    await expectFields(await patch(item.id, { departmentId: 9999 }), { 'body.departmentId': '处室不存在或已停用' });
    await expectFields(await api('PATCH', '/api/admin/convenience-items/abc', admin, { active: false }), {
      'params.id': '事项编号应为正整数',
    });
    const unknown = await patch(424242, { active: false });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('便民服务事项不存在');
    // Nothing changed, and no audit row beyond the creation.
    expect(await itemRow(item.id)).toMatchObject({ name: '特种设备检验检测', departmentId: 5, active: true });
    expect((await auditOf(item.id)).length).toBe(1);
  });
});

describe('letters, the public form and intake', () => {
  it('a letter filed under an item keeps it, and the name it had, after the item is renamed and deactivated', async () => {
    const item = await addItem('企业登记档案查询');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: sampleLetter({ type: 'complaint', convenienceItemId: item.id }),
      headers: { 'x-forwarded-for': ip() },
    });
    expect(res.statusCode, res.body).toBe(201);
    const trackingNo = res.json().trackingNo as string;
    expect((await patch(item.id, { name: '企业登记档案电子化查询' })).statusCode).toBe(200);
    expect((await patch(item.id, { active: false })).statusCode).toBe(200);

    const detail = await api('GET', `/api/cases/${trackingNo}`, admin);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      convenienceItemId: item.id,
      convenienceItem: { id: item.id, nameWhenFiled: '企业登记档案查询', name: '企业登记档案电子化查询', active: false },
      // Art. 22: a complaint on a convenience-list item keeps its 3-working-day limit.
      limitDays: 3,
    });
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
    expect(row).toMatchObject({ convenienceItemId: item.id, convenienceItemName: '企业登记档案查询' });

    const page = await new Browser().login('admin');
    const casePage = await page.get(`/staff/cases/${trackingNo}`);
    expect(casePage.statusCode).toBe(200);
    expect(casePage.body).toContain(
      '<dt>便民服务事项</dt><dd>企业登记档案查询<span class="meta">（现名：企业登记档案电子化查询，已停用）</span></dd>',
    );
  });

  it('the public list and the letter form offer only active items; intake refuses an inactive one with a field-level 400', async () => {
    const active = await addItem('食品生产许可变更');
    const inactive = await addItem('食品生产许可注销');
    expect((await patch(inactive.id, { active: false })).statusCode).toBe(200);

    const list = (await api('GET', '/api/convenience-items')).json() as { id: number; active: boolean }[];
    expect(list.map((i) => i.id)).toContain(active.id);
    expect(list.map((i) => i.id)).not.toContain(inactive.id);
    expect(list.every((i) => i.active)).toBe(true);

    const form = await h.app.inject({ method: 'GET', url: '/mailbox', headers: { 'x-forwarded-for': ip() } });
    expect(form.body).toContain(`<option value="${active.id}">食品生产许可变更（登记注册局）</option>`);
    expect(form.body).not.toContain('食品生产许可注销');

    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: sampleLetter({ type: 'complaint', convenienceItemId: inactive.id }),
      headers: { 'x-forwarded-for': ip() },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual({ 'body.convenienceItemId': '所选便民服务事项不存在或已停用，请重新选择' });
    expect(await h.db.select().from(letters).where(eq(letters.convenienceItemId, inactive.id))).toEqual([]);

    // Reactivated, it is offered and accepted again.
    expect((await patch(inactive.id, { active: true })).statusCode).toBe(200);
    const accepted = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: sampleLetter({ type: 'complaint', convenienceItemId: inactive.id }),
      headers: { 'x-forwarded-for': ip() },
    });
    expect(accepted.statusCode).toBe(201);
  });
});

/** A cookie jar per browser, logged in through the staff login page. */
class Browser {
  cookies = new Map<string, string>();
  private readonly address = ip();
  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  private get headers() {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': this.address };
  }
  async get(url: string) {
    return this.remember(await h.app.inject({ method: 'GET', url, headers: this.headers }));
  }
  async post(url: string, form: Record<string, string>) {
    return this.remember(
      await h.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(form).toString(),
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
  async login(username: string) {
    const page = await this.get('/staff/login');
    const res = await this.post('/staff/login', { _csrf: csrfOf(page.body), username, password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
    return this;
  }
}
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const fieldError = (page: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(page)?.[1];

describe('the staff pages of the list', () => {
  it('an administrator adds, renames, deactivates and reactivates an item on the pages; the item page shows its history', async () => {
    const b = await new Browser().login('admin');
    const list = await b.get('/staff/convenience-items');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<h1>便民服务事项清单</h1>');
    expect(list.body).toContain('aria-current="page">便民服务事项</a>');

    const added = await b.post('/staff/convenience-items', { _csrf: csrfOf(list.body), name: '广告发布登记咨询', departmentId: '16' });
    expect(added.statusCode).toBe(303);
    const location = String(added.headers.location);
    expect(location).toMatch(/^\/staff\/convenience-items\/\d+\?created=1$/);
    const id = Number(/items\/(\d+)/.exec(location)![1]);
    expect(await itemRow(id)).toMatchObject({ name: '广告发布登记咨询', departmentId: 16, active: true });

    let page = await b.get(location);
    expect(page.body).toContain('已新增事项。');
    const renamed = await b.post(`/staff/convenience-items/${id}`, { _csrf: csrfOf(page.body), name: '广告发布登记', departmentId: '16' });
    expect(renamed.statusCode).toBe(303);
    expect((await itemRow(id)).name).toBe('广告发布登记');

    page = await b.get(`/staff/convenience-items/${id}`);
    expect(page.body).toContain('停用该事项');
    expect((await b.post(`/staff/convenience-items/${id}`, { _csrf: csrfOf(page.body), active: 'false' })).statusCode).toBe(303);
    expect((await itemRow(id)).active).toBe(false);
    page = await b.get(`/staff/convenience-items/${id}`);
    expect(page.body).toContain('<strong class="warn">已停用</strong>');
    expect((await b.post(`/staff/convenience-items/${id}`, { _csrf: csrfOf(page.body), active: 'true' })).statusCode).toBe(303);
    expect((await itemRow(id)).active).toBe(true);

    page = await b.get(`/staff/convenience-items/${id}`);
    const history = /<table class="history">([\s\S]*?)<\/table>/.exec(page.body)![1]!;
    const rows = [...history.matchAll(/<tr><td>[\s\S]*?<\/tr>/g)].map((m) =>
      m[0]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} /, ''))).toEqual([
      'admin 重新启用',
      'admin 停用',
      'admin 名称：广告发布登记咨询 → 广告发布登记',
      'admin 新增：广告发布登记咨询（广告监督管理处）',
    ]);
  });

  it('bad input on the pages: 400 with the Chinese message next to each field, nothing changed', async () => {
    const b = await new Browser().login('admin');
    const list = await b.get('/staff/convenience-items');
    const bad = await b.post('/staff/convenience-items', { _csrf: csrfOf(list.body), name: '', departmentId: '' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'f-add-name')).toBe('请填写事项名称');
    expect(fieldError(bad.body, 'f-add-departmentId')).toBe('请选择处室');

    const item = await addItem('价格举报受理咨询');
    const page = await b.get(`/staff/convenience-items/${item.id}`);
    const dup = await b.post(`/staff/convenience-items/${item.id}`, { _csrf: csrfOf(page.body), name: '食品经营许可', departmentId: '5' });
    expect(dup.statusCode).toBe(400);
    expect(fieldError(dup.body, 'f-edit-name')).toBe('已有同名的便民服务事项');
    expect((await itemRow(item.id)).name).toBe('价格举报受理咨询');
  });

  it('the general office sees the list and the history without the forms; a department handler gets the 403 page', async () => {
    const item = await addItem('知识产权质押登记咨询');
    const office = await new Browser().login('office');
    const list = await office.get('/staff/convenience-items');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('知识产权质押登记咨询');
    expect(list.body).not.toContain('新增事项');
    const page = await office.get(`/staff/convenience-items/${item.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('修改记录');
    expect(page.body).not.toContain('停用该事项');
    const refused = await office.post(`/staff/convenience-items/${item.id}`, { _csrf: csrfOf(page.body), active: 'false' });
    expect(refused.statusCode).toBe(403);
    expect((await itemRow(item.id)).active).toBe(true);

    const handler = await new Browser().login('h-registration');
    const denied = await handler.get('/staff/convenience-items');
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('无权访问');
    expect((await handler.get('/staff/cases')).body).not.toContain('href="/staff/convenience-items"');
    expect((await office.get('/staff/convenience-items/424242')).statusCode).toBe(404);
  });
});
