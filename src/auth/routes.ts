import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import type { Executor } from '../db/client.js';
import { departments } from '../departments/tables.js';
import { AppError, badRequest, conflict, errorBody, notFound, unauthorized } from '../server/errors.js';
import { id32, idParam, safeString } from '../server/schema-types.js';
import { asRoles, isUniqueViolation, needsDepartment, USERNAME_PATTERN, usernameSchema } from './accounts.js';
import {
  ACCOUNT_FAILURE_CAP, ACCOUNT_WINDOW_MINUTES, clearThrottle, holdOn, MAX_FAILURES_BEFORE_LOCK, recordFailure, recordSuccess, throttleKeyOf,
  throttleSummaries,
} from './login-throttle.js';
import { DUMMY_HASH, hashPassword, PASSWORD_MAX_LENGTH, passwordPolicyProblem, verifyPassword } from './password.js';
import { actorOf } from './plugin.js';
import { ROLES } from './roles.js';
import { staff } from './tables.js';
import { createSession, revokeAllSessions, revokeSession, SESSION_COOKIE } from './sessions.js';

const tags = ['auth'];
const THROTTLED_MESSAGE = '登录尝试过于频繁，请稍后再试';
const LOGIN_DESCRIPTION = 'Wrong passwords are counted per username as typed and client address, in PostgreSQL '
  + '(shared by every API process). '
  + `After ${MAX_FAILURES_BEFORE_LOCK} in a row from one address, that address is held back for 15 minutes, doubling with each further `
  + 'failure up to a day; other addresses are not affected, so a stranger cannot lock the owner out. Addresses the account has never '
  + `logged in from are also held back while the username has had ${ACCOUNT_FAILURE_CAP} wrong passwords in the last `
  + `${ACCOUNT_WINDOW_MINUTES} minutes from all addresses together (a guesser spread over many addresses). A held-back attempt answers 429 `
  + `"${THROTTLED_MESSAGE}" with Retry-After, without checking the password. Known and unknown usernames are treated identically `
  + '(same answers, same timing), so nothing tells whether an account exists. An administrator\'s `unlock` or password reset clears '
  + 'the username\'s counts and holds.';

const me = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    departmentId: z.number().nullable(),
  })
  .meta({ id: 'Staff' });

const account = me
  .extend({
    disabled: z.boolean(),
    lockedUntil: z.string().nullable()
      .describe('Until when at least one client address is held back from logging in as this username (per-address back-off), or null'),
    failedLogins: z.number()
      .describe(`Wrong passwords for this username in the last ${ACCOUNT_WINDOW_MINUTES} minutes, all addresses`
        + ` (compared with the account-wide cap of ${ACCOUNT_FAILURE_CAP})`),
    createdAt: z.string(),
  })
  .meta({ id: 'StaffAccount' });

type StaffRow = typeof staff.$inferSelect;
type Throttle = { failedLogins: number; lockedUntil: Date | null };
const accountOf = (s: StaffRow, t: Throttle | undefined) => ({
  id: s.id, username: s.username, displayName: s.displayName, roles: asRoles(s.roles), departmentId: s.departmentId,
  disabled: s.disabled, lockedUntil: t?.lockedUntil?.toISOString() ?? null, failedLogins: t?.failedLogins ?? 0,
  createdAt: s.createdAt.toISOString(),
});
async function accountsOf(db: Executor, rows: StaffRow[]) {
  const throttles = await throttleSummaries(db, rows.map((r) => r.username));
  return rows.map((r) => accountOf(r, throttles.get(r.username)));
}

const newPassword = z.string().max(PASSWORD_MAX_LENGTH, `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`);

const staffBody = z.object({
  username: usernameSchema,
  displayName: safeString().trim().min(1, '请填写姓名').max(50),
  password: newPassword,
  roles: z.array(z.enum(ROLES)).min(1, '至少一个角色'),
  departmentId: id32('处室应为编号').nullable().default(null),
});

/** Rejects a department that does not exist or no longer takes work. */
async function requireActiveDepartment(db: Executor, id: number) {
  const [dept] = await db.select({ active: departments.active }).from(departments).where(eq(departments.id, id));
  if (!dept?.active) throw badRequest('处室不存在或已停用', { 'body.departmentId': '处室不存在或已停用' });
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, env } = app.ctx;

  app.post('/auth/login', {
    config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Log in: sets an HttpOnly session cookie and returns the same token for API clients',
      description: LOGIN_DESCRIPTION,
      body: z.object({
        username: safeString().trim().toLowerCase().min(1, '请输入用户名').max(100),
        password: z.string().min(1, '请输入密码').max(PASSWORD_MAX_LENGTH),
      }),
      response: { 200: z.object({ token: z.string(), expiresAt: z.string(), staff: me }), 400: errorBody, 401: errorBody, 429: errorBody },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const key = throttleKeyOf(username);
    const [found] = await db.select().from(staff).where(eq(staff.username, username));
    // Never the password: only who tried, from where, and why it failed. People sometimes type their
    // password into the username field, so an unknown name that could not be a username is not recorded.
    const shown = found || USERNAME_PATTERN.test(username) ? username : `(invalid username, ${username.length} characters)`;
    const anonymous: Actor = { staffId: found?.id ?? null, username: shown, role: 'anonymous', ip: req.ip, requestId: req.id };
    const recordId = found?.id ?? shown;
    const failed = async (tx: Executor, reason: string, extra: Record<string, unknown> = {}) => {
      req.log.warn({ username: shown, ip: req.ip, reason }, 'login failed');
      await recordAudit(tx, anonymous, { action: 'auth.login_failed', recordType: 'staff', recordId, after: { reason, ...extra } });
    };

    // Everything up to the password check depends on the typed name only, never on whether an account has it.
    const hold = await holdOn(db, key, req.ip);
    if (hold) {
      req.log.warn({ username: shown, ip: req.ip, scope: hold.scope }, 'login attempt held back');
      await recordAudit(db, anonymous, { action: 'auth.login_throttled', recordType: 'staff', recordId, after: { ...hold } });
      reply.header('retry-after', String(hold.retryAfterSeconds));
      throw new AppError(429, 'login_throttled', THROTTLED_MESSAGE);
    }
    // An unknown name costs the same check against a dummy hash, so timing does not reveal usernames.
    const passwordOk = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !passwordOk) {
      await db.transaction(async (tx) => {
        const counted = await recordFailure(tx, key, req.ip);
        const lockedUntil = counted.lockedUntil?.toISOString() ?? null;
        await failed(tx, found ? 'wrong_password' : 'unknown_username', { failures: counted.failures, lockedUntil });
      });
      throw new AppError(401, 'login_failed', '用户名或密码错误');
    }
    if (found.disabled) {
      await failed(db, 'disabled');
      throw new AppError(401, 'login_failed', '账户已停用');
    }
    const { token, expiresAt } = await db.transaction(async (tx) => {
      await recordSuccess(tx, key, req.ip);
      const session = await createSession(tx, found.id, env.SESSION_TTL_HOURS, req.ip);
      await recordAudit(tx, { ...anonymous, role: found.roles[0] ?? 'none' }, {
        action: 'auth.login', recordType: 'staff', recordId: found.id, after: { sessionExpiresAt: session.expiresAt.toISOString() },
      });
      return session;
    });
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE, path: '/', expires: expiresAt });
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      staff: { id: found.id, username: found.username, displayName: found.displayName, roles: asRoles(found.roles), departmentId: found.departmentId },
    };
  });

  app.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags, summary: 'End the current session (answers 204 even without one)', response: { 204: z.null() } },
  }, async (req, reply) => {
    const tokenHash = req.sessionTokenHash;
    if (tokenHash && req.staff) {
      await db.transaction(async (tx) => {
        await revokeSession(tx, tokenHash);
        await recordAudit(tx, actorOf(req), { action: 'auth.logout', recordType: 'staff', recordId: req.staff!.id });
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE });
    return reply.status(204).send(null);
  });

  app.get('/auth/me', {
    config: { access: ROLES },
    schema: { tags, summary: 'The logged-in staff member', response: { 200: me, 401: errorBody } },
  }, async (req) => {
    if (!req.staff) throw unauthorized();
    return req.staff;
  });

  app.post('/auth/password', {
    config: { access: ROLES, rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Change one\'s own password; every other session of the account ends',
      body: z.object({ currentPassword: z.string().min(1, '请输入当前密码').max(PASSWORD_MAX_LENGTH), newPassword }),
      response: { 204: z.null(), 400: errorBody, 429: errorBody },
    },
  }, async (req, reply) => {
    const self = req.staff!;
    const [row] = await db.select().from(staff).where(eq(staff.id, self.id));
    if (!row || !(await verifyPassword(req.body.currentPassword, row.passwordHash))) {
      throw badRequest('当前密码不正确', { 'body.currentPassword': '当前密码不正确' });
    }
    const policy = passwordPolicyProblem(req.body.newPassword, self.username);
    if (policy) throw badRequest('新密码不符合要求', { 'body.newPassword': policy });
    if (req.body.newPassword === req.body.currentPassword) throw badRequest('新密码不能与当前密码相同', { 'body.newPassword': '新密码不能与当前密码相同' });
    const passwordHash = await hashPassword(req.body.newPassword);
    await db.transaction(async (tx) => {
      await tx.update(staff).set({ passwordHash }).where(eq(staff.id, self.id));
      const revoked = await revokeAllSessions(tx, self.id, req.sessionTokenHash ?? undefined);
      await recordAudit(tx, actorOf(req), { action: 'staff.password_change', recordType: 'staff', recordId: self.id, after: { revokedSessions: revoked } });
    });
    return reply.status(204).send(null);
  });

  const adminOnly = { access: ['admin'] as const };
  const idParams = z.object({ id: idParam('账户编号应为正整数') });

  app.get('/admin/staff', {
    config: adminOnly,
    schema: { tags, summary: 'Every staff account, including disabled ones', response: { 200: z.array(account) } },
  }, async () => accountsOf(db, await db.select().from(staff).orderBy(asc(staff.id))));

  app.post('/admin/staff', {
    config: adminOnly,
    schema: { tags, summary: 'Create a staff account', body: staffBody, response: { 201: account, 400: errorBody } },
  }, async (req, reply) => {
    const body = req.body;
    const policy = passwordPolicyProblem(body.password, body.username);
    if (policy) throw badRequest('密码不符合要求', { 'body.password': policy });
    if (needsDepartment(body.roles) && body.departmentId === null) throw badRequest('处室人员须指定处室', { 'body.departmentId': '经办人和处室负责人须指定处室' });
    if (body.departmentId !== null) await requireActiveDepartment(db, body.departmentId);
    const passwordHash = await hashPassword(body.password);
    const duplicate = () => badRequest('用户名已存在', { 'body.username': '用户名已存在' });
    try {
      const created = await db.transaction(async (tx) => {
        const [exists] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.username, body.username));
        if (exists) throw duplicate();
        const roles = [...new Set(body.roles)];
        const [row] = await tx.insert(staff).values({ username: body.username, displayName: body.displayName, passwordHash, roles, departmentId: body.departmentId }).returning();
        await recordAudit(tx, actorOf(req, ['admin']), { action: 'staff.create', recordType: 'staff', recordId: row!.id, after: { username: body.username, displayName: body.displayName, roles, departmentId: body.departmentId } });
        return row!;
      });
      return reply.status(201).send(accountOf(created, undefined));
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  });

  app.patch('/admin/staff/:id', {
    config: adminOnly,
    schema: {
      tags,
      summary: 'Disable/enable an account, change its name, roles or department, or lift a login lock',
      description: 'Disabling ends every session of the account at once. The last enabled administrator cannot be disabled or lose the admin role.',
      params: idParams,
      body: z.object({
        displayName: safeString().trim().min(1, '请填写姓名').max(50).optional(),
        disabled: z.boolean().optional(),
        roles: z.array(z.enum(ROLES)).min(1, '至少一个角色').optional(),
        departmentId: id32('处室应为编号').nullable().optional(),
        unlock: z.literal(true).optional()
          .describe('Lift every login hold on this username: its wrong-password counts from all addresses are cleared '
            + '(addresses it logged in from stay known)'),
      }),
      response: { 200: account, 400: errorBody, 404: errorBody, 409: errorBody },
    },
  }, async (req) => {
    const { unlock, ...changes } = req.body;
    if (Object.keys(changes).length === 0 && !unlock) throw badRequest('没有要修改的内容');
    if (changes.roles) changes.roles = [...new Set(changes.roles)];
    return db.transaction(async (tx) => {
      // Serialise account changes, so two administrators cannot disable each other at the same moment.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('staff-accounts'))`);
      const [before] = await tx.select().from(staff).where(eq(staff.id, req.params.id));
      if (!before) throw notFound('账户不存在');
      const roles = changes.roles ?? before.roles;
      const departmentId = changes.departmentId === undefined ? before.departmentId : changes.departmentId;
      if (needsDepartment(roles) && departmentId === null) throw badRequest('处室人员须指定处室', { 'body.departmentId': '经办人和处室负责人须指定处室' });
      if (changes.departmentId != null && changes.departmentId !== before.departmentId) await requireActiveDepartment(tx, changes.departmentId);
      const disabled = changes.disabled ?? before.disabled;
      const staysAdmin = roles.includes('admin') && !disabled;
      if (before.roles.includes('admin') && !before.disabled && !staysAdmin) {
        const others = await tx.select({ id: staff.id }).from(staff)
          .where(and(ne(staff.id, before.id), eq(staff.disabled, false), sql`'admin' = any(${staff.roles})`));
        if (others.length === 0) throw conflict('不能停用最后一个管理员账户或取消其管理员角色');
      }
      const [after] = Object.keys(changes).length > 0
        ? await tx.update(staff).set(changes).where(eq(staff.id, before.id)).returning()
        : [before];
      const clearedFailures = unlock ? await clearThrottle(tx, before.username) : 0;
      const revokedSessions = changes.disabled === true && !before.disabled ? await revokeAllSessions(tx, before.id) : 0;
      const pick = (s: StaffRow) => ({ displayName: s.displayName, disabled: s.disabled, roles: s.roles, departmentId: s.departmentId });
      const unlocked = unlock ? { unlocked: true, clearedFailures } : {};
      await recordAudit(tx, actorOf(req, ['admin']), {
        action: 'staff.update', recordType: 'staff', recordId: before.id,
        before: pick(before), after: { ...pick(after!), ...unlocked, ...(revokedSessions ? { revokedSessions } : {}) },
      });
      return (await accountsOf(tx, [after!]))[0]!;
    });
  });

  app.post('/admin/staff/:id/password', {
    config: adminOnly,
    schema: {
      tags,
      summary: 'Lost credential: set a new password; every session ends and any login lock is lifted',
      params: idParams,
      body: z.object({ password: newPassword }),
      response: { 200: z.object({ revoked: z.number() }), 400: errorBody, 404: errorBody },
    },
  }, async (req) => {
    const [target] = await db.select({ id: staff.id, username: staff.username }).from(staff).where(eq(staff.id, req.params.id));
    if (!target) throw notFound('账户不存在');
    const policy = passwordPolicyProblem(req.body.password, target.username);
    if (policy) throw badRequest('密码不符合要求', { 'body.password': policy });
    const passwordHash = await hashPassword(req.body.password);
    return db.transaction(async (tx) => {
      await tx.update(staff).set({ passwordHash }).where(eq(staff.id, target.id));
      await clearThrottle(tx, target.username);
      const revoked = await revokeAllSessions(tx, target.id);
      await recordAudit(tx, actorOf(req, ['admin']), { action: 'staff.password_reset', recordType: 'staff', recordId: target.id, after: { revokedSessions: revoked } });
      return { revoked };
    });
  });

  app.post('/admin/staff/:id/revoke-sessions', {
    config: adminOnly,
    schema: { tags, summary: 'Lost credential: end every session of an account at once', params: idParams, response: { 200: z.object({ revoked: z.number() }), 404: errorBody } },
  }, async (req) => {
    return db.transaction(async (tx) => {
      const [target] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, req.params.id));
      if (!target) throw notFound('账户不存在');
      const revoked = await revokeAllSessions(tx, target.id);
      await recordAudit(tx, actorOf(req, ['admin']), { action: 'staff.revoke_sessions', recordType: 'staff', recordId: target.id, after: { revoked } });
      return { revoked };
    });
  });
};
