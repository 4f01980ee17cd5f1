import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DEPARTMENT_STAFF } from '../auth/roles.js';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { EVENT_ROLES, REQUEST_EVENT_ACTORS, REQUEST_INTAKE, REQUEST_READERS } from './rules.js';
import {
  applicantView,
  confirmBody,
  idempotencyHeaders,
  createdRequest,
  eventBody,
  lookupQuery,
  numberParams,
  requestBody,
  requestList,
  requestParams,
  routeBody,
  draftBody,
  staffEntryBody,
  staffRequestView,
  withdrawBody,
} from './schemas.js';
import { answerLetterView, deliveryBody } from './answer-schemas.js';
import { recordDelivery } from './service/delivery.js';
import { recordEvent } from './service/events.js';
import { answerLetterOf } from './service/letter.js';
import { REQUEST_CODE_WINDOW_MINUTES, WRONG_CODES_PER_REQUEST } from './service/lookup-guard.js';
import { confirmRequest, enterByStaff, submitOnline } from './service/intake.js';
import { draftAnswer, routeRequest, signAnswer } from './service/routing.js';
import { getRequest, listRequests, lookUpRequest, withdrawRequest } from './service/reads.js';

const tags = ['disclosure-requests'];
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

const EVENT_DESCRIPTION =
  'One clock event, checked against the clock on its day (`on`, default today in China time): 补正 (within 7 working days of ' +
  'receipt, all points at once, a period in working days; 条例 Art. 30), supplement received (the 20 working days start again), ' +
  'consultation opened/closed (third party or agency, 15 working days each; the time is not counted, Arts. 32–34), fee notice / ' +
  'paid (the clock stops until payment; 109号), extension (office head = role office; at most 20 working days in all and only ' +
  'before the deadline passes, else 409; Art. 33(2)), Art. 35 later answer date, conclusion with the outcome.';

/** Disclosure requests (依申请公开, issue 17): intake by channel, the statutory clocks, the applicant lookup. */
export const requestRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };

  app.post(
    '/disclosure-requests',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_LETTERS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'File a disclosure request online; the office then confirms it, which sets the receipt date (条例 Art. 31(三))',
        description:
          'Send an `Idempotency-Key` header to make retries safe, as for POST /api/letters: the same key with the same body answers ' +
          '200 with the same request (number and access code); the same key with a different body answers 422.',
        headers: idempotencyHeaders,
        body: requestBody,
        response: { 201: createdRequest, 200: createdRequest, 400: errorBody, 422: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const { replayed, ...created } = await submitOnline(deps, viewerOf(req), req.body, new Date(), {
        idempotencyKey: req.headers['idempotency-key'],
      });
      return reply.status(replayed ? 200 : 201).send(created);
    },
  );
  app.get(
    '/disclosure-requests/lookup',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_LOOKUPS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "The applicant's view: status, deadline and why it is what it is (a wrong code and an unknown number answer the same 404)",
        description: `At most ${WRONG_CODES_PER_REQUEST} wrong access codes per request number in ${REQUEST_CODE_WINDOW_MINUTES} minutes (from all addresses, shared with the withdrawal and the letter pages); after that 429 with Retry-After, even with the right code, until the window ends.`,
        querystring: lookupQuery,
        response: { 200: applicantView, 400: errorBody, 404: errorBody, 429: errorBody },
      },
    },
    async (req) => lookUpRequest(deps, req.query.number, req.query.accessCode),
  );
  app.post(
    '/disclosure-requests/:number/withdraw',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_LOOKUPS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The applicant withdraws the request (with the access code)',
        params: numberParams,
        body: withdrawBody,
        response: { 200: applicantView, 400: errorBody, 404: errorBody, 409: errorBody, 429: errorBody },
      },
    },
    async (req) => withdrawRequest(deps, viewerOf(req), req.params.number, req.body.accessCode),
  );
  app.post(
    '/disclosure-requests/staff-entry',
    {
      config: { access: REQUEST_INTAKE },
      schema: {
        tags,
        summary: 'The service centre or the office enters a request by post, in person, fax or e-mail (it cannot be refused at intake)',
        body: staffEntryBody,
        response: { 201: createdRequest, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await enterByStaff(deps, viewerOf(req), req.body)),
  );
  app.get(
    '/disclosure-requests',
    {
      config: { access: REQUEST_READERS },
      schema: { tags, summary: 'Requests, newest first, with the cached deadline', response: { 200: requestList, ...errors } },
    },
    async (req) => listRequests(deps, viewerOf(req)),
  );
  app.get(
    '/disclosure-requests/:id',
    {
      // Department staff: only the requests routed to their department (the service checks).
      config: { access: [...REQUEST_READERS, ...DEPARTMENT_STAFF] },
      schema: {
        tags,
        summary: 'A request with its events and the deadline explanation',
        params: requestParams,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => getRequest(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/disclosure-requests/:id/confirm',
    {
      config: { access: REQUEST_INTAKE },
      schema: {
        tags,
        summary: 'Confirm with the applicant: that day is the receipt date of an online, fax or unsigned posted request',
        params: requestParams,
        body: confirmBody,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => {
      await confirmRequest(deps, viewerOf(req), req.params.id, req.body);
      return getRequest(deps, viewerOf(req), req.params.id);
    },
  );
  app.post(
    '/disclosure-requests/:id/route',
    {
      config: { access: ['office'] },
      schema: {
        tags,
        summary: 'The general office routes the request to the department holding the information (批办)',
        params: requestParams,
        body: routeBody,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => routeRequest(deps, viewerOf(req), req.params.id, req.body.departmentId),
  );
  app.post(
    '/disclosure-requests/:id/draft',
    {
      config: { access: DEPARTMENT_STAFF },
      schema: {
        tags,
        summary: 'The holding department submits its draft answer (拟办)',
        params: requestParams,
        body: draftBody,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => draftAnswer(deps, viewerOf(req), req.params.id, req.body.draft),
  );
  app.post(
    '/disclosure-requests/:id/sign',
    {
      config: { access: ['office'] },
      schema: {
        tags,
        summary: 'The head of the disclosure office signs the answer (签发)',
        params: requestParams,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => signAnswer(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/disclosure-requests/:id/events',
    {
      config: { access: REQUEST_EVENT_ACTORS },
      schema: {
        tags,
        summary: 'Record a clock event (补正, supplement, consultation, fee, extension, Art. 35 date, conclusion)',
        description: EVENT_DESCRIPTION,
        params: requestParams,
        body: eventBody,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => recordEvent(deps, viewerOf(req), req.params.id, req.body),
  );
  app.get(
    '/disclosure-requests/:id/answer-letter',
    {
      // Department staff: only the requests routed to their department (the service checks).
      config: { access: [...REQUEST_READERS, ...DEPARTMENT_STAFF] },
      schema: {
        tags,
        summary: 'The answer letter (答复书 / 告知书) built from the record: the content model the HTML page and the PDF draw',
        description: 'Once concluded. 409 `letter_incomplete` with field messages when the conclusion lacks what the letter needs.',
        params: requestParams,
        response: { 200: answerLetterView, ...errors },
      },
    },
    async (req) => answerLetterOf(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/disclosure-requests/:id/delivery',
    {
      config: { access: EVENT_ROLES.delivered },
      schema: {
        tags,
        summary:
          'Record the delivery of the signed answer: posted (交邮日) or signed for (签收日); judged against the deadline on that day (235号)',
        params: requestParams,
        body: deliveryBody,
        response: { 200: staffRequestView, ...errors },
      },
    },
    async (req) => recordDelivery(deps, viewerOf(req), req.params.id, req.body),
  );
  return Promise.resolve();
};
