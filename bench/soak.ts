// Issue 20 point 10: a soak. The real system (src/main.ts: the API process and its worker process)
// against embedded PostgreSQL and the Temporal dev server, fed mixed traffic at a fixed rate for
// SOAK_SECONDS (default 600) at SOAK_RATE requests/s (default 50): letters (intake), the writers'
// look-ups, the handler's case list and case pages, answers (a staff action through the workflow's
// update), and public pages and JSON. Open loop: request i is due at t0 + i/rate and its latency counts
// from then. It reports errors (any status ≥ 400, or no answer within 30 s: status 0), p50/p99 per kind, and the RSS of
// each process every 30 s; growth after the warm-up (the first 60 s) is the end's RSS over the warm-up's.
// Run: npx tsx bench/soak.ts (not in CI). Prints figures only.
import fs from 'node:fs';
import http from 'node:http';
import { createDatabase } from '../src/db/client.js';
import { seedColumns } from '../src/publishing/seed.js';
import { BENCH_PASSWORD, seedDepartmentsAndStaff } from './lib/dataset.js';
import { memoryOf, pidsMatching, runMain, startApp, startPostgres, startTemporal, machineLine } from './lib/infra.js';
import { median, ms, quantile, table } from './lib/stats.js';

const commandOf = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};
/** The processes whose parent is `pid` (PostgreSQL's backends under its postmaster). */
function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').flatMap((e) => {
    if (!/^\d+$/.test(e)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(e)] : [];
    } catch {
      return [];
    }
  });
}

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 50);
const WARM_UP_S = Math.min(60, Math.floor(SECONDS / 5));
const SAMPLE_EVERY_S = 30;

type Kind = 'intake' | 'lookup' | 'case list' | 'case page' | 'answer' | 'public page' | 'public JSON';
/** The mix, per 10 requests. */
const MIX: Kind[] = [
  'intake',
  'lookup',
  'lookup',
  'case list',
  'case page',
  'answer',
  'public page',
  'public page',
  'public JSON',
  'public JSON',
];
const PUBLIC_PAGES = ['/', '/mailbox', '/columns/gzdt', '/search?q=食品', '/published', '/lookup'];
const PUBLIC_JSON = [
  '/api/site/columns',
  '/api/published-letters',
  '/api/departments',
  '/api/calendar/deadline?from=2026-12-03T10:00:00%2B08:00&workingDays=10',
];

await runMain(async () => {
  console.log(machineLine());
  const pg = await startPostgres('amr_soak');
  await seedDepartmentsAndStaff(pg.url);
  // The site's columns, as the embedded default seeds them (an external database gets none on its own).
  const seedDb = createDatabase(pg.url, { max: 1 });
  await seedColumns(seedDb.db);
  await seedDb.close();
  const temporal = await startTemporal();
  const app = await startApp(pg.url, temporal.address);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let addressSeq = 0;
  const address = () => {
    const n = ++addressSeq;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
  const call = (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) =>
    new Promise<{ status: number; body: string }>((resolve) => {
      const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
      const req = http.request(
        `${app.base}${path}`,
        {
          agent,
          method,
          headers: {
            'x-forwarded-for': address(),
            ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
            ...opts.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, body: '' }));
      req.end(body);
    });
  const login = async (username: string) => {
    const r = await call('POST', '/api/auth/login', { body: { username, password: BENCH_PASSWORD } });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
    return { authorization: `Bearer ${(JSON.parse(r.body) as { token: string }).token}` };
  };
  const handler = await login('h-registration');
  const departments = JSON.parse((await call('GET', '/api/departments')).body) as { id: number; code: string }[];
  const registration = departments.find((d) => d.code === 'registration')!.id;

  const letters: { trackingNo: string; accessCode: string }[] = [];
  const open: string[] = [];
  let n = 0;
  const letterBody = () => ({
    writer: { name: '王小明', phone: `1380000${String(n % 10_000).padStart(4, '0')}`, email: `soak${n}@example.cn` },
    type: n % 3 === 0 ? 'inquiry' : 'complaint',
    departmentId: registration,
    subject: `关于食品标签问题的反映 ${n}`,
    content: '我在超市购买的食品标签与实际不符，生产日期模糊，请核查处理。'.repeat(4),
    allowPublication: n % 2 === 0,
  });
  async function one(kind: Kind): Promise<number> {
    n++;
    switch (kind) {
      case 'intake': {
        const r = await call('POST', '/api/letters', { body: letterBody() });
        if (r.status === 201) {
          const l = JSON.parse(r.body) as { trackingNo: string; accessCode: string };
          letters.push(l);
          open.push(l.trackingNo);
        }
        return r.status;
      }
      case 'lookup': {
        const l = letters[n % Math.max(1, letters.length)];
        if (!l) return (await call('GET', '/mailbox')).status;
        return (await call('GET', `/api/letters/${l.trackingNo}`, { headers: { 'x-access-code': l.accessCode } })).status;
      }
      case 'case list':
        return (await call('GET', '/api/cases?limit=20', { headers: handler })).status;
      case 'case page': {
        const t = letters[letters.length - 1 - (n % Math.max(1, Math.min(50, letters.length)))];
        if (!t) return (await call('GET', '/api/cases?limit=20', { headers: handler })).status;
        return (await call('GET', `/api/cases/${t.trackingNo}`, { headers: handler })).status;
      }
      case 'answer': {
        const t = open.shift();
        if (!t) return (await call('GET', '/api/cases?limit=20', { headers: handler })).status;
        return (
          await call('POST', `/api/cases/${t}/answer`, { body: { content: '经核查，已责令商家整改，感谢您的监督。' }, headers: handler })
        ).status;
      }
      case 'public page':
        return (await call('GET', PUBLIC_PAGES[n % PUBLIC_PAGES.length]!)).status;
      case 'public JSON':
        return (await call('GET', PUBLIC_JSON[n % PUBLIC_JSON.length]!)).status;
    }
  }

  // This run's PostgreSQL (its postmaster, named by its data folder, and the backends it forked) and dev
  // server (by its port): other PostgreSQL and Temporal servers on the machine are not counted.
  const postmaster = pidsMatching(pg.dir).filter((pid) => commandOf(pid).startsWith('postgres') || commandOf(pid).includes('/postgres '));
  const temporalPort = temporal.address.split(':')[1]!;
  const processes = () => [
    { name: 'API', pids: [app.pid] },
    { name: 'worker', pids: [app.workerPid] },
    { name: 'PostgreSQL (all)', pids: [...postmaster, ...postmaster.flatMap(childrenOf)] },
    { name: 'Temporal dev server', pids: pidsMatching(`--port ${temporalPort} `) },
  ];
  const rssKb = () => processes().map((p) => ({ name: p.name, kb: p.pids.reduce((s, pid) => s + memoryOf(pid).rssKb, 0) }));
  const samples: { t: number; rss: { name: string; kb: number }[] }[] = [{ t: 0, rss: rssKb() }];

  const results: { kind: Kind; status: number; ms: number }[] = [];
  const t0 = performance.now();
  const total = SECONDS * RATE;
  const inFlight = new Set<Promise<void>>();
  let nextSample = SAMPLE_EVERY_S;
  let warm: { name: string; kb: number }[] | null = null;
  console.log(`soak: ${RATE} requests/s for ${SECONDS} s (${total} requests), warm-up ${WARM_UP_S} s`);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const kind = MIX[i % MIX.length]!;
    const p = one(kind).then((status) => {
      results.push({ kind, status, ms: performance.now() - due });
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    const elapsedS = (performance.now() - t0) / 1000;
    if (warm === null && elapsedS >= WARM_UP_S) warm = rssKb();
    if (elapsedS >= nextSample) {
      samples.push({ t: Math.round(elapsedS), rss: rssKb() });
      nextSample += SAMPLE_EVERY_S;
    }
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - t0) / 1000;
  const end = rssKb();
  samples.push({ t: Math.round(elapsed), rss: end });

  const kinds = [...new Set(MIX)];
  const rows = kinds.map((k) => {
    const mine = results.filter((r) => r.kind === k);
    const bad = mine.filter((r) => r.status === 0 || r.status >= 400);
    const lat = mine.map((r) => r.ms);
    const statuses = [...new Set(bad.map((r) => r.status))].join(',');
    return [k, mine.length, bad.length + (statuses ? ` (${statuses})` : ''), ms(median(lat)), ms(quantile(lat, 0.99))];
  });
  const all = results.map((r) => r.ms);
  const errors = results.filter((r) => r.status === 0 || r.status >= 400).length;
  rows.push(['all', results.length, String(errors), ms(median(all)), ms(quantile(all, 0.99))]);
  console.log(
    `\n${results.length} requests in ${elapsed.toFixed(0)} s (${(results.length / elapsed).toFixed(1)}/s achieved), ${errors} errors`,
  );
  console.log(table([['kind', 'requests', 'errors', 'p50', 'p99'], ...rows]));
  console.log(`\nRSS every ${SAMPLE_EVERY_S} s (MB):`);
  const names = samples[0]!.rss.map((r) => r.name);
  console.log(table([['t (s)', ...names], ...samples.map((s) => [String(s.t), ...s.rss.map((r) => (r.kb / 1024).toFixed(0))])]));
  if (warm) {
    console.log(`\nRSS growth after the ${WARM_UP_S} s warm-up (end / warm-up):`);
    console.log(
      table([
        ['process', 'after warm-up', 'end', 'growth'],
        ...end.map((e, i) => [
          e.name,
          `${(warm![i]!.kb / 1024).toFixed(0)} MB`,
          `${(e.kb / 1024).toFixed(0)} MB`,
          `${(((e.kb - warm![i]!.kb) / warm![i]!.kb) * 100).toFixed(1)}%`,
        ]),
      ]),
    );
  }
  agent.destroy();
});
