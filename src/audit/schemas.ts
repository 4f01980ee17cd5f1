import { z } from 'zod';
import { instantParam } from '../calendar/schemas.js';
import { idParam, queryInt, safeString } from '../server/schema-types.js';

// The audit module's request and response schemas; the response types are inferred from them.

export const auditEntry = z
  .object({
    id: z.number(),
    at: z.string(),
    actorId: z.number().nullable(),
    actorUsername: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string(),
    recordType: z.string(),
    recordId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditQuery = z.object({
  recordType: safeString().max(50).optional(),
  recordId: safeString().max(100).optional(),
  actor: safeString().max(100).optional().describe('username'),
  actorId: idParam('操作人编号应为正整数').optional().describe('staff id'),
  action: safeString().max(100).optional(),
  from: instantParam.optional().describe('ISO instant, or a China date (from its start)'),
  to: instantParam.optional().describe('ISO instant, or a China date (to its end, inclusive)'),
  limit: queryInt({ min: 1, max: 500 }).default(100),
  beforeId: queryInt({ min: 1, max: Number.MAX_SAFE_INTEGER }).optional().describe('keyset pagination: entries older than this id'),
});
export type AuditQuery = z.output<typeof auditQuery>;
