// The daily digests over 1,000,000 letters. Run: npx tsx bench/digest.ts
//
// Times buildDigests (src/digest/service.ts) for one whole working day, all departments and the general
// office, in-process against the seeded data set; prints the plans of its queries; then runs the same
// day through the app (POST /api/digests/:date/run → the worker's activity) and reads the peak RSS of
// the app's processes (the activity runs in the worker process). Goals: < 5 s; < 300 MB per process.
import { pathToFileURL } from 'node:url';
import { CalendarService } from '../src/calendar/service.js';
import { dayToIso, parseIsoDate } from '../src/calendar/china-time.js';
import { buildDigests } from '../src/digest/service.js';
import { machineLine, runMain, watchAppMemory } from './lib/infra.js';
import { explain, login, prepareScale, tracedDatabase, type Scale } from './lib/scale.js';
import { Goals, heading, mb, median, ms, table } from './lib/stats.js';

const ROUNDS = Number(process.env.BENCH_DIGEST_ROUNDS ?? 5);
const GOAL_MS = 5000;

export async function runDigest(scale: Scale): Promise<{ goals: Goals }> {
  const goals = new Goals();
  heading('4. Daily digests at 1,000,000 letters');
  console.log(machineLine());
  const traced = tracedDatabase(scale.pg.url);
  const { db, sql } = traced;
  try {
    const calendar = new CalendarService(db, sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
    await calendar.reload();
    // The last working day of the data set: its 08:30 digest sees ≈ 3 years of letters before it.
    let day = parseIsoDate(scale.dataset.lastDay)!;
    while (!calendar.current.isWorkingDay(day)) day--;
    const dayIso = dayToIso(day);
    const deps = { db, calendar, env: { DIGEST_TIME: '08:30' } };

    const [open] =
      (await sql`select count(*)::int as n, count(*) filter (where status = 'in_arbitration')::int as arb from letters where status in ('processing', 'in_arbitration')`) as unknown as {
        n: number;
        arb: number;
      }[];
    console.log(
      `digest day ${dayIso} (08:30 China time); ${open!.n.toLocaleString('en-US')} open letters (${open!.arb.toLocaleString('en-US')} in arbitration) of ${scale.dataset.letters.toLocaleString('en-US')}`,
    );

    const first = await buildDigests(deps, dayIso); // warm-up (and the first build enqueues the e-mails)
    const times: number[] = [];
    const heap: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const before = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      await buildDigests(deps, dayIso);
      times.push(performance.now() - t0);
      heap.push(process.memoryUsage().heapUsed - before);
    }
    console.log(
      `\nbuildDigests('${dayIso}') in-process: ${first.digests} digests, ${first.emailsQueued} e-mails queued on the first build; ${ROUNDS} rounds after a warm-up:`,
    );
    console.log(
      table([
        ['round', ...times.map((_, i) => i + 1), 'median'],
        ['ms', ...times.map((t) => t.toFixed(0)), median(times).toFixed(0)],
      ]),
    );

    // Where the time goes: the statements it sends, timed and explained.
    const stmts = await traced.capture(() => buildDigests(deps, dayIso));
    console.log(
      `\nIt sends ${stmts.length} statements; the reads of letters and letter_events (the events query takes the open letters as a subquery, not one parameter each):`,
    );
    for (const stmt of stmts.filter((x) => /^select .* from "(letters|letter_events)"/s.test(x.query))) {
      const { plan } = await explain(sql, stmt);
      const shown = stmt.query.length > 600 ? `${stmt.query.slice(0, 600)}… (${stmt.query.length} characters)` : stmt.query;
      console.log(
        `\n${shown}\nparams: ${stmt.params.length} (${JSON.stringify(stmt.params.slice(0, 4))}${stmt.params.length > 4 ? ', …' : ''})\n${plan.replace(/^/gm, '  ')}`,
      );
    }

    // The same day through the app: the worker's buildDigests activity, and the app's memory meanwhile.
    const token = await login(scale.app.base, 'admin', '192.0.2.20');
    const memory = watchAppMemory(scale.app, 50);
    const appTimes: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const res = await fetch(`${scale.app.base}/api/digests/${dayIso}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '192.0.2.20' },
      });
      const body = await res.text();
      if (!res.ok) throw new Error(`POST /api/digests/${dayIso}/run: ${res.status} ${body}`);
      appTimes.push(performance.now() - t0);
    }
    const peaks = memory.stop();
    console.log(
      `\nThrough the app (POST /api/digests/${dayIso}/run: workflow → isWorkingDay, buildDigests, deliverNotifications activities), 3 runs: ${appTimes.map((t) => ms(t, 0)).join(', ')}; peak RSS meanwhile: ${peaks.map((p) => `${p.name} process VmHWM ${mb(p.end.hwmKb)} (sampled ${mb(p.sampledKb)})`).join(', ')}${memory.resetOk ? '' : ' (peaks not reset: include boot)'}`,
    );

    console.log('\nGoals:');
    goals.add(
      `buildDigests for a whole day < ${GOAL_MS / 1000} s`,
      `median of ${ROUNDS} ${ms(median(times), 0)} (through the app ${ms(median(appTimes), 0)})`,
      median(times) < GOAL_MS,
    );
    for (const p of peaks) goals.add(`${p.name} process peak RSS < 300 MB while building the digests`, mb(p.peakKb), p.peakKb < 300 * 1024);
    return { goals };
  } finally {
    await traced.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await runMain(async () => void (await runDigest(await prepareScale())));
