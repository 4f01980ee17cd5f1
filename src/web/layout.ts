import { assetUrl } from './assets.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';

/** The logged-in person as the staff header shows them (the layout knows no module's types). */
export interface StaffBadge {
  displayName: string;
  roles: readonly string[];
}

/** A staff page in the navigation, shown to the roles that may open it. */
export interface NavItem {
  key: string;
  href: string;
  label: string;
  roles: readonly string[];
}

// Set once by the web plugin (src/web/plugin.ts), which knows every module's pages and who may open them.
let staffNav: readonly NavItem[] = [];
let roleLabels: Readonly<Record<string, string>> = {};
export function configureStaffNav(items: readonly NavItem[], labels: Readonly<Record<string, string>>) {
  staffNav = items;
  roleLabels = labels;
}

export const hasRole = (staff: StaffBadge | null | undefined, roles: readonly string[]) =>
  !!staff && staff.roles.some((r) => roles.includes(r));

/** The first staff page a person may open (where /staff and the login send them). */
export function homeOf(staff: StaffBadge): string {
  return staffNav.find((n) => hasRole(staff, n.roles))?.href ?? '/staff/calendar';
}

export interface Flash {
  kind: 'ok' | 'error';
  text: HtmlValue;
}

export interface PageOptions {
  title: string;
  area: 'public' | 'staff';
  /** The nav entry to mark as current. */
  current?: string;
  staff?: StaffBadge | null;
  /** CSRF token for the logout form (staff pages with a session). */
  csrf?: string;
  flash?: Flash | null;
}

const SITE = '省市场监督管理局';

function publicHeader(current?: string) {
  const link = (key: string, href: string, label: string) =>
    html`<li><a href="${href}"${current === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<header class="site-header">
  <div class="wrap">
    <p class="site-name"><a href="/">${SITE} · 局长信箱</a></p>
    <nav aria-label="网站导航"><ul class="nav">${link('write', '/', '写信')}${link('lookup', '/lookup', '查询办理进度')}</ul></nav>
  </div>
</header>`;
}

function staffHeader(opts: PageOptions) {
  const staff = opts.staff;
  const items = staff ? staffNav.filter((n) => hasRole(staff, n.roles)) : [];
  return html`<header class="site-header staff">
  <div class="wrap">
    <p class="site-name"><a href="/staff">局长信箱 · 工作人员</a></p>
    ${
      staff &&
      html`<nav aria-label="工作人员导航"><ul class="nav">${items.map(
        (n) => html`<li><a href="${n.href}"${opts.current === n.key ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
      )}</ul></nav>
    <div class="whoami">
      <span>${staff.displayName}（${staff.roles.map((r) => roleLabels[r] ?? r).join('、')}）</span>
      <form method="post" action="/staff/logout" class="inline">
        <input type="hidden" name="_csrf" value="${opts.csrf ?? ''}">
        <button type="submit" class="link-button">退出登录</button>
      </form>
    </div>`
    }
  </div>
</header>`;
}

/** A whole HTML5 document: one <h1> is up to `main`. */
export function page(opts: PageOptions, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} - ${opts.area === 'staff' ? '局长信箱工作平台' : SITE}</title>
<link rel="stylesheet" href="${assetUrl('app.css')}">
<script src="${assetUrl('app.js')}" defer></script>
</head>
<body class="${opts.area}">
<a class="skip-link" href="#main">跳到主要内容</a>
${opts.area === 'staff' ? staffHeader(opts) : publicHeader(opts.current)}
<main id="main" class="wrap" tabindex="-1">
${opts.flash && html`<div class="flash flash-${opts.flash.kind}" role="${opts.flash.kind === 'error' ? 'alert' : 'status'}">${opts.flash.text}</div>`}
${main}
</main>
<footer class="site-footer"><div class="wrap"><p>${SITE} 主办 · 局长信箱</p></div></footer>
</body>
</html>
`.value;
}

/** The message page for errors (404, 403, …). */
export function messagePage(opts: PageOptions & { heading: string; text: HtmlValue; back?: { href: string; label: string } }): string {
  return page(
    opts,
    html`<h1>${opts.heading}</h1>
<p>${opts.text}</p>
${opts.back && html`<p><a href="${opts.back.href}">${opts.back.label}</a></p>`}`,
  );
}
