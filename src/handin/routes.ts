import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { HANDIN_CONFIRMERS, HANDIN_OFFICE, HANDIN_READERS, parseQuarterKey } from './rules.js';
import { confirmationView, handInMatrixView, handInParams, handInView, quarterParams } from './schemas.js';
import { confirmHandIn, getHandIn, handInMatrix } from './service/hand-ins.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
const tags = ['handin'];
// The schema's pattern has checked the key.
const q = (key: string) => parseQuarterKey(key)!;

/** The quarterly hand-in of review forms (measures Art. 20(四)). */
export const handInRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };

  app.get(
    '/handin/:quarter',
    {
      config: { access: HANDIN_OFFICE },
      schema: {
        tags,
        summary: "The office's matrix: each department's hand-in state for a quarter",
        params: quarterParams,
        response: { 200: handInMatrixView, ...errors },
      },
    },
    async (req) => handInMatrix(deps, viewerOf(req), q(req.params.quarter)),
  );
  app.get(
    '/handin/:quarter/departments/:departmentId',
    {
      config: { access: HANDIN_READERS },
      schema: {
        tags,
        summary: "A department's forms of a quarter and its confirmation",
        params: handInParams,
        response: { 200: handInView, ...errors },
      },
    },
    async (req) => getHandIn(deps, viewerOf(req), req.params.departmentId, q(req.params.quarter)),
  );
  app.post(
    '/handin/:quarter/departments/:departmentId/confirm',
    {
      config: { access: HANDIN_CONFIRMERS },
      schema: {
        tags,
        summary: "The department leader confirms the quarter's hand-in",
        params: handInParams,
        response: { 201: confirmationView, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await confirmHandIn(deps, viewerOf(req), req.params.departmentId, q(req.params.quarter))),
  );
  return Promise.resolve();
};
