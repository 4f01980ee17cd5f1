import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CASE_ACTORS } from '../auth/roles.js';
import { viewerOf } from '../auth/viewer.js';
import { AppError, errorBody, notFound } from '../server/errors.js';
import { PUBLICATION_EDITORS } from './publication-rules.js';
import {
  editBody,
  publicationDraft,
  publicationParams,
  publishedLetter,
  publishedPage,
  publishedParams,
  publishedQuery,
  reportsPersonBody,
  reportsPersonResult,
  selectableList,
  selectBody,
  takeDownBody,
} from './publication-schemas.js';
import { lookupHeaders, lookupParams, trackingParams, writerView } from './schemas.js';
import { withdrawConsent } from './service/consent.js';
import { NOT_FOUND_MESSAGE } from './service/lookup.js';
import {
  approvePublication,
  confirmUnsure,
  editPublication,
  getPublicationForStaff,
  listSelectableLetters,
  markReportsPerson,
  selectForPublication,
  takeDownPublication,
} from './service/publication.js';
import { getPublished, listPublished } from './service/published.js';

const staffResponses = { 200: publicationDraft, 400: errorBody, 404: errorBody, 409: errorBody, 422: errorBody };
const office = { access: PUBLICATION_EDITORS };
const tags = ['publication'];

/** Publishing selected answers (issue 14, Art. 15(二)): the office's workflow and the public's reading. */
export const publicationRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };

  app.get(
    '/publications/candidates',
    {
      config: office,
      schema: { tags, summary: 'Answered, consented letters that are not reports and not yet selected', response: { 200: selectableList } },
    },
    async (req) => listSelectableLetters(deps, viewerOf(req)),
  );
  app.post(
    '/publications',
    {
      config: office,
      schema: {
        tags,
        summary: 'Select an answered letter for publication: makes the masked copy (a draft)',
        description: "Refused (409) for a letter not answered, without the writer's consent, or a report (举报).",
        body: selectBody,
        response: { ...staffResponses, 201: publicationDraft },
      },
    },
    async (req, reply) => reply.status(201).send(await selectForPublication(deps, viewerOf(req), req.body.trackingNo)),
  );
  app.get(
    '/publications/:id',
    {
      config: office,
      schema: {
        tags,
        summary: 'A publication with the original, the masked copy, spans and unsure flags',
        params: publicationParams,
        response: staffResponses,
      },
    },
    async (req) => getPublicationForStaff(deps, viewerOf(req), req.params.id),
  );
  app.patch(
    '/publications/:id',
    {
      config: office,
      schema: {
        tags,
        summary: 'Edit the masked texts of a draft by hand',
        params: publicationParams,
        body: editBody,
        response: staffResponses,
      },
    },
    async (req) => editPublication(deps, viewerOf(req), req.params.id, req.body),
  );
  app.post(
    '/publications/:id/confirm-unsure',
    {
      config: office,
      schema: {
        tags,
        summary: 'Confirm the places the masker was unsure about are fine as they are',
        params: publicationParams,
        response: staffResponses,
      },
    },
    async (req) => confirmUnsure(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/publications/:id/approve',
    {
      config: office,
      schema: {
        tags,
        summary: 'Approve and publish (the system stamps the time)',
        description: "A copy with unsure flags must first be edited or confirmed; a copy still containing the writer's details is refused.",
        params: publicationParams,
        response: staffResponses,
      },
    },
    async (req) => approvePublication(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/publications/:id/take-down',
    {
      config: office,
      schema: {
        tags,
        summary: 'Take a publication down with a reason',
        params: publicationParams,
        body: takeDownBody,
        response: staffResponses,
      },
    },
    async (req) => takeDownPublication(deps, viewerOf(req), req.params.id, req.body.reason),
  );
  app.post(
    '/cases/:trackingNo/reports-person',
    {
      config: { access: CASE_ACTORS },
      schema: {
        tags: ['cases'],
        summary: 'Mark a letter as reporting a person or business (举报): never published (投诉举报处理暂行办法 Art. 33)',
        params: trackingParams,
        body: reportsPersonBody,
        response: { 200: reportsPersonResult, 400: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => markReportsPerson(deps, viewerOf(req), req.params.trackingNo, req.body.reportsPerson),
  );

  app.post(
    '/letters/:trackingNo/withdraw-consent',
    {
      config: { access: 'public' },
      schema: {
        tags: ['mailbox'],
        summary: 'The writer withdraws consent to publication (needs the access code; throttled like the lookup)',
        params: lookupParams,
        headers: lookupHeaders,
        response: { 200: writerView, 400: errorBody, 404: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const outcome = await withdrawConsent(deps, viewerOf(req), req.params.trackingNo, req.headers['x-access-code']);
      if (outcome.kind === 'found') return outcome.view;
      if (outcome.kind === 'not_found') throw notFound(NOT_FOUND_MESSAGE);
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      throw new AppError(429, outcome.code, outcome.message);
    },
  );

  app.get(
    '/published-letters',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Published letters (masked), newest first; search, filter by type and department',
        description: "Pass the previous page's `nextBefore` as `before` for the next page (keyset: every page costs the same).",
        querystring: publishedQuery,
        response: { 200: publishedPage, 400: errorBody },
      },
    },
    async (req) => listPublished(deps, req.query),
  );
  app.get(
    '/published-letters/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One published letter: masked content and answer',
        params: publishedParams,
        response: { 200: publishedLetter, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => getPublished(deps, req.params.id),
  );
  return Promise.resolve();
};
