import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

// Fixed-window counters in PostgreSQL (the `lookup_counters` table of src/server/tables.ts), shared by
// every API process: the writer's lookup (src/mailbox/service/lookup.ts) and the disclosure-request
// lookup (src/requests/service/lookup-guard.ts) count under their own key prefixes.

/** Expired counter rows deleted with each write, so the table stays small without a sweeper. */
const PRUNE_PER_WRITE = 20;

/** Counts one more event under `key` in a fixed window that starts with its first event; prunes a few expired rows. */
export async function countInWindow(db: Database, key: string, windowSeconds: number) {
  const rows = await db.execute<{ count: number; retry_after: number }>(sql`
    with pruned as (
      delete from lookup_counters where key in (
        select key from lookup_counters where window_ends_at < now() and key <> ${key}
        limit ${PRUNE_PER_WRITE} for update skip locked))
    insert into lookup_counters as c (key, count, window_ends_at)
    values (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
    on conflict (key) do update set
      count = case when c.window_ends_at <= now() then 1 else c.count + 1 end,
      window_ends_at = case when c.window_ends_at <= now() then excluded.window_ends_at else c.window_ends_at end
    returning count, greatest(1, ceil(extract(epoch from c.window_ends_at - now())))::int as retry_after`);
  const row = rows[0]!;
  return { count: row.count, retryAfterSeconds: row.retry_after };
}

/** Gives one count back (a right code is not a wrong one). */
export async function giveBack(db: Database, key: string) {
  await db.execute(sql`update lookup_counters set count = count - 1 where key = ${key} and count > 0`);
}
