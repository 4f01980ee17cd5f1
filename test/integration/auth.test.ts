import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/schema.js';
import { createAdmin, CreateAdminError } from '../../src/auth/create-admin.js';
import { hashPassword, passwordPolicyProblem, verifyPassword } from '../../src/auth/password.js';
import { lockMinutes, MAX_FAILURES_BEFORE_LOCK } from '../../src/auth/routes.js';
import { sessions, staff } from '../../src/auth/schema.js';
import { hashToken } from '../../src/auth/sessions.js';
import { buildApp } from '../../src/server/app.js';
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
  const res = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { username, displayName: `测试账户${accountSeq}`, password, roles } });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as number, username, password };
}

const me = (headers: Record<string, string>) => inject({ method: 'GET', url: '/api/auth/me', headers });
const auditOf = (action: string, recordId: string | number) =>
  h.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.recordId, String(recordId))));

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
    for (const [password, message] of [['short1!A', /至少 10/], ['onlylowercaseletters', /三类/], ['Weakling-Acct-9', /用户名/]] as const) {
      passwordsUsed.add(password);
      const res = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { username: 'weakling-acct', displayName: '弱密码', password, roles: ['office'] } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields['body.password']).toMatch(message);
    }
    const tooLong = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { username: 'weakling-acct', displayName: '弱密码', password: `Aa1!${'x'.repeat(300)}`, roles: ['office'] } });
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
    const res = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'center', password: DEMO_PASSWORD }, headers: { 'x-forwarded-for': '10.1.2.3', 'x-request-id': 'req-login-audit-1' } });
    expect(res.statusCode).toBe(200);
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.requestId, 'req-login-audit-1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'auth.login', actorUsername: 'center', actorRole: 'service_center', recordType: 'staff', recordId: String(res.json().staff.id), ip: '10.1.2.3' });
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
    for (const headers of [{} as Record<string, string>, bearer('nonsense'), { cookie: 'amr_session=nonsense' }, { authorization: 'Bearer ' }, { authorization: 'Basic YWRtaW46eA==' }]) {
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
    expect((await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'My-Secret-Passw0rd!', password: 'x' }, headers: { 'x-forwarded-for': ip } })).statusCode).toBe(401);
    const [mistyped] = await h.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.login_failed'), eq(auditLog.ip, ip)));
    expect(mistyped).toMatchObject({ actorUsername: '(invalid username, 19 characters)', recordId: '(invalid username, 19 characters)' });
    // leader's failure count must not stay raised for the lock-out tests of the demo account.
    await h.db.update(staff).set({ failedLogins: 0 }).where(eq(staff.username, 'leader'));
  });
});

describe('brute force: lock-out with back-off, logged', () => {
  it(`locks after ${MAX_FAILURES_BEFORE_LOCK} wrong passwords; a locked account refuses even the right one (429 + Retry-After)`, async () => {
    const acct = await newAccount();
    const ip = newIp();
    for (let i = 1; i <= MAX_FAILURES_BEFORE_LOCK; i++) {
      const res = await login(acct.username, `Wrong-Guess-${i}!`, ip);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toBe(i < MAX_FAILURES_BEFORE_LOCK ? '用户名或密码错误' : '用户名或密码错误，账户已暂时锁定');
    }
    const [locked] = await h.db.select().from(staff).where(eq(staff.id, acct.id));
    expect(locked!.failedLogins).toBe(MAX_FAILURES_BEFORE_LOCK);
    const lockMs = locked!.lockedUntil!.getTime() - Date.now();
    expect(lockMs).toBeGreaterThan(14 * 60_000);
    expect(lockMs).toBeLessThanOrEqual(15 * 60_000);

    const refused = await login(acct.username, acct.password, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('account_locked');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect((await login(acct.username, acct.password, newIp())).statusCode).toBe(429); // another address does not help

    // Logged: each failure (with the running count) and each attempt while locked.
    const failures = await auditOf('auth.login_failed', acct.id);
    expect(failures).toHaveLength(MAX_FAILURES_BEFORE_LOCK);
    expect(failures.map((f) => (f.after as { failedLogins: number }).failedLogins).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(failures.every((f) => f.ip === ip && f.actorRole === 'anonymous')).toBe(true);
    expect(await auditOf('auth.login_locked', acct.id)).toHaveLength(2);

    // Back-off: once the lock has passed, one more failure locks it again for twice as long.
    await h.db.update(staff).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(staff.id, acct.id));
    expect((await login(acct.username, 'Wrong-Again-6!', ip)).statusCode).toBe(401);
    const [again] = await h.db.select().from(staff).where(eq(staff.id, acct.id));
    expect(lockMinutes(6)).toBe(30);
    expect(again!.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(lockMinutes(100)).toBe(24 * 60);

    // The right password after the lock passes: logged in, count reset.
    await h.db.update(staff).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(staff.id, acct.id));
    expect((await login(acct.username, acct.password, ip)).statusCode).toBe(200);
    const [reset] = await h.db.select().from(staff).where(eq(staff.id, acct.id));
    expect(reset).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('a burst of parallel guesses still locks the account (the count is atomic)', async () => {
    const acct = await newAccount();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => login(acct.username, `Parallel-Guess-${i}!`, newIp())));
    expect(results.every((r) => r.statusCode === 401)).toBe(true);
    const [row] = await h.db.select().from(staff).where(eq(staff.id, acct.id));
    expect(row!.failedLogins).toBe(8);
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect((await login(acct.username, acct.password)).statusCode).toBe(429);
  });

  it('the login route is rate-limited per client address (20 a minute)', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await login(`ghost-${i}`, 'Whatever-Passw0rd!', ip)).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const limited = responses.at(-1)!;
    expect(limited.json().error.code).toBe('rate_limited');
  });

  it('an administrator can lift a lock', async () => {
    const acct = await newAccount();
    await h.db.update(staff).set({ failedLogins: 7, lockedUntil: new Date(Date.now() + 3600_000) }).where(eq(staff.id, acct.id));
    const res = await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: { unlock: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect((await login(acct.username, acct.password)).statusCode).toBe(200);
  });
});

describe('session expiry, revocation, disabled accounts', () => {
  it('an expired session answers 401 (and the message says why)', async () => {
    const acct = await newAccount();
    const token = await tokenFor(acct.username, acct.password);
    expect((await me(bearer(token))).statusCode).toBe(200);
    await h.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.staffId, acct.id));
    const res = await me(bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'unauthorized', message: '登录已过期，请重新登录' });
    expect((await me({ cookie: `amr_session=${token}` })).statusCode).toBe(401);
  });

  it('logging in deletes the account\'s sessions that ended more than a week ago, and only those', async () => {
    const acct = await newAccount();
    const other = await newAccount();
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(await tokenFor(acct.username, acct.password));
    const otherToken = await tokenFor(other.username, other.password);
    const day = 86_400_000;
    const [oldExpired, oldRevoked, recentExpired, live] = tokens.map(hashToken);
    await h.db.update(sessions).set({ expiresAt: new Date(Date.now() - 8 * day) }).where(eq(sessions.tokenHash, oldExpired!));
    await h.db.update(sessions).set({ revokedAt: new Date(Date.now() - 8 * day) }).where(eq(sessions.tokenHash, oldRevoked!));
    await h.db.update(sessions).set({ expiresAt: new Date(Date.now() - 6 * day) }).where(eq(sessions.tokenHash, recentExpired!));
    // Another account's old session is not this login's business.
    await h.db.update(sessions).set({ expiresAt: new Date(Date.now() - 30 * day) }).where(eq(sessions.staffId, other.id));
    await tokenFor(acct.username, acct.password);
    const left = (await h.db.select({ t: sessions.tokenHash }).from(sessions).where(eq(sessions.staffId, acct.id))).map((r) => r.t);
    expect(left).not.toContain(oldExpired);
    expect(left).not.toContain(oldRevoked);
    expect(left).toEqual(expect.arrayContaining([recentExpired, live, hashToken(tokens[4]!)]));
    expect(left).toHaveLength(4);
    // A recently expired token still says why; the other account's row is still there.
    expect((await me(bearer(tokens[2]!))).json().error.message).toBe('登录已过期，请重新登录');
    expect((await h.db.select().from(sessions).where(eq(sessions.tokenHash, hashToken(otherToken))))).toHaveLength(1);
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
    expect(await auditOf('staff.revoke_sessions', acct.id)).toMatchObject([{ actorUsername: 'admin', actorRole: 'admin', after: { revoked: 2 } }]);
    expect((await inject({ method: 'POST', url: '/api/admin/staff/999999/revoke-sessions', headers: bearer(adminToken) })).statusCode).toBe(404);
  });

  it('an administrator resets a lost password: old one stops working, sessions end, lock lifts', async () => {
    const acct = await newAccount();
    const token = await tokenFor(acct.username, acct.password);
    await h.db.update(staff).set({ failedLogins: 9, lockedUntil: new Date(Date.now() + 3600_000) }).where(eq(staff.id, acct.id));
    const weak = await inject({ method: 'POST', url: `/api/admin/staff/${acct.id}/password`, headers: bearer(adminToken), payload: { password: 'weak' } });
    expect(weak.statusCode).toBe(400);
    passwordsUsed.add('weak');
    const fresh = 'Brand-New-Passw0rd!';
    passwordsUsed.add(fresh);
    const res = await inject({ method: 'POST', url: `/api/admin/staff/${acct.id}/password`, headers: bearer(adminToken), payload: { password: fresh } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ revoked: 1 });
    expect((await me(bearer(token))).statusCode).toBe(401);
    expect((await login(acct.username, acct.password)).statusCode).toBe(401);
    expect((await login(acct.username, fresh)).statusCode).toBe(200);
    expect(await auditOf('staff.password_reset', acct.id)).toMatchObject([{ actorUsername: 'admin', after: { revokedSessions: 1 } }]);
  });

  it('a disabled account loses its sessions and cannot log in; enabling it again restores login', async () => {
    const acct = await newAccount();
    const token = await tokenFor(acct.username, acct.password);
    const res = await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: { disabled: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ disabled: true });
    expect((await me(bearer(token))).statusCode).toBe(401);
    const refused = await login(acct.username, acct.password);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toBe('账户已停用');
    expect(await auditOf('staff.update', acct.id)).toMatchObject([{ before: { disabled: false }, after: { disabled: true, revokedSessions: 1 } }]);
    expect((await auditOf('auth.login_failed', acct.id)).map((r) => r.after)).toContainEqual({ reason: 'disabled' });

    // A session that is still live when the account is disabled (e.g. set directly in the database) is refused too.
    expect((await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: { disabled: false } })).statusCode).toBe(200);
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
    const res = await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: { roles: ['bureau_leader'] } });
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
    const noDept = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { ...base, username: 'dept-less' } });
    expect(noDept.statusCode).toBe(400);
    expect(noDept.json().error.fields).toHaveProperty(['body.departmentId']);
    const unknownDept = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { ...base, username: 'dept-less', departmentId: 9999 } });
    expect(unknownDept.statusCode).toBe(400);
    const ok = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { ...base, username: 'dept-ful', departmentId: 6 } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ roles: ['handler'], departmentId: 6 });
    // Dropping the department of a handler is refused; so is turning a department-less account into a handler.
    expect((await inject({ method: 'PATCH', url: `/api/admin/staff/${ok.json().id}`, headers: bearer(adminToken), payload: { departmentId: null } })).statusCode).toBe(400);
    const leader = await newAccount(['bureau_leader']);
    expect((await inject({ method: 'PATCH', url: `/api/admin/staff/${leader.id}`, headers: bearer(adminToken), payload: { roles: ['dept_leader'] } })).statusCode).toBe(400);
    expect((await inject({ method: 'PATCH', url: `/api/admin/staff/${leader.id}`, headers: bearer(adminToken), payload: { roles: ['dept_leader'], departmentId: 7 } })).statusCode).toBe(200);
    expect((await inject({ method: 'PATCH', url: `/api/admin/staff/${leader.id}`, headers: bearer(adminToken), payload: { departmentId: 99999 } })).statusCode).toBe(400);
  });

  it('refuses duplicate usernames, empty changes and unknown accounts', async () => {
    const dup = await inject({ method: 'POST', url: '/api/admin/staff', headers: bearer(adminToken), payload: { username: 'office', displayName: '重复', password: 'Duplicate-Passw0rd!', roles: ['office'] } });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.fields).toEqual({ 'body.username': '用户名已存在' });
    const acct = await newAccount();
    expect((await inject({ method: 'PATCH', url: `/api/admin/staff/${acct.id}`, headers: bearer(adminToken), payload: {} })).statusCode).toBe(400);
    expect((await inject({ method: 'PATCH', url: '/api/admin/staff/999999', headers: bearer(adminToken), payload: { disabled: true } })).statusCode).toBe(404);
    expect((await inject({ method: 'PATCH', url: '/api/admin/staff/abc', headers: bearer(adminToken), payload: { disabled: true } })).statusCode).toBe(400);
  });

  it('the last enabled administrator cannot be disabled or lose the admin role', async () => {
    const [adminRow] = await h.db.select().from(staff).where(eq(staff.username, 'admin'));
    const others = await h.db.select({ id: staff.id, username: staff.username, roles: staff.roles, disabled: staff.disabled }).from(staff);
    const otherAdmins = others.filter((s) => s.id !== adminRow!.id && s.roles.includes('admin') && !s.disabled);
    for (const o of otherAdmins) await h.db.update(staff).set({ disabled: true }).where(eq(staff.id, o.id));
    try {
      const selfDisable = await inject({ method: 'PATCH', url: `/api/admin/staff/${adminRow!.id}`, headers: bearer(adminToken), payload: { disabled: true } });
      expect(selfDisable.statusCode).toBe(409);
      const demote = await inject({ method: 'PATCH', url: `/api/admin/staff/${adminRow!.id}`, headers: bearer(adminToken), payload: { roles: ['office'] } });
      expect(demote.statusCode).toBe(409);
      expect((await me(bearer(adminToken))).json().roles).toEqual(['admin']);

      // With a second administrator, demoting the first is allowed.
      const second = await newAccount(['admin']);
      const secondToken = await tokenFor(second.username, second.password);
      const ok = await inject({ method: 'PATCH', url: `/api/admin/staff/${adminRow!.id}`, headers: bearer(secondToken), payload: { roles: ['admin', 'office'] } });
      expect(ok.statusCode).toBe(200);
      await inject({ method: 'PATCH', url: `/api/admin/staff/${second.id}`, headers: bearer(adminToken), payload: { disabled: true } });
    } finally {
      for (const o of otherAdmins) await h.db.update(staff).set({ disabled: false }).where(eq(staff.id, o.id));
    }
  });
});

describe('changing one\'s own password', () => {
  it('needs the current password and the policy; other sessions end, this one stays', async () => {
    const acct = await newAccount();
    const current = await tokenFor(acct.username, acct.password);
    const other = await tokenFor(acct.username, acct.password);
    const change = (payload: object) => inject({ method: 'POST', url: '/api/auth/password', headers: { ...bearer(current), 'x-forwarded-for': newIp() }, payload });
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
    expect(await auditOf('staff.password_change', acct.id)).toMatchObject([{ actorUsername: acct.username, after: { revokedSessions: 1 } }]);
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
    expect(audit).toMatchObject([{ actorId: null, actorUsername: 'system:admin-create', actorRole: 'system', after: { username: 'first-admin', roles: ['admin'] } }]);
    expect((await login('first-admin', 'Chief-Keeper-Passw0rd!')).statusCode).toBe(200);

    await expect(createAdmin(h.db, { username: 'first-admin', password: 'Other-Admin-Passw0rd!' })).rejects.toMatchObject({ reason: 'username_exists' });
    await expect(createAdmin(h.db, { username: 'admin2', password: 'short' })).rejects.toMatchObject({ reason: 'weak_password' });
    await expect(createAdmin(h.db, { username: 'Bad Name', password: 'Good-Admin-Passw0rd!' })).rejects.toBeInstanceOf(CreateAdminError);
    await expect(createAdmin(h.db, { username: 'admin3', password: 'Good-Admin-Passw0rd!', displayName: '  ' })).rejects.toMatchObject({ reason: 'invalid_display_name' });
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

      const second = await run(process.execPath, script, { cwd: root, env }).then(() => 0, (err: { code: number; stderr: string }) => { expect(err.stderr).toMatch(/已存在/); return err.code; });
      expect(second).toBe(1);
      const noUrl = await run(process.execPath, script, { cwd: root, env: { ...env, DATABASE_URL: '' } }).then(() => 0, (err: { code: number; stderr: string }) => { expect(err.stderr).toMatch(/DATABASE_URL is required/); return err.code; });
      expect(noUrl).toBe(2);
      const weak = await run(process.execPath, script, { cwd: root, env: { ...env, ADMIN_USERNAME: 'weak-admin', ADMIN_PASSWORD: 'weak' } }).then(() => 0, (err: { code: number; stderr: string }) => { expect(err.stderr).toMatch(/refused/); return err.code; });
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
    for (const p of ['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/auth/password', '/api/admin/staff', '/api/admin/staff/{id}', '/api/admin/staff/{id}/password', '/api/admin/staff/{id}/revoke-sessions']) {
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
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const app = await buildApp(h.app.ctx, { logger: { level: 'trace', stream } });
    try {
      const acct = await newAccount();
      const attempts = [acct.password, 'Logged-Guess-1!', 'Logged-Guess-2!'];
      const ip = newIp();
      const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acct.username, password: acct.password }, headers: { 'x-forwarded-for': ip } });
      const token = ok.json().token as string;
      for (const p of attempts.slice(1)) await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: acct.username, password: p }, headers: { 'x-forwarded-for': ip } });
      await app.inject({ method: 'POST', url: '/api/auth/password', headers: { ...bearer(token), 'x-forwarded-for': ip }, payload: { currentPassword: acct.password, newPassword: 'Logged-New-Passw0rd!' } });
      const log = lines.join('');
      expect(log).toMatch(/login failed/); // the failures are logged…
      for (const p of [...attempts, 'Logged-New-Passw0rd!', token]) expect(log.includes(p), 'log contains a secret').toBe(false); // …without secrets
    } finally {
      await app.close();
    }
  });
});
