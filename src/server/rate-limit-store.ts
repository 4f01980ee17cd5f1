// A @fastify/rate-limit store in PostgreSQL (issue #20 point 7): the limits of README *Rate limits* count
// per client address across every API process, not per process. One statement per request counts it in
// a fixed window (like the writer's look-ups, src/mailbox/service/lookup.ts) and prunes a few expired
// rows, so the table stays small without a sweeper. A database that does not answer fails the request
// (the error handler answers 503), as the request could not have been served anyway.
import type postgres from 'postgres';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string };
}

const PRUNE_PER_WRITE = 20;

/** The store class @fastify/rate-limit instantiates (`store` option), bound to the pool `sql`. */
export function postgresRateLimitStore(sql: postgres.Sql) {
  return class PostgresRateLimitStore {
    constructor(
      _global?: unknown,
      private readonly route = '',
    ) {}

    incr(address: string, cb: Callback, timeWindowMs: number) {
      const key = `${this.route} ${address}`;
      sql<{ count: number; ttl: number }[]>`
        with pruned as (
          delete from rate_limit_counters where key in (
            select key from rate_limit_counters where window_ends_at < now() and key <> ${key}
            limit ${PRUNE_PER_WRITE} for update skip locked))
        insert into rate_limit_counters as c (key, count, window_ends_at)
        values (${key}, 1, now() + make_interval(secs => ${timeWindowMs / 1000}))
        on conflict (key) do update set
          count = case when c.window_ends_at <= now() then 1 else c.count + 1 end,
          window_ends_at = case when c.window_ends_at <= now() then excluded.window_ends_at else c.window_ends_at end
        returning count, greatest(0, ceil(extract(epoch from c.window_ends_at - now()) * 1000))::int as ttl`.then(
        ([row]) => cb(null, { current: row!.count, ttl: row!.ttl }),
        (err: Error) => cb(err),
      );
    }

    /**
     * One store per route: its counters are kept apart from every other route's. The plugin passes the
     * route's merged limit options with `routeInfo` (its types say the route options themselves).
     */
    child(params: unknown) {
      const { routeInfo } = params as RouteParams;
      const method = [routeInfo?.method ?? ''].flat().join(',');
      return new PostgresRateLimitStore(undefined, `${method} ${routeInfo?.url ?? ''}`);
    }
  };
}
