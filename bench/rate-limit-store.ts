// The cost of counting rate limits in PostgreSQL (src/server/rate-limit-store.ts) rather than in process
// memory: one limited request = one store.incr. Same process, alternating rounds: the PostgreSQL store,
// @fastify/rate-limit's in-memory LocalStore (what it replaced), and a bare `select 1` round trip on the
// same pool (the floor of any statement). Run: npx tsx bench/rate-limit-store.ts. Prints figures only.
import { createRequire } from 'node:module';
import postgres from 'postgres';
import { postgresRateLimitStore } from '../src/server/rate-limit-store.js';
import { runMain, startPostgres } from './lib/infra.js';
import { median, ms, quantile, table } from './lib/stats.js';

type Incr = (key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, windowMs: number, max: number) => void;
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (
  a: boolean,
  b: boolean,
  c?: number,
) => {
  incr: Incr;
};

const CALLS = 2_000;
const ROUNDS = 5;
/** Distinct client addresses per round: a busy minute of the public form, every one a first request or a repeat. */
const ADDRESSES = 500;

const incrOnce = (store: { incr: Incr }, key: string) =>
  new Promise<void>((resolve, reject) => store.incr(key, (err) => (err ? reject(err) : resolve()), 60_000, 20));

async function time(label: string, call: (i: number) => Promise<unknown>) {
  const each: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await call(i);
    each.push(performance.now() - t0);
  }
  return { label, p50: median(each), p99: quantile(each, 0.99) };
}

await runMain(async () => {
  const pg = await startPostgres();
  const sql = postgres(pg.url, { max: 10, onnotice: () => {} });
  const Store = postgresRateLimitStore(sql);
  const pgStore = new Store().child({ routeInfo: { method: 'POST', url: '/api/letters' } });
  const memory = new LocalStore(false, false, 5000);
  const results: Record<string, { p50: number[]; p99: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const key = (i: number) => `10.${round}.${Math.floor((i % ADDRESSES) / 250)}.${i % 250}`;
    for (const r of [
      await time('select 1 (floor)', () => sql`select 1`),
      await time('PostgreSQL store incr', (i) => incrOnce(pgStore, key(i))),
      await time('in-memory LocalStore incr', (i) => incrOnce(memory, key(i))),
    ]) {
      (results[r.label] ??= { p50: [], p99: [] }).p50.push(r.p50);
      results[r.label]!.p99.push(r.p99);
    }
  }
  await sql.end();
  const floor = median(results['select 1 (floor)']!.p50);
  const rows = Object.entries(results).map(([label, r]) => [
    label,
    ms(median(r.p50), 3),
    ms(median(r.p99), 3),
    `${(median(r.p50) / floor).toFixed(2)}×`,
  ]);
  console.log(`\n${CALLS} sequential calls × ${ROUNDS} rounds, ${ADDRESSES} addresses; medians over rounds`);
  console.log(table([['call', 'p50', 'p99', 'p50 / select 1'], ...rows]));
});
