import { html, raw } from '../../web/html.js';
import type { ColumnPage, PublicItem, SiteHome } from '../service/site.js';
import { itemList, pager, sitePage, timeTag, type NavGroup } from './site-parts.js';

// The public website's pages (issue 15 point 9): home, column and group pages, item page and its print view.

type Block = { column: { slug: string; name: string }; items: Parameters<typeof itemList>[0] };

const columnBlock = (b: Block, level: 'h2' | 'h3' = 'h2') =>
  html`<section class="column-block" aria-labelledby="col-${b.column.slug}">
${level === 'h2' ? html`<h2 id="col-${b.column.slug}">${b.column.name}</h2>` : html`<h3 id="col-${b.column.slug}">${b.column.name}</h3>`}
${itemList(b.items, '暂无信息。')}
<p class="more"><a href="/columns/${b.column.slug}">更多${b.column.name}</a></p>
</section>`;

/**
 * The home page: the full name (in the header, Art. 9(一)), entries to the mailbox and the disclosure
 * section (/xxgk, src/disclosure/pages/xxgk.ts), and the newest items of every column.
 */
export function homeView(groups: readonly NavGroup[], home: SiteHome, siteName: string) {
  return sitePage(
    groups,
    { title: '首页', current: 'home' },
    html`<h1 class="visually-hidden">${siteName}</h1>
<section class="site-entries" aria-label="常用入口">
<ul class="entry-list">
<li><a href="/mailbox">局长信箱</a></li>
<li><a href="/xxgk">政府信息公开</a></li>
<li><a href="/search">站内搜索</a></li>
</ul>
</section>
<div class="column-grid">${home.columns.map((b) => columnBlock(b))}</div>`,
  );
}

export function groupView(groups: readonly NavGroup[], p: Extract<ColumnPage, { kind: 'group' }>) {
  return sitePage(
    groups,
    { title: p.column.name, current: `column:${p.column.slug}` },
    html`<nav class="crumbs" aria-label="当前位置"><a href="/">首页</a> › <span aria-current="page">${p.column.name}</span></nav>
<h1>${p.column.name}</h1>
${p.columns.length === 0 ? html`<p class="empty">暂无栏目。</p>` : ''}
<div class="column-grid">${p.columns.map((b) => columnBlock(b))}</div>`,
  );
}

export function columnView(groups: readonly NavGroup[], p: Extract<ColumnPage, { kind: 'column' }>, groupOf: NavGroup | undefined) {
  const hrefOf = (n: number) => (n === 1 ? `/columns/${p.column.slug}` : `/columns/${p.column.slug}?page=${n}`);
  return sitePage(
    groups,
    { title: p.page > 1 ? `${p.column.name}（第 ${p.page} 页）` : p.column.name, current: groupOf && `column:${groupOf.slug}` },
    html`<nav class="crumbs" aria-label="当前位置"><a href="/">首页</a> › ${
      groupOf ? html`<a href="/columns/${groupOf.slug}">${groupOf.name}</a> › ` : ''
    }<span aria-current="page">${p.column.name}</span></nav>
<h1>${p.column.name}</h1>
<p class="list-count">共 ${String(p.total)} 条</p>
${itemList(p.items, '该栏目暂无信息。')}
${pager(hrefOf, p.page, p.pages, p.page < p.pages)}`,
  );
}

/** A file size as the public reads it: 1.2 MB, 36 KB. */
const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The item's content: the same on the item page and its print view. */
function itemContent(i: PublicItem) {
  return html`<article class="site-item">
<h1>${i.title}</h1>
<dl class="item-meta">
<div><dt>信息来源</dt><dd>${i.department}</dd></div>
<div><dt>发布时间</dt><dd>${timeTag(i.publishedAt)}</dd></div>
${i.updatedAt && html`<div><dt>更新时间</dt><dd>${timeTag(i.updatedAt)}</dd></div>`}
</dl>
${i.summary && html`<p class="item-summary">${i.summary}</p>`}
<div class="item-body">${raw(i.bodyHtml)}</div>
${
  i.qaPairs.length > 0 &&
  html`<section class="qa" aria-labelledby="qa-h"><h2 id="qa-h">问答</h2><dl>${i.qaPairs.map(
    (p) => html`<div class="qa-pair"><dt>问：${p.question}</dt><dd>答：${p.answer}</dd></div>`,
  )}</dl></section>`
}
${
  i.attachments.length > 0 &&
  html`<section class="attachments" aria-labelledby="attachments-h"><h2 id="attachments-h">附件</h2><ul>${i.attachments.map(
    (a) => html`<li><a href="${a.href}">${a.name}</a> <span class="meta">（${sizeLabel(a.size)}）</span></li>`,
  )}</ul></section>`
}
${
  i.related.length > 0 &&
  html`<section class="related" aria-labelledby="related-h"><h2 id="related-h">相关信息</h2><ul>${i.related.map(
    (r) => html`<li><a href="/items/${String(r.id)}">${r.title}</a></li>`,
  )}</ul></section>`
}
</article>`;
}

export function itemView(groups: readonly NavGroup[], i: PublicItem) {
  return sitePage(
    groups,
    { title: i.title },
    html`<nav class="crumbs" aria-label="当前位置"><a href="/">首页</a> › <a href="/columns/${i.columnSlug}">${i.column}</a></nav>
${itemContent(i)}
<p class="item-tools"><a href="/items/${String(i.id)}/print">打印本页</a></p>`,
  );
}

/** The print view: the same content, the full name on top, no navigation; app.css has its print rules. */
export function printView(groups: readonly NavGroup[], i: PublicItem) {
  return sitePage(
    groups,
    { title: i.title, print: true },
    html`<p class="print-hint">请使用浏览器的“打印”功能打印本页。<a href="/items/${String(i.id)}">返回信息页面</a></p>
${itemContent(i)}
<p class="print-source">本页地址：/items/${String(i.id)}</p>`,
  );
}

/** 410: the item was taken down (Art. 27(三)): its number and that it was withdrawn, not the reason. */
export function goneView(groups: readonly NavGroup[], itemId: number, date: string) {
  return sitePage(
    groups,
    { title: '信息已撤下' },
    html`<h1>信息已撤下</h1>
<p>编号为 ${String(itemId)} 的信息已于 ${date} 撤下，不再公开。</p>
<p><a href="/">返回网站首页</a> · <a href="/search">站内搜索</a></p>`,
  );
}
