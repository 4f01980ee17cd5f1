import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { viewerOf } from '../auth/viewer.js';
import { AppError, errorBody, notFound } from '../server/errors.js';
import { DISSATISFACTION_DECIDERS } from './rating-rules.js';
import { closeDissatisfiedBody, dissatisfiedList, ratingBody, reopenBody } from './rating-schemas.js';
import { caseDetail, lookupHeaders, lookupParams, trackingParams, writerView } from './schemas.js';
import { NOT_FOUND_MESSAGE } from './service/lookup.js';
import { rateLetter } from './service/rating.js';
import { closeDissatisfied, listDissatisfied, reopenLetter } from './service/reopen.js';

const office = { access: DISSATISFACTION_DECIDERS };
const decisionResponses = { 200: caseDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** The writer's satisfaction rating and the general office's reopening or closing (issue 14 points 6-7). */
export const ratingRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env };

  app.post(
    '/letters/:trackingNo/rating',
    {
      config: { access: 'public' },
      schema: {
        tags: ['mailbox'],
        summary: 'The writer rates the answer: 满意 / 基本满意 / 不满意 (needs the access code; throttled like the lookup)',
        description:
          `Once per answer round, until the end of the \`RATING_WINDOW_WORKING_DAYS\`-th working day after the answer ` +
          `(${env.RATING_WINDOW_WORKING_DAYS} here). A letter not answered, an answer already rated or a window that has ended ` +
          "answer 409. 不满意 puts the letter in the general office's queue.",
        params: lookupParams,
        headers: lookupHeaders,
        body: ratingBody,
        response: { 200: writerView, 400: errorBody, 404: errorBody, 409: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const credential = { accessCode: req.headers['x-access-code'] };
      const outcome = await rateLetter(deps, viewerOf(req), req.params.trackingNo, credential, req.body);
      if (outcome.kind === 'found') return outcome.view;
      if (outcome.kind === 'not_found') throw notFound(NOT_FOUND_MESSAGE);
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      throw new AppError(429, outcome.code, outcome.message);
    },
  );

  app.get(
    '/dissatisfied-letters',
    {
      config: office,
      schema: {
        tags: ['cases'],
        summary: "The general office's queue: answers rated 不满意 and not yet reopened or closed, oldest first",
        response: { 200: dissatisfiedList },
      },
    },
    async (req) => listDissatisfied(deps, viewerOf(req)),
  );

  app.post(
    '/cases/:trackingNo/reopen',
    {
      config: office,
      schema: {
        tags: ['cases'],
        summary: 'General office: reopen a 不满意 letter to a department, with a new deadline from now under its type',
        params: trackingParams,
        body: reopenBody,
        response: decisionResponses,
      },
    },
    async (req) => reopenLetter({ ...deps, temporal, log: req.log }, viewerOf(req), req.params.trackingNo, req.body),
  );

  app.post(
    '/cases/:trackingNo/close-dissatisfied',
    {
      config: office,
      schema: {
        tags: ['cases'],
        summary: 'General office: close a 不满意 letter with an explanation the writer sees',
        params: trackingParams,
        body: closeDissatisfiedBody,
        response: decisionResponses,
      },
    },
    async (req) => closeDissatisfied(deps, viewerOf(req), req.params.trackingNo, req.body),
  );
  return Promise.resolve();
};
