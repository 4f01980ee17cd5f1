import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../auth/plugin.js';
import { badRequest, errorBody } from '../server/errors.js';
import { queryInt } from '../server/schema-types.js';
import { chinaDayOf, parseChinaInstant, parseIsoDate } from './china-time.js';
import {
  dayInfo, deadlineQuery, deadlineResponse, explainResponse, isoDate, yearScheduleBody, yearSummary,
} from './schemas.js';
import { scheduleProblems } from './validate-schedule.js';
import { OutOfRangeError } from './working-days.js';

const tags = ['calendar'];
const errors = { 400: errorBody };

/** Runs a calendar computation, turning dates beyond the supported range into a 400. */
function inRange<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OutOfRangeError) throw badRequest('日期超出支持范围（2000–2100 年）', { [field]: '日期超出支持范围（2000–2100 年）' });
    throw err;
  }
}

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const calendar = app.ctx.calendar;

  app.get('/days/:date', {
    config: { access: 'public' },
    schema: { tags, summary: 'Whether a China date is a working day, and why', params: z.object({ date: isoDate }), response: { 200: dayInfo, ...errors } },
  }, async (req) => inRange('params.date', () => calendar.current.describe(parseIsoDate(req.params.date)!)));

  const deadlineOf = (q: z.infer<typeof deadlineQuery>) => {
    const receivedAt = parseChinaInstant(q.from)!;
    return inRange('querystring.from', () => calendar.explain(receivedAt, q.workingDays));
  };

  app.get('/deadline', {
    config: { access: 'public' },
    schema: { tags, summary: 'Due date N working days after a receipt', querystring: deadlineQuery, response: { 200: deadlineResponse, ...errors } },
  }, async (req) => {
    const d = deadlineOf(req.query);
    return { from: req.query.from, workingDays: d.workingDays, countFrom: d.countFrom, dueDate: d.dueDate, dueAt: d.dueAtIso, provisional: d.provisional };
  });

  app.get('/deadline/explain', {
    config: { access: 'public' },
    schema: { tags, summary: 'The days counted and skipped to reach a due date', querystring: deadlineQuery, response: { 200: explainResponse, ...errors } },
  }, async (req) => {
    const d = deadlineOf(req.query);
    return { from: req.query.from, workingDays: d.workingDays, countFrom: d.countFrom, dueDate: d.dueDate, dueAt: d.dueAtIso, provisional: d.provisional, days: d.days };
  });

  app.get('/working-days', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Working days after `from` up to and including `to`',
      querystring: z.object({ from: isoDate, to: isoDate }),
      response: { 200: z.object({ from: z.string(), to: z.string(), workingDays: z.number(), provisional: z.boolean() }), ...errors },
    },
  }, async (req) => {
    const from = parseIsoDate(req.query.from)!;
    const to = parseIsoDate(req.query.to)!;
    const cal = calendar.current;
    // Name the field that is actually out of range.
    return inRange(cal.inRange(from) ? 'querystring.to' : 'querystring.from', () => ({
      from: req.query.from,
      to: req.query.to,
      workingDays: cal.countWorkingDays(from, to),
      provisional: cal.anyProvisional(from, to),
    }));
  });

  app.get('/years', {
    config: { access: 'public' },
    schema: { tags, summary: 'Each year: official (a State Council notice is loaded) or provisional', response: { 200: z.array(yearSummary) } },
  }, async () => calendar.years(2020, chinaDayOfYear() + 1));

  app.put('/years/:year', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Load a year\'s State Council holiday notice (administrators)',
      params: z.object({
        year: queryInt({ min: 2000, max: 2100, message: '年份应为整数', tooSmall: '年份须在 2000–2100 之间', tooBig: '年份须在 2000–2100 之间' }),
      }),
      body: yearScheduleBody,
      response: { 200: yearSummary, ...errors },
    },
  }, async (req) => {
    const schedule = { year: req.params.year, ...req.body };
    const problems = scheduleProblems(schedule);
    if (Object.keys(problems).length > 0) throw badRequest('节假日安排有误', problems);
    await calendar.loadYear(schedule, actorOf(req, ['admin']));
    await calendar.reload();
    return calendar.years(schedule.year, schedule.year)[0]!;
  });
};

const chinaDayOfYear = () => new Date(chinaDayOf(new Date()) * 86_400_000).getUTCFullYear();
