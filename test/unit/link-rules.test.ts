import { describe, expect, it } from 'vitest';
import { linksInHtml, linksInMarkdown } from '../../src/links/extract.js';
import { decisionRefusal, hostList, isGovernmentHost, registrableDomain } from '../../src/links/rules.js';
import { titleOf } from '../../src/links/checker.js';

// Measures Art. 24 and Art. 27(二): what a government site is, what counts as another site, the links an item holds.

describe('Art. 27(二) government sites', () => {
  const listed = hostList(' cnca.cn, WWW.CAC.GOV ');
  it('.gov.cn and its subdomains, .政务 (xn--zfr164b), listed organisations and their subdomains', () => {
    expect(isGovernmentHost('www.fujian.gov.cn', listed)).toBe(true);
    expect(isGovernmentHost('gov.cn', listed)).toBe(true);
    expect(isGovernmentHost(new URL('https://福建.政务/').hostname, listed)).toBe(true);
    expect(isGovernmentHost('www.cnca.cn', listed)).toBe(true);
    expect(isGovernmentHost('www.cac.gov', listed)).toBe(true);
  });
  it('look-alikes are not', () => {
    expect(isGovernmentHost('fakegov.cn', listed)).toBe(false);
    expect(isGovernmentHost('gov.cn.example.com', listed)).toBe(false);
    expect(isGovernmentHost('notcnca.cn', listed)).toBe(false);
  });
});

describe('another registrable domain (a likely 错链)', () => {
  it('two labels, or three under gov.cn / com.cn', () => {
    expect(registrableDomain('www.fjamr.gov.cn')).toBe('fjamr.gov.cn');
    expect(registrableDomain('a.b.example.com')).toBe('example.com');
    expect(registrableDomain('shop.example.com.cn')).toBe('example.com.cn');
    expect(registrableDomain('127.0.0.1')).toBe('127.0.0.1');
    expect(registrableDomain('www.fujian.gov.cn')).not.toBe(registrableDomain('www.fjamr.gov.cn'));
  });
});

describe('the links inside an item', () => {
  it('Markdown links and bare URLs, absolute or site paths, once each; mailto and protocol-relative dropped', () => {
    const md =
      '见[省政府](https://www.fujian.gov.cn/)，[栏目](/columns/tzgg)，http://x.gov.cn/a?b=1。又见[省政府](https://www.fujian.gov.cn/) [信](mailto:a@b) [怪](//evil.example/)';
    expect(linksInMarkdown(md)).toEqual(['https://www.fujian.gov.cn/', '/columns/tzgg', 'http://x.gov.cn/a?b=1']);
  });
  it('hrefs of a page resolved against it, fragments dropped', () => {
    const html = '<a href="/items/3#top">a</a><a href="https://x.gov.cn/?a=1&amp;b=2">b</a><a href="#main">c</a><a href="tel:123">d</a>';
    expect(linksInHtml(html, new URL('http://site.test/columns/tzgg'))).toEqual(['http://site.test/items/3', 'https://x.gov.cn/?a=1&b=2']);
  });
  it('the <title>, entities decoded and whitespace collapsed', () => {
    expect(titleOf('<html><head><title>\n 福建省 &amp; 人民政府 </title>')).toBe('福建省 & 人民政府');
    expect(titleOf('<p>no title</p>')).toBeNull();
  });
});

describe('Art. 24 which decision each state allows', () => {
  it('the office returns at its step, the leader refuses at theirs, only an approved link is withdrawn', () => {
    expect(decisionRefusal('at_office', 'return')).toBeNull();
    expect(decisionRefusal('at_leader', 'return')).toBe('该申请不在办公室审核环节');
    expect(decisionRefusal('at_leader', 'refuse')).toBeNull();
    expect(decisionRefusal('approved', 'approve')).toBe('该申请已办结，不能再审批');
    expect(decisionRefusal('approved', 'withdraw')).toBeNull();
    expect(decisionRefusal('refused', 'withdraw')).toBe('只有已批准的链接可以撤销');
  });
});
