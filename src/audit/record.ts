import type { Executor } from '../db/client.js';
import { auditLog } from './tables.js';

/** Who did something, as the audit trail and every state-changing function see it. */
export interface Actor {
  staffId: number | null;
  username: string;
  /** The role the action was taken in (the first of the actor's roles that allowed it). */
  role: string;
  ip?: string;
  requestId?: string;
}

/** The system itself (workflows, schedules, boot-time seeding). */
export const systemActor = (what: string): Actor => ({ staffId: null, username: `system:${what}`, role: 'system' });

/** Writes one audit row; call it with the same transaction as the change it records. */
export async function recordAudit(
  tx: Executor,
  actor: Actor,
  entry: { action: string; recordType: string; recordId: string | number; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.staffId,
    actorUsername: actor.username,
    actorRole: actor.role,
    action: entry.action,
    recordType: entry.recordType,
    recordId: String(entry.recordId),
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
  });
}
