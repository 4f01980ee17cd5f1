import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** How long /ready waits for each of PostgreSQL and Temporal: a stalled one is "down" after this. */
export const READY_CHECK_MS = 2_000;

/** True when the query answered within `ms`; a stalled server's query is left to finish on its own. */
function answersWithin(query: PromiseLike<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    query.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      // Bounded by its own checks (READY_CHECK_MS each, at once); its 503 has its own shape, not Error's.
      config: { access: 'public', deadlineMs: 4 * READY_CHECK_MS },
      schema: {
        tags: ['system'],
        summary: 'PostgreSQL and Temporal both answer (and, under `npm start`, the worker process is up)',
        response: {
          200: z.object({
            status: z.literal('ready'),
            postgres: z.literal('up'),
            temporal: z.literal('up'),
            worker: z.literal('up').optional(),
          }),
          503: z.object({
            status: z.literal('unavailable'),
            postgres: z.enum(['up', 'down']),
            temporal: z.enum(['up', 'down']),
            worker: z.enum(['up', 'down']).optional(),
          }),
        },
      },
    },
    async (_req, reply) => {
      const [pg, temporal] = await Promise.all([
        answersWithin(app.ctx.sql`select 1`, READY_CHECK_MS),
        // ping's own deadline does not cover a connection still being opened, so it is raced too.
        answersWithin(
          app.ctx.temporal.ping(READY_CHECK_MS).then((up) => (up ? up : Promise.reject(new Error('down')))),
          READY_CHECK_MS,
        ),
      ]);
      // Only reported where a worker process is watched (src/main.ts); the tests' apps have none.
      const worker = app.ctx.worker ? (app.ctx.worker.up() ? ('up' as const) : ('down' as const)) : undefined;
      if (pg && temporal && worker !== 'down')
        return { status: 'ready' as const, postgres: 'up' as const, temporal: 'up' as const, ...(worker && { worker }) };
      return reply.status(503).send({
        status: 'unavailable' as const,
        postgres: pg ? 'up' : 'down',
        temporal: temporal ? 'up' : 'down',
        ...(worker && { worker }),
      });
    },
  );
};
