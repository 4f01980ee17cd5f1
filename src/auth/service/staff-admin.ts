import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { Database, Executor } from '../../db/client.js';
import { isActiveDepartment } from '../../departments/service.js';
import { badRequest, conflict, notFound } from '../../server/errors.js';
import { asRoles, isUniqueViolation, needsDepartment } from '../accounts.js';
import { clearThrottle, throttleSummaries } from '../login-throttle.js';
import { hashPassword, passwordPolicyProblem } from '../password.js';
import { ADMIN_ONLY } from '../roles.js';
import type { NewStaff, StaffAccount, StaffChanges } from '../schemas.js';
import { revokeAllSessions } from '../sessions.js';
import { staff } from '../tables.js';
import { actorFor, demand, type Viewer } from '../viewer.js';
import { can } from './can.js';

// Staff accounts as administrators manage them. Every function checks `administer-accounts` first.

type Deps = { db: Database };
type StaffRow = typeof staff.$inferSelect;
type Throttle = { failedLogins: number; lockedUntil: Date | null };

const accountOf = (s: StaffRow, t: Throttle | undefined): StaffAccount => ({
  id: s.id,
  username: s.username,
  displayName: s.displayName,
  roles: asRoles(s.roles),
  departmentId: s.departmentId,
  disabled: s.disabled,
  lockedUntil: t?.lockedUntil?.toISOString() ?? null,
  failedLogins: t?.failedLogins ?? 0,
  createdAt: s.createdAt.toISOString(),
});
async function accountsOf(db: Executor, rows: StaffRow[]) {
  const throttles = await throttleSummaries(
    db,
    rows.map((r) => r.username),
  );
  return rows.map((r) => accountOf(r, throttles.get(r.username)));
}

const administer = (viewer: Viewer) => demand(viewer, can(viewer, 'administer-accounts'));
/** The audit actor of an administrator's change. */
const adminActor = (viewer: Viewer) => actorFor(viewer, ADMIN_ONLY);
const departmentMissing = () => badRequest('处室人员须指定处室', { 'body.departmentId': '经办人和处室负责人须指定处室' });

/** Rejects a department that does not exist or no longer takes work. */
async function requireActiveDepartment(db: Executor, id: number) {
  if (!(await isActiveDepartment(db, id))) throw badRequest('处室不存在或已停用', { 'body.departmentId': '处室不存在或已停用' });
}

async function findStaff(db: Executor, id: number) {
  const [target] = await db.select({ id: staff.id, username: staff.username }).from(staff).where(eq(staff.id, id));
  if (!target) throw notFound('账户不存在');
  return target;
}

export async function listStaff(deps: Deps, viewer: Viewer): Promise<StaffAccount[]> {
  administer(viewer);
  return accountsOf(deps.db, await deps.db.select().from(staff).orderBy(asc(staff.id)));
}

export async function createStaff(deps: Deps, viewer: Viewer, body: NewStaff): Promise<StaffAccount> {
  administer(viewer);
  const { db } = deps;
  const policy = passwordPolicyProblem(body.password, body.username);
  if (policy) throw badRequest('密码不符合要求', { 'body.password': policy });
  if (needsDepartment(body.roles) && body.departmentId === null) throw departmentMissing();
  if (body.departmentId !== null) await requireActiveDepartment(db, body.departmentId);
  const passwordHash = await hashPassword(body.password);
  const duplicate = () => badRequest('用户名已存在', { 'body.username': '用户名已存在' });
  try {
    const created = await db.transaction(async (tx) => {
      const [exists] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.username, body.username));
      if (exists) throw duplicate();
      const roles = [...new Set(body.roles)];
      const { username, displayName, departmentId } = body;
      const [row] = await tx.insert(staff).values({ username, displayName, passwordHash, roles, departmentId }).returning();
      await recordAudit(tx, adminActor(viewer), {
        action: 'staff.create',
        recordType: 'staff',
        recordId: row!.id,
        after: { username, displayName, roles, departmentId },
      });
      return row!;
    });
    return accountOf(created, undefined);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

/** Disable/enable, rename, change roles or department, lift a login lock; the last enabled administrator stays one. */
export async function updateStaff(deps: Deps, viewer: Viewer, id: number, body: StaffChanges): Promise<StaffAccount> {
  administer(viewer);
  const { unlock, ...changes } = body;
  if (Object.keys(changes).length === 0 && !unlock) throw badRequest('没有要修改的内容');
  if (changes.roles) changes.roles = [...new Set(changes.roles)];
  return deps.db.transaction(async (tx) => {
    // Serialise account changes, so two administrators cannot disable each other at the same moment.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('staff-accounts'))`);
    const [before] = await tx.select().from(staff).where(eq(staff.id, id));
    if (!before) throw notFound('账户不存在');
    const roles = changes.roles ?? before.roles;
    const departmentId = changes.departmentId === undefined ? before.departmentId : changes.departmentId;
    if (needsDepartment(roles) && departmentId === null) throw departmentMissing();
    if (changes.departmentId != null && changes.departmentId !== before.departmentId) {
      await requireActiveDepartment(tx, changes.departmentId);
    }
    const disabled = changes.disabled ?? before.disabled;
    const staysAdmin = roles.includes('admin') && !disabled;
    if (before.roles.includes('admin') && !before.disabled && !staysAdmin) {
      const others = await tx
        .select({ id: staff.id })
        .from(staff)
        .where(and(ne(staff.id, before.id), eq(staff.disabled, false), sql`'admin' = any(${staff.roles})`));
      if (others.length === 0) throw conflict('不能停用最后一个管理员账户或取消其管理员角色');
    }
    const [after] =
      Object.keys(changes).length > 0 ? await tx.update(staff).set(changes).where(eq(staff.id, before.id)).returning() : [before];
    const clearedFailures = unlock ? await clearThrottle(tx, before.username) : 0;
    const revokedSessions = changes.disabled === true && !before.disabled ? await revokeAllSessions(tx, before.id) : 0;
    const pick = (s: StaffRow) => ({ displayName: s.displayName, disabled: s.disabled, roles: s.roles, departmentId: s.departmentId });
    const unlocked = unlock ? { unlocked: true, clearedFailures } : {};
    await recordAudit(tx, adminActor(viewer), {
      action: 'staff.update',
      recordType: 'staff',
      recordId: before.id,
      before: pick(before),
      after: { ...pick(after!), ...unlocked, ...(revokedSessions ? { revokedSessions } : {}) },
    });
    return (await accountsOf(tx, [after!]))[0]!;
  });
}

/** Lost credential: a new password; every session ends and any login lock is lifted. */
export async function resetPassword(deps: Deps, viewer: Viewer, id: number, password: string): Promise<{ revoked: number }> {
  administer(viewer);
  const target = await findStaff(deps.db, id);
  const policy = passwordPolicyProblem(password, target.username);
  if (policy) throw badRequest('密码不符合要求', { 'body.password': policy });
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (tx) => {
    await tx.update(staff).set({ passwordHash }).where(eq(staff.id, target.id));
    await clearThrottle(tx, target.username);
    const revoked = await revokeAllSessions(tx, target.id);
    await recordAudit(tx, adminActor(viewer), {
      action: 'staff.password_reset',
      recordType: 'staff',
      recordId: target.id,
      after: { revokedSessions: revoked },
    });
    return { revoked };
  });
}

/** Lost credential: every session of the account ends at once. */
export async function revokeStaffSessions(deps: Deps, viewer: Viewer, id: number): Promise<{ revoked: number }> {
  administer(viewer);
  return deps.db.transaction(async (tx) => {
    const target = await findStaff(tx, id);
    const revoked = await revokeAllSessions(tx, target.id);
    await recordAudit(tx, adminActor(viewer), {
      action: 'staff.revoke_sessions',
      recordType: 'staff',
      recordId: target.id,
      after: { revoked },
    });
    return { revoked };
  });
}
