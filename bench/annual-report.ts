// The annual disclosure report (issue 18, "What shows it is done") for a year of 100,000 requests: every outcome
// and applicant type, some carried in from the year before and into the next, built through the real route
// (GET /api/annual-reports/2025: table 三 from the requests, the checks, the register's figures, the sentences),
// the staff page and the cell drill-down, with GET /health as the baseline in the same process. Target: < 5 s.
// Run: npx tsx bench/annual-report.ts (BENCH_ANNUAL_REQUESTS to change the count; BENCH_DATA_DIR to reuse the
// embedded database an earlier run seeded). Prints figures only.
import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { APPLICANT_TYPES, REQUEST_OUTCOMES } from '../src/requests/outcomes.js';
import { BENCH_PASSWORD, seedDepartmentsAndStaff } from './lib/dataset.js';
import { inProcessApp } from './lib/in-process-app.js';
import { runMain, startPostgres } from './lib/infra.js';
import { ms, table, timeCalls, verdict } from './lib/stats.js';

const REQUESTS = Number(process.env.BENCH_ANNUAL_REQUESTS ?? 100_000);
const CALLS = 20;
const TARGET_MS = 5000;

await runMain(async () => {
  const pg = await startPostgres('amr_annual', { reusable: true });
  await seedDepartmentsAndStaff(pg.url);
  const database = createDatabase(pg.url, { max: 4 });
  const { db } = database;
  const t0 = Date.now();
  const [{ n: already }] = (await db.execute<{ n: number }>(sql`select count(*)::int n from disclosure_requests`)) as unknown as [
    { n: number },
  ];
  if (already === 0) {
    const arr = (xs: readonly string[]) => sql.raw(`array[${xs.map((x) => `'${x}'`).join(',')}]`);
    // Received over 2024-11 … 2025-12 (one in 14 before 2025: carried in when still open on 1 January); nine in ten
    // concluded 1–60 days later (a conclusion after 2025-12-31 is carried into 2026), each with one of the outcomes.
    await db.execute(sql`
      insert into disclosure_requests (number, access_code_hash, channel, status, submitted_at, received_at, received_on, start_on,
        applicant_type, applicant_name, id_document_type, id_document_number, form, receive_way, outcome, concluded_on, change_seq, synced_seq)
      select 'B' || lpad(g::text, 7, '0'), 'x', 'in_person',
        (case when concluded is null then 'in_progress' else 'concluded' end)::request_status,
        received, received, (received at time zone 'Asia/Shanghai')::date, (received at time zone 'Asia/Shanghai')::date,
        (${arr(APPLICANT_TYPES)}::request_applicant_type[])[1 + abs(hashint4(g)) % ${APPLICANT_TYPES.length}],
        '申请人' || g, 'resident_id', '3501' || lpad(g::text, 14, '0'), 'paper', 'post',
        case when concluded is null then null
          else (${arr(REQUEST_OUTCOMES)}::request_outcome[])[1 + abs(hashint4(g * 7)) % ${REQUEST_OUTCOMES.length}] end,
        concluded, 1, 1
      from generate_series(1, ${REQUESTS}) g,
        lateral (select timestamptz '2024-11-01 09:00+08' + (abs(hashint4(g + 3)) % 425) * interval '1 day' as received) r,
        lateral (select case when abs(hashint4(g + 11)) % 10 = 0 then null
          else ((received at time zone 'Asia/Shanghai')::date + 1 + abs(hashint4(g + 5)) % 60) end as concluded) c`);
    await db.execute(sql`vacuum analyze disclosure_requests`);
  }
  const [counts] = (await db.execute<{ year: number; open: number }>(sql`
    select count(*) filter (where received_on between '2025-01-01' and '2025-12-31')::int as year,
      count(*) filter (where concluded_on is null)::int as open from disclosure_requests`)) as unknown as [{ year: number; open: number }];
  console.log(
    `${already === 0 ? 'seeded' : 'found'} ${REQUESTS} requests (${counts.year} received in 2025, ${counts.open} never concluded) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const { app, close } = await inProcessApp(pg.url, database);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'office', password: BENCH_PASSWORD } });
  const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
  const time = (label: string, url: string, auth = true) =>
    timeCalls(
      label,
      async () => {
        const res = await app.inject({ method: 'GET', url, headers: auth ? headers : {} });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      },
      CALLS,
      3,
    );
  const baseline = await time('baseline: GET /health', '/health', false);
  const first = await app.inject({ method: 'GET', url: '/api/annual-reports/2025', headers });
  const report = first.json() as { table: Record<string, number>; checks: { passed: boolean }[] };
  console.log(
    `2025: 本年新收 ${report.table['new:total']}, 上年结转 ${report.table['carried_in:total']}, 办结 ${report.table['total:total']}, 结转下年度 ${report.table['carried_out:total']}; checks passed ${report.checks.filter((c) => c.passed).length} of ${report.checks.length}`,
  );
  const runs = [
    await time('GET /api/annual-reports/2025 (the whole report)', '/api/annual-reports/2025'),
    await time('GET /staff/annual-reports/2025 (the printed layout)', '/staff/annual-reports/2025'),
    await time('GET /staff/annual-reports/2025/cells/new:total (drill-down)', '/staff/annual-reports/2025/cells/new:total'),
  ];
  console.log(
    table([
      ['request', 'median', 'p95', '× baseline median', 'target', ''],
      [baseline.label, ms(baseline.median, 2), ms(baseline.p95, 2), '1', '', ''],
      ...runs.map((r) => [
        r.label,
        ms(r.median),
        ms(r.p95),
        (r.median / baseline.median).toFixed(0),
        `< ${TARGET_MS} ms`,
        verdict(r.p95 < TARGET_MS),
      ]),
    ]),
  );
  await close();
  await database.close();
});
