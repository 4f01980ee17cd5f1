import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { AUDIT_READERS, type Role } from '../auth/roles.js';
import { demand, viewerHolds, type Viewer } from '../auth/viewer.js';
import { parseChinaInstant } from '../calendar/china-time.js';
import type { Executor } from '../db/client.js';
import type { AuditEntry, AuditQuery } from './schemas.js';
import { auditLog } from './tables.js';

/** The audit module's one authorisation point; GET /api/audit and the audit page declare the same group. */
export const AUDIT_PERMISSIONS = {
  /** Search the whole trail. */
  read: AUDIT_READERS,
} as const satisfies Record<string, readonly Role[]>;
export type AuditAction = keyof typeof AUDIT_PERMISSIONS;

export const can = (viewer: Viewer, action: AuditAction): boolean => viewerHolds(viewer, AUDIT_PERMISSIONS[action]);

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The trail by record, person and time, newest first (keyset pages through `beforeId`). */
export async function searchAudit(deps: { db: Executor }, viewer: Viewer, q: AuditQuery): Promise<AuditEntry[]> {
  demand(viewer, can(viewer, 'read'));
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
  const rows = await deps.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
