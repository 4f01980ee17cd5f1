// What other modules ask of the link register: is a link approved (measures Art. 24: a link goes up only
// after the bureau leader's approval). Imports nothing of another module, so publishing may call it.
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { linksInMarkdown } from '../extract.js';
import { hostOf } from '../rules.js';
import { linkApplications } from '../tables.js';

/** Of the hosts, those with an approved (placed, not withdrawn) application. */
export async function approvedHosts(db: Executor, hosts: readonly string[]): Promise<Set<string>> {
  if (hosts.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ host: linkApplications.targetHost })
    .from(linkApplications)
    .where(and(eq(linkApplications.status, 'approved'), inArray(linkApplications.targetHost, [...hosts])));
  return new Set(rows.map((r) => r.host));
}

/** Whether an approved application covers the URL's host. */
export async function isApprovedLink(db: Executor, url: string): Promise<boolean> {
  const host = hostOf(url);
  return !!host && (await approvedHosts(db, [host])).has(host);
}

/**
 * The external hosts a Markdown body links to that no approved application covers. `ownHosts` are the
 * site's own (SITE_ORIGINS): links to them are internal. Site paths are internal.
 */
export async function unapprovedHostsIn(db: Executor, markdown: string, ownHosts: ReadonlySet<string>): Promise<string[]> {
  const hosts = [
    ...new Set(
      linksInMarkdown(markdown)
        .map(hostOf)
        .filter((h): h is string => !!h && !ownHosts.has(h)),
    ),
  ];
  const approved = await approvedHosts(db, hosts);
  return hosts.filter((h) => !approved.has(h));
}

/** The hosts of the SITE_ORIGINS setting. */
export const ownHostsOf = (siteOrigins: string) =>
  new Set(
    siteOrigins
      .split(',')
      .map((o) => hostOf(o.trim()))
      .filter((h): h is string => !!h),
  );
