import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export type Database = ReturnType<typeof createDatabase>['db'];
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the pool or an open transaction: data-access functions take this so callers choose. */
export type Executor = Database | Transaction;

/**
 * Time limits of every database connection (README, "Database timeouts"). A PostgreSQL that stops
 * answering must make requests fail quickly rather than hold them: these bound what the server itself
 * can enforce; a server that is stalled altogether is bounded by the request deadline
 * (src/server/request-deadline.ts) and /ready's own check.
 */
export const DB_TIMEOUTS = {
  /** Opening a connection (TCP + startup), seconds. */
  connectSeconds: 5,
  /** One statement, server side. The heaviest today, the day's digests at 1M letters, takes about 1 s. */
  statementMs: 15_000,
  /** Waiting for a row lock (a letter's FOR UPDATE), server side. */
  lockMs: 10_000,
  /** A transaction left open without a statement (a crashed request), server side. */
  idleInTransactionMs: 60_000,
} as const;

export function createDatabase(url: string, opts: { max?: number } = {}) {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connect_timeout: DB_TIMEOUTS.connectSeconds,
    connection: {
      TimeZone: 'UTC',
      // postgres.js prepares statements; after five runs PostgreSQL may switch to a generic plan that
      // ignores the values, and department sizes differ 100-fold (docs/performance.md): plan each time.
      plan_cache_mode: 'force_custom_plan',
      statement_timeout: DB_TIMEOUTS.statementMs,
      lock_timeout: DB_TIMEOUTS.lockMs,
      idle_in_transaction_session_timeout: DB_TIMEOUTS.idleInTransactionMs,
    },
  });
  // No `schema` option: nothing uses drizzle's relational `db.query` API, so the database layer needs no
  // module's tables (src/db imports no domain module; drizzle-kit finds the tables by glob).
  const db = drizzle(sql, { casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

// Errors that mean "PostgreSQL is not reachable right now" (down, restarting, the connection cut),
// not a fault of the request: node's socket errors, postgres.js's connection errors, and SQLSTATE
// classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect now).
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** Whether `err` (or an error it wraps, as drizzle's query errors do) says PostgreSQL is unreachable. */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P')) return true;
  }
  return false;
}
