// Where the intake time goes, without HTTP: receiveLetter (src/mailbox/service/intake.ts) called in-process
// against its own database, next to the baseline's single INSERT. receiveLetter writes the letter,
// its `received` event, the audit row and the NOTIFY in one statement (docs/performance.md §1).
// Sequential calls, so the figures are per-letter latency and the Node CPU each one costs. A separate
// database, so the app's outbox never sees these letters.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { createDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { receiveLetter } from '../../src/mailbox/service/intake.js';
import { letterBody, type LetterBody } from '../../src/mailbox/schemas.js';
import { median, ms, num, quantile, table } from './stats.js';

const N = Number(process.env.BENCH_PATH_CALLS ?? 300);

export async function intakePath(adminUrl: string, urlOf: (db: string) => string, rawBodies: string[]) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database amr_intake_path');
  await admin.end();
  const url = urlOf('amr_intake_path');
  await runMigrations(url);
  const { db, sql, close } = createDatabase(url);
  try {
    await seedDepartments(db);
    await sql`create table bench_baseline_letters (like letters including all)`;
    const env = loadEnv({ DATABASE_URL: url });
    const calendar = new CalendarService(db, sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
    await calendar.reload();
    const bodies: LetterBody[] = rawBodies.map((b) => letterBody.parse(JSON.parse(b)));

    const cases: Record<string, (b: LetterBody, i: number) => Promise<unknown>> = {
      'receiveLetter (one statement, 1 round trip)': (b, i) =>
        receiveLetter({ db, calendar, env }, b, { ip: `10.9.${(i >> 8) & 255}.${i & 255}`, requestId: `r${i}` }),
      'baseline: one INSERT (no transaction)': (b) => baselineInsert(sql, b),
    };
    const rows: (string | number)[][] = [['path', 'p50', 'p99', 'Node CPU ms/letter (user + system)', 'letters/s (one at a time)']];
    for (const [name, fn] of Object.entries(cases)) {
      for (let i = 0; i < 20; i++) await fn(bodies[i % bodies.length]!, i); // warm-up
      const rounds: { p50: number; p99: number; cpu: number; user: number; sys: number; rate: number }[] = [];
      for (let r = 0; r < 3; r++) {
        const times: number[] = [];
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < N; i++) {
          const s = performance.now();
          await fn(bodies[i % bodies.length]!, 1000 * (r + 1) + i);
          times.push(performance.now() - s);
        }
        const wall = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        rounds.push({
          p50: quantile(times, 0.5),
          p99: quantile(times, 0.99),
          cpu: (cpu.user + cpu.system) / 1000 / N,
          user: cpu.user / 1000 / N,
          sys: cpu.system / 1000 / N,
          rate: (N * 1000) / wall,
        });
      }
      rows.push([
        name,
        ms(median(rounds.map((x) => x.p50)), 2),
        ms(median(rounds.map((x) => x.p99)), 2),
        `${num(median(rounds.map((x) => x.cpu)), 2)} (${num(median(rounds.map((x) => x.user)), 2)} + ${num(median(rounds.map((x) => x.sys)), 2)})`,
        num(median(rounds.map((x) => x.rate)), 0),
      ]);
    }
    console.log(`\nIntake path without HTTP, in-process, ${N} sequential letters × 3 rounds (medians), own database:`);
    console.log(table(rows));
    const [{ n }] = (await sql`select count(*)::int as n from letter_events where kind = 'received'`) as unknown as [{ n: number }];
    const [{ a }] = (await sql`select count(*)::int as a from audit_log where action = 'letter.receive'`) as unknown as [{ a: number }];
    console.log(`(check: ${num(n)} received events and ${num(a)} audit rows written by the two intake paths)`);
  } finally {
    await close();
  }
}

async function baselineInsert(sql: postgres.Sql, b: LetterBody) {
  const now = new Date();
  const due = new Date(now.getTime() + 14 * 86_400_000);
  await sql`
    insert into bench_baseline_letters (tracking_no, access_code_hash, type, first_department_id, department_id, visited_department_ids,
      writer_name, writer_phone, writer_email, subject, content, allow_publication, received_at, limit_days, due_date, due_at, due_provisional, submit_ip)
    values (${`B${randomBytes(8).toString('hex')}`}, ${randomBytes(32).toString('hex')}, ${b.type}, ${b.departmentId}, ${b.departmentId}, ${[b.departmentId]},
      ${b.writer.name}, ${b.writer.phone}, ${b.writer.email ?? null}, ${b.subject}, ${b.content}, ${b.allowPublication}, ${now.toISOString()}, 10,
      ${due.toISOString().slice(0, 10)}, ${due.toISOString()}, false, '10.0.0.1')
    returning id`;
}
