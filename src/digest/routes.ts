import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { digestDateParams, digestRow, digestRunResult } from './schemas.js';
import { DIGEST_PERMISSIONS, listDigests, runDigests } from './service.js';

const tags = ['digests'];

export const digestRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, temporal } = app.ctx;

  app.get(
    '/digests/:date',
    {
      config: { access: DIGEST_PERMISSIONS.read },
      schema: {
        tags,
        summary: "A day's digests: all for the service centre and the general office, a department its own",
        params: digestDateParams,
        response: { 200: z.array(digestRow), 400: errorBody },
      },
    },
    async (req) => listDigests({ db }, viewerOf(req), req.params.date),
  );

  app.post(
    '/digests/:date/run',
    {
      config: { access: DIGEST_PERMISSIONS.run },
      schema: {
        tags,
        summary: "Rebuild a day's digests now (replaces that day's digests; e-mails already sent are not sent again)",
        params: digestDateParams,
        response: { 200: digestRunResult, 400: errorBody, 503: errorBody },
      },
    },
    async (req) => runDigests({ db, temporal, log: req.log }, viewerOf(req), req.params.date),
  );
};
