// One link's check over HTTP(S) (issue 21 point 3): HEAD first, GET when HEAD is refused or to read an
// HTML page's <title>; redirects followed up to a limit, each request with a timeout and the bureau's
// user agent. No database: the watcher stores what this returns. Host resolution is injectable
// (`lookup`), so tests map names to loopback without real DNS; the site's own pages can be answered
// without the network (`internal`).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { registrableDomain } from './rules.js';

export interface Answer {
  status: number;
  location: string | null;
  contentType: string | null;
  /** The start of the body (GET only), enough for the <title>. */
  body: string;
}

export interface CheckOptions {
  timeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  lookup?: LookupFunction;
  /** The site's own pages: a URL it claims is answered by `fetch` (fastify inject or loopback HTTP). */
  internal?: { claims(url: URL): boolean; fetch(url: URL, method: 'HEAD' | 'GET'): Promise<Answer> };
  /** Keep-alive agents shared by the checks of a run (one connection pool per host). */
  agents?: { http: http.Agent; https: https.Agent };
}

export interface CheckResult {
  outcome: 'ok' | 'failed';
  status: number | null;
  finalUrl: string | null;
  redirects: string[];
  elapsedMs: number;
  contentType: string | null;
  title: string | null;
  crossDomain: boolean;
  error: string | null;
}

/** How much of a page is read for its title. */
const BODY_LIMIT = 64 * 1024;
/** HEAD answers that mean "ask with GET". */
const HEAD_REFUSED = new Set([400, 403, 405, 501]);

class CheckError extends Error {}

/** A header value goes out as bytes: the UTF-8 of the Chinese user agent, written byte for byte. */
const headerBytes = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

function request(url: URL, method: 'HEAD' | 'GET', opts: CheckOptions): Promise<Answer> {
  const secure = url.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method,
        headers: { 'user-agent': headerBytes(opts.userAgent), accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
        ...(opts.lookup ? { lookup: opts.lookup } : {}),
        ...(opts.agents ? { agent: secure ? opts.agents.https : opts.agents.http } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const head = { status, location: res.headers.location ?? null, contentType: res.headers['content-type'] ?? null };
        if (method === 'HEAD' || (status >= 300 && status < 400)) {
          res.resume();
          res.on('end', () => resolve({ ...head, body: '' }));
          res.on('error', () => resolve({ ...head, body: '' }));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => resolve({ ...head, body: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (size >= BODY_LIMIT) {
            res.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => req.destroy(new CheckError(`超时（${opts.timeoutMs / 1000} 秒内无应答）`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => reject(err));
    req.end();
  });
}

/** A network error in Chinese, with its code for the office. */
function describe(err: unknown): string {
  if (err instanceof CheckError) return err.message;
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `域名无法解析（${code}）`;
  if (code === 'ECONNREFUSED') return '连接被拒绝（ECONNREFUSED）';
  if (code === 'ECONNRESET' || code === 'EPIPE') return `连接被重置（${code}）`;
  if (/CERT|SSL|TLS|SELF_SIGNED|ERR_SSL/i.test(code) || /SSL|TLS|certificate|wrong version/i.test(e.message))
    return `证书或加密连接错误（${code || e.message}）`;
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) return `应答不是有效的 HTTP（${code}）`;
  return `访问出错（${code || e.message}）`;
}

/** The page's <title>, whitespace collapsed, the common entities decoded, at most 200 characters. */
export function titleOf(html: string): string | null {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!m) return null;
  const t = m[1]!
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return t === '' ? null : t.slice(0, 200);
}

const ask = (url: URL, method: 'HEAD' | 'GET', opts: CheckOptions) =>
  opts.internal?.claims(url) ? opts.internal.fetch(url, method) : request(url, method, opts);

/** Follows a chain of redirects from `start` with `method`; the last answer and the URLs passed through. */
async function follow(start: URL, method: 'HEAD' | 'GET', opts: CheckOptions) {
  const redirects: string[] = [];
  const seen = new Set([start.href]);
  let url = start;
  for (;;) {
    const answer = await ask(url, method, opts);
    if (answer.status < 300 || answer.status >= 400 || !answer.location) return { url, answer, redirects };
    const next = new URL(answer.location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new CheckError(`重定向到非网页地址（${next.protocol}）`);
    redirects.push(next.href);
    if (seen.has(next.href)) throw Object.assign(new CheckError('重定向循环'), { redirects });
    if (redirects.length > opts.maxRedirects) throw Object.assign(new CheckError(`重定向超过 ${opts.maxRedirects} 次`), { redirects });
    seen.add(next.href);
    url = next;
  }
}

const isHtml = (contentType: string | null) => !!contentType && /text\/html|application\/xhtml/i.test(contentType);

/** Checks one link. Never throws: a failure is a result. */
export async function checkLink(target: string, opts: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const start = new URL(target);
  try {
    let { url, answer, redirects } = await follow(start, 'HEAD', opts);
    if (HEAD_REFUSED.has(answer.status)) ({ url, answer, redirects } = await follow(start, 'GET', opts));
    else if (answer.status < 300 && isHtml(answer.contentType)) {
      // The title needs the page itself: one GET of the final address.
      const page = await ask(url, 'GET', opts);
      if (page.status < 300) answer = page;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      outcome: ok ? 'ok' : 'failed',
      status: answer.status,
      finalUrl: url.href,
      redirects,
      elapsedMs: elapsed(),
      contentType: answer.contentType,
      title: isHtml(answer.contentType) ? titleOf(answer.body) : null,
      crossDomain: registrableDomain(url.hostname) !== registrableDomain(start.hostname),
      error: ok ? null : `HTTP ${answer.status}`,
    };
  } catch (err) {
    const redirects = (err as { redirects?: string[] }).redirects ?? [];
    const last = redirects.at(-1);
    return {
      outcome: 'failed',
      status: null,
      finalUrl: last ?? null,
      redirects,
      elapsedMs: elapsed(),
      contentType: null,
      title: null,
      crossDomain: !!last && registrableDomain(new URL(last).hostname) !== registrableDomain(start.hostname),
      error: describe(err),
    };
  }
}

/**
 * Runs `fn` over the items politely: at most `perHost` at once per host, and at most `hosts` hosts at
 * once; returns when all are done. Items of one host are taken in order.
 */
export async function perHostPool<T>(
  items: readonly T[],
  hostOfItem: (t: T) => string,
  perHost: number,
  hosts: number,
  fn: (t: T) => Promise<void>,
) {
  const byHost = new Map<string, T[]>();
  for (const it of items) {
    const h = hostOfItem(it);
    const q = byHost.get(h);
    if (q) q.push(it);
    else byHost.set(h, [it]);
  }
  const queues = [...byHost.values()];
  const runHost = async (q: T[]) => {
    let next = 0;
    const lane = async () => {
      while (next < q.length) await fn(q[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(perHost, q.length) }, lane));
  };
  let nextHost = 0;
  const hostLane = async () => {
    while (nextHost < queues.length) await runHost(queues[nextHost++]!);
  };
  await Promise.all(Array.from({ length: Math.min(hosts, queues.length) }, hostLane));
}
