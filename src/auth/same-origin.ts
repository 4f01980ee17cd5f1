import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

/** scheme://host[:port] in canonical form (default ports dropped), or null when it is not an origin. */
function canonicalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether the browser says this request comes from the site itself: `Sec-Fetch-Site: same-origin`,
 * or an `Origin` equal to the origin the request was sent to (scheme and host as Fastify sees them,
 * so X-Forwarded-Proto/-Host count only from a trusted proxy). Page scripts cannot forge either
 * header, so a cross-site form or fetch cannot pass; a request with neither is refused.
 */
export function comesFromThisSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'same-origin') return true;
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  const own = canonicalOrigin(`${request.protocol}://${request.host}`);
  return own !== null && canonicalOrigin(origin) === own;
}
