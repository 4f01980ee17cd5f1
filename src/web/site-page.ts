import { html, type SafeHtml } from './html.js';
import { page } from './layout.js';

// The public website's page frame: its navigation and pagination, shared by every module's public pages
// (the site's columns, the disclosure section).

export interface NavGroup {
  id: number;
  slug: string;
  name: string;
}

/** The site navigation: home, the column groups (Art. 11), the mailbox and search. */
export const siteNavOf = (groups: readonly NavGroup[]) => [
  { key: 'home', href: '/', label: '首页' },
  ...groups.map((g) => ({ key: `column:${g.slug}`, href: `/columns/${g.slug}`, label: g.name })),
  { key: 'mailbox', href: '/mailbox', label: '局长信箱' },
  { key: 'search', href: '/search', label: '站内搜索' },
];

/** A public website page in the shared layout (src/web/layout.ts, public area). */
export const sitePage = (groups: readonly NavGroup[], opts: { title: string; current?: string; print?: boolean }, main: SafeHtml) =>
  page({ title: opts.title, area: 'public', current: opts.current, siteNav: siteNavOf(groups), print: opts.print }, main);

/** Pagination as plain links (no JavaScript): previous, a window of page numbers, next. */
export function pager(hrefOf: (page: number) => string, current: number, pages: number | null, hasNext: boolean): SafeHtml {
  const last = pages ?? (hasNext ? current + 1 : current);
  if (last <= 1) return html``;
  const from = Math.max(1, current - 2);
  const to = pages ? Math.min(pages, current + 2) : current;
  const numbers: number[] = [];
  for (let n = from; n <= to; n++) numbers.push(n);
  return html`<nav class="pager" aria-label="分页"><ul>
${current > 1 && html`<li><a href="${hrefOf(current - 1)}" rel="prev">上一页</a></li>`}
${numbers.map((n) =>
  n === current
    ? html`<li><span aria-current="page">第 ${String(n)} 页</span></li>`
    : html`<li><a href="${hrefOf(n)}" aria-label="第 ${String(n)} 页">${String(n)}</a></li>`,
)}
${current < last && html`<li><a href="${hrefOf(current + 1)}" rel="next">下一页</a></li>`}
</ul>${pages ? html`<p class="pager-total">共 ${String(pages)} 页</p>` : ''}</nav>`;
}
