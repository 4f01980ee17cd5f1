import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import {
  dayInfo,
  deadlineQuery,
  deadlineResponse,
  explainResponse,
  isoDate,
  yearParams,
  yearScheduleBody,
  yearSummary,
} from './schemas.js';
import { CALENDAR_PERMISSIONS, deadlineOf, describeDay, explainDeadlineOf, listYears, loadYear, workingDaysBetween } from './service.js';

const tags = ['calendar'];
const errors = { 400: errorBody };

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { calendar: app.ctx.calendar };

  app.get(
    '/days/:date',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Whether a China date is a working day, and why',
        params: z.object({ date: isoDate }),
        response: { 200: dayInfo, ...errors },
      },
    },
    async (req) => describeDay(deps, req.params.date),
  );

  app.get(
    '/deadline',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Due date N working days after a receipt',
        querystring: deadlineQuery,
        response: { 200: deadlineResponse, ...errors },
      },
    },
    async (req) => deadlineOf(deps, req.query),
  );

  app.get(
    '/deadline/explain',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The days counted and skipped to reach a due date',
        querystring: deadlineQuery,
        response: { 200: explainResponse, ...errors },
      },
    },
    async (req) => explainDeadlineOf(deps, req.query),
  );

  app.get(
    '/working-days',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Working days after `from` up to and including `to`',
        querystring: z.object({ from: isoDate, to: isoDate }),
        response: { 200: z.object({ from: z.string(), to: z.string(), workingDays: z.number(), provisional: z.boolean() }), ...errors },
      },
    },
    async (req) => workingDaysBetween(deps, req.query),
  );

  app.get(
    '/years',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Each year: official (a State Council notice is loaded) or provisional',
        response: { 200: z.array(yearSummary) },
      },
    },
    async () => listYears(deps),
  );

  app.put(
    '/years/:year',
    {
      config: { access: CALENDAR_PERMISSIONS.loadYear },
      schema: {
        tags,
        summary: "Load a year's State Council holiday notice (administrators)",
        params: yearParams,
        body: yearScheduleBody,
        response: { 200: yearSummary, ...errors },
      },
    },
    async (req) => loadYear(deps, viewerOf(req), req.params.year, req.body),
  );
};
