import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { DRAFTERS, PUBLISHERS, REVIEW_PARTICIPANTS, REVIEWERS, TAKEDOWN_ROLES } from './rules.js';
import {
  columnList,
  decisionBody,
  draftBody,
  formParams,
  itemDetail,
  itemParams,
  publishBody,
  reviewForm,
  reviewQueue as reviewQueueSchema,
  submitBody,
  takedownBody,
  versionBody,
} from './schemas.js';
import { listColumns } from './service/columns.js';
import { createDraft, getItem, saveVersion } from './service/items.js';
import { publishForm } from './service/publish.js';
import { getForm } from './service/records.js';
import { decideStep, reviewQueue, submitForReview, takeDownItem, withdrawForm } from './service/review.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const itemResponses = { 200: itemDetail, ...errors };
const formResponses = { 200: reviewForm, ...errors };
const tags = ['publishing'];

/** Publishing (measures Art. 20): columns, drafts and their versions, the 审核单 review chain, takedown. */
export const publishingRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };

  app.get(
    '/site/columns',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'The column tree (栏目), active columns in display order', response: { 200: columnList } },
    },
    async () => listColumns(deps),
  );
  app.post(
    '/site/items',
    {
      config: { access: DRAFTERS },
      schema: {
        tags,
        summary: "Draft an item in a column the drafter's department supplies (version 1)",
        body: draftBody,
        response: { ...itemResponses, 201: itemDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await createDraft(deps, viewerOf(req), req.body)),
  );
  app.get(
    '/site/items/:id',
    {
      config: { access: REVIEW_PARTICIPANTS },
      schema: { tags, summary: 'An item, its newest version and its review forms', params: itemParams, response: itemResponses },
    },
    async (req) => getItem(deps, viewerOf(req), req.params.id),
  );
  app.put(
    '/site/items/:id',
    {
      config: { access: DRAFTERS },
      schema: {
        tags,
        summary: 'Save a change: a new version; voids the review forms under way',
        params: itemParams,
        body: versionBody,
        response: itemResponses,
      },
    },
    async (req) => saveVersion(deps, viewerOf(req), req.params.id, req.body),
  );
  app.post(
    '/site/items/:id/submit',
    {
      config: { access: DRAFTERS },
      schema: {
        tags,
        summary: 'Submit the newest version with its review form (审核单): the Art. 19 confirmations and the secrecy conclusion',
        params: itemParams,
        body: submitBody,
        response: { ...formResponses, 201: reviewForm },
      },
    },
    async (req, reply) => reply.status(201).send(await submitForReview(deps, viewerOf(req), req.params.id, req.body)),
  );
  app.post(
    '/site/items/:id/take-down',
    {
      config: { access: TAKEDOWN_ROLES },
      schema: {
        tags,
        summary: 'Take a published item down with a reason (Art. 27(三)); its URL then answers 410',
        params: itemParams,
        body: takedownBody,
        response: itemResponses,
      },
    },
    async (req) => {
      await takeDownItem(deps, viewerOf(req), req.params.id, req.body.reason);
      return getItem(deps, viewerOf(req), req.params.id);
    },
  );
  app.get(
    '/review-forms',
    {
      config: { access: REVIEW_PARTICIPANTS },
      schema: {
        tags,
        summary: 'Review forms waiting for the caller: a step they decide, or an approved item they publish',
        response: { 200: reviewQueueSchema },
      },
    },
    async (req) => reviewQueue(deps, viewerOf(req)),
  );
  app.get(
    '/review-forms/:id',
    {
      config: { access: REVIEW_PARTICIPANTS },
      schema: { tags, summary: 'A review form with its decisions and signatures', params: formParams, response: formResponses },
    },
    async (req) => getForm(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/review-forms/:id/decision',
    {
      config: { access: REVIEWERS },
      schema: {
        tags,
        summary:
          'Decide the current step: approve (with the secrecy review at the department leader), return with comments, or reject (news)',
        params: formParams,
        body: decisionBody,
        response: formResponses,
      },
    },
    async (req) => decideStep(deps, viewerOf(req), req.params.id, req.body),
  );
  app.post(
    '/review-forms/:id/publish',
    {
      config: { access: PUBLISHERS },
      schema: {
        tags,
        summary: 'Publish an approved item now, or at a later time (the publication time is stamped by the system)',
        params: formParams,
        body: publishBody,
        response: formResponses,
      },
    },
    async (req) => publishForm(deps, viewerOf(req), req.params.id, req.body),
  );
  app.post(
    '/review-forms/:id/withdraw',
    {
      config: { access: DRAFTERS },
      schema: { tags, summary: 'The drafter withdraws a form before publication', params: formParams, response: formResponses },
    },
    async (req) => withdrawForm(deps, viewerOf(req), req.params.id),
  );
  return Promise.resolve();
};
