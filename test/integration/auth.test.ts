import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { createAdmin, CreateAdminError } from '../../src/auth/create-admin.js';
import { hashPassword, passwordPolicyProblem, verifyPassword } from '../../src/auth/password.js';
import { ACCOUNT_FAILURE_CAP, ACCOUNT_WINDOW_MINUTES, lockMinutes, MAX_FAILURES_BEFORE_LOCK } from '../../src/auth/login-throttle.js';
import { sessions, staff } from '../../src/auth/tables.js';
import { hashToken } from '../../src/auth/sessions.js';
import { buildApp } from '../../src/app.js';
import { freshDatabase } from '../support/db.js';
import { bearer, DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
/** Every response of this file, to check no password ever comes back. */
const responses: LightMyRequestResponse[] = [];
/** Every password this file types, right or wrong. */
const passwordsUsed = new Set<string>([DEMO_PASSWORD]);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

let ipCounter = 0;
/** A fresh client address: the login route is rate-limited per IP, and each test should not share a budget. */
const newIp = () => `10.20.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function inject(opts: InjectOptions) {
  const res = await h.app.inject(opts);
  responses.push(res);
  return res;
}

async function login(username: string, password: string, ip = newIp()) {
  passwordsUsed.add(password);
  return inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: { 'x-forwarded-for': ip } });
}

async function tokenFor(username: string, password = DEMO_PASSWORD) {
  const res = await login(username, password);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
}

let adminToken: string;
let accountSeq = 0;
/** A throw-away account made through the admin API, so tests never lock out or disable the demo accounts. */
async function newAccount(roles: string[] = ['bureau_leader'], password = 'Acc0unt-Passw0rd!') {
  adminToken ??= await tokenFor('admin');
  passwordsUsed.add(password);
  const username = `acct-${++accountSeq}`;
  const res = await inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: bearer(adminToken),
    payload: { username, displayName: `测试账户${accountSeq}`, password, roles },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as number, username, password };
}

const me = (headers: Record<string, string>) => inject({ method: 'GET', url: '/api/auth/me', headers });
const auditOf = (action: string, recordId: string | number) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.recordId, String(recordId))));

describe('password hashing and policy', () => {
  it('hashes with scrypt (memory-hard), salted, and verifies', async () => {
    const a = await hashPassword('Some-Passw0rd!');
    const b = await hashPassword('Some-Passw0rd!');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Some-Passw0rd!');
    expect(await verifyPassword('Some-Passw0rd!', a)).toBe(true);
    expect(await verifyPassword('some-passw0rd!', a)).toBe(false);
    expect(await verifyPassword('Some-Passw0rd!', 'scrypt$x$y$z$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('Some-Passw0rd!', 'plain')).toBe(false);
  });

  it('requires 10–200 characters of three classes, without the username', () => {
    expect(passwordPolicyProblem('Sh0rt!')).toMatch(/至少 10/);
    expect(passwordPolicyProblem('alllowercase123')).toMatch(/三类/);
    expect(passwordPolicyProblem('ALLUPPER-CASE')).toMatch(/三类/);
    expect(passwordPolicyProblem(`Aa1!${'x'.repeat(197)}`)).toMatch(/不能超过 200/);
    expect(passwordPolicyProblem('Zhangsan-2024!', 'zhangsan')).toMatch(/用户名/);
    expect(passwordPolicyProblem('Good-Passw0rd')).toBeUndefined();
    expect(passwordPolicyProblem('good passw0rd')).toBeUndefined(); // lower, digit, symbol (space)
  });

  it('the API refuses weak passwords when creating an account', async () => {
    adminToken ??= await tokenFor('admin');
    for (const [password, message] of [
      ['short1!A', /至少 10/],
      ['onlylowercaseletters', /三类/],
      ['Weakling-Acct-9', /用户名/],
    ] as const) {
      passwordsUsed.add(password);
      const res = await inject({
        method: 'POST',
        url: '/api/admin/staff',
        headers: bearer(adminToken),
        payload: { username: 'weakling-acct', displayName: '弱密码', password, roles: ['office'] },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields['body.password']).toMatch(message);
    }
    const tooLong = await inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(adminToken),
      payload: { username: 'weakling-acct', displayName: '弱密码', password: `Aa1!${'x'.repeat(300)}`, roles: ['office'] },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields).toHaveProperty(['body.password']);
    expect(await h.db.select().from(staff).where(eq(staff.username, 'weakling-acct'))).toEqual([]);
  });
});

describe('login, cookie, me, logout', () => {
  it('sets an HttpOnly SameSite=Strict cookie holding the same token as the bearer; both authenticate', async () => {
    const res = await login('office', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.staff).toMatchObject({ username: 'office', roles: ['office'] });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^amr_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(setCookie).toMatch(/;\s*Path=\//);
    expect(setCookie).toMatch(/;\s*Expires=/);
    expect(setCookie).not.toMatch(/;\s*Secure/i); // COOKIE_SECURE defaults to false (plain-HTTP development)
    const cookie = res.cookies.find((c) => c.name === 'amr_session')!;
    expect(cookie.value).toBe(body.token);
    expect(cookie.httpOnly).toBe(true);
    // The session lasts SESSION_TTL_HOURS (12 by default).
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(11.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(12 * 3600_000);

    const viaCookie = await me({ cookie: `amr_session=${cookie.value}` });
    expect(viaCookie.statusCode).toBe(200);
    expect(viaCookie.json()).toMatchObject({ username: 'office', roles: ['office'] });
    const viaBearer = await me(bearer(body.token));
    expect(viaBearer.json()).toEqual(viaCookie.json());

    // Only a hash of the token is stored.
    const stored = await h.db.select().from(sessions).where(eq(sessions.staffId, body.staff.id));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((s) => s.tokenHash)).not.toContain(body.token);
  });

  it('marks the cookie Secure when COOKIE_SECURE is on', async () => {
    const app = await buildApp({ ...h.app.ctx, env: { ...h.env, COOKIE_SECURE: true } }, { logger: false });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'office', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    } finally {
      await app.close();
    }
  });

  it('audits a login with who, role, ip and request id', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'center', password: DEMO_PASSWORD },
      headers: { 'x-forwarded-for': '10.1.2.3', 'x-request-id': 'req-login-audit-1' },
    });
    expect(res.statusCode).toBe(200);
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.requestId, 'req-login-audit-1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'auth.login',
      actorUsername: 'center',
      actorRole: 'service_center',
      recordType: 'staff',
      recordId: String(res.json().staff.id),
      ip: '10.1.2.3',
    });
  });

  it('logout ends the session, clears the cookie and is audited; without a session it still answers 204', async () => {
    // A cookie-only logout must come from this site (Origin), see cookie-csrf.test.ts.
    const token = await tokenFor('publicity');
    const headers = { cookie: `amr_session=${token}`, origin: 'http://localhost', 'x-request-id': 'req-logout-1' };
    const res = await inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === 'amr_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThanOrEqual(Date.now());
    const after = await me(bearer(token));
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toBe('登录已失效，请重新登录');
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.requestId, 'req-logout-1'));
    expect(rows).toMatchObject([{ action: 'auth.logout', actorUsername: 'publicity' }]);

    expect((await inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
  });

  it('answers 401 without a session, or with a garbage or unknown token', async () => {
    for (const headers of [
      {} as Record<string, string>,
      bearer('nonsense'),
      { cookie: 'amr_session=nonsense' },
      { authorization: 'Bearer ' },
      { authorization: 'Basic YWRtaW46eA==' },
    ]) {
      const res = await me(headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('usernames are matched case-insensitively and trimmed; wrong and unknown answer the same', async () => {
    expect((await login('  Office ', DEMO_PASSWORD)).statusCode).toBe(200);
    const wrong = await login('leader', 'Wrong-Passw0rd!');
    const unknown = await login('nobody-here', 'Wrong-Passw0rd!');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    const audited = await auditOf('auth.login_failed', 'nobody-here');
    expect(audited).toMatchObject([{ actorId: null, actorRole: 'anonymous', after: { reason: 'unknown_username' } }]);
    // A password typed into the username field is not recorded as a username.
    passwordsUsed.add('my-secret-passw0rd!');
    const ip = newIp();
    expect(
      (
        await inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'My-Secret-Passw0rd!', password: 'x' },
          headers: { 'x-forwarded-for': ip },
        })
      ).statusCode,
    ).toBe(401);
    const [mistyped] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.login_failed'), eq(auditLog.ip, ip)));
    expect(mistyped).toMatchObject({ actorUsername: '(invalid username, 19 characters)', recordId: '(invalid username, 19 characters)' });
  });
});

describe('brute force: a growing hold per username and address, logged (issue #19 point 7)', () => {
  const THROTTLED = { code: 'login_throttled', message: '登录尝试过于频繁，请稍后再试' };
  const pairRow = async (username: string, ip: string) => {
    const [row] = await h.sql`select failures, locked_until from login_throttle where username = ${username} and ip = ${ip}`;
    return row && { failures: row.failures as number, locked_until: row.locked_until ? new Date(row.locked_until as string) : null };
  };
  const endHold = (username: string, ip: string) =>
    h.sql`update login_throttle set locked_until = now() - interval '1 second' where username = ${username} and ip = ${ip}`;

  it("issue #19 point 7: a stranger's wrong passwords from one address do not lock the owner out of their usual address", async () => {
    const acct = await newAccount();
    const home = newIp();
    const stranger = newIp();
    expect((await login(acct.username, acct.password, home)).statusCode).toBe(200);
    for (let i = 1; i <= MAX_FAILURES_BEFORE_LOCK; i++) {
      const res = await login(acct.username, `Wrong-Guess-${i}!`, stranger);
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toEqual({ code: 'login_failed', message: '用户名或密码错误' });
    }
    const refused = await login(acct.username, acct.password, stranger);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toEqual(THROTTLED);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect((await login(acct.username, 'Wrong-Again-6!', stranger)).statusCode).toBe(429); // not even checked

    expect((await login(acct.username, acct.password, home)).statusCode).toBe(200);
    expect((await login(acct.username, acct.password, newIp())).statusCode).toBe(200); // well below the account-wide cap

    // Logged for staff: each failure with the address's running count, each refused attempt.
    const failures = await auditOf('auth.login_failed', acct.id);
    expect(failures.map((f) => (f.after as { failures: number }).failures).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(failures.every((f) => f.ip === stranger && f.actorRole === 'anonymous')).toBe(true);
    const held = await auditOf('auth.login_throttled', acct.id);
    expect(held).toHaveLength(2);
    expect(held.every((r) => r.ip === stranger && (r.after as { scope: string }).scope === 'address')).toBe(true);
  });

  it("issue #19 point 7: the staff login page shows the same hold, with the API's Retry-After", async () => {
    const acct = await newAccount();
    const ip = newIp();
    const viaPage = async (password: string) => {
      const form = await inject({ method: 'GET', url: '/staff/login', headers: { 'x-forwarded-for': ip } });
      const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      passwordsUsed.add(password);
      return inject({
        method: 'POST',
        url: '/staff/login',
        payload: new URLSearchParams({ _csrf: csrf, username: acct.username, password }).toString(),
        headers: { 'x-forwarded-for': ip, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
    };
    for (let i = 1; i <= MAX_FAILURES_BEFORE_LOCK; i++) expect((await viaPage(`Wrong-Guess-${i}!`)).statusCode).toBe(401);
    const held = await viaPage(acct.password);
    expect(held.statusCode).toBe(429);
    expect(held.body).toContain(THROTTLED.message);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect((await login(acct.username, acct.password)).statusCode).toBe(200); // from elsewhere
  });

  it('issue #19 point 7: known and unknown usernames answer alike over the whole sequence, and nothing says "locked"', async () => {
    const acct = await newAccount();
    const run = async (username: string) => {
      const ip = newIp();
      const seen: { status: number; body: string; retryMinutes: number | null }[] = [];
      for (let i = 0; i <= MAX_FAILURES_BEFORE_LOCK + 2; i++) {
        const res = await login(username, i === MAX_FAILURES_BEFORE_LOCK + 2 ? acct.password : `Wrong-Guess-${i}!`, ip);
        const retryAfter = res.headers['retry-after'];
        const retryMinutes = retryAfter === undefined ? null : Math.round(Number(retryAfter) / 60);
        seen.push({ status: res.statusCode, body: res.body, retryMinutes });
      }
      return seen;
    };
    const known = await run(acct.username);
    const unknown = await run('nobody-at-all');
    expect(unknown).toEqual(known);
    expect(known.map((s) => s.status)).toEqual([...Array(MAX_FAILURES_BEFORE_LOCK).fill(401), 429, 429, 429]);
    expect(known.at(-1)!.retryMinutes).toBe(15);
    for (const s of known) expect(s.body).not.toMatch(/锁定|停用|账户/);
  });

  it('each further failure from that address doubles its hold; the right password afterwards clears it', async () => {
    const acct = await newAccount();
    const ip = newIp();
    for (let i = 1; i <= MAX_FAILURES_BEFORE_LOCK; i++) expect((await login(acct.username, `Wrong-Guess-${i}!`, ip)).statusCode).toBe(401);
    const first = await pairRow(acct.username, ip);
    expect(first!.failures).toBe(MAX_FAILURES_BEFORE_LOCK);
    expect(first!.locked_until!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

    await endHold(acct.username, ip);
    expect((await login(acct.username, 'Wrong-Again-6!', ip)).statusCode).toBe(401);
    const second = await pairRow(acct.username, ip);
    expect(second!.failures).toBe(MAX_FAILURES_BEFORE_LOCK + 1);
    expect(lockMinutes(MAX_FAILURES_BEFORE_LOCK + 1)).toBe(30);
    expect(second!.locked_until!.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(lockMinutes(100)).toBe(24 * 60);

    await endHold(acct.username, ip);
    expect((await login(acct.username, acct.password, ip)).statusCode).toBe(200);
    expect(await pairRow(acct.username, ip)).toMatchObject({ failures: 0, locked_until: null });
  });

  it(
    `a guesser spread over many addresses is held back after ${ACCOUNT_FAILURE_CAP} failures in ${ACCOUNT_WINDOW_MINUTES} minutes, ` +
      'but only at addresses that never logged in',
    async () => {
      const acct = await newAccount();
      const home = newIp();
      expect((await login(acct.username, acct.password, home)).statusCode).toBe(200);
      const spread = async (username: string) => {
        const statuses: number[] = [];
        for (let i = 0; i < ACCOUNT_FAILURE_CAP; i++) statuses.push((await login(username, `Spread-Guess-${i}!`, newIp())).statusCode);
        const rightPassword = await login(username, acct.password, newIp());
        const retryAfter = Number(rightPassword.headers['retry-after']);
        return { statuses, status: rightPassword.statusCode, body: rightPassword.body, retryAfter };
      };
      const known = await spread(acct.username);
      expect(known.statuses).toEqual(Array(ACCOUNT_FAILURE_CAP).fill(401));
      expect(known.status).toBe(429);
      expect(JSON.parse(known.body).error).toEqual(THROTTLED);
      expect(known.retryAfter).toBeGreaterThan(0);
      expect(known.retryAfter).toBeLessThanOrEqual(ACCOUNT_WINDOW_MINUTES * 60);
      expect(await spread('nobody-spread')).toEqual(known);
      // The owner's usual address is not held back.
      expect((await login(acct.username, acct.password, home)).statusCode).toBe(200);
      expect((await auditOf('auth.login_throttled', acct.id)).map((r) => (r.after as { scope: string }).scope)).toEqual(['account']);
    },
  );

  it('a burst of parallel guesses from one address still holds it back (the count is atomic)', async () => {
    const acct = await newAccount();
    const ip = newIp();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => login(acct.username, `Parallel-Guess-${i}!`, ip)));
    expect(results.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    const row = await pairRow(acct.username, ip);
    expect(row!.failures).toBe(results.filter((r) => r.statusCode === 401).length);
    expect(row!.failures).toBeGreaterThanOrEqual(MAX_FAILURES_BEFORE_LOCK);
    expect(row!.locked_until!.getTime()).toBeGreaterThan(Date.now());
    expect((await login(acct.username, acct.password, ip)).statusCode).toBe(429);
  });

  it('forgotten throttle rows are pruned as failures are written; addresses that logged in are kept', async () => {
    await h.sql`insert into login_throttle (username, ip, failures, last_failure_at, last_success_at)
      select 'stale-' || i, '10.99.0.' || i, 3, now() - interval '2 days', case when i = 1 then now() - interval '2 days' end
      from generate_series(1, 5) i`;
    expect((await login('someone-else', 'Whatever-Passw0rd!')).statusCode).toBe(401);
    const left = await h.sql`select username from login_throttle where username like 'stale-%'`;
    expect(left.map((r) => r.username)).toEqual(['stale-1']);
  });

  it('the login route is rate-limited per client address (20 a minute)', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    // A new name each time stays under the per-name hold (5); this is the route's own limit.
    for (let i = 0; i < 21; i++) statuses.push((await login(`ghost-${i}`, 'Whatever-Passw0rd!', ip)).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const limited = responses.at(-1)!;
    expect(limited.json().error.code).toBe('rate_limited');
  });

  it('an administrator sees the failures and lifts every hold on the username with unlock', async () => {
    const acct = await newAccount();
    const ip = newIp();
    for (let i = 1; i <= MAX_FAILURES_BEFORE_LOCK; i++) expect((await login(acct.username, `Wrong-Guess-${i}!`, ip)).statusCode).toBe(401);
    const list = await inject({ method: 'GET', url: '/api/admin/staff', headers: bearer(adminToken) });
    const shown = (list.json() as { id: number; failedLogins: number; lockedUntil: string | null }[]).find((a) => a.id === acct.id)!;
    expect(shown.failedLogins).toBe(MAX_FAILURES_BEFORE_LOCK);
    expect(Date.parse(shown.lockedUntil!)).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect((await login(acct.username, acct.password, ip)).statusCode).toBe(429);

    const res = await inject({
      method: 'PATCH',
      url: `/api/admin/staff/${acct.id}`,
      headers: bearer(adminToken),
      payload: { unlock: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ failedLogins: 0, lockedUntil: null });
    const audited = await auditOf('staff.update', acct.id);
    expect(audited).toMatchObject([{ after: { unlocked: true, clearedFailures: MAX_FAILURES_BEFORE_LOCK } }]);
    expect((await login(acct.username, acct.password, ip)).statusCode).toBe(200);
  });
});

describe('session expiry, revocation, disabled accounts', () => {
  it('an expired session answers 401 (and the message says why)', async () => {
    const acct = await newAccount();
    const token = await tokenFor(acct.username, acct.password);
    expect((await me(bearer(token))).statusCode).toBe(200);
    await h.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.staffId, acct.id));
    const res = await me(bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'unauthorized', message: '登录已过期，请重新登录' });
    expect((await me({ cookie: `amr_session=${token}` })).statusCode).toBe(401);
  });

  it("logging in deletes the account's sessions that ended more than a week ago, and only those", async () => {
    const acct = await newAccount();
    const other = await newAccount();
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(await tokenFor(acct.username, acct.password));
    const otherToken = await tokenFor(other.username, other.password);
    const day = 86_400_000;
    const [oldExpired, oldRevoked, recentExpired, live] = tokens.map(hashToken);
    await h.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 8 * day) })
      .where(eq(sessions.tokenHash, oldExpired!));
    await h.db
      .update(sessions)
      .set({ revokedAt: new Date(Date.now() - 8 * day) })
      .where(eq(sessions.tokenHash, oldRevoked!));
    await h.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 6 * day) })
      .where(eq(sessions.tokenHash, recentExpired!));
    // Another account's old session is not this login's business.
    await h.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 30 * day) })
      .where(eq(sessions.staffId, other.id));
    await tokenFor(acct.username, acct.password);
    const left = (await h.db.select({ t: sessions.tokenHash }).from(sessions).where(eq(sessions.staffId, acct.id))).map((r) => r.t);
    expect(left).not.toContain(oldExpired);
    expect(left).not.toContain(oldRevoked);
    expect(left).toEqual(expect.arrayContaining([recentExpired, live, hashToken(tokens[4]!)]));
    expect(left).toHaveLength(4);
    // A recently expired token still says why; the other account's row is still there.
    expect((await me(bearer(tokens[2]!))).json().error.message).toBe('登录已过期，请重新登录');
    expect(
      await h.db
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(otherToken))),
    ).toHaveLength(1);
  });

  it('an administrator revokes every session of an account at once (lost credential), audited', async () => {
    const acct = await newAccount();
    const [t1, t2] = [await tokenFor(acct.username, acct.password), await tokenFor(acct.username, acct.password)];
    const other = await tokenFor('leader');
    const res = await inject({ method: 'POST', url: `/api/admin/staff/${acct.id}/revoke-sessions`, headers: bearer(adminToken) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    for (const t of [t1, t2]) {
      const r = await me(bearer(t));
      expect(r.statusCode).toBe(401);
      expect(r.json().error.message).toBe('登录已失效，请重新登录');
    }
    expect((await me(bearer(other))).statusCode).toBe(200); // nobody else is affected
    expect(await auditOf('staff.revoke_sessions', acct.id)).toMatchObject([
      { actorUsername: 'admin', actorRole: 'admin', after: { revoked: 2 } },
    ]);
    expect((await inject({ method: 'POST', url: '/api/admin/staff/999999/revoke-sessions', headers: bearer(adminToken) })).statusCode).toBe(
      404,
    );
  });

  it('an administrator resets a lost password: old one stops working, sessions end, lock lifts', async () => {
    const acct = await newAccount();
    const token = await tokenFor(acct.username, acct.password);
    const heldIp = newIp();
    for (let i = 1; i <= MAX_FAILURES_BEFORE_LOCK; i++) {
      expect((await login(acct.username, `Wrong-Guess-${i}!`, heldIp)).statusCode).toBe(401);
    }
    const weak = await inject({
      method: 'POST',
      url: `/api/admin/staff/${acct.id}/password`,
      headers: bearer(adminToken),
      payload: { password: 'weak' },
    });
    expect(weak.statusCode).toBe(400);
    passwordsUsed.add('weak');
    const fresh = 'Brand-New-Passw0rd!';
    passwordsUsed.add(fresh);
    const res = await inject({
      method: 'POST',
      url: `/api/admin/staff/${acct.id}/password`,
      headers: bearer(adminToken),
      payload: { password: fresh },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 1 });
    expect((await me(bearer(token))).statusCode).toBe(401);
    expect((await login(acct.username, acct.password)).statusCode).toBe(401);
    expect((await login(acct.username, fresh, heldIp)).statusCode).toBe(200); // the hold is lifted
    expect(await auditOf('staff.password_reset', acct.id)).toMatchObject([{ actorUsername: 'admin', after: { revokedSessions: 1 } }]);
  });

  it('a disabled account loses its sessions and cannot log in; enabling it again restores login', async () => {
    const acct = await newAccount();
    const token = await tokenFor(acct.username, acct.password);
    const res = await inject({
      method: 'PATCH',
      url: `/api/admin/staff/${acct.id}`,
      headers: bearer(adminToken),
      payload: { disabled: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ disabled: true });
    expect((await me(bearer(token))).statusCode).toBe(401);
    const refused = await login(acct.username, acct.password);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('账户已停用');
    expect(await auditOf('staff.update', acct.id)).toMatchObject([
      { before: { disabled: false }, after: { disabled: true, revokedSessions: 1 } },
    ]);
    expect((await auditOf('auth.login_failed', acct.id)).map((r) => r.after)).toContainEqual({ reason: 'disabled' });

    // A session that is still live when the account is disabled (e.g. set directly in the database) is refused too.
    expect(
      (await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: { disabled: false } }))
        .statusCode,
    ).toBe(200);
    const again = await tokenFor(acct.username, acct.password);
    await h.db.update(staff).set({ disabled: true }).where(eq(staff.id, acct.id));
    const r = await me(bearer(again));
    expect(r.statusCode).toBe(401);
    expect(r.json().error.message).toBe('账户已停用');
  });

  it('changing roles takes effect on live sessions at once', async () => {
    const acct = await newAccount(['office']);
    const token = await tokenFor(acct.username, acct.password);
    expect((await inject({ method: 'GET', url: '/api/audit', headers: bearer(token) })).statusCode).toBe(200);
    const res = await inject({
      method: 'PATCH',
      url: `/api/admin/staff/${acct.id}`,
      headers: bearer(adminToken),
      payload: { roles: ['bureau_leader'] },
    });
    expect(res.statusCode).toBe(200);
    expect((await inject({ method: 'GET', url: '/api/audit', headers: bearer(token) })).statusCode).toBe(403);
  });
});

describe('account administration rules', () => {
  it('lists accounts without any password material', async () => {
    adminToken ??= await tokenFor('admin');
    const res = await inject({ method: 'GET', url: '/api/admin/staff', headers: bearer(adminToken) });
    expect(res.statusCode).toBe(200);
    const list = res.json() as Record<string, unknown>[];
    expect(list.find((a) => a.username === 'h-registration')).toMatchObject({ roles: ['handler'], departmentId: 5, disabled: false });
    expect(res.body).not.toMatch(/scrypt|passwordHash|password_hash/);
  });

  it('handlers and department leaders need one active department', async () => {
    const base = { displayName: '经办人', password: 'Handler-Passw0rd!', roles: ['handler'] };
    const noDept = await inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(adminToken),
      payload: { ...base, username: 'dept-less' },
    });
    expect(noDept.statusCode).toBe(400);
    expect(noDept.json().error.fields).toHaveProperty(['body.departmentId']);
    const unknownDept = await inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(adminToken),
      payload: { ...base, username: 'dept-less', departmentId: 9999 },
    });
    expect(unknownDept.statusCode).toBe(400);
    const ok = await inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(adminToken),
      payload: { ...base, username: 'dept-ful', departmentId: 6 },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ roles: ['handler'], departmentId: 6 });
    // Dropping the department of a handler is refused; so is turning a department-less account into a handler.
    expect(
      (
        await inject({
          method: 'PATCH',
          url: `/api/admin/staff/${ok.json().id}`,
          headers: bearer(adminToken),
          payload: { departmentId: null },
        })
      ).statusCode,
    ).toBe(400);
    const leader = await newAccount(['bureau_leader']);
    expect(
      (
        await inject({
          method: 'PATCH',
          url: `/api/admin/staff/${leader.id}`,
          headers: bearer(adminToken),
          payload: { roles: ['dept_leader'] },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await inject({
          method: 'PATCH',
          url: `/api/admin/staff/${leader.id}`,
          headers: bearer(adminToken),
          payload: { roles: ['dept_leader'], departmentId: 7 },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await inject({
          method: 'PATCH',
          url: `/api/admin/staff/${leader.id}`,
          headers: bearer(adminToken),
          payload: { departmentId: 99999 },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('refuses duplicate usernames, empty changes and unknown accounts', async () => {
    const dup = await inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: bearer(adminToken),
      payload: { username: 'office', displayName: '重复', password: 'Duplicate-Passw0rd!', roles: ['office'] },
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields).toEqual({ 'body.username': '用户名已存在' });
    const acct = await newAccount();
    expect(
      (await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: {} })).statusCode,
    ).toBe(400);
    expect(
      (await inject({ method: 'PATCH', url: '/api/admin/staff/999999', headers: bearer(adminToken), payload: { disabled: true } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await inject({ method: 'PATCH', url: '/api/admin/staff/abc', headers: bearer(adminToken), payload: { disabled: true } })).statusCode,
    ).toBe(400);
  });

  it('the last enabled administrator cannot be disabled or lose the admin role', async () => {
    const [adminRow] = await h.db.select().from(staff).where(eq(staff.username, 'admin'));
    const others = await h.db.select({ id: staff.id, username: staff.username, roles: staff.roles, disabled: staff.disabled }).from(staff);
    const otherAdmins = others.filter((s) => s.id !== adminRow!.id && s.roles.includes('admin') && !s.disabled);
    for (const o of otherAdmins) await h.db.update(staff).set({ disabled: true }).where(eq(staff.id, o.id));
    try {
      const selfDisable = await inject({
        method: 'PATCH',
        url: `/api/admin/staff/${adminRow!.id}`,
        headers: bearer(adminToken),
        payload: { disabled: true },
      });
      expect(selfDisable.statusCode).toBe(409);
      const demote = await inject({
        method: 'PATCH',
        url: `/api/admin/staff/${adminRow!.id}`,
        headers: bearer(adminToken),
        payload: { roles: ['office'] },
      });
      expect(demote.statusCode).toBe(409);
      expect((await me(bearer(adminToken))).json().roles).toEqual(['admin']);

      // With a second administrator, demoting the first is allowed.
      const second = await newAccount(['admin']);
      const secondToken = await tokenFor(second.username, second.password);
      const ok = await inject({
        method: 'PATCH',
        url: `/api/admin/staff/${adminRow!.id}`,
        headers: bearer(secondToken),
        payload: { roles: ['admin', 'office'] },
      });
      expect(ok.statusCode).toBe(200);
      await inject({ method: 'PATCH', url: `/api/admin/staff/${second.id}`, headers: bearer(adminToken), payload: { disabled: true } });
    } finally {
      for (const o of otherAdmins) await h.db.update(staff).set({ disabled: false }).where(eq(staff.id, o.id));
    }
  });
});

describe("changing one's own password", () => {
  it('needs the current password and the policy; other sessions end, this one stays', async () => {
    const acct = await newAccount();
    const current = await tokenFor(acct.username, acct.password);
    const other = await tokenFor(acct.username, acct.password);
    const change = (payload: object) =>
      inject({ method: 'POST', url: '/api/auth/password', headers: { ...bearer(current), 'x-forwarded-for': newIp() }, payload });
    passwordsUsed.add('Wrong-Current-1!').add('weakpass').add('Changed-Passw0rd!');

    const wrong = await change({ currentPassword: 'Wrong-Current-1!', newPassword: 'Changed-Passw0rd!' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toHaveProperty(['body.currentPassword']);
    const weak = await change({ currentPassword: acct.password, newPassword: 'weakpass' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields).toHaveProperty(['body.newPassword']);
    const same = await change({ currentPassword: acct.password, newPassword: acct.password });
    expect(same.statusCode).toBe(400);

    const ok = await change({ currentPassword: acct.password, newPassword: 'Changed-Passw0rd!' });
    expect(ok.statusCode).toBe(204);
    expect((await me(bearer(current))).statusCode).toBe(200);
    expect((await me(bearer(other))).statusCode).toBe(401);
    expect((await login(acct.username, acct.password)).statusCode).toBe(401);
    expect((await login(acct.username, 'Changed-Passw0rd!')).statusCode).toBe(200);
    expect(await auditOf('staff.password_change', acct.id)).toMatchObject([
      { actorUsername: acct.username, after: { revokedSessions: 1 } },
    ]);
  });
});

describe('createAdmin (npm run admin:create)', () => {
  it('creates an administrator with the password policy, audited as the system, and refuses an existing username', async () => {
    const created = await createAdmin(h.db, { username: 'first-admin', password: 'Chief-Keeper-Passw0rd!' });
    passwordsUsed.add('Chief-Keeper-Passw0rd!');
    expect(created).toMatchObject({ username: 'first-admin', displayName: '系统管理员' });
    expect(created.otherAdmins).toBeGreaterThanOrEqual(1); // the demo admin
    const [row] = await h.db.select().from(staff).where(eq(staff.id, created.id));
    expect(row).toMatchObject({ roles: ['admin'], departmentId: null, disabled: false });
    expect(await verifyPassword('Chief-Keeper-Passw0rd!', row!.passwordHash)).toBe(true);
    const audit = await auditOf('staff.create', created.id);
    expect(audit).toMatchObject([
      { actorId: null, actorUsername: 'system:admin-create', actorRole: 'system', after: { username: 'first-admin', roles: ['admin'] } },
    ]);
    expect((await login('first-admin', 'Chief-Keeper-Passw0rd!')).statusCode).toBe(200);

    await expect(createAdmin(h.db, { username: 'first-admin', password: 'Other-Admin-Passw0rd!' })).rejects.toMatchObject({
      reason: 'username_exists',
    });
    await expect(createAdmin(h.db, { username: 'admin2', password: 'short' })).rejects.toMatchObject({ reason: 'weak_password' });
    await expect(createAdmin(h.db, { username: 'Bad Name', password: 'Good-Admin-Passw0rd!' })).rejects.toBeInstanceOf(CreateAdminError);
    await expect(createAdmin(h.db, { username: 'admin3', password: 'Good-Admin-Passw0rd!', displayName: '  ' })).rejects.toMatchObject({
      reason: 'invalid_display_name',
    });
    expect(await h.db.select().from(staff).where(eq(staff.username, 'admin2'))).toEqual([]);
  });

  it('the script applies migrations, creates only the administrator, prints what it did, and refuses a second run', async () => {
    const run = promisify(execFile);
    const root = path.resolve(import.meta.dirname, '../..');
    const database = await freshDatabase(); // migrated, but no departments or accounts: like a new external database
    try {
      const env = { ...process.env, DATABASE_URL: database.url, ADMIN_USERNAME: 'root-admin', ADMIN_PASSWORD: 'Script-Admin-Passw0rd!' };
      passwordsUsed.add('Script-Admin-Passw0rd!');
      const script = ['--import', 'tsx', path.join(root, 'scripts/admin-create.ts')];
      const first = await run(process.execPath, script, { cwd: root, env });
      expect(first.stdout).toMatch(/Migrations applied/);
      expect(first.stdout).toMatch(/Created administrator "root-admin"/);
      expect(first.stdout + first.stderr).not.toContain('Script-Admin-Passw0rd!');
      expect(first.stdout).not.toContain(new URL(database.url).password || '\u0000');
      const accounts = await database.db.select().from(staff);
      expect(accounts.map((a) => [a.username, a.roles])).toEqual([['root-admin', ['admin']]]);
      expect(await database.sql`select count(*)::int as n from departments`).toEqual([{ n: 0 }]);
      expect(await database.db.select().from(auditLog)).toMatchObject([{ action: 'staff.create', actorUsername: 'system:admin-create' }]);

      const second = await run(process.execPath, script, { cwd: root, env }).then(
        () => 0,
        (err: { code: number; stderr: string }) => {
          expect(err.stderr).toMatch(/已存在/);
          return err.code;
        },
      );
      expect(second).toBe(1);
      const noUrl = await run(process.execPath, script, { cwd: root, env: { ...env, DATABASE_URL: '' } }).then(
        () => 0,
        (err: { code: number; stderr: string }) => {
          expect(err.stderr).toMatch(/DATABASE_URL is required/);
          return err.code;
        },
      );
      expect(noUrl).toBe(2);
      const weak = await run(process.execPath, script, {
        cwd: root,
        env: { ...env, ADMIN_USERNAME: 'weak-admin', ADMIN_PASSWORD: 'weak' },
      }).then(
        () => 0,
        (err: { code: number; stderr: string }) => {
          expect(err.stderr).toMatch(/refused/);
          return err.code;
        },
      );
      expect(weak).toBe(1);
      expect((await database.db.select().from(staff)).length).toBe(1);
    } finally {
      await database.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the auth routes', () => {
    const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    for (const p of [
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/auth/password',
      '/api/admin/staff',
      '/api/admin/staff/{id}',
      '/api/admin/staff/{id}/password',
      '/api/admin/staff/{id}/revoke-sessions',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});

describe('passwords never leak', () => {
  it('no response of this file and no audit row contains a password typed in it', async () => {
    expect(passwordsUsed.size).toBeGreaterThan(10);
    const audit = JSON.stringify(await h.db.select().from(auditLog));
    for (const p of passwordsUsed) {
      for (const res of responses) expect(res.body.includes(p), `response ${res.statusCode} contains a password`).toBe(false);
      expect(audit.includes(p), 'audit_log contains a password').toBe(false);
    }
  });

  it('nor does the application log (captured from a second app on the same database)', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(h.app.ctx, { logger: { level: 'trace', stream } });
    try {
      const acct = await newAccount();
      const attempts = [acct.password, 'Logged-Guess-1!', 'Logged-Guess-2!'];
      const ip = newIp();
      const ok = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: acct.username, password: acct.password },
        headers: { 'x-forwarded-for': ip },
      });
      const token = ok.json().token as string;
      for (const p of attempts.slice(1))
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: acct.username, password: p },
          headers: { 'x-forwarded-for': ip },
        });
      await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { ...bearer(token), 'x-forwarded-for': ip },
        payload: { currentPassword: acct.password, newPassword: 'Logged-New-Passw0rd!' },
      });
      const log = lines.join('');
      expect(log).toMatch(/login failed/); // the failures are logged…
      for (const p of [...attempts, 'Logged-New-Passw0rd!', token]) expect(log.includes(p), 'log contains a secret').toBe(false); // …without secrets
    } finally {
      await app.close();
    }
  });
});
