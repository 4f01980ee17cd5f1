import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { FINDING_RAISERS, FINDING_READERS, FINDING_REPORTERS } from './finding-rules.js';
import {
  findingBody,
  findingIdParams,
  findingList,
  findingListQuery,
  findingReportBody,
  findingReviewBody,
  findingView,
} from './finding-schemas.js';
import { INSPECTION_READERS } from './rules.js';
import { getFinding, listFindings, raiseFinding, reportFinding, reviewFinding } from './service/findings.js';
import { historyQuery, inspectionHistory, inspectionReport } from './schemas.js';
import { inspectionHistoryCsv, inspectionHistory as readHistory, latestInspection } from './service/index.js';

const tags = ['inspection'];
const config = { access: INSPECTION_READERS };

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export const inspectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };

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

  // Findings made tasks (measures Art. 27(三); issue 21 point 6).
  app.get(
    '/inspection/findings',
    {
      config: { access: FINDING_READERS },
      schema: {
        tags,
        summary: 'Inspection findings, newest first: all for the office and the service centre, its own for a department',
        querystring: findingListQuery,
        response: { 200: findingList, ...errors },
      },
    },
    async (req) => listFindings(deps, viewerOf(req), req.query),
  );
  app.post(
    '/inspection/findings',
    {
      config: { access: FINDING_RAISERS },
      schema: {
        tags,
        summary: 'Raise a finding: a format problem (the service centre, technical guidance) or content to take down (the office)',
        body: findingBody,
        response: { 201: findingView, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await raiseFinding(deps, viewerOf(req), req.body)),
  );
  app.get(
    '/inspection/findings/:id',
    {
      config: { access: FINDING_READERS },
      schema: { tags, summary: 'One finding', params: findingIdParams, response: { 200: findingView, ...errors } },
    },
    async (req) => getFinding(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/inspection/findings/:id/report',
    {
      config: { access: FINDING_REPORTERS },
      schema: {
        tags,
        summary: 'The department reports what it did (a content finding on an item: only once the item is off the site, else 409)',
        params: findingIdParams,
        body: findingReportBody,
        response: { 200: findingView, ...errors },
      },
    },
    async (req) => reportFinding(deps, viewerOf(req), req.params.id, req.body),
  );
  app.post(
    '/inspection/findings/:id/review',
    {
      config: { access: FINDING_RAISERS },
      schema: {
        tags,
        summary: 'The raiser accepts the report (closed) or returns it with a note (open again)',
        params: findingIdParams,
        body: findingReviewBody,
        response: { 200: findingView, ...errors },
      },
    },
    async (req) => reviewFinding(deps, viewerOf(req), req.params.id, req.body),
  );
};
