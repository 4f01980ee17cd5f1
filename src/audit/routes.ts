import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUDIT_READERS } from '../auth/roles.js';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { auditEntry, auditQuery } from './schemas.js';
import { searchAudit } from './service.js';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: AUDIT_READERS },
      schema: {
        tags: ['audit'],
        summary: 'Search the append-only audit trail by record, person and time',
        querystring: auditQuery,
        response: { 200: z.array(auditEntry), 400: errorBody },
      },
    },
    async (req) => searchAudit({ db: app.ctx.db }, viewerOf(req), req.query),
  );
};
