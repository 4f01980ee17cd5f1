import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { CASE_VIEWERS } from '../auth/roles.js';
import { viewerOf } from '../auth/viewer.js';
import { BodyBudget } from '../server/body-budget.js';
import { AppError, errorBody, notFound } from '../server/errors.js';
import { ACTION_ROLES, type CaseAction, type CaseActionKind } from './case-rules.js';
import { LETTER_JSON_BODY_LIMIT, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TOTAL_ATTACHMENT_BYTES } from './attachments.js';
import { CONVENIENCE_ITEM_PERMISSIONS, REJECT_REASONS, TRANSFER_REASONS } from './rules.js';
import {
  actionBodies,
  attachmentParams,
  attachmentTypes,
  caseDetail,
  caseListQuery,
  casePage,
  convenienceItem,
  convenienceItemChanges,
  convenienceItemList,
  convenienceItemParams,
  createdLetter,
  fileContent,
  idempotencyHeaders,
  letterBody,
  lookupHeaders,
  lookupParams,
  newConvenienceItem,
  reasonCodes,
  statisticsQuery,
  statisticsReport,
  trackingParams,
  writerView,
} from './schemas.js';
import { CASE_ACTION_DEADLINE_MS, takeCaseAction } from './service/case-actions.js';
import { attachmentDownload, getCase, listCases } from './service/case-reads.js';
import { activeConvenienceItems, addConvenienceItem, listConvenienceItems, updateConvenienceItem } from './service/convenience-items.js';
import { submitLetter } from './service/intake.js';
import { lookUpLetter, NOT_FOUND_MESSAGE, NUMBER_WINDOW_MINUTES, WRONG_CODES_PER_NUMBER } from './service/lookup.js';
import { mailboxStatistics } from './service/statistics.js';

const LETTER_DESCRIPTION =
  'Returns a tracking number and an access code (shown once). Send an `Idempotency-Key` header to make retries safe: ' +
  'a retry of the same letter answers 200 with the first result; the key reused for a different letter is a 422. ' +
  `At most ${MAX_ATTACHMENTS} attachments (JPG, PNG or PDF, checked by content), each at most ${MAX_ATTACHMENT_BYTES / 1048576} MiB, ` +
  `together at most ${MAX_TOTAL_ATTACHMENT_BYTES / 1048576} MiB; a larger body is a 413. While other large letters are being received, ` +
  'one that does not fit the memory set aside for them answers 503 with Retry-After: send it again then (with the same Idempotency-Key).';

const lookupDescription = (perMinute: number) =>
  `A wrong code and an unknown number answer the same 404. Guessing is limited in PostgreSQL (shared by every API process): ` +
  `${perMinute} look-ups a minute per client address (\`RATE_LOOKUPS_PER_MINUTE\`), counted together with the form page \`POST /lookup\`; ` +
  `and ${WRONG_CODES_PER_NUMBER} wrong codes per tracking number from all addresses together, after which that number answers 429 ` +
  `with Retry-After for the rest of a ${NUMBER_WINDOW_MINUTES}-minute window (from its first wrong code), ` +
  'even with the right code. ' +
  'Unknown numbers are counted the same way, so the limit does not tell whether a number exists.';

const CASES_DESCRIPTION =
  "Pages follow the list order (due time, then id). Pass the previous page's `nextCursor` as `after` to get the next page; " +
  '`nextCursor` is null on the last page. Every page costs the same however deep it is. `offset` is kept for older clients ' +
  '(deprecated: its cost grows with the offset) and cannot be combined with `after`.';

const STATISTICS_DESCRIPTION =
  'Per department (the department holding the letter; for answers, ratings and publications the answering department) and for ' +
  'the bureau, counted from the record at each request. `year` defaults to the current year (China time); a period still ' +
  'running ends today, one not yet begun is a 400. A department with fewer than 5 letters received in the period shows its ' +
  'counts and null rates. What each figure counts: README, *Public statistics*.';

const actionResponses = { 200: caseDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody, 503: errorBody };

// Registering routes awaits nothing: the plugin answers a resolved promise (fastify's async plugin form).
export const mailboxRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env };

  app.get(
    '/convenience-items',
    {
      config: { access: 'public' },
      schema: {
        tags: ['mailbox'],
        summary: '便民服务事项清单 (complaints about these have a 3-working-day limit)',
        response: { 200: convenienceItemList },
      },
    },
    async () => activeConvenienceItems(deps),
  );

  app.get(
    '/mailbox/reason-codes',
    {
      config: { access: 'public' },
      schema: { tags: ['mailbox'], summary: 'The fixed lists of transfer and rejection reasons', response: { 200: reasonCodes } },
    },
    () => Promise.resolve({ transfer: TRANSFER_REASONS, reject: REJECT_REASONS }),
  );

  app.get(
    '/mailbox/statistics',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_STATISTICS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags: ['mailbox'],
        summary: 'Public handling statistics of a month, or without `month` of the year to date (China dates)',
        description: STATISTICS_DESCRIPTION,
        querystring: statisticsQuery,
        response: { 200: statisticsReport, 400: errorBody, 429: errorBody },
      },
    },
    async (req) => mailboxStatistics(deps, viewerOf(req), req.query),
  );

  const letterBodies = new BodyBudget(env.INTAKE_BODY_BUDGET_MB * 1024 * 1024);
  app.post(
    '/letters',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_LETTERS_PER_MINUTE, timeWindow: '1 minute' } },
      bodyLimit: LETTER_JSON_BODY_LIMIT,
      onRequest: letterBodies.admit,
      schema: {
        tags: ['mailbox'],
        summary: "Write to the director's mailbox",
        description: LETTER_DESCRIPTION,
        headers: idempotencyHeaders,
        body: letterBody,
        response: {
          201: createdLetter,
          200: createdLetter,
          400: errorBody,
          413: errorBody,
          422: errorBody,
          429: errorBody,
          503: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { letter, replayed } = await submitLetter(deps, viewerOf(req), req.body, { idempotencyKey: req.headers['idempotency-key'] });
      return reply.status(replayed ? 200 : 201).send(letter);
    },
  );

  app.get(
    '/letters/:trackingNo',
    {
      config: { access: 'public' },
      schema: {
        tags: ['mailbox'],
        summary: "The writer's view of a letter (needs the access code)",
        description: lookupDescription(env.RATE_LOOKUPS_PER_MINUTE),
        params: lookupParams,
        headers: lookupHeaders,
        response: { 200: writerView, 400: errorBody, 404: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const outcome = await lookUpLetter(deps, viewerOf(req), req.params.trackingNo, req.headers['x-access-code']);
      if (outcome.kind === 'found') return outcome.view;
      if (outcome.kind === 'not_found') throw notFound(NOT_FOUND_MESSAGE);
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      throw new AppError(429, outcome.code, outcome.message);
    },
  );

  app.get(
    '/cases',
    {
      config: { access: CASE_VIEWERS },
      schema: {
        tags: ['cases'],
        summary: 'Cases visible to the caller, ordered by due time',
        description: CASES_DESCRIPTION,
        querystring: caseListQuery,
        response: { 200: casePage, 400: errorBody },
      },
    },
    async (req) => listCases(deps, viewerOf(req), req.query),
  );

  app.get(
    '/cases/:trackingNo',
    {
      config: { access: CASE_VIEWERS },
      schema: {
        tags: ['cases'],
        summary: 'A case with personal data, timeline and deadline explanation',
        params: trackingParams,
        response: { 200: caseDetail, 404: errorBody },
      },
    },
    async (req) => getCase(deps, viewerOf(req), req.params.trackingNo),
  );

  app.get(
    '/cases/:trackingNo/attachments/:id',
    {
      config: { access: CASE_VIEWERS },
      schema: {
        tags: ['cases'],
        summary: 'Download an attachment of a case the caller may see (its type was checked by content at intake)',
        params: attachmentParams,
        response: {
          200: { description: 'The file', content: Object.fromEntries(attachmentTypes.map((t) => [t, { schema: fileContent }])) },
          404: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { file, pieces } = await attachmentDownload(deps, viewerOf(req), req.params.trackingNo, req.params.id);
      return reply
        .type(file.mimeType)
        .header('content-length', String(file.size))
        .header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(pieces));
    },
  );

  /** One case action: only the roles that may ever take it get past the auth hook (ACTION_ROLES); the rest get 403. */
  const actionRoute = <K extends keyof typeof actionBodies, A extends CaseActionKind>(
    path: K,
    kind: A,
    summary: string,
    toAction: (body: z.infer<(typeof actionBodies)[K]>) => Extract<CaseAction, { kind: A }>,
  ) => {
    app.post(
      `/cases/:trackingNo/${path}`,
      {
        config: { access: ACTION_ROLES[kind], deadlineMs: CASE_ACTION_DEADLINE_MS },
        schema: { tags: ['cases'], summary, params: trackingParams, body: actionBodies[path], response: actionResponses },
      },
      async (req) => takeCaseAction({ ...deps, temporal, log: req.log }, viewerOf(req), req.params.trackingNo, toAction(req.body as never)),
    );
  };
  actionRoute('answer', 'answer', 'Answer the letter (the handling department); closes it', (b) => ({ kind: 'answer', ...b }));
  actionRoute('transfer', 'transfer', 'Transfer to the responsible department with a reason', (b) => ({ kind: 'transfer', ...b }));
  actionRoute('dispute', 'dispute', 'Object to a transfer: the general office decides', (b) => ({ kind: 'dispute', ...b }));
  actionRoute('escalate', 'escalate', 'Needs several departments: the general office decides', (b) => ({ kind: 'escalate', ...b }));
  actionRoute('arbitrate', 'arbitrate', 'General office: decide the lead and assisting departments', (b) => ({ kind: 'arbitrate', ...b }));
  actionRoute('opinions', 'opinion', "An assisting department's opinion for the lead department", (b) => ({ kind: 'opinion', ...b }));
  actionRoute('reclassify', 'reclassify', 'Change the letter type; the deadline is recomputed from the receipt', (b) => ({
    kind: 'reclassify',
    ...b,
  }));
  actionRoute('reject', 'reject', 'Not accepted: a department requests it, the general office confirms', (b) => ({ kind: 'reject', ...b }));

  app.get(
    '/admin/convenience-items',
    {
      config: { access: CONVENIENCE_ITEM_PERMISSIONS['list-all'] },
      schema: { tags: ['mailbox'], summary: 'All convenience-list items, deactivated ones too', response: { 200: convenienceItemList } },
    },
    async (req) => listConvenienceItems(deps, viewerOf(req)),
  );

  app.post(
    '/admin/convenience-items',
    {
      config: { access: CONVENIENCE_ITEM_PERMISSIONS.administer },
      schema: {
        tags: ['mailbox'],
        summary: 'Add a convenience-list item',
        body: newConvenienceItem,
        response: { 201: convenienceItem, 400: errorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await addConvenienceItem(deps, viewerOf(req), req.body)),
  );

  app.patch(
    '/admin/convenience-items/:id',
    {
      config: { access: CONVENIENCE_ITEM_PERMISSIONS.administer },
      schema: {
        tags: ['mailbox'],
        summary: 'Rename, move, deactivate or reactivate a convenience-list item',
        description:
          'Letters filed under the item keep it and the name it had then. A deactivated item leaves the public form and ' +
          'is refused at intake. Every change has an audit row (`GET /api/audit?recordType=convenience_item&recordId=<id>`).',
        params: convenienceItemParams,
        body: convenienceItemChanges,
        response: { 200: convenienceItem, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => updateConvenienceItem(deps, viewerOf(req), req.params.id, req.body),
  );
  return Promise.resolve();
};
