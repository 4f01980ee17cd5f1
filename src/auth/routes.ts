import { eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import { departments } from '../departments/schema.js';
import { AppError, badRequest, errorBody, notFound, unauthorized } from '../server/errors.js';
import { hashPassword, passwordPolicyProblem, verifyPassword } from './password.js';
import { actorOf } from './plugin.js';
import { ROLES } from './roles.js';
import { staff } from './schema.js';
import { createSession, revokeAllSessions, revokeSession, SESSION_COOKIE } from './sessions.js';

const tags = ['auth'];
const MAX_FAILURES_BEFORE_LOCK = 5;
const lockMinutes = (failures: number) => Math.min(15 * 2 ** (failures - MAX_FAILURES_BEFORE_LOCK), 24 * 60);

const me = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    departmentId: z.number().nullable(),
  })
  .meta({ id: 'Staff' });

const staffBody = z.object({
  username: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, '用户名须为 2–40 位小写字母、数字、点、下划线或连字符'),
  displayName: z.string().trim().min(1, '请填写姓名').max(50),
  password: z.string(),
  roles: z.array(z.enum(ROLES)).min(1, '至少一个角色'),
  departmentId: z.number().int().nullable().default(null),
});

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, env } = app.ctx;

  app.post('/auth/login', {
    config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Log in: sets an HttpOnly session cookie and returns the same token for API clients',
      body: z.object({ username: z.string().trim().min(1, '请输入用户名').max(100), password: z.string().min(1, '请输入密码').max(200) }),
      response: { 200: z.object({ token: z.string(), expiresAt: z.string(), staff: me }), 400: errorBody, 401: errorBody, 429: errorBody },
    },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const [account] = await db.select().from(staff).where(eq(staff.username, username));
    const fail = async (message: string) => {
      req.log.warn({ username, ip: req.ip }, 'login failed');
      await recordAudit(db, { staffId: account?.id ?? null, username, role: 'anonymous', ip: req.ip, requestId: req.id }, {
        action: 'auth.login_failed', recordType: 'staff', recordId: account?.id ?? username,
      });
      return new AppError(401, 'login_failed', message);
    };
    if (!account) {
      await verifyPassword(password, 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='); // same cost as a real check
      throw await fail('用户名或密码错误');
    }
    if (account.lockedUntil && account.lockedUntil.getTime() > Date.now()) {
      req.log.warn({ username, ip: req.ip }, 'login attempt on locked account');
      throw new AppError(429, 'account_locked', `登录失败次数过多，请于 ${Math.ceil((account.lockedUntil.getTime() - Date.now()) / 60000)} 分钟后再试`);
    }
    if (!(await verifyPassword(password, account.passwordHash))) {
      const failures = account.failedLogins + 1;
      const lockedUntil = failures >= MAX_FAILURES_BEFORE_LOCK ? new Date(Date.now() + lockMinutes(failures) * 60_000) : null;
      await db.update(staff).set({ failedLogins: sql`${staff.failedLogins} + 1`, lockedUntil }).where(eq(staff.id, account.id));
      throw await fail(lockedUntil ? '用户名或密码错误，账户已暂时锁定' : '用户名或密码错误');
    }
    if (account.disabled) throw await fail('账户已停用');
    await db.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, account.id));
    const { token, expiresAt } = await createSession(db, account.id, env.SESSION_TTL_HOURS, req.ip);
    await recordAudit(db, { staffId: account.id, username, role: account.roles[0] ?? 'none', ip: req.ip, requestId: req.id }, {
      action: 'auth.login', recordType: 'staff', recordId: account.id,
    });
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE, path: '/', expires: expiresAt });
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      staff: { id: account.id, username: account.username, displayName: account.displayName, roles: account.roles as (typeof ROLES)[number][], departmentId: account.departmentId },
    };
  });

  app.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags, summary: 'End the current session', response: { 204: z.null() } },
  }, async (req, reply) => {
    if (req.sessionTokenHash) {
      await revokeSession(db, req.sessionTokenHash);
      await recordAudit(db, actorOf(req), { action: 'auth.logout', recordType: 'staff', recordId: req.staff!.id });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/auth/me', {
    config: { access: ROLES },
    schema: { tags, summary: 'The logged-in staff member', response: { 200: me, 401: errorBody } },
  }, async (req) => {
    if (!req.staff) throw unauthorized();
    return req.staff;
  });

  const adminOnly = { access: ['admin'] as const };
  const idParams = z.object({ id: z.coerce.number().int().positive() });

  app.post('/admin/staff', {
    config: adminOnly,
    schema: { tags, summary: 'Create a staff account', body: staffBody, response: { 201: me, 400: errorBody } },
  }, async (req, reply) => {
    const body = req.body;
    const policy = passwordPolicyProblem(body.password);
    if (policy) throw badRequest('密码不符合要求', { 'body.password': policy });
    const needsDept = body.roles.some((r) => r === 'handler' || r === 'dept_leader');
    if (needsDept && body.departmentId === null) throw badRequest('处室人员须指定处室', { 'body.departmentId': '经办人和处室负责人须指定处室' });
    if (body.departmentId !== null) {
      const [dept] = await db.select().from(departments).where(eq(departments.id, body.departmentId));
      if (!dept || !dept.active) throw badRequest('处室不存在或已停用', { 'body.departmentId': '处室不存在或已停用' });
    }
    const passwordHash = await hashPassword(body.password);
    const created = await db.transaction(async (tx) => {
      const [exists] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.username, body.username));
      if (exists) throw badRequest('用户名已存在', { 'body.username': '用户名已存在' });
      const [row] = await tx.insert(staff).values({ username: body.username, displayName: body.displayName, passwordHash, roles: body.roles, departmentId: body.departmentId }).returning();
      await recordAudit(tx, actorOf(req, ['admin']), { action: 'staff.create', recordType: 'staff', recordId: row!.id, after: { username: body.username, roles: body.roles, departmentId: body.departmentId } });
      return row!;
    });
    return reply.status(201).send({ id: created.id, username: created.username, displayName: created.displayName, roles: body.roles, departmentId: created.departmentId });
  });

  app.patch('/admin/staff/:id', {
    config: adminOnly,
    schema: {
      tags,
      summary: 'Disable/enable an account or change its roles',
      params: idParams,
      body: z.object({ disabled: z.boolean().optional(), roles: z.array(z.enum(ROLES)).min(1).optional(), departmentId: z.number().int().nullable().optional() }),
      response: { 200: me.extend({ disabled: z.boolean() }), 400: errorBody, 404: errorBody },
    },
  }, async (req) => {
    return db.transaction(async (tx) => {
      const [before] = await tx.select().from(staff).where(eq(staff.id, req.params.id));
      if (!before) throw notFound('账户不存在');
      const [after] = await tx.update(staff).set(req.body).where(eq(staff.id, req.params.id)).returning();
      if (req.body.disabled) await revokeAllSessions(tx, before.id);
      await recordAudit(tx, actorOf(req, ['admin']), {
        action: 'staff.update', recordType: 'staff', recordId: before.id,
        before: { disabled: before.disabled, roles: before.roles, departmentId: before.departmentId },
        after: { disabled: after!.disabled, roles: after!.roles, departmentId: after!.departmentId },
      });
      return { id: after!.id, username: after!.username, displayName: after!.displayName, roles: after!.roles as (typeof ROLES)[number][], departmentId: after!.departmentId, disabled: after!.disabled };
    });
  });

  app.post('/admin/staff/:id/revoke-sessions', {
    config: adminOnly,
    schema: { tags, summary: 'Lost credential: end every session of an account at once', params: idParams, response: { 200: z.object({ revoked: z.number() }), 404: errorBody } },
  }, async (req) => {
    return db.transaction(async (tx) => {
      const [account] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, req.params.id));
      if (!account) throw notFound('账户不存在');
      const revoked = await revokeAllSessions(tx, account.id);
      await recordAudit(tx, actorOf(req, ['admin']), { action: 'staff.revoke_sessions', recordType: 'staff', recordId: account.id, after: { revoked } });
      return { revoked };
    });
  });
};
