// The public website (issue 15) at 100,000 published items: the item page, a column page (first and a
// deep page) and site search (a common and a rare two-character word), through app.inject of the real
// routes (the whole page: service, rendering, ETag), with GET /health in the same process as the
// baseline. Targets: item and column p95 < 20 ms, search p95 < 50 ms.
// Run: npx tsx bench/site.ts (BENCH_SITE_ITEMS to change the count). Prints figures only.
import { sql } from 'drizzle-orm';
import { staffIdByUsername } from '../src/auth/service/staff-directory.js';
import { createDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { seedColumns } from '../src/publishing/seed.js';
import { SENTENCES, seedDepartmentsAndStaff } from './lib/dataset.js';
import { inProcessApp } from './lib/in-process-app.js';
import { runMain, startPostgres } from './lib/infra.js';
import { ms, table, timeCalls, verdict } from './lib/stats.js';

const ITEMS = Number(process.env.BENCH_SITE_ITEMS ?? 100_000);
const CALLS = 300;
/** One item in a thousand mentions 锅炉 (boilers): the rare word. 食品 is in about a third (SENTENCES). */
const RARE_EVERY = 1000;

await runMain(async () => {
  // BENCH_SITE_DATABASE_URL: a database already migrated (and seeded by an earlier run: not seeded again).
  const pg = process.env.BENCH_SITE_DATABASE_URL
    ? (await runMigrations(process.env.BENCH_SITE_DATABASE_URL), { url: process.env.BENCH_SITE_DATABASE_URL })
    : await startPostgres('amr_site');
  const deptIds = await seedDepartmentsAndStaff(pg.url);
  const database = createDatabase(pg.url, { max: 4 });
  const { db } = database;
  await seedColumns(db);
  const drafter = (await staffIdByUsername(db, 'h-registration'))!;
  const columns = await db.execute<{ id: number; slug: string }>(
    sql`select id, slug from site_columns where accepts_items order by sort_order`,
  );
  const columnIds = columns.map((c) => c.id);
  const t0 = Date.now();
  const [{ n: already }] = (await db.execute<{ n: number }>(sql`select count(*)::int n from site_items`)) as unknown as [{ n: number }];
  if (already === 0) await seed();
  async function seed() {
    // Items and their version 1 in SQL: one a minute back from now, spread over the columns; the body
    // is four of the benchmark sentences (about 100 characters of Chinese) and a generated number.
    const sentences = sql.raw(`(array['${SENTENCES.join("','")}'])`);
    await db.execute(sql`
    insert into site_items (column_id, department_id, drafter_id, content_type, state, latest_version, published_version,
      first_published_at, updated_published_at)
    select (${sql.raw(`array[${columnIds.join(',')}]`)})[1 + g % ${columnIds.length}],
      (${sql.raw(`array[${deptIds.join(',')}]`)})[1 + g % ${deptIds.length}], ${drafter}, 'article', 'published', 1, 1,
      date_trunc('milliseconds', now() - make_interval(mins => g)),
      case when g % 10 = 0 then date_trunc('milliseconds', now() - make_interval(mins => g / 2)) end
    from generate_series(1, ${ITEMS}) g`);
    // In batches: each version's bigrams are generated and GIN-indexed on insert (the statement timeout is 15 s).
    const BATCH = 5_000;
    const [{ lo, hi }] = (await db.execute<{ lo: number; hi: number }>(
      sql`select min(id)::int lo, max(id)::int hi from site_items`,
    )) as unknown as [{ lo: number; hi: number }];
    for (let from = lo; from <= hi; from += BATCH)
      await db.execute(sql`
    insert into site_item_versions (item_id, version, title, summary, body, author_id)
    select id, 1,
      '关于' || ${sentences}[1 + id % 30] || '的通知（' || id || '）',
      '',
      ${sentences}[1 + (id / 3)::int % 30] || ${sentences}[1 + (id / 7)::int % 30] || ${sentences}[1 + (id / 11)::int % 30]
        || case when id % ${RARE_EVERY} = 0 then '请各单位做好锅炉安全检查。' else '' end
        || '文号：闽市监〔2026〕' || id || '号。',
      ${drafter}
    from site_items where id >= ${from} and id < ${from + BATCH}`);
    // As autovacuum would have by now: statistics, and the visibility map index-only scans need.
    await db.execute(sql`vacuum analyze site_items`);
    await db.execute(sql`vacuum analyze site_item_versions`);
  }
  const counts = await db.execute<{ food: number; rare: number }>(sql`
    select count(*) filter (where strpos(body, '食品') > 0 or strpos(title, '食品') > 0)::int as food,
           count(*) filter (where strpos(body, '锅炉') > 0)::int as rare from site_item_versions`);
  console.log(
    `seeded ${ITEMS} published items in ${((Date.now() - t0) / 1000).toFixed(1)} s: 食品 in ${counts[0]!.food}, 锅炉 in ${counts[0]!.rare}`,
  );

  const { app, close: closeApp } = await inProcessApp(pg.url, database);

  const ids = (await db.execute<{ id: number }>(sql`select id from site_items order by random() limit ${CALLS}`)).map((r) => Number(r.id));
  const gzdt = columns[0]!.slug;
  const deepPage = Math.floor(ITEMS / columnIds.length / 20) - 1;
  const time = (label: string, url: (i: number) => string, status = 200) =>
    timeCalls(
      label,
      async (i) => {
        const res = await app.inject({ method: 'GET', url: url(i) });
        if (res.statusCode !== status) throw new Error(`${url(i)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      },
      CALLS,
      20,
    );
  const baseline = await time('baseline: GET /health', () => '/health');
  const runs = [
    { ...(await time('item page /items/:id', (i) => `/items/${ids[i % ids.length]}`)), target: 20 },
    { ...(await time('column page, first', () => `/columns/${gzdt}`)), target: 20 },
    { ...(await time(`column page, deep (page ${deepPage})`, (i) => `/columns/${gzdt}?page=${deepPage - (i % 5)}`)), target: 20 },
    { ...(await time('home page /', () => '/')), target: 20 },
    { ...(await time('search, common word (食品)', (i) => `/search?q=${encodeURIComponent('食品')}&page=${1 + (i % 3)}`)), target: 50 },
    { ...(await time('search, rare word (锅炉)', () => `/search?q=${encodeURIComponent('锅炉')}`)), target: 50 },
    { ...(await time('search, no match (锅盖)', () => `/search?q=${encodeURIComponent('锅盖')}`)), target: 50 },
    { ...(await time('JSON /api/site/columns/:id/items', () => `/api/site/columns/${columnIds[0]}/items`)), target: 20 },
  ];
  console.log(
    table([
      ['request', 'median', 'p95', '× baseline p95', 'target p95', ''],
      [baseline.label, ms(baseline.median, 2), ms(baseline.p95, 2), '1.0', '', ''],
      ...runs.map((r) => [
        r.label,
        ms(r.median, 2),
        ms(r.p95, 2),
        (r.p95 / baseline.p95).toFixed(1),
        `< ${r.target} ms`,
        verdict(r.p95 < r.target),
      ]),
    ]),
  );
  await closeApp();
  await database.close();
});
