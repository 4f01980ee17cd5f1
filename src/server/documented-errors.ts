import type { RouteOptions } from 'fastify';
import { errorBody } from './errors.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * onRoute hook: declares, with the Error schema, the statuses the framework answers for any /api route
 * whatever its handler does, so each route declares only its own: 400 when there is input to refuse
 * (or a body that may be malformed), 413/415 for a body too large or of an unsupported type, 429 under
 * a rate limit, 503 past the request deadline. (401/403 of staff routes are declared by the auth plugin.)
 */
export function declareFrameworkErrors(route: RouteOptions) {
  if (!route.url.startsWith('/api/') || !route.schema || route.schema.hide) return;
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toUpperCase());
  const takesBody = methods.some((m) => BODY_METHODS.has(m));
  const { params, querystring, headers, body } = route.schema;
  const statuses = [
    ...(takesBody || params || querystring || headers || body ? [400] : []),
    ...(takesBody ? [413, 415] : []),
    // A path parameter longer than the router takes (Fastify's maxParamLength, 100).
    ...(route.url.includes(':') ? [414] : []),
    ...(route.config?.rateLimit ? [429] : []),
    // The request deadline (src/server/request-deadline.ts) can answer any route.
    503,
  ];
  const declared = Object.fromEntries(statuses.map((s) => [s, errorBody]));
  route.schema = { ...route.schema, response: { ...declared, ...(route.schema.response as object) } };
}
