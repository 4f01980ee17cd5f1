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

/**
 * What the public sees of the site, from the settings (SITE_* in src/config/env.ts): the full name at the
 * top of every page and the footer's registration numbers (measures Art. 9(一)); a number not set is not shown.
 */
export interface SiteIdentity {
  name: string;
  idCode?: string;
  icpRecord?: string;
  psbRecord?: string;
}

// Set once by the web plugin from the settings (src/web imports no domain module and reads no environment).
let site: SiteIdentity = { name: '' };
export function configureSite(identity: SiteIdentity) {
  site = identity;
}

// Set once by the web plugin: reminders a module shows its staff at the top of every page (e.g. the
// calendar's missing holiday notice for administrators). Nothing by default.
let staffNotices: (staff: StaffBadge, current: string | undefined) => HtmlValue = () => null;
export function configureStaffNotices(fn: (staff: StaffBadge, current: string | undefined) => HtmlValue) {
  staffNotices = fn;
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
  /** The public website's navigation (src/publishing/pages): its header instead of the mailbox's. */
  siteNav?: readonly { key: string; href: string; label: string }[];
  /** A print view (the website's /items/:id/print): the full name only, no navigation, no footer links. */
  print?: boolean;
}

function publicHeader(current?: string) {
  const link = (key: string, href: string, label: string) =>
    html`<li><a href="${href}"${current === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<header class="site-header">
  <div class="wrap">
    <p class="site-name"><a href="/"><span class="site-org">${site.name}</span></a> <a href="/mailbox"><span class="site-section">局长信箱</span></a></p>
    <nav aria-label="网站导航"><ul class="nav">${link('write', '/mailbox', '写信')}${link('lookup', '/lookup', '查询办理进度')}${link('statistics', '/mailbox/statistics', '办理情况统计')}</ul></nav>
  </div>
</header>`;
}

/**
 * The website's header: the bureau's full name with an emblem placeholder at the top (measures Art. 9(一)),
 * then the site navigation. The emblem is a placeholder until the bureau supplies its image.
 */
function siteHeader(nav: NonNullable<PageOptions['siteNav']>, current?: string, print = false) {
  return html`<header class="site-header site-top">
  <div class="wrap">
    <p class="site-name"><a href="/"><span class="site-emblem" role="img" aria-label="徽标（待提供）"></span><span class="site-org">${site.name}</span></a></p>
    ${
      !print &&
      html`<nav aria-label="网站导航"><ul class="nav">${nav.map(
        (n) => html`<li><a href="${n.href}"${current === n.key ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
      )}</ul></nav>`
    }
  </div>
</header>`;
}

function staffHeader(opts: PageOptions) {
  const staff = opts.staff;
  const items = staff ? staffNav.filter((n) => hasRole(staff, n.roles)) : [];
  return html`<header class="site-header staff">
  <div class="wrap">
    <p class="site-name"><a href="/staff"><span class="site-org">${site.name}</span> <span class="site-section">局长信箱 · 工作人员</span></a></p>
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

/** The public security bureau's register looks a record up by its digits. */
const psbLookup = (record: string) => {
  const digits = /\d{6,}/.exec(record)?.[0];
  return digits ? `https://beian.mps.gov.cn/#/query/webSearch?code=${digits}` : undefined;
};

/** 主办单位 and the registration numbers that are set, one line each. */
function siteFooter() {
  const psb = site.psbRecord && psbLookup(site.psbRecord);
  const records: HtmlValue[] = [
    site.idCode && html`<li data-record="id-code">网站标识码：${site.idCode}</li>`,
    site.icpRecord && html`<li data-record="icp"><a href="https://beian.miit.gov.cn/" rel="noreferrer">${site.icpRecord}</a></li>`,
    site.psbRecord &&
      html`<li data-record="psb">${psb ? html`<a href="${psb}" rel="noreferrer">${site.psbRecord}</a>` : site.psbRecord}</li>`,
  ].filter(Boolean);
  return html`<footer class="site-footer"><div class="wrap">
<p>主办单位：${site.name}</p>
${records.length > 0 && html`<ul class="site-records">${records}</ul>`}
</div></footer>`;
}

/** A whole HTML5 document: one <h1> is up to `main`. */
export function page(opts: PageOptions, main: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} - ${opts.area === 'staff' ? '局长信箱工作平台' : site.name}</title>
<link rel="stylesheet" href="${assetUrl('app.css')}">
<script src="${assetUrl('app.js')}" defer></script>
</head>
<body class="${opts.area}${opts.print ? ' print-view' : ''}">
<a class="skip-link" href="#main">跳到主要内容</a>
${opts.area === 'staff' ? staffHeader(opts) : opts.siteNav ? siteHeader(opts.siteNav, opts.current, opts.print) : publicHeader(opts.current)}
<main id="main" class="wrap" tabindex="-1">
${opts.area === 'staff' && opts.staff && staffNotices(opts.staff, opts.current)}
${opts.flash && html`<div class="flash flash-${opts.flash.kind}" role="${opts.flash.kind === 'error' ? 'alert' : 'status'}">${opts.flash.text}</div>`}
${main}
</main>
${siteFooter()}
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
