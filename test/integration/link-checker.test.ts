import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLink, perHostPool, type CheckOptions } from '../../src/links/checker.js';
import { LINK_CHECK_USER_AGENT } from '../../src/links/rules.js';
import { loopbackLookup, startLinkSite } from '../support/link-servers.js';

// Issue 21 points 3-4, one link's check against servers on 127.0.0.1 only (host names mapped to loopback
// by the checker's injectable lookup, never real DNS). Measures Art. 24: no 错链, no 断链.

let site: Awaited<ReturnType<typeof startLinkSite>>;
const opts: CheckOptions = { timeoutMs: 800, maxRedirects: 5, userAgent: LINK_CHECK_USER_AGENT, lookup: loopbackLookup };
const at = (path: string, host = 'www.fujian.gov.cn') => site.url(host, path);

beforeAll(async () => {
  site = await startLinkSite();
});
afterAll(async () => site?.close());

describe('Art. 24 checking one link', () => {
  it('200: ok, status, final URL, content type, the page title, time taken, the bureau user agent', async () => {
    const r = await checkLink(at('/ok'), opts);
    expect(r).toMatchObject({
      outcome: 'ok',
      status: 200,
      finalUrl: at('/ok'),
      redirects: [],
      title: '福建省人民政府',
      crossDomain: false,
      error: null,
    });
    expect(r.contentType).toBe('text/html; charset=utf-8');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(site.state.userAgents).toContain('Mozilla/5.0 (compatible; 福建省市场监督管理局网站链接检查)');
  });
  it('404 and 500 fail with their status', async () => {
    expect(await checkLink(at('/missing'), opts)).toMatchObject({ outcome: 'failed', status: 404, error: 'HTTP 404' });
    expect(await checkLink(at('/error'), opts)).toMatchObject({ outcome: 'failed', status: 500, error: 'HTTP 500' });
  });
  it('a page that never answers fails after the timeout', async () => {
    const r = await checkLink(at('/hang'), opts);
    expect(r).toMatchObject({ outcome: 'failed', status: null, error: '超时（0.8 秒内无应答）' });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(790);
    expect(r.elapsedMs).toBeLessThan(3000);
  });
  it('a redirect loop fails, with the chain it went through', async () => {
    const r = await checkLink(at('/loop-a'), opts);
    expect(r).toMatchObject({ outcome: 'failed', error: '重定向循环' });
    expect(r.redirects).toEqual([at('/loop-b'), at('/loop-a')]);
  });
  it('more redirects than the limit fail', async () => {
    const r = await checkLink(at('/moved'), { ...opts, maxRedirects: 0 });
    expect(r).toMatchObject({ outcome: 'failed', error: '重定向超过 0 次' });
  });
  it('a redirect within the site is followed: final URL and chain recorded, same domain', async () => {
    const r = await checkLink(at('/moved'), opts);
    expect(r).toMatchObject({ outcome: 'ok', status: 200, finalUrl: at('/ok'), redirects: [at('/ok')], crossDomain: false });
  });
  it('a redirect to another registrable domain is flagged (a likely 错链 or hijacked domain)', async () => {
    const r = await checkLink(at('/away'), opts);
    expect(r).toMatchObject({ outcome: 'ok', finalUrl: at('/ok', 'parked-domains.example'), crossDomain: true });
  });
  it('a server refusing HEAD (405) is asked again with GET', async () => {
    expect(await checkLink(at('/no-head'), opts)).toMatchObject({ outcome: 'ok', status: 200, title: '只接受 GET' });
  });
  it('a non-HTML target is checked with HEAD alone and has no title', async () => {
    const before = site.state.requests;
    expect(await checkLink(at('/file.pdf'), opts)).toMatchObject({ outcome: 'ok', contentType: 'application/pdf', title: null });
    expect(site.state.requests - before).toBe(1);
  });
  it('a TLS error (an https URL on a server that does not speak TLS) fails as 证书或加密连接错误', async () => {
    const r = await checkLink(`https://www.fujian.gov.cn:${site.tlsPort}/`, opts);
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/^证书或加密连接错误/);
  });
  it('a name that does not resolve fails without touching real DNS', async () => {
    const refuse: CheckOptions['lookup'] = (_h, _o, cb) => cb(Object.assign(new Error('no'), { code: 'ENOTFOUND' }), '', 4);
    expect(await checkLink(at('/ok'), { ...opts, lookup: refuse })).toMatchObject({
      outcome: 'failed',
      error: '域名无法解析（ENOTFOUND）',
    });
  });
});

describe('politeness: the per-host limit', () => {
  it('never more than 2 requests at once to one host, however many links it has', async () => {
    site.state.maxInFlight = 0;
    site.state.slowMs = 50;
    const links = Array.from({ length: 20 }, (_, i) => at(`/page/${i}`, 'slow.fujian.gov.cn'));
    const results: string[] = [];
    await perHostPool(
      links,
      (u) => new URL(u).host,
      2,
      16,
      async (u) => {
        results.push((await checkLink(u, opts)).outcome);
      },
    );
    site.state.slowMs = 0;
    expect(results).toEqual(Array(20).fill('ok'));
    // HEAD then GET per page, each one request at a time per lane.
    expect(site.state.maxInFlight).toBe(2);
  });
});
