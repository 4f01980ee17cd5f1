// What the list and digest benchmarks share: PostgreSQL with the 1,000,000-letter data set, the
// Temporal dev server and the real app on top (for its memory and the HTTP path). bench/run-all.ts
// prepares this once for both; each benchmark run alone prepares its own.
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { BENCH_PASSWORD, seedDataset, type Dataset } from './dataset.js';
import { startApp, startPostgres, startTemporal, type AppServer, type BenchPg } from './infra.js';

export interface Scale {
  pg: BenchPg;
  dataset: Dataset;
  app: AppServer;
}

export async function prepareScale(): Promise<Scale> {
  const pg = await startPostgres('amr', { reusable: true });
  console.log(`seeding the data set (${Number(process.env.BENCH_LETTERS ?? 1_000_000).toLocaleString('en-US')} letters)…`);
  const t0 = Date.now();
  const dataset = await seedDataset(pg.url);
  console.log(`data set ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; last receipt day ${dataset.lastDay}`);
  const temporal = await startTemporal();
  const app = await startApp(pg.url, temporal.address);
  return { pg, dataset, app };
}

/**
 * A drizzle database exactly like src/db/client.ts's (same driver, casing, pool size), plus a
 * hook that records the SQL and parameters the query functions send, so they can be EXPLAINed as sent.
 */
export function tracedDatabase(url: string) {
  let sink: { query: string; params: unknown[] }[] | undefined;
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    connection: { TimeZone: 'UTC' },
    // The driver hands over serialised parameters and their type oids; booleans go back to JS
    // booleans so that re-sending them (EXPLAIN) binds the same values.
    debug: (_conn, query, params, types) => {
      sink?.push({ query, params: (params as unknown[]).map((p, i) => ((types as number[])[i] === 16 ? p === 't' : p)) });
    },
  });
  const db = drizzle(sql, { casing: 'snake_case' });
  return {
    db,
    sql,
    /** The statements `fn` sent. */
    async capture(fn: () => Promise<unknown>) {
      const got: { query: string; params: unknown[] }[] = [];
      sink = got;
      try {
        await fn();
      } finally {
        sink = undefined;
      }
      return got;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Logs in through the API and returns a bearer token. */
export async function login(base: string, username: string, forwardedFor = '192.0.2.10'): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement, and whether it scans letters sequentially. */
export async function explain(sql: postgres.Sql, stmt: { query: string; params: unknown[] }) {
  const rows = (await sql.unsafe(`explain (analyze, buffers) ${stmt.query}`, stmt.params as never[])) as unknown as Record<
    string,
    string
  >[];
  const plan = rows.map((r) => r['QUERY PLAN']!).join('\n');
  return { plan, seqScanOnLetters: /Seq Scan on letters\b/.test(plan) };
}
