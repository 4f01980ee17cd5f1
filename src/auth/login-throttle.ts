import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { USERNAME_PATTERN } from './accounts.js';
import { loginThrottle } from './tables.js';

/** Wrong passwords in a row for one username from one address before that address is held back. */
export const MAX_FAILURES_BEFORE_LOCK = 5;
/** The hold on one (username, address) pair: 15 minutes, doubling with each further failure, up to a day. */
export const lockMinutes = (failures: number) => Math.min(15 * 2 ** (failures - MAX_FAILURES_BEFORE_LOCK), 24 * 60);
/** Wrong passwords for one username from all addresses within ACCOUNT_WINDOW_MINUTES that hold back addresses it never logged in from. */
export const ACCOUNT_FAILURE_CAP = 20;
export const ACCOUNT_WINDOW_MINUTES = 60;
/** A pair with no failure and no hold for this long starts counting afresh (and may be pruned). */
const FORGET_AFTER_HOURS = 24;
/** Forgotten rows deleted with each failure, so the table stays small without a sweeper. */
const PRUNE_PER_WRITE = 20;

/**
 * The throttle key of a typed username. Text that cannot be a username (often a password typed into
 * the wrong field) is never stored: all of it shares one key, which no account can have.
 */
export const throttleKeyOf = (username: string) => (USERNAME_PATTERN.test(username) ? username : '(invalid username)');

const recentFailuresSql = sql<number>`coalesce(sum(${loginThrottle.failures})
  filter (where ${loginThrottle.lastFailureAt} > now() - make_interval(mins => ${ACCOUNT_WINDOW_MINUTES})), 0)::int`;
// Written so the prune can use the index on last_failure_at.
const forgotten = sql`${loginThrottle.lastFailureAt} < now() - make_interval(hours => ${FORGET_AFTER_HOURS})
  and (${loginThrottle.lockedUntil} is null or ${loginThrottle.lockedUntil} < now() - make_interval(hours => ${FORGET_AFTER_HOURS}))`;

export interface Hold {
  scope: 'address' | 'account';
  retryAfterSeconds: number;
}

/**
 * Whether this address must wait before a password for this username is even checked. Computed from
 * the typed name only, never from whether an account has it, so known and unknown names answer alike.
 */
export async function holdOn(db: Executor, key: string, ip: string): Promise<Hold | null> {
  const [state] = await db
    .select({
      pairWait: sql<number | null>`ceil(extract(epoch from
        max(${loginThrottle.lockedUntil}) filter (where ${loginThrottle.ip} = ${ip}) - now()))::int`,
      familiar: sql<boolean>`coalesce(bool_or(${loginThrottle.ip} = ${ip} and ${loginThrottle.lastSuccessAt} is not null), false)`,
      recentFailures: recentFailuresSql,
    })
    .from(loginThrottle)
    .where(eq(loginThrottle.username, key));
  if (state?.pairWait != null && state.pairWait > 0) return { scope: 'address', retryAfterSeconds: state.pairWait };
  if (state && !state.familiar && state.recentFailures >= ACCOUNT_FAILURE_CAP) {
    return { scope: 'account', retryAfterSeconds: ACCOUNT_WINDOW_MINUTES * 60 };
  }
  return null;
}

/** Counts a wrong password (atomically, so parallel guesses all count) and holds the pair back once it has too many. */
export async function recordFailure(tx: Executor, key: string, ip: string) {
  await tx.execute(sql`delete from login_throttle where (username, ip) in (
    select username, ip from login_throttle
    where ${forgotten} and last_success_at is null and not (username = ${key} and ip = ${ip})
    limit ${PRUNE_PER_WRITE} for update skip locked)`);
  const [row] = await tx
    .insert(loginThrottle)
    .values({ username: key, ip, failures: 1, lastFailureAt: sql`now()` })
    .onConflictDoUpdate({
      target: [loginThrottle.username, loginThrottle.ip],
      set: { failures: sql`case when ${forgotten} then 1 else ${loginThrottle.failures} + 1 end`, lastFailureAt: sql`now()` },
    })
    .returning({ failures: loginThrottle.failures });
  const failures = row!.failures;
  if (failures < MAX_FAILURES_BEFORE_LOCK) return { failures, lockedUntil: null };
  const [locked] = await tx
    .update(loginThrottle)
    .set({ lockedUntil: sql`now() + make_interval(mins => ${lockMinutes(failures)})` })
    .where(and(eq(loginThrottle.username, key), eq(loginThrottle.ip, ip)))
    .returning({ lockedUntil: loginThrottle.lockedUntil });
  return { failures, lockedUntil: locked!.lockedUntil };
}

/** A successful login: the pair starts afresh and the address counts as the account's own from now on. */
export async function recordSuccess(tx: Executor, key: string, ip: string) {
  await tx
    .insert(loginThrottle)
    .values({ username: key, ip, failures: 0, lastSuccessAt: sql`now()` })
    .onConflictDoUpdate({
      target: [loginThrottle.username, loginThrottle.ip],
      set: { failures: 0, lockedUntil: null, lastSuccessAt: sql`now()` },
    });
}

/** An administrator's unlock or password reset: every failure and hold of the username goes; known addresses stay known. */
export async function clearThrottle(tx: Executor, key: string) {
  const [before] = await tx
    .select({ failures: sql<number>`coalesce(sum(${loginThrottle.failures}), 0)::int` })
    .from(loginThrottle)
    .where(eq(loginThrottle.username, key));
  await tx.delete(loginThrottle).where(and(eq(loginThrottle.username, key), sql`${loginThrottle.lastSuccessAt} is null`));
  await tx.update(loginThrottle).set({ failures: 0, lockedUntil: null }).where(eq(loginThrottle.username, key));
  return before?.failures ?? 0;
}

/** For the admin API: wrong passwords of the last ACCOUNT_WINDOW_MINUTES (all addresses) and the latest running hold. */
export async function throttleSummaries(db: Executor, usernames: string[]) {
  if (usernames.length === 0) return new Map<string, { failedLogins: number; lockedUntil: Date | null }>();
  const rows = await db
    .select({
      username: loginThrottle.username,
      failedLogins: recentFailuresSql,
      lockedUntil: sql<string | null>`max(${loginThrottle.lockedUntil}) filter (where ${loginThrottle.lockedUntil} > now())`,
    })
    .from(loginThrottle)
    .where(inArray(loginThrottle.username, usernames))
    .groupBy(loginThrottle.username);
  const summary = (r: (typeof rows)[number]) => ({
    failedLogins: r.failedLogins,
    lockedUntil: r.lockedUntil ? new Date(r.lockedUntil) : null,
  });
  return new Map(rows.map((r) => [r.username, summary(r)]));
}
