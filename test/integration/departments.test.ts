import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { BUREAU_DEPARTMENTS } from '../../src/departments/seed.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let admin: string;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.login('admin');
});
afterAll(async () => h?.close());

type Dept = { id: number; code: string; name: string; kind: string; active: boolean; notifyEmails: string[] };
const publicList = async (): Promise<{ id: number; code: string; name: string }[]> =>
  (await h.app.inject({ method: 'GET', url: '/api/departments' })).json();
const adminList = async (): Promise<Dept[]> =>
  (await h.app.inject({ method: 'GET', url: '/api/admin/departments', headers: bearer(admin) })).json();
const create = (payload: object) => h.app.inject({ method: 'POST', url: '/api/admin/departments', headers: bearer(admin), payload });
const patch = (id: number, payload: object) =>
  h.app.inject({ method: 'PATCH', url: `/api/admin/departments/${id}`, headers: bearer(admin), payload });
const auditOf = (id: number) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.recordType, 'department'), eq(auditLog.recordId, String(id))));

describe('departments', () => {
  it("the bureau's departments are seeded with their kinds, in order; the public list shows id, code and name only", async () => {
    const all = await adminList();
    expect(all.map((d) => d.code)).toEqual(BUREAU_DEPARTMENTS.map((d) => d.code));
    expect(all.find((d) => d.code === 'office')).toMatchObject({ kind: 'general_office', active: true });
    expect(all.find((d) => d.code === 'service-center')).toMatchObject({ kind: 'service_center' });
    expect(all.find((d) => d.code === 'publicity')).toMatchObject({ kind: 'publicity_office' });
    expect(all.find((d) => d.code === 'registration')).toMatchObject({ id: 5, kind: 'department' });
    const pub = await publicList();
    expect(pub[0]).toEqual({ id: 1, code: 'office', name: '办公室' });
  });

  it('an administrator adds a department with a kind; it is audited and appears in both lists', async () => {
    const res = await create({ code: 'data-security', name: '数据安全处', kind: 'department', notifyEmails: ['ds@amr.example.gov.cn'] });
    expect(res.statusCode).toBe(201);
    const created = res.json() as Dept;
    expect(created).toMatchObject({
      code: 'data-security',
      name: '数据安全处',
      kind: 'department',
      active: true,
      notifyEmails: ['ds@amr.example.gov.cn'],
    });
    expect((await publicList()).map((d) => d.code)).toContain('data-security');
    expect(await auditOf(created.id)).toMatchObject([
      {
        action: 'department.create',
        actorUsername: 'admin',
        actorRole: 'admin',
        after: { code: 'data-security', kind: 'department', active: true },
      },
    ]);

    const withKind = await create({ code: 'branch-office', name: '分局办公室', kind: 'general_office' });
    expect(withKind.statusCode).toBe(201);
    expect(withKind.json().kind).toBe('general_office');
    const defaulted = await create({ code: 'plain-dept', name: '普通处室' });
    expect(defaulted.json()).toMatchObject({ kind: 'department', notifyEmails: [] });
  });

  it('refuses a duplicate or malformed code, an unknown kind, a bad e-mail and an empty name', async () => {
    const dup = await create({ code: 'registration', name: '重复' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields).toEqual({ 'body.code': '代码已存在' });
    for (const [payload, field] of [
      [{ code: 'Bad Code', name: 'x' }, 'body.code'],
      [{ code: 'x', name: 'x' }, 'body.code'],
      [{ code: 'good-code', name: 'x', kind: 'ministry' }, 'body.kind'],
      [{ code: 'good-code', name: 'x', notifyEmails: ['not-an-email'] }, 'body.notifyEmails.0'],
      [{ code: 'good-code', name: '  ' }, 'body.name'],
    ] as const) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.fields, JSON.stringify(payload)).toHaveProperty([field]);
    }
    // Two administrators adding the same code at once: one wins, the other gets the same 400, never a 500.
    const both = await Promise.all([create({ code: 'race-code', name: '并发一' }), create({ code: 'race-code', name: '并发二' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 400]);
  });

  it('renames, with before and after in the audit trail', async () => {
    const res = await patch(6, { name: '信用监督管理处（新）', notifyEmails: ['credit@amr.example.gov.cn'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 6, code: 'credit', name: '信用监督管理处（新）', notifyEmails: ['credit@amr.example.gov.cn'] });
    expect((await publicList()).find((d) => d.id === 6)?.name).toBe('信用监督管理处（新）');
    expect(await auditOf(6)).toMatchObject([
      {
        action: 'department.update',
        before: { name: '信用监督管理处', notifyEmails: [] },
        after: { name: '信用监督管理处（新）', notifyEmails: ['credit@amr.example.gov.cn'] },
      },
    ]);
  });

  it('deactivating keeps the department and its cases but takes no new letters or staff; reactivating restores it', async () => {
    const letter = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter({ departmentId: 7 }) });
    expect(letter.statusCode).toBe(201);
    const trackingNo = letter.json().trackingNo as string;

    const res = await patch(7, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 7, active: false });
    expect((await publicList()).map((d) => d.id)).not.toContain(7);
    expect((await adminList()).find((d) => d.id === 7)).toMatchObject({ active: false, code: 'enforcement' });
    expect((await auditOf(7)).at(-1)).toMatchObject({ before: { active: true }, after: { active: false } });

    // No new cases…
    const refused = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter({ departmentId: 7 }) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toHaveProperty(['body.departmentId']);
    // …no new staff…
    const staffRes = await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(admin),
      payload: { username: 'h-enforcement-2', displayName: '经办人', password: 'Handler-Passw0rd!', roles: ['handler'], departmentId: 7 },
    });
    expect(staffRes.statusCode).toBe(400);
    // …but its history is still there, and its people can still read it.
    const handler = await h.login('h-enforcement');
    const detail = await h.app.inject({ method: 'GET', url: `/api/cases/${trackingNo}`, headers: bearer(handler) });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ departmentId: 7, departmentName: '执法稽查局' });

    expect((await patch(7, { active: true })).statusCode).toBe(200);
    expect((await publicList()).map((d) => d.id)).toContain(7);
    expect((await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter({ departmentId: 7 }) })).statusCode).toBe(201);
  });

  it('answers 404 for an unknown department and 400 for an empty change', async () => {
    expect((await patch(99999, { name: 'x' })).statusCode).toBe(404);
    expect((await patch(5, {})).statusCode).toBe(400);
    expect((await patch(5, { name: '' })).statusCode).toBe(400);
    expect(
      (await h.app.inject({ method: 'PATCH', url: '/api/admin/departments/abc', headers: bearer(admin), payload: { name: 'x' } }))
        .statusCode,
    ).toBe(400);
    expect(await auditOf(5)).toEqual([]);
  });

  it('only administrators change departments; the office may read the full list', async () => {
    const office = await h.login('office');
    expect((await h.app.inject({ method: 'GET', url: '/api/admin/departments', headers: bearer(office) })).statusCode).toBe(200);
    expect(
      (await h.app.inject({ method: 'PATCH', url: '/api/admin/departments/5', headers: bearer(office), payload: { name: 'x' } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/admin/departments',
          headers: bearer(office),
          payload: { code: 'office-made', name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
