// Intake under load, workflow lag, and the memory of the API and worker processes. Run: npx tsx bench/intake.ts
//
// Starts an embedded PostgreSQL (temp dir), the Temporal CLI dev server (temp SQLite file), the real
// app (src/main.ts, a child process: the API, and the worker process it forks with the Temporal worker
// and the workflow starter) and a baseline server (a bare Fastify route doing one INSERT of a
// letter-sized row into a copy of `letters`), and drives both over loopback from a third process
// (bench/lib/loadgen.ts).
//
// Goals (2-core machine): intake ≥ 70% of the baseline's max throughput; intake p99 < 50 ms at a fixed
// 200 requests/s; workflow lag (201 → first activity recorded) p99 < 2 s at 200 requests/s, and no
// letter left without a workflow; peak RSS of the API process and of the worker process < 300 MB
// each. Figures are medians of rounds.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { createDatabase } from '../src/db/client.js';
import { seedDepartments } from '../src/departments/seed.js';
import { SENTENCES, SUBJECTS } from './lib/dataset.js';
import { intakePath } from './lib/intake-path.js';
import {
  cpuMsOf,
  machineCpuMs,
  machineLine,
  pidsMatching,
  ROOT,
  runMain,
  spawnServer,
  startApp,
  startPostgres,
  startTemporal,
  freePort,
  onCleanup,
  watchAppMemory,
} from './lib/infra.js';
import type { LoadRequest, LoadResult } from './lib/loadgen.js';
import { Goals, heading, mb, median, ms, num, quantile, sleep, table } from './lib/stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = 200;
/** A rate the workflow pipeline can follow on this machine, for the lag it gives when not saturated. */
const LOW_RATE = Number(process.env.BENCH_LOW_RATE ?? 10);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 5);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 4);
const LOW_SECONDS = Number(process.env.BENCH_LOW_SECONDS ?? 20);
const CONNECTIONS = 32;
/** Between measurements, wait (up to this long) for the outbox to empty so each round starts quiet. */
const SETTLE_TIMEOUT_MS = Number(process.env.BENCH_SETTLE_SECONDS ?? 120) * 1000;
/** At the end, how long to wait for every accepted letter's workflow to report in. */
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_SECONDS ?? 180) * 1000;

interface Loadgen {
  run(req: LoadRequest): Promise<LoadResult>;
}

async function startLoadgen(): Promise<Loadgen> {
  const child: ChildProcess = fork(path.join(ROOT, 'bench/lib/loadgen.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup('loadgen', async () => {
    if (child.exitCode === null) {
      child.send('exit');
      await new Promise((r) => child.once('exit', r));
    }
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
  });
  return {
    run: (req) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as LoadResult));
        child.send(req);
      }),
  };
}

/** 200 different letters of realistic size (≈ 300 characters of Chinese text), no attachments. */
function letterBodies(deptIds: number[]): string[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const types = ['complaint', 'complaint', 'inquiry', 'suggestion', 'report'] as const;
  return Array.from({ length: 200 }, (_, i) =>
    JSON.stringify({
      writer: {
        name: `${pick([...'王李张刘陈杨黄赵'])}${pick([...'伟芳娜敏静强磊军'])}${pick([...'华明丽杰'])}`,
        phone: `138${String(10_000_000 + i * 7919).slice(0, 8)}`,
        email: `writer${i}@example.cn`,
      },
      type: pick(types),
      departmentId: pick(deptIds),
      subject: pick(SUBJECTS),
      content: Array.from({ length: 10 }, () => pick(SENTENCES)).join('') + `涉及金额${100 + i}元。请尽快调查处理。`,
      allowPublication: i % 2 === 0,
    }),
  );
}

/** StartWorkflowExecution on the dev server alone: one at a time, and 50 in flight (no worker involved). */
async function temporalCapacity(address: string) {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const start = (id: string) => client.workflow.start('capacityProbe', { taskQueue: 'bench-capacity-probe', workflowId: id, args: [] });
    await start('probe-warm');
    let t0 = performance.now();
    for (let i = 0; i < 20; i++) await start(`probe-seq-${i}`);
    const sequentialMs = (performance.now() - t0) / 20;
    t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 200) await start(`probe-par-${next++}`);
      }),
    );
    return { sequentialMs, concurrentPerSecond: 200_000 / (performance.now() - t0) };
  } finally {
    await connection.close();
  }
}

interface Round {
  target: 'intake' | 'baseline';
  mode: 'rate' | 'max';
  round: number;
  result: LoadResult;
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  /** CPU ms per accepted request of each part of the system during the round (where the CPU went). */
  cpuBy: Record<string, number>;
  /** Share of the machine's 2 CPUs busy during the round. */
  busy: number;
}

export interface IntakeSummary {
  goals: Goals;
}

export async function runIntake(): Promise<IntakeSummary> {
  const goals = new Goals();
  heading('1. Intake under load, 2. workflow lag, 5a. memory during intake');
  console.log(machineLine());
  const pg = await startPostgres('amr');
  const temporal = await startTemporal();
  const { db, close } = createDatabase(pg.url, { max: 2 });
  await seedDepartments(db);
  await close();
  const sql = postgres(pg.url, { max: 2, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
  onCleanup('bench sql', () => sql.end({ timeout: 5 }));
  await sql`create table bench_baseline_letters (like letters including all)`;
  const deptIds = (
    (await sql`select id from departments where active and kind = 'department' order by id`) as unknown as { id: number }[]
  ).map((r) => r.id);

  if (!process.env.BENCH_SKIP_PATH) await intakePath(pg.url, (db) => pg.urlOf(db), letterBodies(deptIds));

  const app = await startApp(pg.url, temporal.address);
  const basePort = await freePort();
  const baseline = await spawnServer(
    'baseline',
    'bench/lib/baseline-server.ts',
    { DATABASE_URL: pg.url, PORT: String(basePort) },
    { readyPath: '/ready', port: basePort },
  );
  console.log(`baseline (bench/lib/baseline-server.ts) pid ${baseline.pid} on ${baseline.base}`);
  const loadgen = await startLoadgen();
  const bodies = letterBodies(deptIds);
  const urls = { intake: `${app.base}/api/letters`, baseline: `${baseline.base}/baseline/letters` };
  const pids = { intake: app.pid, baseline: baseline.pid };

  let addressBase = 1;
  const accepted = new Map<string, number>(); // trackingNo → client-side 201 time (epoch ms), intake only
  const acceptedIn = { rate: [] as string[][], max: [] as string[] };
  // Where the CPU goes during a round, by part of the system. PostgreSQL: its backends (the pools keep
  // their connections, so they live through the round) and the postmaster's reaped children.
  const parts: Record<string, () => number[]> = {
    API: () => [app.pid],
    worker: () => [app.workerPid],
    Temporal: () => pidsMatching('server start-dev'),
    PostgreSQL: () => pidsMatching('postgres: '),
    'load generator': () => pidsMatching('bench/lib/loadgen.ts'),
    'baseline server': () => [baseline.pid],
  };
  const cpuOfParts = () => Object.fromEntries(Object.entries(parts).map(([k, f]) => [k, f().reduce((a, pid) => a + cpuMsOf(pid), 0)]));
  const run = async (target: 'intake' | 'baseline', mode: 'rate' | 'max', seconds: number, round: number): Promise<Round> => {
    const cpu0 = cpuMsOf(pids[target]);
    const parts0 = cpuOfParts();
    const machine0 = machineCpuMs();
    const result = await loadgen.run({
      mode,
      url: urls[target],
      rate: RATE,
      durationMs: seconds * 1000,
      connections: CONNECTIONS,
      bodies,
      addressBase,
    });
    const cpu = cpuMsOf(pids[target]) - cpu0;
    const parts1 = cpuOfParts();
    const machine1 = machineCpuMs();
    addressBase += result.sent + 1;
    const ok = result.latencies.length;
    if (result.firstError)
      console.log(
        `    ${target} ${mode} round ${round}: ${result.completed - ok} non-2xx, ${result.errors} errors; first: ${result.firstError}`,
      );
    if (target === 'intake') for (const [no, at] of result.accepted) accepted.set(no, at);
    const cpuBy = Object.fromEntries(Object.keys(parts).map((k) => [k, ok ? (parts1[k]! - parts0[k]!) / ok : NaN]));
    const busy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
    return {
      target,
      mode,
      round,
      result,
      rps: (ok * 1000) / result.elapsedMs,
      p50: quantile(result.latencies, 0.5),
      p99: quantile(result.latencies, 0.99),
      cpuMsPerRequest: ok ? cpu / ok : NaN,
      cpuBy,
      busy,
    };
  };

  const waitForWorkflows = async (trackingNos: string[], timeoutMs: number) => {
    const t0 = Date.now();
    for (;;) {
      const [{ n }] =
        (await sql`select count(*)::int as n from letters where workflow_started_at is null and tracking_no = any(${trackingNos})`) as unknown as [
          { n: number },
        ];
      if (n === 0 || Date.now() - t0 > timeoutMs) return { pending: n, waitedMs: Date.now() - t0 };
      await sleep(250);
    }
  };
  /** Lag of each letter: workflow_started_at (set by the workflow's first activity, now() of its transaction) − the client's 201. */
  const lagsOf = async (trackingNos: string[]) => {
    const rows = (await sql`
      select tracking_no, extract(epoch from workflow_started_at) * 1000 as started, extract(epoch from received_at) * 1000 as received
      from letters where tracking_no = any(${trackingNos})`) as unknown as {
      tracking_no: string;
      started: string | null;
      received: string;
    }[];
    const fromClient: number[] = [];
    const fromReceipt: number[] = [];
    let missing = trackingNos.length - rows.length;
    for (const r of rows) {
      if (r.started === null) {
        missing++;
        continue;
      }
      fromClient.push(Number(r.started) - accepted.get(r.tracking_no)!);
      fromReceipt.push(Number(r.started) - Number(r.received));
    }
    return { fromClient, fromReceipt, missing };
  };

  // What the Temporal dev server sustains on its own, before the app loads it (a task queue nobody polls).
  const capacity = await temporalCapacity(temporal.address);
  console.log(
    `Temporal dev server alone: StartWorkflowExecution ${ms(capacity.sequentialMs)} each when sequential (the workflow starter's pattern), ${num(capacity.concurrentPerSecond, 0)} starts/s with 50 in flight`,
  );

  const memory = watchAppMemory(app);
  for (const boot of memory.start)
    console.log(
      `${boot.name} process (pid ${boot.pid}) memory after boot: RSS ${mb(boot.rssKb)} (anonymous ${mb(boot.anonKb)}, file-backed ${mb(boot.fileKb)}), peak since start ${mb(boot.hwmKb)}`,
    );
  console.log(`peaks ${memory.resetOk ? 'reset' : 'NOT reset (no permission)'} before the load`);

  const settle = async () => {
    const w = await waitForWorkflows([...accepted.keys()], SETTLE_TIMEOUT_MS);
    if (w.pending > 0)
      console.log(
        `    (outbox still had ${w.pending} letters after ${SETTLE_TIMEOUT_MS / 1000} s: the next round starts on a busy system)`,
      );
    return w;
  };

  // Warm-up (JIT, pools, Temporal's task queue), not counted. Its letters must get workflows too.
  const warm = await run('intake', 'max', 2, 0);
  acceptedIn.max.push(...warm.result.accepted.map(([no]) => no));
  await run('baseline', 'max', 2, 0);
  await settle();

  const rounds: Round[] = [];
  const settles: { after: string; letters: number; ms: number; pending: number }[] = [];
  // Max throughput: closed loop, CONNECTIONS clients, baseline and intake alternating; after each intake
  // round the outbox is left to drain so the next measurement does not compete with that backlog.
  for (let r = 1; r <= ROUNDS; r++) {
    const order: ('intake' | 'baseline')[] = r % 2 ? ['baseline', 'intake'] : ['intake', 'baseline'];
    for (const target of order) {
      const res = await run(target, 'max', MAX_SECONDS, r);
      rounds.push(res);
      if (target === 'intake') {
        acceptedIn.max.push(...res.result.accepted.map(([no]) => no));
        const w = await settle();
        settles.push({ after: `max round ${r}`, letters: res.result.accepted.length, ms: w.waitedMs, pending: w.pending });
      }
      await sleep(500);
    }
  }

  // Fixed rate: the p99 goal and the workflow-lag goal at 200/s, then the lag at a rate the pipeline follows.
  const lagRounds: {
    rate: number;
    round: number;
    p50: number;
    p99: number;
    max: number;
    n: number;
    pending: number;
    waitedMs: number;
    fromReceiptP99: number;
  }[] = [];
  const lagRound = async (rate: number, round: number, nos: string[]) => {
    const w = await waitForWorkflows(nos, SETTLE_TIMEOUT_MS);
    const lag = await lagsOf(nos);
    lagRounds.push({
      rate,
      round,
      n: nos.length,
      p50: quantile(lag.fromClient, 0.5),
      p99: quantile(lag.fromClient, 0.99),
      max: Math.max(...lag.fromClient),
      pending: w.pending,
      waitedMs: w.waitedMs,
      fromReceiptP99: quantile(lag.fromReceipt, 0.99),
    });
    settles.push({ after: `${rate}/s round ${round}`, letters: nos.length, ms: w.waitedMs, pending: w.pending });
  };
  for (let r = 1; r <= ROUNDS; r++) {
    const order: ('intake' | 'baseline')[] = r % 2 ? ['intake', 'baseline'] : ['baseline', 'intake'];
    for (const target of order) {
      const res = await run(target, 'rate', RATE_SECONDS, r);
      rounds.push(res);
      if (target === 'intake') {
        const nos = res.result.accepted.map(([no]) => no);
        acceptedIn.rate.push(nos);
        await lagRound(RATE, r, nos);
      }
      await sleep(500);
    }
  }
  const low = await loadgen.run({
    mode: 'rate',
    url: urls.intake,
    rate: LOW_RATE,
    durationMs: LOW_SECONDS * 1000,
    connections: CONNECTIONS,
    bodies,
    addressBase,
  });
  addressBase += low.sent + 1;
  for (const [no, at] of low.accepted) accepted.set(no, at);
  await lagRound(
    LOW_RATE,
    1,
    low.accepted.map(([no]) => no),
  );

  // The same intake with the workflow pipeline elsewhere: the worker process and the Temporal dev server
  // are paused (SIGSTOP) for the round, as if they ran on other hosts, and resumed after it; their
  // letters are started then, and counted with the rest. Not a goal: it shows what the API and
  // PostgreSQL do on their own on these cores.
  const pipelinePids = () => [app.workerPid, ...pidsMatching('server start-dev')];
  const pausedRounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    for (const mode of ['rate', 'max'] as const) {
      const paused = pipelinePids();
      for (const pid of paused) process.kill(pid, 'SIGSTOP');
      try {
        pausedRounds.push(await run('intake', mode, mode === 'rate' ? RATE_SECONDS : MAX_SECONDS, r));
      } finally {
        for (const pid of paused) process.kill(pid, 'SIGCONT');
      }
      await settle();
    }
  }

  const drain = await waitForWorkflows([...accepted.keys()], DRAIN_TIMEOUT_MS);
  const peaks = memory.stop();
  const logLines = fs.readFileSync(app.logFile, 'utf8').split('\n');
  const problems = logLines.filter((l) => /"level":(40|50|60)/.test(l));

  // ---- report -------------------------------------------------------------------------------
  const row = (x: Round) => [
    x.target,
    x.round,
    num(x.result.sent),
    num(x.result.latencies.length),
    num(x.result.completed - x.result.latencies.length + x.result.errors),
    num(x.rps, 1),
    ms(x.p50),
    ms(x.p99),
    ms(Math.max(...x.result.latencies)),
    num(x.cpuMsPerRequest, 2),
  ];
  const header = ['server', 'round', 'sent', '2xx', 'failed', 'req/s', 'p50', 'p99', 'max', 'server CPU ms/req'];
  const med = (target: string, mode: string, f: (x: Round) => number) =>
    median(rounds.filter((x) => x.target === target && x.mode === mode).map(f));
  /** The median row of each server for one kind of round. */
  const medianRows = (mode: string) =>
    (['intake', 'baseline'] as const).map((t) => [
      `${t} median`,
      '',
      '',
      '',
      '',
      num(
        med(t, mode, (x) => x.rps),
        1,
      ),
      ms(med(t, mode, (x) => x.p50)),
      ms(med(t, mode, (x) => x.p99)),
      '',
      num(
        med(t, mode, (x) => x.cpuMsPerRequest),
        2,
      ),
    ]);

  console.log(`\nFixed rate ${RATE} requests/s, open loop (latency from each request's scheduled send time), ${RATE_SECONDS} s per round:`);
  const rateRows = rounds.filter((x) => x.mode === 'rate');
  console.log(table([header, ...rateRows.map(row), ...medianRows('rate')]));

  console.log(`\nMax throughput, closed loop, ${CONNECTIONS} connections, ${MAX_SECONDS} s per round:`);
  const maxRows = rounds.filter((x) => x.mode === 'max');
  console.log(table([header, ...maxRows.map(row), ...medianRows('max')]));
  console.log(
    `\nWhere the CPU went during the rounds: CPU ms per accepted request by part of the system (medians of rounds; /proc/<pid>/stat), and how busy the 2 CPUs were:`,
  );
  const partNames = Object.keys(parts);
  console.log(
    table([
      ['server', 'mode', ...partNames, 'sum', 'CPUs busy'],
      ...(['intake', 'baseline'] as const).flatMap((t) =>
        (['rate', 'max'] as const).map((m) => {
          const by = partNames.map((k) => med(t, m, (x) => x.cpuBy[k]!));
          return [
            t,
            m === 'rate' ? `${RATE}/s` : 'max',
            ...by.map((v) => num(v, 2)),
            num(
              by.reduce((a, b) => a + b, 0),
              2,
            ),
            `${num(100 * med(t, m, (x) => x.busy), 0)}%`,
          ];
        }),
      ),
    ]),
  );
  console.log(
    `\nIntake with the workflow pipeline paused during the round (worker process and Temporal dev server stopped, as if on other hosts; not a goal):`,
  );
  const pmed = (mode: string, f: (x: Round) => number) => median(pausedRounds.filter((x) => x.mode === mode).map(f));
  console.log(
    table([
      ['mode', 'rounds', 'req/s', 'p50', 'p99', 'max', 'API CPU ms/req', 'PostgreSQL CPU ms/req', 'CPUs busy', 'vs baseline req/s'],
      ...(['rate', 'max'] as const).map((m) => [
        m === 'rate' ? `${RATE}/s` : 'max',
        pausedRounds.filter((x) => x.mode === m).length,
        num(
          pmed(m, (x) => x.rps),
          1,
        ),
        ms(pmed(m, (x) => x.p50)),
        ms(pmed(m, (x) => x.p99)),
        ms(Math.max(...pausedRounds.filter((x) => x.mode === m).flatMap((x) => x.result.latencies))),
        num(
          pmed(m, (x) => x.cpuBy['API']!),
          2,
        ),
        num(
          pmed(m, (x) => x.cpuBy['PostgreSQL']!),
          2,
        ),
        `${num(100 * pmed(m, (x) => x.busy), 0)}%`,
        m === 'max' ? `${((100 * pmed(m, (x) => x.rps)) / med('baseline', 'max', (x) => x.rps)).toFixed(1)}%` : '',
      ]),
    ]),
  );
  const ratio = med('intake', 'max', (x) => x.rps) / med('baseline', 'max', (x) => x.rps);
  console.log(`ratio intake / baseline (medians of max throughput): ${(ratio * 100).toFixed(1)}%`);

  console.log(
    `\nWorkflow lag: workflow_started_at (now() of the workflow's first activity, markWorkflowStarted) − the client's 201 time, per letter:`,
  );
  console.log(
    table([
      ['rate', 'round', 'letters', 'p50', 'p99', 'max', 'p99 from received_at', 'not started', 'waited'],
      ...lagRounds.map((l) => [
        `${l.rate}/s`,
        l.round,
        num(l.n),
        ms(l.p50),
        ms(l.p99),
        ms(l.max),
        ms(l.fromReceiptP99),
        l.pending,
        ms(l.waitedMs, 0),
      ]),
    ]),
  );
  const maxLag = await lagsOf(acceptedIn.max);
  console.log(
    `letters of the max-throughput rounds (and warm-up), ${num(acceptedIn.max.length)}: lag p50 ${ms(quantile(maxLag.fromClient, 0.5))}, p99 ${ms(quantile(maxLag.fromClient, 0.99))}, max ${ms(Math.max(...maxLag.fromClient))}`,
  );
  console.log(`outbox drain after each intake round (letters / seconds → workflows started per second):`);
  console.log(
    table([
      ['after', 'letters', 'drained in', 'workflows/s', 'left'],
      ...settles.map((x) => [x.after, num(x.letters), ms(x.ms, 0), num(x.letters / Math.max(0.001, x.ms / 1000), 1), x.pending]),
    ]),
  );
  console.log(
    `letters accepted in this run: ${num(accepted.size)}; workflow never started after waiting up to ${DRAIN_TIMEOUT_MS / 1000} s more: ${drain.pending}`,
  );
  console.log(
    `app log: ${num(logLines.length)} lines, ${problems.length} at warn or above${
      problems.length
        ? `; first: ${problems
            .slice(0, 3)
            .map((l) => l.slice(0, 300))
            .join(' | ')}`
        : ''
    }`,
  );

  console.log('');
  for (const p of peaks)
    console.log(
      `${p.name} process memory: peak during the load VmHWM ${mb(p.end.hwmKb)} (sampled VmRSS max ${mb(p.sampledKb)}); at the end RSS ${mb(p.end.rssKb)} (anonymous ${mb(p.end.anonKb)}); at boot ${mb(p.start.rssKb)}, boot peak ${mb(p.start.hwmKb)}`,
    );

  console.log('\nGoals:');
  goals.add(
    'intake ≥ 70% of baseline max throughput',
    `${num(
      med('intake', 'max', (x) => x.rps),
      0,
    )} vs ${num(
      med('baseline', 'max', (x) => x.rps),
      0,
    )} req/s = ${(ratio * 100).toFixed(1)}%`,
    ratio >= 0.7,
  );
  const p99 = med('intake', 'rate', (x) => x.p99);
  goals.add(
    `intake p99 < 50 ms at ${RATE} req/s`,
    `median of ${ROUNDS} rounds ${ms(p99)} (baseline ${ms(med('baseline', 'rate', (x) => x.p99))})`,
    p99 < 50,
  );
  const lagP99 = median(lagRounds.filter((l) => l.rate === RATE).map((l) => l.p99));
  const lowP99 = lagRounds.find((l) => l.rate === LOW_RATE)!.p99;
  goals.add(
    `workflow lag p99 < 2 s at ${RATE} req/s`,
    `median of round p99s ${ms(lagP99)} (at ${LOW_RATE}/s: ${ms(lowP99)})`,
    lagP99 < 2000,
  );
  goals.add('no accepted letter without a workflow', `${drain.pending} of ${num(accepted.size)}`, drain.pending === 0);
  for (const p of peaks)
    goals.add(
      `${p.name} process peak RSS < 300 MB during intake`,
      `${mb(p.peakKb)} (${mb(p.start.rssKb)} after boot)`,
      p.peakKb < 300 * 1024,
    );
  return { goals };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runMain(async () => void (await runIntake()));
