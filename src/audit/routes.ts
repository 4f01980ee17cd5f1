import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseChinaInstant } from '../calendar/china-time.js';
import { instantParam } from '../calendar/schemas.js';
import { errorBody } from '../server/errors.js';
import { idParam, queryInt, safeString } from '../server/schema-types.js';
import { auditLog } from './tables.js';

const entry = z
  .object({
    id: z.number(), at: z.string(), actorId: z.number().nullable(), actorUsername: z.string().nullable(), actorRole: z.string().nullable(),
    action: z.string(), recordType: z.string(), recordId: z.string(), before: z.unknown(), after: z.unknown(), ip: z.string().nullable(), requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', {
    config: { access: ['office', 'admin'] },
    schema: {
      tags: ['audit'],
      summary: 'Search the append-only audit trail by record, person and time',
      querystring: z.object({
        recordType: safeString().max(50).optional(),
        recordId: safeString().max(100).optional(),
        actor: safeString().max(100).optional().describe('username'),
        actorId: idParam('操作人编号应为正整数').optional().describe('staff id'),
        action: safeString().max(100).optional(),
        from: instantParam.optional().describe('ISO instant, or a China date (from its start)'),
        to: instantParam.optional().describe('ISO instant, or a China date (to its end, inclusive)'),
        limit: queryInt({ min: 1, max: 500 }).default(100),
        beforeId: queryInt({ min: 1, max: Number.MAX_SAFE_INTEGER }).optional().describe('keyset pagination: entries older than this id'),
      }),
      response: { 200: z.array(entry), 400: errorBody },
    },
  }, async (req) => {
    const q = req.query;
    const where: SQL[] = [];
    if (q.recordType) where.push(eq(auditLog.recordType, q.recordType));
    if (q.recordId) where.push(eq(auditLog.recordId, q.recordId));
    if (q.actor) where.push(eq(auditLog.actorUsername, q.actor));
    if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
    if (q.action) where.push(eq(auditLog.action, q.action));
    if (q.from) where.push(gte(auditLog.at, parseChinaInstant(q.from)!));
    if (q.to) {
      const to = parseChinaInstant(q.to)!;
      // A bare date means "up to the end of that China day", not its first instant.
      // An instant is inclusive to the millisecond: `at` is stored in microseconds but shown in
      // milliseconds, so to=<an entry's at> must still include that entry.
      where.push(lt(auditLog.at, new Date(to.getTime() + (DATE_ONLY.test(q.to) ? 86_400_000 : 1))));
    }
    if (q.beforeId) where.push(lt(auditLog.id, q.beforeId));
    const rows = await app.ctx.db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(q.limit);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  });
};
