import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { staff } from '../../src/auth/tables.js';
import { departments } from '../../src/departments/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let admin: string;
let office: string;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.login('admin');
  office = await h.login('office');
});
afterAll(async () => h?.close());

type Entry = {
  id: number;
  at: string;
  actorId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  recordType: string;
  recordId: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
};

async function search(query: Record<string, string | number>, token = office): Promise<Entry[]> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await h.app.inject({ method: 'GET', url: `/api/audit?${qs}`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const count = async () => (await h.sql<{ n: number }[]>`select count(*)::int as n from audit_log`)[0]!.n;

describe('audit_log is append-only in PostgreSQL itself', () => {
  it('rejects UPDATE, DELETE and TRUNCATE, whatever the client; INSERT still works', async () => {
    const before = await count();
    expect(before).toBeGreaterThan(0); // the logins above
    const [first] = await h.sql<{ id: string; action: string }[]>`select id, action from audit_log order by id limit 1`;

    const attempts = {
      update: h.sql`update audit_log set action = 'tampered' where id = ${first!.id}`,
      updateAll: h.sql`update audit_log set actor_username = null`,
      delete: h.sql`delete from audit_log where id = ${first!.id}`,
      deleteAll: h.sql`delete from audit_log`,
      truncate: h.sql`truncate audit_log`,
      truncateCascade: h.sql`truncate audit_log restart identity cascade`,
      drizzleUpdate: h.db
        .update(auditLog)
        .set({ action: 'tampered' })
        .where(eq(auditLog.id, Number(first!.id))),
      drizzleDelete: h.db.delete(auditLog),
    };
    for (const [what, attempt] of Object.entries(attempts)) {
      const err = await Promise.resolve(attempt).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${what} must fail`).toBeDefined();
      // drizzle wraps the postgres error; either way SQLSTATE 42501 and the trigger's message.
      const pgErr = ((err as { cause?: unknown }).cause ?? err) as { code?: string; message: string };
      expect(pgErr.code, what).toBe('42501');
      expect(pgErr.message, what).toMatch(/audit_log is append-only/);
    }
    // Also inside a transaction that would otherwise commit.
    await expect(
      h.sql.begin(async (tx) => {
        await tx`insert into audit_log (action, record_type, record_id) values ('test.probe', 'test', '1')`;
        await tx`delete from audit_log where action = 'test.probe'`;
      }),
    ).rejects.toMatchObject({ code: '42501' });

    expect(await count()).toBe(before);
    const [still] = await h.sql<{ action: string }[]>`select action from audit_log where id = ${first!.id}`;
    expect(still!.action).toBe(first!.action);

    await h.sql`insert into audit_log (action, record_type, record_id) values ('test.append', 'test', '1')`;
    expect(await count()).toBe(before + 1);
  });
});

describe('every state-changing action writes one audit row, in the same transaction', () => {
  it('records who, role, action, record, before/after, when, ip and request id', async () => {
    const [dept] = await h.db.select().from(departments).where(eq(departments.code, 'metrology'));
    const t0 = Date.now();
    const res = await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/departments/${dept!.id}`,
      headers: { ...bearer(admin), 'x-request-id': 'audit-req-1', 'x-forwarded-for': '203.0.113.9' },
      payload: { name: '计量处（更名）' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('audit-req-1');
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.requestId, 'audit-req-1'));
    expect(rows).toHaveLength(1);
    const [adminRow] = await h.db.select().from(staff).where(eq(staff.username, 'admin'));
    expect(rows[0]).toMatchObject({
      actorId: adminRow!.id,
      actorUsername: 'admin',
      actorRole: 'admin',
      action: 'department.update',
      recordType: 'department',
      recordId: String(dept!.id),
      before: { name: '计量处', active: true },
      after: { name: '计量处（更名）', active: true },
      ip: '203.0.113.9',
      requestId: 'audit-req-1',
    });
    expect(rows[0]!.at.getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    expect(rows[0]!.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('when the audit row cannot be written, the change itself is rolled back', async () => {
    const [dept] = await h.db.select().from(departments).where(eq(departments.code, 'standards'));
    await h.sql.unsafe(`
      create function audit_log_refuse_insert() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$;
      create trigger audit_log_refuse_insert before insert on audit_log for each row execute function audit_log_refuse_insert();
    `);
    try {
      const rename = await h.app.inject({
        method: 'PATCH',
        url: `/api/admin/departments/${dept!.id}`,
        headers: bearer(admin),
        payload: { name: '不应保存的名称' },
      });
      expect(rename.statusCode, rename.body).toBe(500);
      const create = await h.app.inject({
        method: 'POST',
        url: '/api/admin/staff',
        headers: bearer(admin),
        payload: { username: 'never-created', displayName: '不应创建', password: 'Rolled-Back-Passw0rd!', roles: ['office'] },
      });
      expect(create.statusCode, create.body).toBe(500);
    } finally {
      await h.sql.unsafe('drop trigger audit_log_refuse_insert on audit_log; drop function audit_log_refuse_insert();');
    }
    const [after] = await h.db.select().from(departments).where(eq(departments.id, dept!.id));
    expect(after!.name).toBe(dept!.name);
    expect(await h.db.select().from(staff).where(eq(staff.username, 'never-created'))).toEqual([]);
  });
});

describe('GET /api/audit: by record, person and time', () => {
  let deptId: number;
  let createdAt: number;

  beforeAll(async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: bearer(admin),
      payload: { code: 'audit-probe', name: '审计测试处' },
    });
    expect(res.statusCode).toBe(201);
    deptId = res.json().id;
    createdAt = Date.now();
    for (const name of ['审计测试处一', '审计测试处二', '审计测试处三']) {
      expect(
        (await h.app.inject({ method: 'PATCH', url: `/api/admin/departments/${deptId}`, headers: bearer(admin), payload: { name } }))
          .statusCode,
      ).toBe(200);
    }
  });

  it('by record: every change of one department, newest first', async () => {
    const rows = await search({ recordType: 'department', recordId: deptId });
    expect(rows.map((r) => r.action)).toEqual(['department.update', 'department.update', 'department.update', 'department.create']);
    expect(rows.map((r) => (r.after as { name: string }).name)).toEqual(['审计测试处三', '审计测试处二', '审计测试处一', '审计测试处']);
    expect(rows[0]!.before).toMatchObject({ name: '审计测试处二' });
    expect(rows.every((r) => !Number.isNaN(Date.parse(r.at)) && r.at.endsWith('Z'))).toBe(true);
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('by person: username or staff id; by action', async () => {
    const byName = await search({ actor: 'admin', recordType: 'department', recordId: deptId });
    expect(byName).toHaveLength(4);
    const [adminRow] = await h.db.select().from(staff).where(eq(staff.username, 'admin'));
    const byId = await search({ actorId: adminRow!.id, recordType: 'department', recordId: deptId });
    expect(byId.map((r) => r.id)).toEqual(byName.map((r) => r.id));
    expect(await search({ actor: 'office', recordType: 'department', recordId: deptId })).toEqual([]);
    const logins = await search({ actor: 'office', action: 'auth.login' });
    expect(logins.length).toBeGreaterThanOrEqual(1);
    expect(logins.every((r) => r.action === 'auth.login' && r.actorUsername === 'office')).toBe(true);
  });

  it('by time: instants, and bare China dates that cover the whole day', async () => {
    const all = await search({ recordType: 'department', recordId: deptId });
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(createdAt - 3600_000).toISOString();
    expect(await search({ recordType: 'department', recordId: deptId, from: future })).toEqual([]);
    expect(await search({ recordType: 'department', recordId: deptId, from: past, to: future })).toHaveLength(4);
    expect(await search({ recordType: 'department', recordId: deptId, to: past })).toEqual([]);
    // Between two entries' instants.
    const oldest = all.at(-1)!;
    expect((await search({ recordType: 'department', recordId: deptId, to: oldest.at })).map((r) => r.id)).toEqual([oldest.id]);
    // A bare date is a China day: to=<today in China> includes everything from today.
    const todayChina = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await search({ recordType: 'department', recordId: deptId, from: todayChina, to: todayChina })).toHaveLength(4);
    const yesterdayChina = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    expect(await search({ recordType: 'department', recordId: deptId, to: yesterdayChina })).toEqual([]);
  });

  it('pages with limit and beforeId', async () => {
    const page1 = await search({ recordType: 'department', recordId: deptId, limit: 2 });
    expect(page1).toHaveLength(2);
    const page2 = await search({ recordType: 'department', recordId: deptId, limit: 2, beforeId: page1.at(-1)!.id });
    expect(page2).toHaveLength(2);
    expect(page2[0]!.id).toBeLessThan(page1[1]!.id);
    expect(await search({ recordType: 'department', recordId: deptId, limit: 2, beforeId: page2.at(-1)!.id })).toEqual([]);
  });

  it('admin may search too; malformed filters are a 400 with the field named', async () => {
    expect(await search({ recordType: 'department', recordId: deptId }, admin)).toHaveLength(4);
    for (const [query, field] of [
      ['from=yesterday', 'querystring.from'],
      ['limit=0', 'querystring.limit'],
      ['limit=501', 'querystring.limit'],
      ['actorId=x', 'querystring.actorId'],
    ] as const) {
      const res = await h.app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: bearer(office) });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.fields, query).toHaveProperty([field]);
    }
  });
});
