// The watcher's results as staff, the digest and the inspection read them.
import { and, desc, eq, sql } from 'drizzle-orm';
import { demand, staffOf, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { LINK_BUREAU_READERS, LINK_READERS } from '../rules.js';
import { linkChecks } from '../tables.js';

type Row = typeof linkChecks.$inferSelect;
const view = (r: Row) => ({
  url: r.url,
  host: r.host,
  internal: r.internal,
  onHome: r.onHome,
  sources: r.sources,
  outcome: r.outcome,
  status: r.status,
  finalUrl: r.finalUrl,
  redirects: r.redirects,
  elapsedMs: r.elapsedMs,
  contentType: r.contentType,
  title: r.title,
  titleChanged: r.titleChanged,
  crossDomain: r.crossDomain,
  error: r.error,
  consecutiveFailures: r.consecutiveFailures,
  broken: r.broken,
  fixBy: r.fixBy,
  checkedAt: r.checkedAt.toISOString(),
});

/** The links a department answers for: those whose sources name it. */
const ofDepartment = (departmentId: number) => sql`${linkChecks.sources} @> ${JSON.stringify([{ departmentId }])}::jsonb`;

/**
 * The latest results: the office and the bureau-wide readers see every link; department staff the links
 * of their department's items and applications. Broken first, then failing, then by URL; at most 2,000.
 */
export async function listLinkChecks(deps: { db: Executor }, viewer: Viewer, q: { broken?: boolean | undefined } = {}) {
  demand(viewer, viewerHolds(viewer, LINK_READERS));
  const s = staffOf(viewer);
  const all = viewerHolds(viewer, LINK_BUREAU_READERS);
  const rows = await deps.db
    .select()
    .from(linkChecks)
    .where(and(q.broken === undefined ? undefined : eq(linkChecks.broken, q.broken), all ? undefined : ofDepartment(s.departmentId ?? -1)))
    .orderBy(desc(linkChecks.broken), desc(linkChecks.consecutiveFailures), linkChecks.url)
    .limit(2000);
  return { items: rows.map(view) };
}

/** Broken links for the digest (system code): one entry per link and answering department. */
export async function brokenLinksForDigest(db: Executor) {
  const rows = await db.select().from(linkChecks).where(eq(linkChecks.broken, true)).orderBy(linkChecks.id);
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    fixBy: r.fixBy!,
    error: r.error,
    departmentIds: [...new Set(r.sources.map((s) => s.departmentId).filter((d): d is number => d !== null))],
  }));
}

/** What the inspection's broken-links indicator needs: whether any check ran, and the broken links (home page separately). */
export async function brokenLinkFacts(db: Executor) {
  const [counts] = await db
    .select({
      checked: sql<number>`count(*) filter (where ${linkChecks.outcome} <> 'not_checked')::int`,
      home: sql<number>`count(*) filter (where ${linkChecks.broken} and ${linkChecks.onHome})::int`,
      other: sql<number>`count(*) filter (where ${linkChecks.broken} and not ${linkChecks.onHome})::int`,
      failingOnce: sql<number>`count(*) filter (where ${linkChecks.consecutiveFailures} = 1)::int`,
      lastAt: sql<Date | null>`max(${linkChecks.checkedAt})`.mapWith((v: string | null) => (v === null ? null : new Date(v))),
    })
    .from(linkChecks);
  const sample = await db
    .select({ url: linkChecks.url, onHome: linkChecks.onHome, error: linkChecks.error, fixBy: linkChecks.fixBy })
    .from(linkChecks)
    .where(eq(linkChecks.broken, true))
    .orderBy(desc(linkChecks.onHome), linkChecks.url)
    .limit(20);
  return {
    checked: counts?.checked ?? 0,
    home: counts?.home ?? 0,
    other: counts?.other ?? 0,
    failingOnce: counts?.failingOnce ?? 0,
    lastAt: counts?.lastAt ?? null,
    sample,
  };
}
