import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { INSPECTION_READERS } from './rules.js';
import { historyQuery, inspectionHistory, inspectionReport } from './schemas.js';
import { inspectionHistoryCsv, inspectionHistory as readHistory, latestInspection } from './service/index.js';

const tags = ['inspection'];
const config = { access: INSPECTION_READERS };

export const inspectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get(
    '/inspection/latest',
    {
      config,
      schema: { tags, summary: 'The national website indicators as of now (computed, not stored)', response: { 200: inspectionReport } },
    },
    async (req) => latestInspection({ db }, viewerOf(req)),
  );

  app.get(
    '/inspection/history',
    {
      config,
      schema: {
        tags,
        summary: 'The stored daily results between from and to (China dates, default the last 30 days)',
        querystring: historyQuery,
        response: { 200: inspectionHistory, 400: errorBody },
      },
    },
    async (req) => readHistory({ db }, viewerOf(req), req.query),
  );

  app.get(
    '/inspection/history.csv',
    {
      config,
      schema: {
        tags,
        summary: 'The stored daily results as CSV, one line per day and indicator',
        querystring: historyQuery,
        response: {
          200: { description: 'UTF-8 CSV with a BOM', content: { 'text/csv': { schema: z.string() } } },
          400: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { filename, csv } = await inspectionHistoryCsv({ db }, viewerOf(req), req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(csv);
    },
  );
};
