import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's own deadline, ms (e.g. a case action waits up to 30 s for its workflow update). */
    deadlineMs?: number;
  }
}

/**
 * Every request is answered by its deadline: if the handler has not replied by then (PostgreSQL or
 * Temporal stalled, a pool with no free connection), the client gets 503 with Retry-After instead
 * of a hang. The handler may still finish later; its reply is then dropped (and logged). A letter
 * stored that late is found again by its Idempotency-Key (the form sends one of its own), so a
 * writer who retries gets the same tracking number and access code, not a second letter.
 */
export function installRequestDeadline(app: FastifyInstance, defaultMs: number) {
  app.addHook('onRequest', async (request, reply) => {
    const ms = request.routeOptions.config?.deadlineMs ?? defaultMs;
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      request.log.warn({ ms, url: request.url }, 'request deadline passed: answering 503');
      reply.header('retry-after', '5');
      void reply.send(new AppError(503, 'timeout', '服务暂时繁忙，请稍后重试'));
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    reply.raw.once('finish', clear);
    reply.raw.once('close', clear);
  });
}
