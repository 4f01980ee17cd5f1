import { randomUUID } from 'node:crypto';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../auth/plugin.js';
import { recordAudit } from '../audit/record.js';
import { departments } from '../departments/tables.js';
import { AppError, errorBody } from '../server/errors.js';
import { isoDate } from '../server/schema-types.js';
import { dailyDigestWorkflow } from '../../workflows/digest.js';
import { digests } from './schema.js';

const tags = ['digests'];
const WIDE = ['service_center', 'office', 'admin', 'bureau_leader'] as const;

const digestRow = z
  .object({
    day: z.string(),
    kind: z.enum(['department', 'office']),
    departmentId: z.number(),
    departmentName: z.string(),
    itemCount: z.number(),
    content: z.unknown().describe('Lists of letters: newLetters, dueToday, dueTomorrow, overdue, transfersWaiting, opinionsOwed; for the office: overdue, awaitingArbitration, perDepartment'),
    builtAt: z.string(),
  })
  .meta({ id: 'Digest' });

export const digestRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, temporal } = app.ctx;

  app.get('/digests/:date', {
    config: { access: [...WIDE, 'handler', 'dept_leader'] },
    schema: { tags, summary: 'A day\'s digests: all for the service centre and the general office, a department its own', params: z.object({ date: isoDate }), response: { 200: z.array(digestRow), 400: errorBody } },
  }, async (req) => {
    const viewer = req.staff!;
    const where: SQL[] = [eq(digests.day, req.params.date)];
    if (!viewer.roles.some((r) => (WIDE as readonly string[]).includes(r))) {
      where.push(eq(digests.departmentId, viewer.departmentId ?? -1), eq(digests.kind, 'department'));
    }
    const rows = await db
      .select({ d: digests, name: departments.name })
      .from(digests)
      .innerJoin(departments, eq(departments.id, digests.departmentId))
      .where(and(...where))
      .orderBy(asc(digests.kind), asc(digests.departmentId));
    return rows.map(({ d, name }) => ({ day: d.day, kind: d.kind, departmentId: d.departmentId, departmentName: name, itemCount: d.itemCount, content: d.content, builtAt: d.builtAt.toISOString() }));
  });

  app.post('/digests/:date/run', {
    config: { access: ['service_center', 'admin'] },
    schema: {
      tags,
      summary: 'Rebuild a day\'s digests now (replaces that day\'s digests; e-mails already sent are not sent again)',
      params: z.object({ date: isoDate }),
      response: { 200: z.object({ day: z.string(), skipped: z.boolean(), digests: z.number(), emailsQueued: z.number() }), 400: errorBody, 503: errorBody },
    },
  }, async (req) => {
    let result;
    try {
      result = await temporal.client.workflow.execute(dailyDigestWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `digest-${req.params.date}-manual-${randomUUID()}`,
        args: [{ day: req.params.date }],
        workflowExecutionTimeout: '5 minutes',
      });
    } catch (err) {
      req.log.error({ err }, 'digest run failed');
      throw new AppError(503, 'workflow_unavailable', '提醒服务暂时不可用，请稍后再试');
    }
    await recordAudit(db, actorOf(req, ['service_center', 'admin']), { action: 'digest.run', recordType: 'digest', recordId: req.params.date, after: result });
    return result;
  });
};
