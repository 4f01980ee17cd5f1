import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { z } from 'zod';
import { ARCHIVE_SENDERS, BUREAU_WIDE_READERS, CATALOGUERS, DECIDERS, REGISTER_READERS, REGISTRARS } from './rules.js';
import {
  changeBody,
  deliveryBody,
  deliveryList,
  deliveryResult,
  periodQuery,
  decisionBody,
  documentBody,
  documentList,
  documentListQuery,
  documentParams,
  documentView,
  entryBody,
  entryList,
  entryParams,
  entryView,
  supervisionExport,
  supervisionQuery,
  timelinessQuery,
  timelinessView,
} from './schemas.js';
import { archivePackage, listDeliveries, recordDelivery } from './service/archives.js';
import { listCatalogueTasks, publishCatalogueEntry } from './service/catalogue.js';
import { decideDisclosure } from './service/decisions.js';
import { changeDocument, getDocument, listDocuments, registerDocument } from './service/documents.js';
import { supervisionEntries } from './service/supervision.js';
import { catalogueTimeliness } from './service/timeliness.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const documentResponses = { 200: documentView, ...errors };
const tags = ['disclosure'];

/** Government information disclosure, part 1 (issue 16): the register, the office's decision, the catalogue. */
export const disclosureRoutes: FastifyPluginAsyncZod = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };

  app.post(
    '/disclosure/documents',
    {
      config: { access: REGISTRARS },
      schema: {
        tags,
        summary: 'Enter a document in the register (its department, or the general office)',
        body: documentBody,
        response: { ...documentResponses, 201: documentView },
      },
    },
    async (req, reply) => reply.status(201).send(await registerDocument(deps, viewerOf(req), req.body)),
  );
  app.get(
    '/disclosure/documents',
    {
      config: { access: REGISTER_READERS },
      schema: {
        tags,
        summary: 'The register, newest first (a department sees its own)',
        querystring: documentListQuery,
        response: { 200: documentList, ...errors },
      },
    },
    async (req) => listDocuments(deps, viewerOf(req), req.query.limit),
  );
  app.get(
    '/disclosure/documents/:id',
    {
      config: { access: REGISTER_READERS },
      schema: { tags, summary: 'A document with its decisions and catalogue rounds', params: documentParams, response: documentResponses },
    },
    async (req) => getDocument(deps, viewerOf(req), req.params.id),
  );
  app.post(
    '/disclosure/documents/:id/changes',
    {
      config: { access: REGISTRARS },
      schema: {
        tags,
        summary: 'Record a change (new version, amended, repealed, expired); a 主动公开 document gets a new 20-working-day round',
        params: documentParams,
        body: changeBody,
        response: documentResponses,
      },
    },
    async (req) => changeDocument(deps, viewerOf(req), req.params.id, req.body),
  );
  app.post(
    '/disclosure/documents/:id/decision',
    {
      config: { access: DECIDERS },
      schema: {
        tags,
        summary: "The general office's disclosure decision (measures Art. 30), recorded with who and when",
        params: documentParams,
        body: decisionBody,
        response: documentResponses,
      },
    },
    async (req) => decideDisclosure(deps, viewerOf(req), req.params.id, req.body),
  );
  app.get(
    '/disclosure/catalogue-tasks',
    {
      config: { access: [...CATALOGUERS, ...DECIDERS] },
      schema: { tags, summary: 'Open catalogue rounds, the earliest due first', response: { 200: entryList, ...errors } },
    },
    async (req) => listCatalogueTasks(deps, viewerOf(req)),
  );
  app.post(
    '/disclosure/catalogue-entries/:id/publish',
    {
      config: { access: CATALOGUERS },
      schema: {
        tags,
        summary: 'The service centre completes and publishes a catalogue entry; the system stamps the time and the 索引号',
        params: entryParams,
        body: entryBody,
        response: { 200: entryView, ...errors },
      },
    },
    async (req) => publishCatalogueEntry(deps, viewerOf(req), req.params.id, req.body),
  );
  app.get(
    '/disclosure/timeliness',
    {
      config: { access: BUREAU_WIDE_READERS },
      schema: {
        tags,
        summary: 'On-time share of proactive disclosure per department, for the rounds due in a year',
        querystring: timelinessQuery,
        response: { 200: timelinessView, ...errors },
      },
    },
    async (req) => catalogueTimeliness(deps, viewerOf(req), req.query.year),
  );
  app.get(
    '/disclosure/supervision/v1/entries',
    {
      // Not a staff route: the provincial collector's bearer token (SUPERVISION_EXPORT_TOKEN), checked by the service.
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "Catalogue rounds and their timeliness for the province's electronic supervision system (format v1, docs/supervision-export.md)",
        querystring: supervisionQuery,
        response: { 200: supervisionExport, 400: errorBody, 401: errorBody, 503: errorBody },
      },
    },
    async (req) => supervisionEntries(deps, req.headers.authorization, req.query),
  );
  app.get(
    '/disclosure/archive-package',
    {
      config: { access: ARCHIVE_SENDERS },
      schema: {
        tags,
        summary:
          'The package for the two reading rooms (两馆) of the entries published in a period: 目录.csv, 目录.pdf, 移交清单.pdf and the electronic texts as published (正文/<索引号>-<round>.<ext>, named in the CSV) in one ZIP, streamed',
        querystring: periodQuery,
        response: {
          200: { description: 'The ZIP', content: { 'application/zip': { schema: z.any().meta({ type: 'string', format: 'binary' }) } } },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { filename, stream } = archivePackage(deps, viewerOf(req), req.query);
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${filename}"`).send(stream);
    },
  );
  app.get(
    '/disclosure/archive-deliveries',
    {
      config: { access: ARCHIVE_SENDERS },
      schema: {
        tags,
        summary: 'Deliveries to the two reading rooms and what is not yet delivered to each',
        response: { 200: deliveryList, ...errors },
      },
    },
    async (req) => listDeliveries(deps, viewerOf(req)),
  );
  app.post(
    '/disclosure/archive-deliveries',
    {
      config: { access: ARCHIVE_SENDERS },
      schema: {
        tags,
        summary: 'Record a delivery to a reading room: the period, paper and/or electronic, the day',
        body: deliveryBody,
        response: { 201: deliveryResult, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await recordDelivery(deps, viewerOf(req), req.body)),
  );
  return Promise.resolve();
};
