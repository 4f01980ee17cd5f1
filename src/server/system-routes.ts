import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { tags: ['system'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'PostgreSQL and Temporal both answer (and, under `npm start`, the worker process is up)',
        response: {
          200: z.object({ status: z.literal('ready'), postgres: z.literal('up'), temporal: z.literal('up'), worker: z.literal('up').optional() }),
          503: z.object({ status: z.literal('unavailable'), postgres: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']), worker: z.enum(['up', 'down']).optional() }),
        },
      },
    },
    async (_req, reply) => {
      const [pg, temporal] = await Promise.all([
        app.ctx.sql`select 1`.then(() => true, () => false),
        app.ctx.temporal.ping(),
      ]);
      // Only reported where a worker process is watched (src/main.ts); the tests' apps have none.
      const worker = app.ctx.worker ? (app.ctx.worker.up() ? ('up' as const) : ('down' as const)) : undefined;
      if (pg && temporal && worker !== 'down') return { status: 'ready' as const, postgres: 'up' as const, temporal: 'up' as const, ...(worker && { worker }) };
      return reply.status(503).send({ status: 'unavailable' as const, postgres: pg ? 'up' : 'down', temporal: temporal ? 'up' : 'down', ...(worker && { worker }) });
    },
  );
};
