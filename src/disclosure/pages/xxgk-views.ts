import { pager, sitePage, type NavGroup } from '../../web/site-page.js';
import { renderBody } from '../../publishing/body.js';
import { html, raw, type SafeHtml } from '../../web/html.js';
import { formatSize } from '../../web/labels.js';
import { DOCUMENT_CATEGORIES, DOCUMENT_CATEGORY_FACTS, VALIDITY_LABELS, type DocumentCategory } from '../rules.js';
import type { CatalogueQuery } from '../schemas.js';
import type { PublicEntry } from '../service/public-catalogue.js';

// The public 政府信息公开 section's pages (issue 16 point 5; 条例 Arts. 12, 24), in the site's public
// layout: no script, plain links and a GET form.

type Groups = readonly NavGroup[];
type Facets = { subjects: string[]; departments: { id: number; name: string }[]; years: number[] };

const CURRENT = 'xxgk';
const crumbs = (here: string, mid?: { href: string; label: string }) =>
  html`<nav class="crumbs" aria-label="当前位置"><a href="/">首页</a> › ${mid ? html`<a href="/xxgk">政府信息公开</a> › ` : ''}${
    mid && mid.href !== '/xxgk' ? html`<a href="${mid.href}">${mid.label}</a> › ` : ''
  }<span aria-current="page">${here}</span></nav>`;
const xxgkPage = (groups: Groups, title: string, main: SafeHtml) => sitePage(groups, { title, current: CURRENT }, main);
const xxgkRoot = { href: '/xxgk', label: '政府信息公开' };

export const XXGK_LINKS = [
  { href: '/xxgk/guide', label: '政府信息公开指南', text: '公开的范围、方式和时限，依申请公开的受理机构和办理程序。' },
  { href: '/xxgk/catalogue', label: '政府信息公开目录', text: '按类别、主题、发布机构和年份查找，按名称、文号或索引号检索。' },
  { href: '/xxgk/proactive', label: '法定主动公开内容', text: '《条例》第二十条规定主动公开的信息，按类别列出。' },
  { href: '/xxgk/reports', label: '政府信息公开工作年度报告', text: '每年 1 月 31 日前公布上一年度的工作年度报告。' },
  { href: '/xxgk/apply', label: '依申请公开', text: '如何申请获取主动公开以外的政府信息。' },
];

export const entranceView = (groups: Groups) =>
  xxgkPage(
    groups,
    '政府信息公开',
    html`${crumbs('政府信息公开')}
<h1>政府信息公开</h1>
<ul class="xxgk-links">${XXGK_LINKS.map((l) => html`<li><a href="${l.href}">${l.label}</a><p>${l.text}</p></li>`)}</ul>`,
  );

export const guideView = (groups: Groups, guide: { body: string; updatedAtText: string | null }) =>
  xxgkPage(
    groups,
    '政府信息公开指南',
    html`${crumbs('政府信息公开指南', xxgkRoot)}
<h1>政府信息公开指南</h1>
<div class="item-body">${raw(renderBody(guide.body))}</div>
<p class="guide-apply">申请获取政府信息的，可以<a href="/xxgk/request">在线提交政府信息公开申请</a>，并凭申请编号和查询码<a href="/xxgk/request/lookup">查询办理进度</a>。</p>
${guide.updatedAtText && html`<p class="item-facts">更新时间：${guide.updatedAtText.slice(0, 16).replace('T', ' ')}</p>`}`,
  );

/** One line of the catalogue: the name as a link, then 索引号, 文号 and 生成日期. */
const entryLine = (e: PublicEntry) =>
  html`<li><a href="${e.href}">${e.name}</a>${e.validity !== 'valid' ? html` <strong class="validity-mark">${VALIDITY_LABELS[e.validity]}</strong>` : ''}
<span class="item-facts">索引号 ${e.indexNo}${e.docNumber ? html` · ${e.docNumber}` : ''} · ${e.generatedOn}</span></li>`;
const entryList = (items: readonly PublicEntry[], empty: string) =>
  items.length === 0 ? html`<p class="empty">${empty}</p>` : html`<ul class="site-list">${items.map(entryLine)}</ul>`;

const option = (value: string, label: string, selected: boolean) =>
  html`<option value="${value}"${selected ? raw(' selected') : ''}>${label}</option>`;

/** The GET form of the filters; `raw` holds what was typed, shown again as typed. */
function filterForm(facets: Facets, raw_: Record<string, string>) {
  return html`<form method="get" action="/xxgk/catalogue" class="stack catalogue-filters" role="search" aria-label="目录检索">
<div class="field"><label for="f-q">名称、文号或索引号</label><input id="f-q" name="q" type="search" maxlength="50" value="${raw_.q ?? ''}"></div>
<div class="field"><label for="f-category">信息类别</label><select id="f-category" name="category">${option('', '全部', !raw_.category)}${DOCUMENT_CATEGORIES.map(
    (c) => option(c, DOCUMENT_CATEGORY_FACTS[c].label, raw_.category === c),
  )}</select></div>
<div class="field"><label for="f-subject">主题分类</label><select id="f-subject" name="subject">${option('', '全部', !raw_.subject)}${facets.subjects.map(
    (s) => option(s, s, raw_.subject === s),
  )}</select></div>
<div class="field"><label for="f-department">发布处室</label><select id="f-department" name="departmentId">${option('', '全部', !raw_.departmentId)}${facets.departments.map(
    (d) => option(String(d.id), d.name, raw_.departmentId === String(d.id)),
  )}</select></div>
<div class="field"><label for="f-year">年份</label><select id="f-year" name="year">${option('', '全部', !raw_.year)}${facets.years.map(
    (y) => option(String(y), `${y} 年`, raw_.year === String(y)),
  )}</select></div>
<div class="actions"><button type="submit" class="primary">查询</button> <a href="/xxgk/catalogue">清除条件</a></div>
</form>`;
}

const hrefWith = (q: CatalogueQuery, page: number) => {
  const p = new URLSearchParams();
  for (const k of ['q', 'category', 'subject', 'departmentId', 'year'] as const)
    if (q[k] !== undefined && q[k] !== '') p.set(k, String(q[k]));
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `/xxgk/catalogue?${s}` : '/xxgk/catalogue';
};

export function catalogueView(
  groups: Groups,
  facets: Facets,
  typed: Record<string, string>,
  r: { query: CatalogueQuery; page: number; pageSize: number; total: number; totalCapped: boolean; items: PublicEntry[] },
) {
  const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  return xxgkPage(
    groups,
    '政府信息公开目录',
    html`${crumbs('政府信息公开目录', xxgkRoot)}
<h1>政府信息公开目录</h1>
${filterForm(facets, typed)}
<p class="count" role="status">${r.totalCapped ? `找到 ${String(r.total)} 条以上，请增加条件缩小范围` : `共 ${String(r.total)} 条`}</p>
${entryList(r.items, '没有符合条件的目录信息。')}
${pager((n) => hrefWith(r.query, n), r.page, pages, r.page < pages)}`,
  );
}

export const badFilterView = (groups: Groups, facets: Facets, typed: Record<string, string>, messages: string[]) =>
  xxgkPage(
    groups,
    '请求有误',
    html`${crumbs('政府信息公开目录', xxgkRoot)}
<h1>政府信息公开目录</h1>
<div class="error-summary" role="alert"><h2>检索条件有误</h2><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul></div>
${filterForm(facets, typed)}`,
  );

/** 条例 Art. 12's fields (索引号, 名称, 内容概述, 生成日期), then 文号, 发布机构, category and subject; validity above when not 有效. */
export function entryView(groups: Groups, e: PublicEntry) {
  const t = e.text;
  const validity =
    e.validity !== 'valid' &&
    html`<div class="notice validity-notice" role="note"><p><strong>本文件${VALIDITY_LABELS[e.validity]}</strong>${e.validityChangedOn ? html`（${e.validityChangedOn}）` : ''}${
      e.changedBy ? html`，依据：${e.changedBy.name}${e.changedBy.docNumber ? html`（${e.changedBy.docNumber}）` : ''}` : ''
    }。</p></div>`;
  return xxgkPage(
    groups,
    e.name,
    html`${crumbs(e.name, { href: '/xxgk/catalogue', label: '政府信息公开目录' })}
<h1>${e.name}</h1>
${validity}
<dl class="facts catalogue-fields">
<dt>索引号</dt><dd>${e.indexNo}</dd>
<dt>名称</dt><dd>${e.name}</dd>
<dt>内容概述</dt><dd>${e.summary}</dd>
<dt>生成日期</dt><dd>${e.generatedOn}</dd>
<dt>文号</dt><dd>${e.docNumber ?? '无'}</dd>
<dt>发布机构</dt><dd>${e.publisher}</dd>
<dt>信息类别</dt><dd><a href="/xxgk/catalogue?category=${e.category}">${e.categoryLabel}</a></dd>
<dt>主题分类</dt><dd>${e.subject || '无'}</dd>
</dl>
<section aria-labelledby="text-h"><h2 id="text-h">电子文本</h2>${
      t
        ? html`<ul class="text-links"><li>${t.mime === 'application/pdf' ? html`<a href="${t.href}">在线阅读（PDF）</a> · ` : ''}<a href="${t.href}?download=1" download="${t.name}">下载 ${t.name}</a>（${formatSize(t.size)}）</li></ul>`
        : html`<p class="empty">暂无电子文本。</p>`
    }</section>`,
  );
}

export function proactiveView(groups: Groups, blocks: { category: DocumentCategory; total: number; items: PublicEntry[] }[]) {
  return xxgkPage(
    groups,
    '法定主动公开内容',
    html`${crumbs('法定主动公开内容', xxgkRoot)}
<h1>法定主动公开内容</h1>
<p>以下按《中华人民共和国政府信息公开条例》第二十条所列类别，列出本局主动公开的政府信息。</p>
${blocks.map(
  (
    b,
  ) => html`<section class="column-block" aria-labelledby="cat-${b.category}"><h2 id="cat-${b.category}">${DOCUMENT_CATEGORY_FACTS[b.category].label}</h2>
${entryList(b.items, '暂无信息。')}
${b.total > b.items.length ? html`<p class="more"><a href="/xxgk/catalogue?category=${b.category}">更多${DOCUMENT_CATEGORY_FACTS[b.category].label}（共 ${String(b.total)} 条）</a></p>` : ''}
</section>`,
)}`,
  );
}

export const applyView = (groups: Groups) =>
  xxgkPage(
    groups,
    '依申请公开',
    html`${crumbs('依申请公开', xxgkRoot)}
<h1>依申请公开</h1>
<p>除本局主动公开的政府信息外，公民、法人或者其他组织可以向本局申请获取相关政府信息（《条例》第二十七条）。</p>
<h2>如何申请</h2>
<ol>
<li>填写《政府信息公开申请表》，写明申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式、途径。</li>
<li>当面提交，或者以信函、传真方式提交至本局政府信息公开工作机构；受理机构的地址、办公时间和联系方式见<a href="/xxgk/guide">政府信息公开指南</a>。</li>
<li>本局能够当场答复的当场答复；不能当场答复的，自收到申请之日起 20 个工作日内答复（《条例》第三十三条）。</li>
</ol>
<p><a href="/xxgk/request" class="button primary">在线提交政府信息公开申请</a></p>
<p>已提交申请的，可以凭申请编号和查询码<a href="/xxgk/request/lookup">查询办理进度</a>。</p>`,
  );
