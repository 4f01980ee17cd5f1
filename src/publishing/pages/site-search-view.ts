import { html } from '../../web/html.js';
import type { SearchResult } from '../service/site-search.js';
import { pager, shownDate, sitePage, timeTag, type NavGroup } from './site-parts.js';

// The site search page: the form (GET, no CSRF token: nothing is changed), and the results with a
// snippet that marks the match. The form alone when nothing was asked; a bad word gets the form again
// with the message (400).

function searchForm(q: string, error?: string) {
  return html`<form method="get" action="/search" class="site-search" role="search">
<label for="site-q">搜索词</label>
<input id="site-q" name="q" type="search" value="${q}" maxlength="50"${
    error ? html` aria-invalid="true" aria-describedby="site-q-error"` : ''
  }>
<button type="submit">搜索</button>
${error && html`<p id="site-q-error" class="field-error" role="alert">${error}</p>`}
</form>`;
}

export function searchFormView(groups: readonly NavGroup[], q = '', error?: string) {
  return sitePage(
    groups,
    { title: '站内搜索', current: 'search' },
    html`<h1>站内搜索</h1>
${searchForm(q, error)}
<p class="hint">在已发布的信息的标题和正文中搜索，至少输入 2 个字，如“食品”“计量”。</p>`,
  );
}

export function searchResultView(groups: readonly NavGroup[], r: SearchResult) {
  const hrefOf = (n: number) => `/search?${new URLSearchParams({ q: r.q, ...(n > 1 ? { page: String(n) } : {}) })}`;
  return sitePage(
    groups,
    { title: `搜索：${r.q}`, current: 'search' },
    html`<h1>站内搜索</h1>
${searchForm(r.q)}
<h2 class="results-title">“${r.q}”的搜索结果${r.page > 1 ? `（第 ${r.page} 页）` : ''}</h2>
${
  r.items.length === 0
    ? html`<p class="empty">没有找到包含“${r.q}”的信息。</p>`
    : html`<ol class="search-results">${r.items.map(
        (i) => html`<li>
<h3><a href="/items/${String(i.id)}">${i.title}</a></h3>
<p class="item-facts"><a href="/columns/${i.columnSlug}">${i.column}</a> · ${timeTag(i.publishedAt, shownDate(i.publishedAt))}</p>
<p class="snippet">${i.snippet.cutStart ? '…' : ''}${i.snippet.before}${i.snippet.match && html`<mark>${i.snippet.match}</mark>`}${i.snippet.after}${
          i.snippet.cutEnd ? '…' : ''
        }</p>
</li>`,
      )}</ol>`
}
${pager(hrefOf, r.page, null, r.hasNext)}`,
  );
}
