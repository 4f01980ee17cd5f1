import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { recordAudit, type Actor } from '../../audit/record.js';
import type { Database, Executor } from '../../db/client.js';
import { AppError, badRequest } from '../../server/errors.js';
import { asRoles, USERNAME_PATTERN } from '../accounts.js';
import { holdOn, recordFailure, recordSuccess, throttleKeyOf } from '../login-throttle.js';
import { DUMMY_HASH, hashPassword, passwordPolicyProblem, verifyPassword } from '../password.js';
import type { LoginInput, PasswordChange, Staff } from '../schemas.js';
import { createSession, revokeAllSessions, revokeSession } from '../sessions.js';
import { staff } from '../tables.js';
import { actorFor, demand, staffOf, type Viewer } from '../viewer.js';
import { can } from './can.js';

// A staff member's own session and password: log in, log out, who am I, change my password.

export const THROTTLED_MESSAGE = '登录尝试过于频繁，请稍后再试';

export interface LoginDeps {
  db: Database;
  sessionTtlHours: number;
  /** The request's logger: failed and held-back attempts are logged with the request id. */
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export interface LoggedIn {
  token: string;
  expiresAt: Date;
  staff: Staff;
}

/** Checks the password under the login throttle (README, *Guessing limits*); every outcome is audited. */
export async function login(deps: LoginDeps, viewer: Viewer, input: LoginInput): Promise<LoggedIn> {
  const { db, log } = deps;
  const { username, password } = input;
  const { ip } = viewer;
  const key = throttleKeyOf(username);
  const [found] = await db.select().from(staff).where(eq(staff.username, username));
  // Never the password: only who tried, from where, and why it failed. People sometimes type their
  // password into the username field, so an unknown name that could not be a username is not recorded.
  const shown = found || USERNAME_PATTERN.test(username) ? username : `(invalid username, ${username.length} characters)`;
  const anonymous: Actor = { staffId: found?.id ?? null, username: shown, role: 'anonymous', ip, requestId: viewer.requestId };
  const recordId = found?.id ?? shown;
  const failed = async (tx: Executor, reason: string, extra: Record<string, unknown> = {}) => {
    log.warn({ username: shown, ip, reason }, 'login failed');
    await recordAudit(tx, anonymous, { action: 'auth.login_failed', recordType: 'staff', recordId, after: { reason, ...extra } });
  };

  // Everything up to the password check depends on the typed name only, never on whether an account has it.
  const hold = await holdOn(db, key, ip);
  if (hold) {
    log.warn({ username: shown, ip, scope: hold.scope }, 'login attempt held back');
    await recordAudit(db, anonymous, { action: 'auth.login_throttled', recordType: 'staff', recordId, after: { ...hold } });
    throw new AppError(429, 'login_throttled', THROTTLED_MESSAGE, undefined, { 'retry-after': String(hold.retryAfterSeconds) });
  }
  // An unknown name costs the same check against a dummy hash, so timing does not reveal usernames.
  const passwordOk = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
  if (!found || !passwordOk) {
    await db.transaction(async (tx) => {
      const counted = await recordFailure(tx, key, ip);
      const lockedUntil = counted.lockedUntil?.toISOString() ?? null;
      await failed(tx, found ? 'wrong_password' : 'unknown_username', { failures: counted.failures, lockedUntil });
    });
    throw new AppError(401, 'login_failed', '用户名或密码错误');
  }
  if (found.disabled) {
    await failed(db, 'disabled');
    throw new AppError(401, 'login_failed', '账户已停用');
  }
  const { token, expiresAt } = await db.transaction(async (tx) => {
    await recordSuccess(tx, key, ip);
    const session = await createSession(tx, found.id, deps.sessionTtlHours, ip);
    await recordAudit(
      tx,
      { ...anonymous, role: found.roles[0] ?? 'none' },
      {
        action: 'auth.login',
        recordType: 'staff',
        recordId: found.id,
        after: { sessionExpiresAt: session.expiresAt.toISOString() },
      },
    );
    return session;
  });
  const { id, displayName, departmentId } = found;
  return { token, expiresAt, staff: { id, username: found.username, displayName, roles: asRoles(found.roles), departmentId } };
}

/** Ends the session the request came with, if any (logging out twice, or without a session, is no error). */
export async function logout(deps: { db: Database }, viewer: Viewer, session: { tokenHash: string | null }): Promise<void> {
  const { tokenHash } = session;
  if (!tokenHash || !viewer.staff) return;
  const self = viewer.staff;
  await deps.db.transaction(async (tx) => {
    await revokeSession(tx, tokenHash);
    await recordAudit(tx, actorFor(viewer), { action: 'auth.logout', recordType: 'staff', recordId: self.id });
  });
}

export function whoAmI(viewer: Viewer): Staff {
  demand(viewer, can(viewer, 'own-account'));
  return staffOf(viewer);
}

/** Changes one's own password; every other session of the account ends (`keepTokenHash`: the one in use). */
export async function changeOwnPassword(
  deps: { db: Database },
  viewer: Viewer,
  input: PasswordChange & { keepTokenHash: string | null },
): Promise<void> {
  demand(viewer, can(viewer, 'own-account'));
  const self = staffOf(viewer);
  const { db } = deps;
  const [row] = await db.select().from(staff).where(eq(staff.id, self.id));
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw badRequest('当前密码不正确', { 'body.currentPassword': '当前密码不正确' });
  }
  const policy = passwordPolicyProblem(input.newPassword, self.username);
  if (policy) throw badRequest('新密码不符合要求', { 'body.newPassword': policy });
  if (input.newPassword === input.currentPassword) {
    throw badRequest('新密码不能与当前密码相同', { 'body.newPassword': '新密码不能与当前密码相同' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(staff).set({ passwordHash }).where(eq(staff.id, self.id));
    const revoked = await revokeAllSessions(tx, self.id, input.keepTokenHash ?? undefined);
    await recordAudit(tx, actorFor(viewer), {
      action: 'staff.password_change',
      recordType: 'staff',
      recordId: self.id,
      after: { revokedSessions: revoked },
    });
  });
}
