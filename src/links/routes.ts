import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { LINK_APPLICANTS, LINK_APPROVERS, LINK_READERS, LINK_REVIEWERS } from './rules.js';
import {
  linkApplicationBody,
  linkApplicationList,
  linkApplicationView,
  linkCheckList,
  linkCheckQuery,
  linkDecisionBody,
  linkIdParams,
  linkListQuery,
} from './schemas.js';
import { decideLinkApplication, getLinkApplication, listLinkApplications, submitLinkApplication } from './service/applications.js';
import { listLinkChecks } from './service/results.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
const tags = ['links'];
/** Who may decide: the office (review), the bureau leader (approval), the department (withdrawal of its approved link). */
const LINK_DECIDERS = [...LINK_REVIEWERS, ...LINK_APPROVERS, ...LINK_APPLICANTS] as const;

/** External links applied for, approved and watched (measures Arts. 24, 27(二); issue 21 points 2-4). */
export const linkRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };

  app.post(
    '/links/applications',
    {
      config: { access: LINK_APPLICANTS },
      schema: {
        tags,
        summary: 'A department submits a 外部链接审核表',
        body: linkApplicationBody,
        response: { 201: linkApplicationView, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await submitLinkApplication(deps, viewerOf(req), req.body)),
  );
  app.get(
    '/links/applications',
    {
      config: { access: LINK_READERS },
      schema: {
        tags,
        summary: 'The applications the caller may see, newest first',
        querystring: linkListQuery,
        response: { 200: linkApplicationList, ...errors },
      },
    },
    async (req) => listLinkApplications(deps, viewerOf(req), req.query),
  );
  app.get(
    '/links/applications/:id',
    {
      config: { access: LINK_READERS },
      schema: {
        tags,
        summary: 'One application with its decisions',
        params: linkIdParams,
        response: { 200: linkApplicationView, ...errors },
      },
    },
    async (req) => getLinkApplication(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/links/applications/:id/decision',
    {
      config: { access: LINK_DECIDERS },
      schema: {
        tags,
        summary: "The office's review, the bureau leader's approval, or the withdrawal of an approved link",
        params: linkIdParams,
        body: linkDecisionBody,
        response: { 200: linkApplicationView, ...errors },
      },
    },
    async (req) => decideLinkApplication(deps, viewerOf(req), req.params.id, req.body),
  );
  app.get(
    '/links/checks',
    {
      config: { access: LINK_READERS },
      schema: {
        tags,
        summary: "The link watcher's latest result per link",
        querystring: linkCheckQuery,
        response: { 200: linkCheckList, ...errors },
      },
    },
    async (req) =>
      listLinkChecks(deps, viewerOf(req), { broken: req.query.broken === undefined ? undefined : req.query.broken === 'true' }),
  );
  return Promise.resolve();
};
