// The daily self-inspection (issue 21 point 5) at 100,000 published site items and 1,000,000 letters:
// runDailyInspection, the call the digest build makes (gather the facts through the publishing and
// mailbox services, compute, store the day's row), in process, on embedded PostgreSQL, with a `select 1`
// round trip on the same pool as the baseline. Target: < 5 s a run.
// Run: npx tsx bench/inspection.ts (BENCH_INSPECTION_ITEMS, BENCH_INSPECTION_LETTERS to change the counts).
import { sql } from 'drizzle-orm';
import { staffIdByUsername } from '../src/auth/service/staff-directory.js';
import { createDatabase } from '../src/db/client.js';
import { runDailyInspection } from '../src/inspection/service/index.js';
import { seedColumns } from '../src/publishing/seed.js';
import { seedDepartmentsAndStaff } from './lib/dataset.js';
import { runMain, startPostgres } from './lib/infra.js';
import { median, ms, quantile, table, verdict } from './lib/stats.js';

const ITEMS = Number(process.env.BENCH_INSPECTION_ITEMS ?? 100_000);
const LETTERS = Number(process.env.BENCH_INSPECTION_LETTERS ?? 1_000_000);
const RUNS = 10;
const BATCH = 100_000;

await runMain(async () => {
  const pg = await startPostgres('amr_inspection');
  const deptIds = await seedDepartmentsAndStaff(pg.url);
  const { db, close } = createDatabase(pg.url, { max: 4 });
  await seedColumns(db);
  const drafter = (await staffIdByUsername(db, 'h-registration'))!;
  const columnIds = (await db.execute<{ id: number }>(sql`select id from site_columns where accepts_items order by sort_order`)).map(
    (c) => c.id,
  );
  const arr = (xs: number[]) => sql.raw(`array[${xs.join(',')}]`);
  const t0 = Date.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    // Site items: one every 10 minutes back from now over the columns but the last (征集调查 stays empty);
    // one in ten updated later; one in fifty taken down or still a draft (not counted).
    const used = columnIds.slice(0, -1);
    await tx.execute(sql`
      insert into site_items (column_id, department_id, drafter_id, content_type, state, latest_version, published_version,
        first_published_at, updated_published_at)
      select (${arr(used)})[1 + g % ${used.length}], (${arr(deptIds)})[1 + g % ${deptIds.length}], ${drafter}, 'article',
        (case when g % 50 = 0 then 'draft' else 'published' end)::item_state, 1, 1,
        now() - make_interval(mins => 10 * g), case when g % 10 = 0 then now() - make_interval(mins => 5 * g) end
      from generate_series(1, ${ITEMS}) g`);
    // Letters, in batches: one received every 2 minutes back from now (about 3.8 years); open while younger
    // than 20 days and for one in 2,000 older ones (left unanswered), rejected one in 100, else answered.
    for (let from = 1; from <= LETTERS; from += BATCH) {
      const to = Math.min(LETTERS, from + BATCH - 1);
      await tx.execute(sql`
        insert into letters (tracking_no, access_code_hash, type, status, first_department_id, department_id, writer_name, writer_phone,
          subject, content, allow_publication, received_at, limit_days, due_date, due_at, due_provisional, answer, answered_at)
        select 'I' || g, 'x', 'complaint', s.status, d, d, '网友', '13800000000', '问题 ' || (g % 97), '内容 ' || (g % 89), true,
          now() - make_interval(mins => 2 * g), 15, current_date, now() - make_interval(mins => 2 * g) + interval '21 days', false,
          case when s.status = 'answered' then '已处理' end,
          case when s.status = 'answered' then now() - make_interval(mins => 2 * g) + interval '5 days' end
        from generate_series(${from}::int, ${to}::int) g,
          lateral (select (${arr(deptIds)})[1 + g % ${deptIds.length}] as d) dd,
          lateral (select (case when g < 14400 or g % 2000 = 0 then 'processing' when g % 100 = 0 then 'rejected' else 'answered' end)::letter_status
            as status) s`);
    }
    const [{ id: staffId }] = (await tx.execute<{ id: number }>(sql`select id from staff order by id limit 1`)) as unknown as [
      { id: number },
    ];
    // Published answers: one letter in a hundred of the answered ones.
    await tx.execute(sql`
      insert into letter_publications (letter_id, status, subject, content, answer, masking, type, department_id, received_at, answered_at,
        selected_by, approved_by, published_at)
      select id, 'published', subject, content, answer, '{}'::jsonb, type, department_id, received_at, answered_at, ${staffId}, ${staffId},
        answered_at + interval '1 day'
      from letters where status = 'answered' and id % 100 = 7`);
  });
  for (const t of ['site_items', 'letters', 'letter_publications']) await db.execute(sql.raw(`vacuum analyze ${t}`));
  const [pubs] = (await db.execute<{ n: number; last: Date }>(
    sql`select count(*)::int n, max(published_at) last from letter_publications where status = 'published'`,
  )) as unknown as [{ n: number; last: Date }];
  console.log(`published answers: ${pubs.n}, newest ${String(pubs.last)}`);
  console.log(`seeded ${ITEMS} items and ${LETTERS} letters in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const time = async (call: () => Promise<unknown>) => {
    await call(); // warm-up
    const each: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await call();
      each.push(performance.now() - s);
    }
    return { median: median(each), max: quantile(each, 1) };
  };
  const baseline = await time(() => db.execute(sql`select 1`));
  const run = await time(() => runDailyInspection({ db }));
  const report = await runDailyInspection({ db });
  console.log(
    table([
      ['call', 'median', 'max', 'target'],
      ['baseline: select 1', ms(baseline.median, 2), ms(baseline.max, 2), ''],
      ['runDailyInspection', ms(run.median), ms(run.max), `< 5 s: ${verdict(run.max < 5000)}`],
    ]),
  );
  console.log(report.results.map((r) => `${r.key}: ${r.status} ${r.value}`).join('\n'));
  await close();
});
