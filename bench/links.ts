// The link watcher's checker at 10,000 links (issue 21, "What shows it is done"): local servers on
// 127.0.0.1–127.0.0.5 (names mapped by the checker's injectable lookup, never real DNS), one slow, with
// 404s among them, checked with the politeness limits of the embedded default (2 per host, 10 s timeout,
// 5 redirects). Prints the duration and the peak RSS, then a baseline in the same process: the same
// links requested once each with plain http.get at the same concurrency, no HEAD/GET logic, no results kept.
// Run: npx tsx bench/links.ts   (the machine may be shared: say so with the figures)
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { checkLink, perHostPool, type CheckOptions, type CheckResult } from '../src/links/checker.js';
import { LINK_CHECK_USER_AGENT } from '../src/links/rules.js';

const LINKS = 10_000;
const HOSTS = 5;
const SLOW_HOST = 4; // answers after SLOW_MS
const SLOW_MS = 20;
const PER_HOST = 2;

async function startHost(index: number) {
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const answer = () => {
      if (path.includes('/missing/')) return res.writeHead(404).end();
      if (path.endsWith('.pdf')) return res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '0' }).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `<!doctype html><title>页面 ${path}</title><p>${'内容'.repeat(200)}</p>`);
    };
    if (index === SLOW_HOST) setTimeout(answer, SLOW_MS);
    else answer();
  });
  const address = `127.0.0.${index + 1}`;
  await new Promise<void>((r) => server.listen(0, address, r));
  return { server, address, port: (server.address() as AddressInfo).port };
}

const hosts = await Promise.all(Array.from({ length: HOSTS }, (_, i) => startHost(i)));
const addressOf = new Map(hosts.map((h, i) => [`h${i}.bench.gov.cn`, h.address]));
const lookup: LookupFunction = (hostname, options, callback) => {
  const address = addressOf.get(hostname) ?? '127.0.0.1';
  if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family: 4 }]);
  else callback(null, address, 4);
};
// A mix: pages (HEAD then GET for the title), files (HEAD only), one in ten missing.
const links = Array.from({ length: LINKS }, (_, i) => {
  const h = i % HOSTS;
  const kind = i % 10 === 0 ? `missing/${i}` : i % 3 === 0 ? `files/${i}.pdf` : `pages/${i}`;
  return `http://h${h}.bench.gov.cn:${hosts[h]!.port}/${kind}`;
});
const hostOf = (u: string) => new URL(u).host;

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);

// The watcher's own agents: keep-alive, at most PER_HOST sockets per host (src/links/service/watcher.ts).
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: PER_HOST }),
  https: new https.Agent({ keepAlive: true, maxSockets: PER_HOST }),
};
const opts: CheckOptions = { timeoutMs: 10_000, maxRedirects: 5, userAgent: LINK_CHECK_USER_AGENT, lookup, agents };
let t0 = performance.now();
const results: CheckResult[] = [];
await perHostPool(links, hostOf, PER_HOST, 16, async (u) => {
  results.push(await checkLink(u, opts));
});
const checkerMs = performance.now() - t0;
const checkerPeak = Math.max(peak, process.memoryUsage.rss());
const failed = results.filter((r) => r.outcome === 'failed').length;
const titled = results.filter((r) => r.title !== null).length;
console.log(
  `checker: ${LINKS} links in ${(checkerMs / 1000).toFixed(1)} s; failed ${failed}, with a title ${titled}; peak RSS ${mib(checkerPeak)} MiB`,
);
agents.http.destroy();
agents.https.destroy();

// Baseline: one plain GET per link, the same per-host concurrency, nothing parsed or kept.
results.length = 0;
const plain = new http.Agent({ keepAlive: true, maxSockets: PER_HOST });
const get = (u: string) =>
  new Promise<void>((resolve) => {
    http
      .get(u, { agent: plain, lookup }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', () => resolve());
  });
t0 = performance.now();
await perHostPool(links, hostOf, PER_HOST, 16, get);
const baseMs = performance.now() - t0;
console.log(
  `baseline (plain GET, same concurrency): ${LINKS} links in ${(baseMs / 1000).toFixed(1)} s; ratio ${(checkerMs / baseMs).toFixed(2)}×`,
);
console.log(`process peak RSS (ru_maxrss, whole run): ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
clearInterval(sampler);
plain.destroy();
await Promise.all(hosts.map((h) => new Promise((r) => h.server.close(r))));
