import { html } from '../../web/html.js';
import { pager, sitePage, siteNavOf, type NavGroup } from '../../web/site-page.js';
import { CONTENT_TYPE_LABELS, type ContentType } from '../rules.js';

// Shared parts of the public website's pages: dates and item lists (the layout, navigation and pagination
// are src/web/site-page.ts, shared with the disclosure section).

export { pager, sitePage, siteNavOf, type NavGroup };

/** `2026-12-03T09:30:00.000+08:00` → `2026-12-03 09:30` (China time, as stored). */
export const shownTime = (iso: string) => iso.slice(0, 16).replace('T', ' ');
export const shownDate = (iso: string) => iso.slice(0, 10);
export const timeTag = (iso: string, text = shownTime(iso)) => html`<time datetime="${iso}">${text}</time>`;

export interface ListedItem {
  id: number;
  title: string;
  column: string;
  columnSlug: string;
  contentType: ContentType;
  publishedAt: string;
  updatedAt: string | null;
}

/** One line of an item list: the title as a link, then its date (and its column where asked). */
export const itemLine = (i: ListedItem, opts: { column?: boolean } = {}) =>
  html`<li><a href="/items/${String(i.id)}">${i.title}</a> <span class="item-facts">${
    opts.column ? html`${i.column} · ` : ''
  }${i.contentType === 'article' ? '' : html`${CONTENT_TYPE_LABELS[i.contentType]} · `}${timeTag(i.publishedAt, shownDate(i.publishedAt))}</span></li>`;

export const itemList = (items: readonly ListedItem[], empty: string, opts: { column?: boolean } = {}) =>
  items.length === 0 ? html`<p class="empty">${empty}</p>` : html`<ul class="site-list">${items.map((i) => itemLine(i, opts))}</ul>`;
