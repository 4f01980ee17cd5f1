import { describe, expect, it } from 'vitest';
import { html } from '../../src/web/html.js';
import { configureSite, page } from '../../src/web/layout.js';

// The layout's header and footer from the site settings (measures Art. 9(一)): each registration
// number has its own line, shown only when set.

const render = () => page({ title: '局长信箱', area: 'public' }, html`<h1>局长信箱</h1>`);
const footerOf = (doc: string) => /<footer class="site-footer">([\s\S]*?)<\/footer>/.exec(doc)![1]!;

describe('site header and footer', () => {
  it('shows the configured name at the top and as 主办单位', () => {
    configureSite({ name: '福建省市场监督管理局' });
    const doc = render();
    expect(doc.split('<main')[0]).toContain('<span class="site-org">福建省市场监督管理局</span>');
    expect(footerOf(doc)).toContain('<p>主办单位：福建省市场监督管理局</p>');
    expect(footerOf(doc)).not.toContain('<ul class="site-records">');
  });

  it('each registration line appears alone when only its setting is set', () => {
    configureSite({ name: '福建省市场监督管理局', icpRecord: '闽ICP备12345678号' });
    const icpOnly = footerOf(render());
    expect(icpOnly).toContain('data-record="icp"');
    expect(icpOnly).not.toContain('data-record="id-code"');
    expect(icpOnly).not.toContain('data-record="psb"');

    configureSite({ name: '福建省市场监督管理局', idCode: '3500000000' });
    const idOnly = footerOf(render());
    expect(idOnly).toContain('<li data-record="id-code">网站标识码：3500000000</li>');
    expect(idOnly).not.toContain('data-record="icp"');
  });

  it('a 公安 record without its digits is shown as text, not as a broken link', () => {
    configureSite({ name: '福建省市场监督管理局', psbRecord: '闽公网安备（待办理）' });
    expect(footerOf(render())).toContain('<li data-record="psb">闽公网安备（待办理）</li>');
  });

  it('escapes what the settings hold', () => {
    configureSite({ name: '<b>局</b>', icpRecord: '"><script>' });
    const doc = render();
    expect(doc).not.toContain('<b>局</b>');
    expect(doc).not.toContain('"><script>');
  });
});
