import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { letters } from '../../src/mailbox/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import {
  MATRIX,
  PAGE_MATRIX,
  PUBLIC_ROUTES,
  ROLE_ACCOUNTS,
  SYSTEM_PUBLIC_ROUTES,
  UNAUTHENTICATED,
  expectedAuditRows,
  prepareMatrix,
  sessionFor,
  type MatrixFixtures,
  type MatrixRow,
  type PageRow,
  type Unauthenticated,
} from '../support/role-matrix.js';

let h: Harness;
let fixtures: MatrixFixtures;
let unauthenticated: Record<Unauthenticated, Record<string, string>>;
const tokens = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness();
  ({ fixtures, unauthenticated } = await prepareMatrix(h));
});
afterAll(async () => h?.close());

async function tokenOf(username: string) {
  if (!tokens.has(username)) tokens.set(username, await sessionFor(h, username));
  return tokens.get(username)!;
}

const key = (method: string, url: string) => `${method} ${url}`;

/** Each caller comes from its own address, so per-IP rate limits on one route never mix callers up. */
const ipOf = (caller: string) => `10.77.${[...UNAUTHENTICATED, ...ROLES].indexOf(caller as Role) + 1}.1`;

let requestSeq = 0;

/** Calls the row as one caller; also checks the audit rows the call wrote (found by its request id). */
async function call(row: MatrixRow, caller: string, headers: Record<string, string>) {
  const body = row.body?.(fixtures);
  const requestId = `matrix-${++requestSeq}`;
  const res = await h.app.inject({
    method: row.method,
    url: row.url ? row.url(fixtures) : row.route,
    headers: { ...headers, 'x-forwarded-for': ipOf(caller), 'x-request-id': requestId },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const n = (await h.sql<{ n: number }[]>`select count(*)::int as n from audit_log where request_id = ${requestId}`)[0]!.n;
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  expect(n, `${caller}: ${res.statusCode} should write ${ok ? expectedAuditRows(row) : 0} audit row(s)`).toBe(
    ok ? expectedAuditRows(row) : 0,
  );
  return res;
}

describe('role matrix: the table covers the app', () => {
  it('has a row for every non-public /api route, and PUBLIC_ROUTES lists exactly the public ones', () => {
    const registered = h.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    const staffRoutes = registered.filter((r) => r.access !== 'public').map((r) => key(r.method, r.url));
    const publicRoutes = registered.filter((r) => r.access === 'public').map((r) => key(r.method, r.url));
    const inTable = new Set(MATRIX.map((r) => key(r.method, r.route)));

    // One comparison, so a failure lists every problem at once.
    expect({
      'staff routes with no row in test/support/role-matrix.ts MATRIX': staffRoutes.filter((r) => !inTable.has(r)),
      'MATRIX rows for routes that are not registered (or are public)': [...inTable].filter((r) => !staffRoutes.includes(r)),
      'public routes not in PUBLIC_ROUTES (public on purpose? then list them)': publicRoutes.filter((r) => !PUBLIC_ROUTES.includes(r)),
      'PUBLIC_ROUTES entries that are not public routes': PUBLIC_ROUTES.filter((r) => !publicRoutes.includes(r)),
    }).toEqual({
      'staff routes with no row in test/support/role-matrix.ts MATRIX': [],
      'MATRIX rows for routes that are not registered (or are public)': [],
      'public routes not in PUBLIC_ROUTES (public on purpose? then list them)': [],
      'PUBLIC_ROUTES entries that are not public routes': [],
    });
  });

  it('names an expected status for every role in every row', () => {
    for (const row of MATRIX) {
      expect(Object.keys(row.expect).sort(), key(row.method, row.route)).toEqual([...ROLES].sort());
      if (!row.url) expect(row.route, 'a route with parameters needs a url').not.toContain(':');
    }
  });
});

const rowName = (row: MatrixRow) =>
  `${row.method} ${row.route}${row.as ? ` as ${Object.values(row.as).join(', ')}` : ''}${row.note ? ` (${row.note})` : ''}`;

describe.each(MATRIX.map((row) => [rowName(row), row] as const))('role matrix: %s', (_name, row) => {
  it('every caller gets exactly the expected status', async () => {
    const actual: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const caller of UNAUTHENTICATED) {
      const res = await call(row, caller, unauthenticated[caller]);
      actual[caller] = res.statusCode;
      expected[caller] = 401;
      expect(res.json(), `${caller}: an error, never a partial result`).toEqual({
        error: expect.objectContaining({ code: 'unauthorized' }),
      });
    }
    for (const role of ROLES) {
      const username = row.as?.[role] ?? ROLE_ACCOUNTS[role];
      const res = await call(row, role, bearer(await tokenOf(username)));
      actual[`${role} (${username})`] = res.statusCode;
      expected[`${role} (${username})`] = row.expect[role];
      if (res.statusCode === 403)
        expect(res.json(), `${role}: an error, never a partial result`).toEqual({ error: expect.objectContaining({ code: 'forbidden' }) });
    }
    expect(actual).toEqual(expected);
  });
});

describe('department scoping of cases, and where authorization happens', () => {
  const listFor = async (username: string) => {
    const res = await h.app.inject({ method: 'GET', url: '/api/cases', headers: bearer(await tokenOf(username)) });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: { trackingNo: string; readOnly: boolean }[] }).items;
  };

  it("a handler lists only their department's cases; oversight roles list all", async () => {
    expect((await listFor('h-registration')).map((c) => c.trackingNo)).toContain(fixtures.caseInRegistration);
    expect((await listFor('h-credit')).map((c) => c.trackingNo)).not.toContain(fixtures.caseInRegistration);
    expect((await listFor('l-credit')).map((c) => c.trackingNo)).not.toContain(fixtures.caseInRegistration);
    expect((await listFor('leader')).map((c) => c.trackingNo)).toContain(fixtures.caseInRegistration);
    // An oversight role sees it but cannot act on it.
    expect((await listFor('leader')).find((c) => c.trackingNo === fixtures.caseInRegistration)?.readOnly).toBe(true);
  });

  it('after the case moves on, the department it passed through sees it read-only and cannot act (403 before Temporal)', async () => {
    // As a transfer would leave it: now with 信用监督管理处 (6), having passed through 登记注册局 (5).
    await h.db
      .update(letters)
      .set({ departmentId: 6, visitedDepartmentIds: [5, 6] })
      .where(eq(letters.trackingNo, fixtures.caseInRegistration));
    try {
      const passed = (await listFor('h-registration')).find((c) => c.trackingNo === fixtures.caseInRegistration);
      expect(passed?.readOnly).toBe(true);
      const detail = await h.app.inject({
        method: 'GET',
        url: `/api/cases/${fixtures.caseInRegistration}`,
        headers: bearer(await tokenOf('h-registration')),
      });
      expect(detail.statusCode).toBe(200);
      expect(detail.json().readOnly).toBe(true);
      const act = await h.app.inject({
        method: 'POST',
        url: `/api/cases/${fixtures.caseInRegistration}/answer`,
        headers: bearer(await tokenOf('h-registration')),
        payload: { content: '答复' },
      });
      expect(act.statusCode).toBe(403);

      const current = (await listFor('h-credit')).find((c) => c.trackingNo === fixtures.caseInRegistration);
      expect(current?.readOnly).toBe(false);
      // A department it never reached still cannot tell it exists.
      const other = await h.app.inject({
        method: 'GET',
        url: `/api/cases/${fixtures.caseInRegistration}`,
        headers: bearer(await tokenOf('h-enforcement')),
      });
      expect(other.statusCode).toBe(404);
    } finally {
      await h.db
        .update(letters)
        .set({ departmentId: 5, visitedDepartmentIds: [5] })
        .where(eq(letters.trackingNo, fixtures.caseInRegistration));
    }
  });

  it('authorization runs before validation: a denied caller with an invalid body gets 401/403, not 400', async () => {
    const anon = await h.app.inject({ method: 'POST', url: '/api/admin/departments', payload: { code: '!' } });
    expect(anon.statusCode).toBe(401);
    const handler = await h.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: bearer(await tokenOf('h-registration')),
      payload: { code: '!' },
    });
    expect(handler.statusCode).toBe(403);
    const admin = await h.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: bearer(await tokenOf('admin')),
      payload: { code: '!' },
    });
    expect(admin.statusCode).toBe(400);
  });

  it('HEAD requests (which Fastify adds for every GET) go through the same check', async () => {
    expect((await h.app.inject({ method: 'HEAD', url: '/api/admin/staff' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'HEAD', url: '/api/admin/staff', headers: bearer(await tokenOf('office')) })).statusCode).toBe(
      403,
    );
    expect((await h.app.inject({ method: 'HEAD', url: '/api/admin/staff', headers: bearer(await tokenOf('admin')) })).statusCode).toBe(200);
  });
});

// ── the web pages (test/support/role-matrix.ts PAGE_MATRIX) ─────────────────────────────────────────

/** A CSRF secret cookie and a token of it, from the login form (a token is not bound to a session). */
async function csrfPair() {
  const res = await h.app.inject({ method: 'GET', url: '/staff/login' });
  const cookie = res.cookies.find((c) => c.name === 'amr_csrf')!;
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
  return { cookie: `amr_csrf=${cookie.value}`, token };
}

/** Calls a page row as a browser would: the session in the cookie, a POST with the form's CSRF token. */
async function callPage(row: PageRow, caller: string, session: string | undefined) {
  const { cookie, token } = await csrfPair();
  const cookies = [cookie, ...(session ? [`amr_session=${session}`] : [])].join('; ');
  const headers: Record<string, string> = { cookie: cookies, 'x-forwarded-for': ipOf(caller) };
  const url = row.url ? row.url(fixtures) : row.route;
  if (row.method === 'GET') return h.app.inject({ method: 'GET', url, headers });
  if (row.multipart) {
    const boundary = 'matrix-boundary';
    const parts = Object.entries({ _csrf: token, ...row.multipart })
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
    return h.app.inject({
      method: 'POST',
      url,
      payload: `${parts}--${boundary}--\r\n`,
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  }
  return h.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams({ _csrf: token, ...row.form }).toString(),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describe('role matrix: the page table covers every route outside /api', () => {
  it('has a row for every page route, public or staff, and no row for a route that is not registered', () => {
    const registered = h.app.routeAccess.filter((r) => !r.url.startsWith('/api/') && r.method !== 'HEAD' && !SYSTEM_PUBLIC_ROUTES(r.url));
    const routes = registered.map((r) => key(r.method, r.url));
    const inTable = new Set(PAGE_MATRIX.map((r) => key(r.method, r.route)));
    const staffOnly = registered.filter((r) => r.access !== 'public').map((r) => key(r.method, r.url));
    expect({
      'page routes with no row in PAGE_MATRIX': routes.filter((r) => !inTable.has(r)),
      'PAGE_MATRIX rows for routes that are not registered': [...inTable].filter((r) => !routes.includes(r)),
      'staff pages whose anonymous callers are not sent to the login page': PAGE_MATRIX.filter(
        (r) => staffOnly.includes(key(r.method, r.route)) && r.anonymous !== 303,
      ).map((r) => key(r.method, r.route)),
    }).toEqual({
      'page routes with no row in PAGE_MATRIX': [],
      'PAGE_MATRIX rows for routes that are not registered': [],
      'staff pages whose anonymous callers are not sent to the login page': [],
    });
    // The system routes outside /api are public on purpose.
    const system = h.app.routeAccess.filter((r) => !r.url.startsWith('/api/') && SYSTEM_PUBLIC_ROUTES(r.url));
    expect(system.filter((r) => r.access !== 'public')).toEqual([]);
  });
});

const pageRowName = (row: PageRow) => `${row.method} ${row.route}${row.note ? ` (${row.note})` : ''}`;

describe.each(PAGE_MATRIX.map((row) => [pageRowName(row), row] as const))('role matrix (pages): %s', (_name, row) => {
  it('every caller gets exactly the expected status: the login page without a session, the 403 page without access', async () => {
    const actual: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const caller of UNAUTHENTICATED) {
      const dead = unauthenticated[caller].authorization?.replace(/^Bearer /, '');
      const res = await callPage(row, caller, dead);
      actual[caller] = res.statusCode;
      expected[caller] = row.anonymous;
      if (res.statusCode === 303 && row.route.startsWith('/staff') && row.anonymous === 303 && row.route !== '/staff/logout') {
        expect(String(res.headers.location), `${caller}: to the login page`).toMatch(/^\/staff\/login/);
      }
    }
    for (const role of ROLES) {
      const username = ROLE_ACCOUNTS[role];
      const session = row.freshSession ? await sessionFor(h, username) : await tokenOf(username);
      const res = await callPage(row, role, session);
      actual[`${role} (${username})`] = res.statusCode;
      expected[`${role} (${username})`] = row.expect[role];
      if (res.statusCode === 403) expect(res.body, `${role}: the 403 page`).toContain('无权访问');
    }
    expect(actual).toEqual(expected);
  });
});
