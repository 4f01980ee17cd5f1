import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

export type Database = ReturnType<typeof createDatabase>['db'];
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the pool or an open transaction: data-access functions take this so callers choose. */
export type Executor = Database | Transaction;

export function createDatabase(url: string, opts: { max?: number } = {}) {
  const sql = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connection: {
      TimeZone: 'UTC',
      // postgres.js prepares statements; after five runs PostgreSQL may switch to a generic plan that
      // ignores the values, and department sizes differ 100-fold (docs/performance.md): plan each time.
      plan_cache_mode: 'force_custom_plan',
    },
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
