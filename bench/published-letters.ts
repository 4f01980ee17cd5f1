// The public list and text search of published letters (issue 14) at 100,000 published letters: the
// service call the route makes (listPublished), in process, on embedded PostgreSQL. Target p95 < 20 ms.
// Run: npx tsx bench/published-letters.ts (BENCH_PUBLISHED to change the count). Prints figures only.
import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { listPublished } from '../src/mailbox/service/published.js';
import { seedDepartmentsAndStaff } from './lib/dataset.js';
import { runMain, startPostgres } from './lib/infra.js';
import { ms, table, timeCalls } from './lib/stats.js';

const PUBLISHED = Number(process.env.BENCH_PUBLISHED ?? 100_000);
const CALLS = 300;
const WORDS = ['电饭锅', '退货', '食品安全', '价格欺诈', '营业执照', '虚假宣传', '快递', '预付卡', '装修', '药店'];

await runMain(async () => {
  const pg = await startPostgres('amr_published');
  const deptIds = await seedDepartmentsAndStaff(pg.url);
  const { db, close } = createDatabase(pg.url, { max: 2 });
  const t0 = Date.now();
  // Seeding 100k rows with their foreign-key checks can outlast the app's statement_timeout on a busy machine.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    // Letters and their publications in SQL: the writer's columns are filler, only the masked copy is read.
    await tx.execute(sql`
      insert into letters (tracking_no, access_code_hash, type, status, first_department_id, department_id, writer_name, writer_phone,
        subject, content, allow_publication, received_at, limit_days, due_date, due_at, due_provisional, answer, answered_at)
      select 'P' || g, 'x', 'complaint', 'answered', d, d, '网友', '13800000000',
        ${sql.raw(`(array['${WORDS.join("','")}'])`)}[1 + g % ${WORDS.length}] || '问题反映 ' || g,
        '关于' || ${sql.raw(`(array['${WORDS.join("','")}'])`)}[1 + (g / 7)::int % ${WORDS.length}] || '的投诉，编号 ' || md5(g::text),
        true, now() - make_interval(hours => g), 15, current_date, now(), false, '已处理', now() - make_interval(hours => g) + interval '3 days'
      from generate_series(1, ${PUBLISHED}) g, lateral (select (${sql.raw(`array[${deptIds.join(',')}]`)})[1 + g % ${deptIds.length}] as d) dd`);
    const [{ id: staffId }] = (await tx.execute<{ id: number }>(sql`select id from staff order by id limit 1`)) as unknown as [
      { id: number },
    ];
    await tx.execute(sql`
      insert into letter_publications (letter_id, status, subject, content, answer, masking, type, department_id, received_at, answered_at,
        selected_by, approved_by, published_at)
      select id, 'published', subject, content, answer, '{}'::jsonb, type, department_id, received_at, answered_at, ${staffId}, ${staffId}, answered_at
      from letters`);
  });
  await db.execute(sql`analyze letter_publications`);
  console.log(`seeded ${PUBLISHED} published letters in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const time = (label: string, call: (i: number) => Promise<unknown>) => timeCalls(label, call, CALLS);
  // The baseline, in this process and on this pool: a round trip that reads nothing (the machine is noisy).
  const baseline = await time('baseline: select 1', () => db.execute(sql`select 1`));
  const runs = [
    baseline,
    await time('list, first page', () => listPublished({ db }, {})),
    await time('list, page after a cursor', (i) => listPublished({ db }, { before: PUBLISHED - ((i * 997) % PUBLISHED) })),
    await time('list, one department', (i) => listPublished({ db }, { departmentId: deptIds[i % deptIds.length] })),
    await time('search, common word', (i) => listPublished({ db }, { q: WORDS[i % WORDS.length] })),
    await time('search, rare text', (i) => listPublished({ db }, { q: `问题反映 ${1000 + i}` })),
  ];
  const rows = runs.map((r) => [r.label, ms(r.median, 2), ms(r.p95, 2), `${(r.median / baseline.median).toFixed(1)}×`]);
  console.log(table([['query', 'median', 'p95', 'median / baseline'], ...rows]));
  await close();
});
