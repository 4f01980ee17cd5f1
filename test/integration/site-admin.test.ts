import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { staff } from '../../src/auth/tables.js';
import { bearer, DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { sessionFor } from '../support/role-matrix.js';

// Issue 15 point 1: administrators keep the column tree (measures Art. 11) and which bureau leader is in
// charge of which department, who then signs its items (Art. 20(二)).
let h: Harness;
const tokens: Record<string, string> = {};
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true };
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
  h.app.inject({ method, url, headers: bearer((tokens[who] ??= await h.login(who))), ...(payload ? { payload } : {}) });
const column = (over: Record<string, unknown> = {}) => ({ slug: 'jlzx', name: '计量专项', section: 'disclosure', parentId: 1, ...over });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('the column tree (Art. 11)', () => {
  it('creates and edits a column; a duplicate slug is 409 in Chinese; each change has its audit row', async () => {
    const created = await call('POST', '/api/site/columns', 'admin', column({ contentTypes: ['notice', 'policy'], updateEveryDays: 30 }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      slug: 'jlzx',
      parentId: 1,
      contentTypes: ['notice', 'policy'],
      updateEveryDays: 30,
      active: true,
    });
    const id = created.json().id as number;
    const duplicate = await call('POST', '/api/site/columns', 'admin', column({ name: '另一个' }));
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.message).toBe('栏目标识已被使用');
    const takenByOther = await call('PUT', `/api/site/columns/${id}`, 'admin', column({ slug: 'tzgg' }));
    expect(takenByOther.statusCode).toBe(409);

    const edited = await call(
      'PUT',
      `/api/site/columns/${id}`,
      'admin',
      column({ name: '计量专项检查', isNews: true, newsNeedsBureauLeader: true, active: false }),
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: '计量专项检查', isNews: true, newsNeedsBureauLeader: true, active: false });
    const publicList = (await h.app.inject({ method: 'GET', url: '/api/site/columns' })).json().items.map((c: { slug: string }) => c.slug);
    expect(publicList).not.toContain('jlzx');
    const audit = await h.sql<
      { action: string }[]
    >`select action from audit_log where record_type = 'site_column' and record_id = ${String(id)} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['column.create', 'column.update']);
    expect((await call('POST', '/api/site/columns', 'office', column({ slug: 'other' }))).statusCode).toBe(403);
  });

  it('refuses a parent cycle, itself as parent, a column as parent, and a group with columns turned into a column', async () => {
    const a = (
      await call('POST', '/api/site/columns', 'admin', column({ slug: 'group-a', name: '分组甲', parentId: null, acceptsItems: false }))
    ).json();
    const b = (
      await call('POST', '/api/site/columns', 'admin', column({ slug: 'group-b', name: '分组乙', parentId: a.id, acceptsItems: false }))
    ).json();
    const cycle = await call(
      'PUT',
      `/api/site/columns/${a.id}`,
      'admin',
      column({ slug: 'group-a', name: '分组甲', parentId: b.id, acceptsItems: false }),
    );
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.fields['body.parentId']).toBe('不能移到自己的下级栏目之下（栏目树不能成环）');
    const self = await call(
      'PUT',
      `/api/site/columns/${a.id}`,
      'admin',
      column({ slug: 'group-a', name: '分组甲', parentId: a.id, acceptsItems: false }),
    );
    expect(self.json().error.fields['body.parentId']).toBe('栏目不能以自己为上级');
    const underColumn = await call('POST', '/api/site/columns', 'admin', column({ slug: 'under-tzgg', parentId: 4 }));
    expect(underColumn.json().error.fields['body.parentId']).toBe('上级栏目应为栏目分组');
    const groupToColumn = await call(
      'PUT',
      `/api/site/columns/${a.id}`,
      'admin',
      column({ slug: 'group-a', name: '分组甲', parentId: null }),
    );
    expect(groupToColumn.json().error.fields['body.acceptsItems']).toBe('该栏目分组下还有栏目，不能改为栏目');
    const bad = await call('POST', '/api/site/columns', 'admin', { slug: 'X!', name: '', section: 'nowhere' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['body.name', 'body.section', 'body.slug']);
  });

  it('the page lists the tree and creates a column through its form (CSRF token, 303), showing field errors in Chinese', async () => {
    const session = await sessionFor(h, 'admin');
    const pageRes = await h.app.inject({ method: 'GET', url: '/staff/site/columns', headers: { cookie: `amr_session=${session}` } });
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.body).toContain('通知公告');
    const cookie = `amr_session=${session}; amr_csrf=${pageRes.cookies.find((c) => c.name === 'amr_csrf')!.value}`;
    // A first visit has no CSRF cookie yet: only the header's token (made last) fits the one cookie the page sets.
    const token = /name="_csrf" value="([^"]+)"/.exec(pageRes.body)![1]!;
    const post = (fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams({ _csrf: token });
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
      return h.app.inject({
        method: 'POST',
        url: '/staff/site/columns',
        payload: body.toString(),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
    };
    const bad = await post({ name: '', slug: 'Bad Slug', section: 'disclosure' });
    expect(bad.statusCode, bad.body.slice(bad.body.indexOf('<main'), bad.body.indexOf('<main') + 600)).toBe(400);
    expect(bad.body).toContain('栏目标识应为 2 至 40 位小写字母、数字或连字符');
    const ok = await post({
      name: '食品抽检',
      slug: 'spcj',
      parentId: '1',
      section: 'disclosure',
      acceptsItems: 'true',
      contentTypes: ['notice', 'article'],
      supplierDepartmentIds: ['5'],
      updateEveryDays: '7',
      sortOrder: '50',
      active: 'true',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const made = (await h.app.inject({ method: 'GET', url: '/api/site/columns' }))
      .json()
      .items.find((c: { slug: string }) => c.slug === 'spcj');
    expect(made).toMatchObject({
      name: '食品抽检',
      parentId: 1,
      contentTypes: ['notice', 'article'],
      supplierDepartmentIds: [5],
      updateEveryDays: 7,
    });
  });
});

describe('the bureau leader in charge (Art. 20(二))', () => {
  it('after dept 5 is reassigned to another bureau leader, the old one is refused at the bureau-leader step and the new one signs', async () => {
    const [second] = await h.db
      .insert(staff)
      .values({
        username: 'leader-2',
        displayName: '第二位局领导',
        passwordHash: await hashPassword(DEMO_PASSWORD),
        roles: ['bureau_leader'],
      })
      .returning();
    const notLeader = await call('PUT', '/api/site/leaders/5', 'admin', { leaderId: (await staffId('h-registration'))! });
    expect(notLeader.statusCode).toBe(400);
    expect(notLeader.json().error.fields['body.leaderId']).toBe('该账号不是局领导');
    expect((await call('PUT', '/api/site/leaders/999', 'admin', { leaderId: second!.id })).statusCode).toBe(404);

    const item = await call('POST', '/api/site/items', 'h-registration', {
      columnId: 4,
      contentType: 'notice',
      title: '关于计量检定的通知',
      body: '正文',
    });
    const form = await call('POST', `/api/site/items/${item.json().id}/submit`, 'h-registration', { art19: ART19, secrecy: 'no_secret' });
    const formId = form.json().id as number;
    expect(
      (await call('POST', `/api/review-forms/${formId}/decision`, 'l-registration', { decision: 'approved', secrecy: 'no_secret' })).json()
        .step,
    ).toBe('bureau_leader');

    const set = await call('PUT', '/api/site/leaders/5', 'admin', { leaderId: second!.id });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().items.find((i: { departmentId: number }) => i.departmentId === 5)).toMatchObject({
      leaderId: second!.id,
      leader: '第二位局领导',
    });
    const listed = await call('GET', '/api/site/leaders', 'admin');
    expect(listed.json().items.find((i: { departmentId: number }) => i.departmentId === 5).leader).toBe('第二位局领导');

    const old = await call('POST', `/api/review-forms/${formId}/decision`, 'leader', { decision: 'approved' });
    expect(old.statusCode).toBe(403);
    expect(old.json().error.message).toBe('只有分管该处室的局领导可以签发');
    const signed = await call('POST', `/api/review-forms/${formId}/decision`, 'leader-2', { decision: 'approved' });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'approved', signed: true });
    const audit = await h.sql<{ before: { leaderId: number }; after: { leaderId: number } }[]>`
      select before, after from audit_log where action = 'leader.assign' and record_id = '5'`;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after.leaderId).toBe(second!.id);
  });

  it('the leaders page offers only bureau-leader accounts and saves a choice', async () => {
    const session = await sessionFor(h, 'admin');
    const pageRes = await h.app.inject({ method: 'GET', url: '/staff/site/leaders', headers: { cookie: `amr_session=${session}` } });
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.body).toContain('登记注册局');
    expect(pageRes.body).toContain('第二位局领导');
    expect(pageRes.body).not.toContain('登记注册局经办人');
    const cookie = `amr_session=${session}; amr_csrf=${pageRes.cookies.find((c) => c.name === 'amr_csrf')!.value}`;
    const token = /name="_csrf" value="([^"]+)"/.exec(pageRes.body)![1]!;
    const leaderId = await staffId('leader');
    const res = await h.app.inject({
      method: 'POST',
      url: '/staff/site/leaders',
      payload: new URLSearchParams({ _csrf: token, departmentId: '5', leaderId: String(leaderId) }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(303);
    const listed = await call('GET', '/api/site/leaders', 'admin');
    expect(listed.json().items.find((i: { departmentId: number }) => i.departmentId === 5).leaderId).toBe(leaderId);
  });
});

async function staffId(username: string) {
  const rows = await h.sql<{ id: number }[]>`select id from staff where username = ${username}`;
  return rows[0]?.id;
}
