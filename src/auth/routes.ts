import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import type { Executor } from '../db/client.js';
import { departments } from '../departments/schema.js';
import { AppError, badRequest, conflict, errorBody, notFound, unauthorized } from '../server/errors.js';
import { id32, idParam, safeString } from '../server/schema-types.js';
import { asRoles, isUniqueViolation, needsDepartment, USERNAME_PATTERN, usernameSchema } from './accounts.js';
import { DUMMY_HASH, hashPassword, PASSWORD_MAX_LENGTH, passwordPolicyProblem, verifyPassword } from './password.js';
import { actorOf } from './plugin.js';
import { ROLES } from './roles.js';
import { staff } from './schema.js';
import { createSession, revokeAllSessions, revokeSession, SESSION_COOKIE } from './sessions.js';

const tags = ['auth'];
/** Wrong passwords in a row before the account locks; each further failure doubles the lock, up to a day. */
export const MAX_FAILURES_BEFORE_LOCK = 5;
export const lockMinutes = (failures: number) => Math.min(15 * 2 ** (failures - MAX_FAILURES_BEFORE_LOCK), 24 * 60);

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
    lockedUntil: z.string().nullable().describe('Set while repeated wrong passwords keep the account locked'),
    failedLogins: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'StaffAccount' });

type StaffRow = typeof staff.$inferSelect;
const accountOf = (s: StaffRow) => ({
  id: s.id, username: s.username, displayName: s.displayName, roles: asRoles(s.roles), departmentId: s.departmentId,
  disabled: s.disabled, lockedUntil: s.lockedUntil && s.lockedUntil.getTime() > Date.now() ? s.lockedUntil.toISOString() : null,
  failedLogins: s.failedLogins, createdAt: s.createdAt.toISOString(),
});

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
      description: `After ${MAX_FAILURES_BEFORE_LOCK} wrong passwords in a row the account is locked for 15 minutes, doubling with each further failure (up to a day); a locked account answers 429 with Retry-After.`,
      body: z.object({
        username: safeString().trim().toLowerCase().min(1, '请输入用户名').max(100),
        password: z.string().min(1, '请输入密码').max(PASSWORD_MAX_LENGTH),
      }),
      response: { 200: z.object({ token: z.string(), expiresAt: z.string(), staff: me }), 400: errorBody, 401: errorBody, 429: errorBody },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const [found] = await db.select().from(staff).where(eq(staff.username, username));
    // Never the password: only who tried, from where, and why it failed. People sometimes type their
    // password into the username field, so an unknown name that could not be a username is not recorded.
    const shown = found || USERNAME_PATTERN.test(username) ? username : `(invalid username, ${username.length} characters)`;
    const anonymous: Actor = { staffId: found?.id ?? null, username: shown, role: 'anonymous', ip: req.ip, requestId: req.id };
    const failed = async (tx: Executor, reason: string, extra: Record<string, unknown> = {}) => {
      req.log.warn({ username: shown, ip: req.ip, reason }, 'login failed');
      await recordAudit(tx, anonymous, { action: 'auth.login_failed', recordType: 'staff', recordId: found?.id ?? shown, after: { reason, ...extra } });
    };

    if (!found) {
      await verifyPassword(password, DUMMY_HASH); // same cost as a real check, so timing does not reveal usernames
      await failed(db, 'unknown_username');
      throw new AppError(401, 'login_failed', '用户名或密码错误');
    }
    if (found.lockedUntil && found.lockedUntil.getTime() > Date.now()) {
      const seconds = Math.ceil((found.lockedUntil.getTime() - Date.now()) / 1000);
      req.log.warn({ username: shown, ip: req.ip }, 'login attempt on locked account');
      await recordAudit(db, anonymous, { action: 'auth.login_locked', recordType: 'staff', recordId: found.id, after: { lockedUntil: found.lockedUntil.toISOString() } });
      reply.header('retry-after', String(seconds));
      throw new AppError(429, 'account_locked', `登录失败次数过多，请于 ${Math.ceil(seconds / 60)} 分钟后再试`);
    }
    if (!(await verifyPassword(password, found.passwordHash))) {
      const lockedUntil = await db.transaction(async (tx) => {
        // Count atomically, so a burst of parallel guesses still locks the account.
        const [row] = await tx.update(staff).set({ failedLogins: sql`${staff.failedLogins} + 1` }).where(eq(staff.id, found.id)).returning({ failures: staff.failedLogins });
        const failures = row!.failures;
        const until = failures >= MAX_FAILURES_BEFORE_LOCK ? new Date(Date.now() + lockMinutes(failures) * 60_000) : null;
        if (until) await tx.update(staff).set({ lockedUntil: until }).where(eq(staff.id, found.id));
        await failed(tx, 'wrong_password', { failedLogins: failures, lockedUntil: until?.toISOString() ?? null });
        return until;
      });
      throw new AppError(401, 'login_failed', lockedUntil ? '用户名或密码错误，账户已暂时锁定' : '用户名或密码错误');
    }
    if (found.disabled) {
      await failed(db, 'disabled');
      throw new AppError(401, 'login_failed', '账户已停用');
    }
    const { token, expiresAt } = await db.transaction(async (tx) => {
      await tx.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, found.id));
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
  }, async () => (await db.select().from(staff).orderBy(asc(staff.id))).map(accountOf));

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
      return reply.status(201).send(accountOf(created));
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
        unlock: z.literal(true).optional().describe('Clear the failed-login count and any lock'),
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
      const [after] = await tx.update(staff).set({ ...changes, ...(unlock ? { failedLogins: 0, lockedUntil: null } : {}) }).where(eq(staff.id, before.id)).returning();
      const revokedSessions = changes.disabled === true && !before.disabled ? await revokeAllSessions(tx, before.id) : 0;
      const pick = (s: StaffRow) => ({ displayName: s.displayName, disabled: s.disabled, roles: s.roles, departmentId: s.departmentId, failedLogins: s.failedLogins, lockedUntil: s.lockedUntil?.toISOString() ?? null });
      await recordAudit(tx, actorOf(req, ['admin']), {
        action: 'staff.update', recordType: 'staff', recordId: before.id,
        before: pick(before), after: { ...pick(after!), ...(revokedSessions ? { revokedSessions } : {}) },
      });
      return accountOf(after!);
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
      await tx.update(staff).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(staff.id, target.id));
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
