import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDatabaseUnreachable } from '../db/client.js';

/** The one error shape every endpoint answers with. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    /** Headers the answer carries, e.g. Retry-After of a 429 thrown by a service. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) => new AppError(400, 'bad_request', message, fields);
export const unauthorized = (message = '请先登录') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'forbidden', message);
export const notFound = (message = '未找到') => new AppError(404, 'not_found', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);

/** "body.writer.phone" style keys, so a form can put each message next to its field. */
function fieldKey(context: string | undefined, instancePath: string) {
  const rest = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return [context, rest].filter(Boolean).join('.') || (context ?? 'request');
}

/** Fastify's own 4xx answers that get a code and message of their own (any other 4xx is a bad request). */
const FRAMEWORK_ERRORS: Record<number, { code: string; message: string }> = {
  429: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' },
  413: { code: 'payload_too_large', message: '提交的内容过大' },
  415: { code: 'unsupported_media_type', message: '不支持的内容类型' },
};

/** PostgreSQL down or restarting is the service being unavailable (503, try again), not a fault (500). */
export function asUnavailable(err: unknown): AppError | undefined {
  return isDatabaseUnreachable(err)
    ? new AppError(503, 'unavailable', '服务暂时不可用，请稍后重试', undefined, { 'retry-after': '5' })
    : undefined;
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    const unavailable = asUnavailable(thrown);
    if (unavailable) request.log.warn({ err: thrown }, 'PostgreSQL unreachable: answering 503');
    const err = unavailable ?? thrown;
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, fields: err.fields } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, string> = {};
      for (const v of err.validation) {
        const key = fieldKey(err.validationContext, v.instancePath);
        fields[key] ??= v.message ?? '无效';
      }
      return reply.status(400).send({ error: { code: 'validation_failed', message: '提交的内容有误，请检查标注的字段', fields } });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      // Fastify's own 4xx (malformed JSON, body too large, unsupported media type, rate limit…).
      const { code, message } = FRAMEWORK_ERRORS[status] ?? { code: 'bad_request', message: '请求格式不正确' };
      return reply.status(status).send({ error: { code, message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `未找到 ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
