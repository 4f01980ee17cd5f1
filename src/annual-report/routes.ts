import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { REPORT_EDITORS, REPORT_READERS } from './rules.js';
import {
  cellParams,
  cellQuery,
  cellView,
  figureBody,
  remedyBody,
  reportView,
  textsBody,
  websiteFiguresView,
  yearParams,
} from './schemas.js';
import { websiteFigures } from './service/website-figures.js';
import { publishReport } from './service/publish.js';
import { addRemedyCase, approveReport, cellRequests, getReport, saveTexts, setFigure } from './service/report.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const tags = ['annual-report'];

/** The annual disclosure report (issue 18; 条例 Arts. 49–50; 国办公开办函〔2021〕30号). */
export const annualReportRoutes: FastifyPluginAsyncZod = (app) => {
  const deps = { db: app.ctx.db, calendar: app.ctx.calendar };

  app.get(
    '/annual-reports/:year',
    {
      config: { access: REPORT_READERS },
      schema: {
        tags,
        summary: 'The report on a year: tables 二, 三, 四 as reported, the checks, the texts, correction notes once frozen',
        params: yearParams,
        response: { 200: reportView, ...errors },
      },
    },
    async (req) => getReport(deps, viewerOf(req), req.params.year),
  );
  app.get(
    '/annual-reports/:year/cells/:cell',
    {
      config: { access: REPORT_READERS },
      schema: {
        tags,
        summary: 'The requests behind one cell of table 三, 200 a page (?page=)',
        params: cellParams,
        querystring: cellQuery,
        response: { 200: cellView, ...errors },
      },
    },
    async (req) => cellRequests(deps, viewerOf(req), req.params.year, req.params.cell, new Date(), req.query.page ?? 1),
  );
  app.put(
    '/annual-reports/:year/figures',
    {
      config: { access: REPORT_EDITORS },
      schema: {
        tags,
        summary: 'The office enters a hand figure of table 二 or corrects a cell of table 三, with its source (null removes it)',
        params: yearParams,
        body: figureBody,
        response: { 200: reportView, ...errors },
      },
    },
    async (req) => setFigure(deps, viewerOf(req), req.params.year, req.body),
  );
  app.put(
    '/annual-reports/:year/texts',
    {
      config: { access: REPORT_EDITORS },
      schema: {
        tags,
        summary: 'The office saves sections 一, 五, 六 and its internal deadline',
        params: yearParams,
        body: textsBody,
        response: { 200: reportView, ...errors },
      },
    },
    async (req) => saveTexts(deps, viewerOf(req), req.params.year, req.body),
  );
  app.post(
    '/annual-reports/remedies',
    {
      config: { access: REPORT_EDITORS },
      schema: {
        tags,
        summary: 'The office records a 行政复议 or 行政诉讼 over a request (table 四)',
        body: remedyBody,
        response: { 201: z.object({ id: z.number().int() }), ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await addRemedyCase(deps, viewerOf(req), req.body)),
  );
  app.post(
    '/annual-reports/:year/approve',
    {
      config: { access: REPORT_EDITORS },
      schema: {
        tags,
        summary: 'The office head approves: every check must pass; the figures and texts are frozen',
        params: yearParams,
        response: { 200: reportView, ...errors },
      },
    },
    async (req) => approveReport(deps, viewerOf(req), req.params.year),
  );
  app.post(
    '/annual-reports/:year/publish',
    {
      config: { access: REPORT_EDITORS },
      schema: {
        tags,
        summary: 'The office publishes the approved report (page and PDF) into the 年度报告 column of the site, stamped by the system',
        params: yearParams,
        response: { 200: reportView, ...errors, 503: errorBody },
      },
    },
    async (req) => publishReport(deps, viewerOf(req), req.params.year),
  );
  app.get(
    '/annual-reports/:year/website-figures',
    {
      config: { access: REPORT_READERS },
      schema: {
        tags,
        summary: 'Other yearly figures from the record: the mailbox for the website annual report (国办函〔2018〕12号)',
        params: yearParams,
        response: { 200: websiteFiguresView, ...errors },
      },
    },
    async (req) => websiteFigures(deps, viewerOf(req), req.params.year),
  );
  return Promise.resolve();
};
