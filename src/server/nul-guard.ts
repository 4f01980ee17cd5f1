import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { hasNul, NUL_MESSAGE } from './schema-types.js';

const MAX_DEPTH = 20;

/** Dotted paths ("writer.name", "attachments.0.filename") of strings or keys holding a NUL. */
function nulPaths(value: unknown, path: string[] = [], out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (hasNul(value)) out.push(path.join('.'));
  } else if (value !== null && typeof value === 'object' && path.length < MAX_DEPTH && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) nulPaths(v, [...path, hasNul(k) ? k.replace(/\u0000/g, '\\0') : k], out);
  }
  return out;
}

/** The header names the route's schema declares: only those are read, so only those are checked. */
function declaredHeaders(req: FastifyRequest): string[] {
  const schema = req.routeOptions.schema?.headers as { shape?: Record<string, unknown> } | undefined;
  return schema?.shape ? Object.keys(schema.shape) : [];
}

/**
 * App-wide safety net: a NUL in any path segment, query parameter, parsed body field or declared
 * header answers 400 with a message on the field, before any schema or handler sees it. PostgreSQL
 * cannot store a NUL, so such input could never succeed; a route whose schema forgot it stays safe.
 * (Multipart bodies are read by their handler, which validates with the same schema helpers.)
 */
export function installNulGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const headers = Object.fromEntries(declaredHeaders(req).map((h) => [h, req.headers[h]]));
    const parts: [string, unknown][] = [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
      ['headers', headers],
    ];
    const fields: Record<string, string> = {};
    for (const [part, value] of parts) {
      for (const p of nulPaths(value)) fields[p ? `${part}.${p}` : part] = NUL_MESSAGE;
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError(400, 'validation_failed', '提交的内容含有空字符（U+0000），请删除后重试', fields);
    }
  });
}
