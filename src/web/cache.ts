import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

// Conditional GET for the public website (issue 15 point 10): a CDN or reverse proxy may keep a page a
// minute and must revalidate after; a takedown or a new version changes the ETag at once, because the
// ETag is a hash of the data the page shows (and the template version), not of a clock.

/** Bump when the public templates change, so cached copies of the old markup are not revalidated as current. */
export const SITE_TEMPLATE_VERSION = 1;
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60';

// The replies marked cacheable here: the web plugin's onSend keeps `no-store` for every other page.
const cacheable = new WeakSet<FastifyReply>();
/** Whether this reply was marked as a public, cacheable page (no personal data, no form token). */
export const isPublicCacheable = (reply: FastifyReply) => cacheable.has(reply) && !reply.hasHeader('set-cookie');

export interface Validators {
  etag: string;
  lastModified: Date;
}

/** The validators of a response showing `data` (anything JSON-serialisable) as of `lastModified`. */
export function validatorsOf(data: unknown, lastModified: Date): Validators {
  const hash = createHash('sha256')
    .update(JSON.stringify([SITE_TEMPLATE_VERSION, data]))
    .digest('base64url')
    .slice(0, 27);
  return { etag: `"${hash}"`, lastModified };
}

/** An HTTP date has whole seconds: Last-Modified is the instant rounded down. */
const toSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;

/** RFC 9110 §13.2.2: If-None-Match when present decides; otherwise If-Modified-Since. */
function stillFresh(req: FastifyRequest, v: Validators): boolean {
  const inm = req.headers['if-none-match'];
  if (typeof inm === 'string') {
    return inm
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === v.etag);
  }
  const ims = req.headers['if-modified-since'];
  if (typeof ims !== 'string') return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && toSecond(v.lastModified) <= since;
}

/**
 * Sets the cache headers; answers 304 (true) when the client's copy is still current, so the caller
 * sends nothing more. Only for responses that carry no personal data and no CSRF token.
 */
export function answerConditional(req: FastifyRequest, reply: FastifyReply, v: Validators): boolean {
  cacheable.add(reply);
  reply.header('cache-control', PUBLIC_CACHE_CONTROL);
  reply.header('etag', v.etag);
  reply.header('last-modified', new Date(toSecond(v.lastModified)).toUTCString());
  if (!stillFresh(req, v)) return false;
  void reply.code(304).send();
  return true;
}
