import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const csrfFailure = () => Object.assign(new Error('Invalid csrf token'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 });

/**
 * A multipart form's CSRF token is its first part (the form puts the hidden field first): read and
 * checked with the plugin's own check before any file is read, so a forged upload stores nothing.
 */
export async function checkMultipartCsrf(
  app: FastifyInstance,
  req: FastifyRequest,
  parts: AsyncIterator<{ type: string; fieldname: string }>,
) {
  const first = await parts.next();
  const part = first.value as { type: string; fieldname: string; value?: unknown } | undefined;
  if (first.done || part?.type !== 'field' || part.fieldname !== '_csrf') throw csrfFailure();
  (req as { body: unknown }).body = { _csrf: String(part.value) };
  await new Promise<void>((resolve, reject) => {
    const reply = { send: (err: Error) => reject(err) } as unknown as FastifyReply;
    app.csrfProtection(req, reply, () => resolve());
  });
}
