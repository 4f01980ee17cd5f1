import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/record.js';
import { forbidden, unauthorized } from '../server/errors.js';
import type { Access, Role } from './roles.js';
import { resolveSession, SESSION_COOKIE, type StaffIdentity } from './sessions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must declare it (checked at boot). */
    access?: Access;
  }
  interface FastifyRequest {
    staff: StaffIdentity | null;
    sessionTokenHash: string | null;
  }
}

const UNAUTHENTICATED_MESSAGES = {
  unknown: '请先登录',
  expired: '登录已过期，请重新登录',
  revoked: '登录已失效，请重新登录',
  disabled: '账户已停用',
} as const;

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return request.cookies?.[SESSION_COOKIE];
}

/** The audit actor for the current request, acting in the first of `allowed` roles they hold. */
export function actorOf(request: FastifyRequest, allowed?: readonly Role[]): Actor {
  const staff = request.staff;
  if (!staff) throw unauthorized();
  const role = allowed ? staff.roles.find((r) => allowed.includes(r)) : staff.roles[0];
  return { staffId: staff.id, username: staff.username, role: role ?? staff.roles[0] ?? 'none', ip: request.ip, requestId: request.id };
}

/**
 * Authorization in one place: each route's `config.access` is enforced here, before its handler.
 * A route under /api without a declaration fails the boot, so nothing is public by accident.
 */
export const authPlugin = fp(async (app) => {
  app.decorateRequest('staff', null);
  app.decorateRequest('sessionTokenHash', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    const token = tokenOf(request);
    if (token) {
      const result = await resolveSession(app.ctx.db, token);
      if (result.ok) {
        request.staff = result.staff;
        request.sessionTokenHash = result.tokenHash;
      } else if (access && access !== 'public') {
        throw unauthorized(UNAUTHENTICATED_MESSAGES[result.reason]);
      }
    }
    if (!access || access === 'public') return;
    if (!request.staff) throw unauthorized();
    if (!request.staff.roles.some((r) => access.includes(r))) throw forbidden();
  });
});
