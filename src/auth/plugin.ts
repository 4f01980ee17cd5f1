import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../audit/record.js';
import { AppError, errorBody, forbidden, unauthorized } from '../server/errors.js';
import type { Access, Role } from './roles.js';
import { comesFromThisSite, isSafeMethod } from './same-origin.js';
import { resolveSession, SESSION_COOKIE, type StaffIdentity } from './sessions.js';
import { actorFor, viewerOf } from './viewer.js';

/** One registered route and who may call it, as the authorization hook sees it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every route must declare it (checked at boot). */
    access?: Access;
  }
  interface FastifyRequest {
    staff: StaffIdentity | null;
    sessionTokenHash: string | null;
  }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with its declared access (tests check it against the role matrix). */
    routeAccess: RouteAccess[];
  }
}

/** The OpenAPI security of every staff route: the schemes declared in src/app.ts. */
const STAFF_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

const UNAUTHENTICATED_MESSAGES = {
  unknown: '请先登录',
  expired: '登录已过期，请重新登录',
  revoked: '登录已失效，请重新登录',
  disabled: '账户已停用',
} as const;

/** The session token and where it came from: the browser sends the cookie on its own, a client sends Bearer on purpose. */
function credentialOf(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    return token ? { token, via: 'bearer' } : undefined;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

export function tokenOf(request: FastifyRequest): string | undefined {
  return credentialOf(request)?.token;
}

/**
 * A state-changing /api call whose only credential is the cookie, without proof that the page making
 * it is ours: what a cross-site form or fetch looks like. (The web pages under / and /staff check
 * their own CSRF token.)
 */
function isForgeable(request: FastifyRequest, via: 'bearer' | 'cookie'): boolean {
  if (via !== 'cookie' || !request.routeOptions.url?.startsWith('/api/')) return false;
  return !isSafeMethod(request.method) && !comesFromThisSite(request);
}

/** The audit actor for the current request, acting in the first of `allowed` roles they hold. */
export const actorOf = (request: FastifyRequest, allowed?: readonly Role[]): Actor => actorFor(viewerOf(request), allowed);

/**
 * Authorization in one place: each route's `config.access` is enforced here, before its body is
 * parsed or validated (so a caller without access learns nothing from validation errors and cannot
 * make the server read a large body). A route without a declaration (API, page or system route) fails
 * the boot, so nothing is public by accident.
 */
export interface AuthPluginOptions {
  /**
   * Routes registered by a library that cannot declare `config.access` themselves (the API document
   * under /docs): they are declared 'public' here, explicitly, before the boot check runs.
   */
  publicRoutes?: (url: string) => boolean;
}

export const authPlugin = fp<AuthPluginOptions>(async (app, opts) => {
  app.decorateRequest('staff', null);
  app.decorateRequest('sessionTokenHash', null);
  const registry: RouteAccess[] = [];
  app.decorate('routeAccess', registry);

  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && opts.publicRoutes?.(route.url)) route.config = { ...route.config, access: 'public' };
    const access = route.config?.access;
    // Every route: the API, the staff pages, the public pages, the system routes. Nothing is public by accident.
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} does not declare config.access`);
    // The document says what this hook enforces: how to authenticate, and the 401/403 it answers.
    if (access !== undefined && access !== 'public' && route.schema && !route.schema.hide) {
      const response = { 401: errorBody, 403: errorBody, ...(route.schema.response as object) };
      route.schema = { ...route.schema, security: STAFF_SECURITY, response };
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      registry.push({ method: String(method).toUpperCase(), url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const access = request.routeOptions.config?.access;
    const isPublic = !access || access === 'public';
    let credential = credentialOf(request);
    if (credential && isForgeable(request, credential.via)) {
      if (!isPublic) throw new AppError(403, 'csrf_failed', '无法确认请求来自本站，请从本站页面操作或使用 Bearer 令牌');
      credential = undefined; // a public route runs as for anyone: a forged logout ends nothing
    }
    if (credential) {
      const result = await resolveSession(app.ctx.db, credential.token);
      if (result.ok) {
        request.staff = result.staff;
        request.sessionTokenHash = result.tokenHash;
      } else if (!isPublic) {
        throw unauthorized(UNAUTHENTICATED_MESSAGES[result.reason]);
      }
    }
    if (isPublic) return;
    if (!request.staff) throw unauthorized();
    if (!request.staff.roles.some((r) => access.includes(r))) throw forbidden();
  });
});
