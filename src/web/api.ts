import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokenOf } from '../auth/plugin.js';

export interface ApiError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: ApiError; retryAfter?: string };

/**
 * Calls the JSON API in-process as the person behind this page request (their session token as a
 * Bearer token, their address and request id), so a page goes through exactly the same
 * authorization, validation, workflow and audit path as an API client.
 */
export function injectAsViewer(app: FastifyInstance, req: FastifyRequest, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const token = tokenOf(req);
  return app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    // The viewer's address as the inner request's own socket address: with every TRUST_PROXY setting it is
    // then the address the API sees (an X-Forwarded-For header would be ignored where no proxy is trusted).
    remoteAddress: req.ip,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'x-request-id': req.id,
    },
  });
}

/** injectAsViewer with the JSON answer parsed into a result. */
export async function callApi<T>(
  app: FastifyInstance,
  req: FastifyRequest,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: unknown,
): Promise<ApiResult<T>> {
  const res = await injectAsViewer(app, req, method, url, payload);
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : null;
  } catch {
    body = null;
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode, data: body as T };
  const error = (body as { error?: ApiError } | null)?.error ?? { code: 'internal', message: '服务器内部错误，请稍后再试' };
  const retryAfter = res.headers['retry-after'];
  return { ok: false, status: res.statusCode, error, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
}

/** "body.writer.phone" → "writer.phone"; "body.departmentIds.0" → "departmentIds" (the form's field names). */
export function formFieldsOf(fields: Record<string, string> | undefined, listFields: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    let name = key.replace(/^(body|querystring|params)\./, '');
    const list = listFields.find((l) => name === l || name.startsWith(`${l}.`));
    if (list) name = list;
    out[name] ??= message;
  }
  return out;
}
