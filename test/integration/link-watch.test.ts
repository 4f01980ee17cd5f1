import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { latestInspection } from '../../src/inspection/service/index.js';
import { injectedSite } from '../../src/links/internal.js';
import { NOT_CHECKED_OUTSIDE } from '../../src/links/rules.js';
import { linkTasksForDigest } from '../../src/links/service/digest-feed.js';
import { listLinkChecks } from '../../src/links/service/results.js';
import { runLinkWatch } from '../../src/links/service/watcher.js';
import { startHarness, type Harness } from '../support/harness.js';
import { approvedLink, itemThroughChain } from '../support/link-items.js';
import { loopbackLookup, startLinkSite } from '../support/link-servers.js';
import { staffViewers } from '../support/viewers.js';

// Issue 21 points 3-4 (measures Art. 24: departments watch their links, no 错链 or 断链): the watcher over
// the real record — an approved link, the links inside a published item and its site pages — against a
// local server on 127.0.0.1 (names mapped to loopback by the injected lookup) and the app itself through
// fastify inject. Outside traffic is off (LINK_CHECK_EXTERNAL=false) with two allowed hosts. Two failures
// in a row make a link broken, due to be fixed by the end of the 2nd working day: found broken on
// Wednesday 2026-09-30, 国庆 1–7 October off, so Thursday 8 (1) and Friday 9 October (2).

let h: Harness;
let site: Awaited<ReturnType<typeof startLinkSite>>;
const as = staffViewers(() => h, 'link-watch-test');
const base = new URL('http://site.test/');
const at = (t: string) => parseChinaInstant(t)!;
const watch = (now: Date, env = h.env) =>
  runLinkWatch(
    { db: h.db, calendar: h.calendar, env },
    { now, lookup: loopbackLookup, internal: injectedSite(h.app, base), siteBase: base },
  );
const byUrl = async () => new Map((await listLinkChecks({ db: h.db }, await as('office'))).items.map((l) => [l.url, l]));
let itemId = 0;
let okUrl = '';
let goneUrl = '';
let outsideUrl = '';

beforeAll(async () => {
  site = await startLinkSite();
  h = await startHarness({ env: { LINK_CHECK_ALLOWED_HOSTS: 'www.fujian.gov.cn, old.fujian.gov.cn', LINK_CHECK_TIMEOUT_MS: '1000' } });
  okUrl = site.url('www.fujian.gov.cn', '/ok');
  goneUrl = site.url('old.fujian.gov.cn', '/missing');
  outsideUrl = site.url('www.samr.gov.cn', '/ok');
  await approvedLink(h, as, okUrl, '福建省人民政府');
  await approvedLink(h, as, goneUrl, '旧版网站');
  await approvedLink(h, as, outsideUrl, '国家市场监督管理总局');
  const item = await itemThroughChain(
    h,
    as,
    '关于做好链接检查的通知',
    `详见[省政府](${okUrl})、[旧版网站](${goneUrl})、[总局](${outsideUrl})、[通知公告](/columns/tzgg)和[已删除的页面](/items/999999)。`,
  );
  await item.publish();
  itemId = item.itemId;
}, 120_000);
afterAll(async () => {
  await h?.close();
  await site?.close();
});

describe('issue 21 point 3-4: the first run (Tuesday 2026-09-29)', () => {
  it('checks the site pages through the app, the allowed hosts over HTTP, and leaves other hosts alone', async () => {
    const run = await watch(at('2026-09-29 03:00'));
    expect(run.notChecked).toBeGreaterThanOrEqual(1);
    const links = await byUrl();
    expect(links.get('/')).toMatchObject({ internal: true, onHome: true, outcome: 'ok', status: 200 });
    expect(links.get('/')!.title).toContain('福建省市场监督管理局');
    expect(links.get(`/items/${itemId}`)).toMatchObject({ outcome: 'ok', onHome: true });
    expect(links.get('/columns/tzgg')).toMatchObject({ outcome: 'ok' });
    expect(links.get('/items/999999')).toMatchObject({ outcome: 'failed', status: 404, consecutiveFailures: 1, broken: false });
    expect(links.get(okUrl)).toMatchObject({ outcome: 'ok', status: 200, title: '福建省人民政府', titleChanged: false });
    expect(
      links
        .get(okUrl)!
        .sources.map((s) => s.kind)
        .sort(),
    ).toEqual(['approved', 'item']);
    expect(links.get(goneUrl)).toMatchObject({ outcome: 'failed', status: 404, consecutiveFailures: 1, broken: false, fixBy: null });
    expect(links.get(outsideUrl)).toMatchObject({ outcome: 'not_checked', error: NOT_CHECKED_OUTSIDE, status: null });
    // Outside traffic is off: not one request for the host that is not allowed, none for the footer's beian sites.
    expect(site.state.hosts.has('www.samr.gov.cn')).toBe(false);
    expect([...site.state.hosts].sort()).toEqual(['old.fujian.gov.cn', 'www.fujian.gov.cn']);
    expect(links.get('https://beian.miit.gov.cn/')?.outcome ?? 'not_checked').toBe('not_checked');
  });
  it('the inspection: failing once is amber (one more failure makes it broken)', async () => {
    const r = (await latestInspection({ db: h.db }, await as('office'))).results.find((x) => x.key === 'brokenLinks')!;
    expect(r.status).toBe('amber');
    expect(r.value).toBe('首页 0 个，其他页面 0 个');
  });
});

describe('issue 21 point 3: the second run (Wednesday 2026-09-30)', () => {
  it('two failures in a row are broken, fix by Friday 2026-10-09 (国庆 skipped); a changed title is flagged', async () => {
    site.state.title = '福建省人民政府门户网站（改版）';
    await watch(at('2026-09-30 03:00'));
    const links = await byUrl();
    expect(links.get(goneUrl)).toMatchObject({ broken: true, consecutiveFailures: 2, fixBy: '2026-10-09' });
    expect(links.get('/items/999999')).toMatchObject({ broken: true, fixBy: '2026-10-09' });
    expect(links.get(okUrl)).toMatchObject({ outcome: 'ok', titleChanged: true, title: '福建省人民政府门户网站（改版）', broken: false });
  });
  it("the department's digest gets each broken link with its fix-by date; the inspection counts them (home page separately)", async () => {
    const tasks = (await linkTasksForDigest(h.db)).filter((t) => t.kind === 'brokenLink');
    expect(tasks.map((t) => [t.title, t.departmentId, t.dueDate]).sort()).toEqual(
      [
        ['/items/999999', 5, '2026-10-09'],
        [goneUrl, 5, '2026-10-09'],
      ].sort(),
    );
    const r = (await latestInspection({ db: h.db }, await as('office'))).results.find((x) => x.key === 'brokenLinks')!;
    expect(r).toMatchObject({ status: 'red', value: '首页 0 个，其他页面 2 个' });
    expect(r.links!.map((l) => l.url).sort()).toEqual(['/items/999999', goneUrl].sort());
  });
  it('a department sees its own links; a department with none sees nothing', async () => {
    expect((await listLinkChecks({ db: h.db }, await as('h-registration'), { broken: true })).items).toHaveLength(2);
    expect((await listLinkChecks({ db: h.db }, await as('h-credit'))).items).toEqual([]);
  });
  it('a broken link that answers again is no longer broken (the third run, 2026-10-08)', async () => {
    site.state.missingFixed = true;
    await watch(at('2026-10-08 03:00'), { ...h.env, LINK_CHECK_EXTERNAL: true });
    const links = await byUrl();
    expect(links.get(goneUrl)).toMatchObject({ outcome: 'ok', broken: false, consecutiveFailures: 0, fixBy: null });
    expect(links.get('/items/999999')).toMatchObject({ broken: true, consecutiveFailures: 3, fixBy: '2026-10-09' });
    // With LINK_CHECK_EXTERNAL on, the host that was not allowed is checked too.
    expect(links.get(outsideUrl)).toMatchObject({ outcome: 'ok', status: 200 });
    expect(site.state.hosts.has('www.samr.gov.cn')).toBe(true);
  });
});
