// The link watcher (issue 21 point 3; measures Art. 24: no 错链 or 断链): gathers every link the site
// has (approved external links, links inside published items, their attachments, the site's own pages
// and what the home page links to), checks them politely and stores the latest result per link. Two
// failures in a row make a link broken, with a fix-by date for its department (LINK_FIX_WORKING_DAYS).
// Outside traffic is opt-in (point 4): only the site's own pages and LINK_CHECK_ALLOWED_HOSTS are
// requested unless LINK_CHECK_EXTERNAL is on; the others are recorded as not checked.
import { ownSiteBase } from '../../config/site-base.js';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { inArray, sql } from 'drizzle-orm';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Database } from '../../db/client.js';
import { activeColumnSlugs, attachmentPath, itemPath, publishedItemsForLinks } from '../../publishing/service/link-feed.js';
import { checkLink, perHostPool, type CheckOptions, type CheckResult } from '../checker.js';
import { linksInHtml, linksInMarkdown } from '../extract.js';
import { FAILURES_TO_BREAK, hostList, LINK_CHECK_USER_AGENT, NOT_CHECKED_OUTSIDE, type LinkSource } from '../rules.js';
import { linkChecks } from '../tables.js';
import { approvedLinks } from './applications.js';
import { ownHostsOf } from './approved.js';
import type { LinkEnv } from './deps.js';

export interface WatchOptions {
  now?: Date;
  /** Host resolution for outside requests (tests map names to loopback). */
  lookup?: LookupFunction;
  /** The site's own pages without the network (fastify inject); default: HTTP to HOST:PORT on loopback. */
  internal?: CheckOptions['internal'];
  /** The origin internal URLs are built on; default http://127.0.0.1:PORT (or HOST when it is a specific address). */
  siteBase?: URL;
  /** Called after every link (the activity heartbeats). */
  progress?: () => void;
}

export interface WatchRun {
  checked: number;
  notChecked: number;
  failed: number;
  broken: number;
  ms: number;
}

interface Target {
  url: string;
  internal: boolean;
  onHome: boolean;
  sources: LinkSource[];
}

/** How many hosts are asked at once (each with at most LINK_CHECK_PER_HOST requests). */
const HOSTS_AT_ONCE = 16;
const ITEM_PAGE = 500;
const WRITE_BATCH = 500;

/** Every link to check, each once with all the places it was found. */
async function gatherTargets(db: Database, env: LinkEnv, base: URL, opts: WatchOptions): Promise<Map<string, Target>> {
  const own = ownHostsOf(env.SITE_ORIGINS);
  const targets = new Map<string, Target>();
  // Internal links are kept as site paths ("/items/3"): the same link whatever origin the site has.
  const normalise = (raw: string): { url: string; internal: boolean } | undefined => {
    try {
      const u = new URL(raw, base);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
      u.hash = '';
      if (u.origin === base.origin || own.has(u.hostname.toLowerCase())) return { url: u.pathname + u.search, internal: true };
      return { url: u.href, internal: false };
    } catch {
      return undefined;
    }
  };
  const add = (raw: string, source: LinkSource, onHome = false) => {
    const n = normalise(raw);
    if (!n) return;
    const t = targets.get(n.url);
    if (t) {
      if (!t.sources.some((s) => s.kind === source.kind && s.ref === source.ref)) t.sources.push(source);
      t.onHome ||= onHome;
    } else targets.set(n.url, { ...n, onHome, sources: [source] });
  };
  const page = (label: string): LinkSource => ({ kind: 'page', ref: 0, departmentId: null, label });

  add('/', page('首页'));
  for (const slug of await activeColumnSlugs(db)) add(`/columns/${slug}`, page(`栏目页 ${slug}`));
  for (const a of await approvedLinks(db)) add(a.url, { kind: 'approved', ref: a.id, departmentId: a.departmentId, label: a.siteName });
  for (let after = 0; ;) {
    const items = await publishedItemsForLinks(db, after, ITEM_PAGE);
    if (items.length === 0) break;
    for (const it of items) {
      const src: LinkSource = { kind: 'item', ref: it.id, departmentId: it.departmentId, label: it.title };
      add(itemPath(it.id), src);
      for (const l of linksInMarkdown(it.body)) add(l, src);
      for (const a of it.attachmentIds)
        add(attachmentPath(it.id, a), { kind: 'attachment', ref: a, departmentId: it.departmentId, label: it.title });
    }
    after = items.at(-1)!.id;
  }
  // What the home page links to is counted separately by the national indicators.
  const home = await homeLinks(base, opts);
  for (const l of home) add(l, page('首页'), true);
  targets.get('/')!.onHome = true;
  return targets;
}

/** The links on the home page as the public gets it. */
async function homeLinks(base: URL, opts: WatchOptions): Promise<string[]> {
  const url = new URL('/', base);
  try {
    if (opts.internal?.claims(url)) return linksInHtml((await opts.internal.fetch(url, 'GET')).body, url);
    const res = await fetch(url, { headers: { 'user-agent': LINK_CHECK_USER_AGENT }, signal: AbortSignal.timeout(10_000) });
    return linksInHtml(await res.text(), url);
  } catch {
    return []; // the home page's own check records the failure
  }
}

interface Previous {
  title: string | null;
  consecutiveFailures: number;
  broken: boolean;
  brokenSince: Date | null;
  fixBy: string | null;
}

/** Runs one check of every link and stores the results; links no longer found are forgotten. */
export async function runLinkWatch(
  deps: { db: Database; calendar: CalendarService; env: LinkEnv },
  opts: WatchOptions = {},
): Promise<WatchRun> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const { db, env } = deps;
  const base = opts.siteBase ?? ownSiteBase(env);
  const targets = await gatherTargets(db, env, base, opts);
  const allowed = hostList(env.LINK_CHECK_ALLOWED_HOSTS);
  const outsideOk = (host: string) => env.LINK_CHECK_EXTERNAL || allowed.has(host);

  const previous = new Map<string, Previous>();
  const urls = [...targets.keys()];
  for (let i = 0; i < urls.length; i += 5000) {
    const rows = await db
      .select({
        url: linkChecks.url,
        title: linkChecks.title,
        consecutiveFailures: linkChecks.consecutiveFailures,
        broken: linkChecks.broken,
        brokenSince: linkChecks.brokenSince,
        fixBy: linkChecks.fixBy,
      })
      .from(linkChecks)
      .where(inArray(linkChecks.url, urls.slice(i, i + 5000)));
    for (const r of rows) previous.set(r.url, r);
  }

  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: env.LINK_CHECK_PER_HOST }),
    https: new https.Agent({ keepAlive: true, maxSockets: env.LINK_CHECK_PER_HOST }),
  };
  const checkOpts: CheckOptions = {
    timeoutMs: env.LINK_CHECK_TIMEOUT_MS,
    maxRedirects: env.LINK_CHECK_MAX_REDIRECTS,
    userAgent: LINK_CHECK_USER_AGENT,
    agents,
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
    ...(opts.internal ? { internal: opts.internal } : {}),
  };
  const fixByOf = () => dayToIso(deps.calendar.current.addWorkingDays(chinaDayOf(now), env.LINK_FIX_WORKING_DAYS));
  const run: WatchRun = { checked: 0, notChecked: 0, failed: 0, broken: 0, ms: 0 };
  let batch: (typeof linkChecks.$inferInsert)[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await db
      .insert(linkChecks)
      .values(rows)
      .onConflictDoUpdate({
        target: linkChecks.url,
        set: Object.fromEntries(
          Object.keys(rows[0]!)
            .filter((k) => k !== 'url')
            .map((k) => [k, sql.raw(`excluded.${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)]),
        ),
      });
  };
  const store = async (t: Target, host: string, r: CheckResult | null) => {
    const prev = previous.get(t.url);
    const failures = r === null ? 0 : r.outcome === 'failed' ? (prev?.consecutiveFailures ?? 0) + 1 : 0;
    const broken = failures >= FAILURES_TO_BREAK;
    const newlyBroken = broken && !prev?.broken;
    if (r === null) run.notChecked++;
    else run.checked++;
    if (r?.outcome === 'failed') run.failed++;
    if (broken) run.broken++;
    batch.push({
      url: t.url,
      host,
      internal: t.internal,
      sources: t.sources,
      onHome: t.onHome,
      outcome: r === null ? 'not_checked' : r.outcome,
      status: r?.status ?? null,
      finalUrl: r?.finalUrl ?? null,
      redirects: r?.redirects ?? [],
      elapsedMs: r?.elapsedMs ?? null,
      contentType: r?.contentType ?? null,
      // A link not checked keeps the title it had, so the next real check still sees a change.
      title: r === null ? (prev?.title ?? null) : r.title,
      titleChanged: !!r && r.outcome === 'ok' && !!prev?.title && !!r.title && prev.title !== r.title,
      crossDomain: r?.crossDomain ?? false,
      error: r === null ? NOT_CHECKED_OUTSIDE : r.error,
      consecutiveFailures: failures,
      broken,
      brokenSince: broken ? (newlyBroken ? now : (prev?.brokenSince ?? now)) : null,
      fixBy: broken ? (newlyBroken ? fixByOf() : (prev?.fixBy ?? fixByOf())) : null,
      checkedAt: now,
    });
    if (batch.length >= WRITE_BATCH) await flush();
  };

  const hostOfTarget = (t: Target) => (t.internal ? base.host : new URL(t.url).host.toLowerCase());
  try {
    await perHostPool([...targets.values()], hostOfTarget, env.LINK_CHECK_PER_HOST, HOSTS_AT_ONCE, async (t) => {
      const url = t.internal ? new URL(t.url, base).href : t.url;
      const host = t.internal ? '' : new URL(t.url).hostname.toLowerCase();
      const result = t.internal || outsideOk(host) ? await checkLink(url, checkOpts) : null;
      await store(t, t.internal ? base.hostname : host, result);
      opts.progress?.();
    });
    await flush();
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
  // Links no longer on the site (a withdrawn link, an edited item) are forgotten: every row this run kept is stamped `now`.
  await db.delete(linkChecks).where(sql`${linkChecks.checkedAt} < ${now.toISOString()}`);
  run.ms = Math.round(performance.now() - started);
  return run;
}
