// The public 政府信息公开目录 (issue 16 point 5) at 1,000,000 published entries: the catalogue page unfiltered,
// by category, year, department and year, by 文号 and 索引号, by a common and a rare two-character word of the
// title, a deep page, and the JSON, through app.inject of the real routes (service, rendering, cache
// headers), with GET /health in the same process as the baseline. Target: p95 < 50 ms each.
// Run: npx tsx bench/catalogue.ts (BENCH_CATALOGUE_ENTRIES to change the count;
// BENCH_CATALOGUE_DATABASE_URL, or BENCH_DATA_DIR for the embedded one, to reuse a database an earlier run
// seeded). Prints figures only.
import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { DOCUMENT_CATEGORIES } from '../src/disclosure/rules.js';
import { SENTENCES, seedDepartmentsAndStaff } from './lib/dataset.js';
import { inProcessApp } from './lib/in-process-app.js';
import { runMain, startPostgres } from './lib/infra.js';
import { ms, table, timeCalls, verdict } from './lib/stats.js';

const ENTRIES = Number(process.env.BENCH_CATALOGUE_ENTRIES ?? 1_000_000);
const CALLS = 200;
const TARGET_MS = 50;
/** One document in 2,000 is about boilers (锅炉): the rare word. One in 20 was changed: two published rounds. */
const RARE_EVERY = 2000;
const CHANGED_EVERY = 20;
const SUBJECTS = ['食品安全', '特种设备', '产品质量', '登记注册', '价格监督', '知识产权', '计量', '标准化', '广告监管', '网络交易'];

await runMain(async () => {
  const url = process.env.BENCH_CATALOGUE_DATABASE_URL;
  // BENCH_DATA_DIR keeps the embedded database's folder: a second run finds the entries seeded.
  const pg = url ? (await runMigrations(url), { url }) : await startPostgres('amr_catalogue', { reusable: true });
  const deptIds = await seedDepartmentsAndStaff(pg.url);
  const database = createDatabase(pg.url, { max: 4 });
  const { db } = database;
  const t0 = Date.now();
  const [{ n: already }] = (await db.execute<{ n: number }>(sql`select count(*)::int n from catalogue_entries`)) as unknown as [
    { n: number },
  ];
  if (already === 0) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
      // The bigram index is built once after the rows (as CREATE INDEX on loaded data), with its own definition.
      const [{ def }] = (await tx.execute<{ def: string }>(
        sql`select indexdef def from pg_indexes where indexname = 'catalogue_entries_bigrams_idx'`,
      )) as unknown as [{ def: string }];
      await tx.execute(sql`drop index catalogue_entries_bigrams_idx`);
      const [{ id: staffId }] = (await tx.execute<{ id: number }>(sql`select id from staff order by id limit 1`)) as unknown as [
        { id: number },
      ];
      const arr = (xs: readonly (string | number)[]) =>
        sql.raw(`(array[${xs.map((x) => (typeof x === 'number' ? x : `'${x}'`)).join(',')}])`);
      // Title sentence, year and day from independent hashes of g: with g % 30 and g % 12 the newest-first order
      // held a common word's documents together, which real catalogues do not.
      await tx.execute(sql`
        insert into disclosure_documents (title, doc_number, department_id, category, subject, summary, formed_on, decision, index_no, registered_by)
        select '关于' || ${arr(SENTENCES)}[1 + abs(hashint4(g)) % ${SENTENCES.length}] || case when abs(hashint4(g * 3)) % ${RARE_EVERY} = 0 then '锅炉' else '' end || '的通知（第' || g || '号）',
          '闽市监〔' || y || '〕' || g || '号', ${arr(deptIds)}[1 + g % ${deptIds.length}],
          (${arr(DOCUMENT_CATEGORIES)}::document_category[])[1 + g % ${DOCUMENT_CATEGORIES.length}], ${arr(SUBJECTS)}[1 + (g / 7) % ${SUBJECTS.length}],
          '', make_date(y, 1, 1) + abs(hashint4(g + 13)) % 360, 'proactive', 'FJAMR-' || lpad((g % 12)::text, 2, '0') || '-' || y || '-' || lpad(g::text, 7, '0'), ${staffId}
        from generate_series(1, ${ENTRIES}) g, lateral (select 2015 + abs(hashint4(g + 7)) % 12 as y) year`);
      const entry = (round: number, where: ReturnType<typeof sql>) => sql`
        insert into catalogue_entries (document_id, round, status, starts_on, due_on, due_at, department_id, index_no, name, summary,
          generated_on, doc_number, publisher, category, subject, published_at, published_by, is_current)
        select id, ${round}, 'published', formed_on, formed_on + 28, (formed_on + 29)::timestamptz, department_id, index_no, title, '',
          formed_on, doc_number, '福建省市场监督管理局', category, subject, (formed_on + 10 * ${round})::timestamptz + interval '2 hours', ${staffId},
          ${round === 2 ? sql`true` : sql`id % ${CHANGED_EVERY} <> 0`}
        from disclosure_documents ${where}`;
      await tx.execute(entry(1, sql``));
      await tx.execute(entry(2, sql`where id % ${CHANGED_EVERY} = 0`));
      await tx.execute(sql.raw(def));
    });
    await db.execute(sql`vacuum analyze disclosure_documents`);
    await db.execute(sql`vacuum analyze catalogue_entries`);
  }
  const [counts] = (await db.execute<{ entries: number; rare: number }>(sql`
    select count(*)::int entries, count(*) filter (where strpos(name, '锅炉') > 0)::int rare from catalogue_entries`)) as unknown as [
    { entries: number; rare: number },
  ];
  console.log(
    `${already === 0 ? 'seeded' : 'found'} ${counts.entries} published catalogue entries (${ENTRIES} documents, one in ${CHANGED_EVERY} with a second round; 锅炉 in ${counts.rare}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const { app, close: closeApp } = await inProcessApp(pg.url, database);

  const samples = (await db.execute<{ doc_number: string; index_no: string }>(
    sql`select doc_number, index_no from disclosure_documents order by random() limit ${CALLS}`,
  )) as unknown as { doc_number: string; index_no: string }[];
  const q = (s: string) => encodeURIComponent(s);
  const time = (label: string, url: (i: number) => string) =>
    timeCalls(
      label,
      async (i) => {
        const res = await app.inject({ method: 'GET', url: url(i) });
        if (res.statusCode !== 200) throw new Error(`${url(i)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      },
      CALLS,
      10,
    );
  const baseline = await time('baseline: GET /health', () => '/health');
  const runs = [
    await time('catalogue, no filter, first page', () => '/xxgk/catalogue'),
    await time('by category (one of 12)', (i) => `/xxgk/catalogue?category=${DOCUMENT_CATEGORIES[i % DOCUMENT_CATEGORIES.length]}`),
    await time('by year', (i) => `/xxgk/catalogue?year=${2015 + (i % 12)}`),
    await time('by department and year', (i) => `/xxgk/catalogue?departmentId=${deptIds[i % deptIds.length]}&year=${2015 + (i % 12)}`),
    await time('by subject and category', (i) => `/xxgk/catalogue?subject=${q(SUBJECTS[i % SUBJECTS.length]!)}&category=penalty`),
    await time('search by 文号', (i) => `/xxgk/catalogue?q=${q(samples[i % samples.length]!.doc_number)}`),
    await time('search by 索引号', (i) => `/xxgk/catalogue?q=${q(samples[i % samples.length]!.index_no)}`),
    await time('search, common word (商品)', (i) => `/xxgk/catalogue?q=${q('商品')}&page=${1 + (i % 3)}`),
    await time('search, rare word (锅炉)', () => `/xxgk/catalogue?q=${q('锅炉')}`),
    await time('search, no match (锅盖)', () => `/xxgk/catalogue?q=${q('锅盖')}`),
    await time('deep page (page 400)', (i) => `/xxgk/catalogue?page=${400 - (i % 5)}`),
    await time(
      'JSON /api/xxgk/catalogue by category',
      (i) => `/api/xxgk/catalogue?category=${DOCUMENT_CATEGORIES[i % DOCUMENT_CATEGORIES.length]}`,
    ),
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
        `< ${TARGET_MS} ms`,
        verdict(r.p95 < TARGET_MS),
      ]),
    ]),
  );
  await closeApp();
  await database.close();
});
