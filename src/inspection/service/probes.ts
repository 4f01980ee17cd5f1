// The home-page probe (国办秘函〔2019〕19号 站点无法访问): one visit per run of the `home-probe` Schedule,
// stored, and the week's counts the availability indicator reads.
import { and, count, gte, lt, lte, min, sql } from 'drizzle-orm';
import { chinaDayOf, dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import type { Env } from '../../config/env.js';
import { ownSiteBase } from '../../config/site-base.js';
import type { Executor } from '../../db/client.js';
import { PROBE_RULE, probeFailed, probeWindow, type AvailabilityFacts } from '../probe-rules.js';
import { homeProbes } from '../tables.js';

export type ProbeEnv = Pick<Env, 'HOME_PROBE_URL' | 'HOST' | 'PORT'>;

/** ASCII: a header value must be (the link checker encodes its Chinese one byte by byte). */
export const PROBE_USER_AGENT = 'Mozilla/5.0 (compatible; amr.fujian.gov.cn availability probe)';

/** Probes are kept this many days (the dashboard reads one week; the rest is for a look back). */
export const PROBE_KEEP_DAYS = 400;

export const probeUrlOf = (env: ProbeEnv) => env.HOME_PROBE_URL ?? ownSiteBase(env).href;

/**
 * Visit the home page once: it counts as opened when the whole page has arrived with a 2xx status
 * (redirects followed) within 15 s. Stores and returns the visit; never throws for a failed visit —
 * a failure is a result, not an error to retry.
 */
export async function probeHomePage(deps: { db: Executor; env: ProbeEnv }, now = () => new Date()) {
  const url = probeUrlOf(deps.env);
  const startedAt = now();
  const t0 = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(url, {
      headers: { 'user-agent': PROBE_USER_AGENT, accept: 'text/html' },
      signal: AbortSignal.timeout(PROBE_RULE.timeoutMs),
      redirect: 'follow',
    });
    await res.arrayBuffer();
    status = res.status;
  } catch (err) {
    error = err instanceof Error ? (err.name === 'TimeoutError' ? '15 秒内未打开' : `${err.name}: ${err.message}`) : String(err);
  }
  const ms = Math.round(performance.now() - t0);
  const row = {
    probedAt: startedAt,
    day: dayToIso(chinaDayOf(startedAt)),
    url,
    status,
    ms,
    failed: probeFailed({ status, ms }),
    error: error ?? (status !== null && (status < 200 || status > 299) ? `HTTP ${status}` : null),
  };
  await deps.db.insert(homeProbes).values(row);
  await deps.db.delete(homeProbes).where(lt(homeProbes.day, dayToIso(chinaDayOf(startedAt) - PROBE_KEEP_DAYS)));
  return row;
}

/** The week before `day`, day by day (a day without probes is there with zeros), and the first probe's day. */
export async function availabilityFacts(db: Executor, day: string): Promise<AvailabilityFacts> {
  const w = probeWindow(day);
  const [rows, [first]] = await Promise.all([
    db
      .select({ day: homeProbes.day, probes: count(), failures: sql<number>`count(*) filter (where ${homeProbes.failed})`.mapWith(Number) })
      .from(homeProbes)
      .where(and(gte(homeProbes.day, w.from), lte(homeProbes.day, w.to)))
      .groupBy(homeProbes.day),
    db.select({ first: min(homeProbes.day) }).from(homeProbes),
  ]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = [];
  for (let d = parseIsoDate(w.from)!; d <= parseIsoDate(w.to)!; d++) {
    const iso = dayToIso(d);
    const r = byDay.get(iso);
    days.push({ day: iso, probes: r?.probes ?? 0, failures: r?.failures ?? 0 });
  }
  return { days, firstProbeDay: first?.first ?? null };
}
