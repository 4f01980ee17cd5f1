import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, ne, or } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import type { Role } from './roles.js';
import type { Staff } from './schemas.js';
import { sessions, staff } from './tables.js';

/** The signed-in staff member as requests carry it: the API's `Staff` shape (src/auth/schemas.ts). */
export type StaffIdentity = Staff;

export const SESSION_COOKIE = 'amr_session';
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** How long an ended session is kept, so a stale token still gets "expired" or "revoked" rather than "unknown". */
export const ENDED_SESSION_RETENTION_DAYS = 7;

/** A new session; the account's sessions that ended more than a week ago are deleted, so the table stays small. */
export async function createSession(db: Executor, staffId: number, ttlHours: number, ip: string | undefined) {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + ttlHours * 3600_000);
  const cutoff = new Date(now - ENDED_SESSION_RETENTION_DAYS * 86_400_000);
  await db.delete(sessions).where(and(eq(sessions.staffId, staffId), or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff))));
  await db.insert(sessions).values({ tokenHash: hashToken(token), staffId, expiresAt, ip: ip ?? null });
  return { token, expiresAt };
}

/** The staff member behind a token, or why there is none. */
export async function resolveSession(
  db: Executor,
  token: string,
): Promise<{ ok: true; staff: StaffIdentity; tokenHash: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'disabled' }> {
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({ session: sessions, staff })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .where(eq(sessions.tokenHash, tokenHash));
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.session.revokedAt) return { ok: false, reason: 'revoked' };
  if (row.session.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
  if (row.staff.disabled) return { ok: false, reason: 'disabled' };
  const s = row.staff;
  return {
    ok: true,
    tokenHash,
    staff: { id: s.id, username: s.username, displayName: s.displayName, roles: s.roles as Role[], departmentId: s.departmentId },
  };
}

export async function revokeSession(db: Executor, tokenHash: string) {
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.tokenHash, tokenHash));
}

/** The lost-credential case: every live session of the account ends now (but `keepTokenHash`, if given). */
export async function revokeAllSessions(db: Executor, staffId: number, keepTokenHash?: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.staffId, staffId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
        keepTokenHash === undefined ? undefined : ne(sessions.tokenHash, keepTokenHash),
      ),
    )
    .returning({ h: sessions.tokenHash });
  return rows.length;
}
