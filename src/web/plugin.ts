import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../mailbox/attachments.js';
import { AppError, asUnavailable } from '../server/errors.js';
import { ASSETS, type AssetName } from './assets.js';
import { isPublicCacheable } from './cache.js';
import { configureSite, configureStaffNav, configureStaffNotices, messagePage } from './layout.js';
import { staffNotFound } from './request.js';
import { loginPages } from '../auth/pages/login.js';
import { ROLE_LABELS } from '../auth/labels.js';
import { CASE_VIEWERS, STAFF_ROLES } from '../auth/roles.js';
import { AUDIT_PERMISSIONS } from '../audit/service.js';
import { DIGEST_PERMISSIONS } from '../digest/service.js';
import { ACTION_ROLES } from '../mailbox/case-rules.js';
import { CONVENIENCE_ITEM_PERMISSIONS } from '../mailbox/rules.js';
import { auditPages } from '../audit/pages/audit.js';
import { calendarPages, calendarReminder } from '../calendar/pages/calendar.js';
import { digestPages } from '../digest/pages/digest.js';
import { findingPages } from '../inspection/pages/findings.js';
import { inspectionPages } from '../inspection/pages/inspection.js';
import { FINDING_READERS } from '../inspection/finding-rules.js';
import { INSPECTION_READERS } from '../inspection/rules.js';
import { arbitrationPages } from '../mailbox/pages/arbitration.js';
import { dissatisfiedPages } from '../mailbox/pages/dissatisfied.js';
import { DISSATISFACTION_DECIDERS } from '../mailbox/rating-rules.js';
import { casePages } from '../mailbox/pages/case.js';
import { convenienceItemPages } from '../mailbox/pages/convenience-items.js';
import { publicPages } from '../mailbox/pages/public.js';
import { statisticsPages } from '../mailbox/pages/statistics.js';
import { publicationPages } from '../mailbox/pages/publications.js';
import { publishedPages } from '../mailbox/pages/published.js';
import { sitePages } from '../publishing/pages/site.js';
import { PUBLICATION_EDITORS } from '../mailbox/publication-rules.js';
import { workbenchPages } from '../mailbox/pages/workbench.js';
import { itemPages } from '../publishing/pages/items.js';
import { reviewFormPages } from '../publishing/pages/review-forms.js';
import { reviewPrintPages } from '../publishing/pages/review-print.js';
import { cataloguePages } from '../disclosure/pages/catalogue.js';
import { registerPages } from '../disclosure/pages/register.js';
import { xxgkPages } from '../disclosure/pages/xxgk.js';
import { guidePages } from '../disclosure/pages/guide.js';
import { textPages } from '../disclosure/pages/texts.js';
import { CATALOGUERS, DECIDERS, REGISTER_READERS } from '../disclosure/rules.js';
import { attachmentPublicPages, attachmentStaffPages } from '../publishing/pages/attachments.js';
import { siteAdminPages } from '../publishing/pages/site-admin.js';
import { handInPages } from '../handin/pages/handin.js';
import { annualReportPublicPages } from '../annual-report/pages/public.js';
import { annualReportPages } from '../annual-report/pages/report.js';
import { REPORT_READERS } from '../annual-report/rules.js';
import { HANDIN_READERS } from '../handin/rules.js';
import { linkPages } from '../links/pages/links.js';
import { LINK_READERS } from '../links/rules.js';
import { REVIEW_PARTICIPANTS, SITE_ADMINS } from '../publishing/rules.js';
import { answerLetterPublicPages, answerLetterStaffPages } from '../requests/pages/answer-letter-pages.js';
import { requestPublicPages } from '../requests/pages/public.js';
import { requestStaffPages } from '../requests/pages/staff.js';
import { REQUEST_LIST_VIEWERS } from '../requests/rules.js';

/** Scripts, styles and images from this origin only: no inline code, no framing, forms post here only. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
  scriptSrcAttr: ["'none'"],
};
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const cspHeader = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([k, v]) => [kebab(k), ...v].join(' '))
    .join('; ');
/** HSTS over HTTPS (COOKIE_SECURE): a year, subdomains too. */
const HSTS = { maxAge: 31_536_000, includeSubDomains: true };

/**
 * For the few responses sent before helmet's hook ran (a redirect to the login page or an authorization
 * failure in the app-wide hook): the same headers helmet sets, HSTS and upgrade-insecure-requests included
 * when the site is served over HTTPS.
 */
function ensureSecurityHeaders(reply: FastifyReply, secure: boolean) {
  if (reply.getHeader('content-security-policy')) return;
  reply.headers({
    'content-security-policy': cspHeader({ ...CSP_DIRECTIVES, ...(secure ? { upgradeInsecureRequests: [] } : {}) }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    ...(secure ? { 'strict-transport-security': `max-age=${HSTS.maxAge}; includeSubDomains` } : {}),
  });
}

const CSRF_COOKIE = 'amr_csrf';

/**
 * The web pages: the public mailbox (/, /letter, /lookup) and the staff back office (/staff/…), as
 * server-rendered HTML with one stylesheet and one progressive-enhancement script. Helmet (strict
 * CSP), CSRF protection and multipart parsing are registered in this plugin's scope only, so the
 * JSON API under /api is unaffected.
 */
/** The staff navigation: each page with the same roles its route declares as its access. */
const STAFF_NAV = [
  { key: 'cases', href: '/staff/cases', label: '工作台', roles: CASE_VIEWERS },
  { key: 'arbitration', href: '/staff/arbitration', label: '协调', roles: ACTION_ROLES.arbitrate },
  { key: 'dissatisfied', href: '/staff/dissatisfied', label: '不满意评价', roles: DISSATISFACTION_DECIDERS },
  { key: 'publications', href: '/staff/publications', label: '信件公开', roles: PUBLICATION_EDITORS },
  { key: 'digest', href: '/staff/digest', label: '每日提醒', roles: DIGEST_PERMISSIONS.read },
  { key: 'inspection', href: '/staff/inspection', label: '网站检查', roles: INSPECTION_READERS },
  { key: 'findings', href: '/staff/inspection/findings', label: '检查问题', roles: FINDING_READERS },
  { key: 'calendar', href: '/staff/calendar', label: '工作日历', roles: STAFF_ROLES },
  { key: 'site-items', href: '/staff/site/items', label: '网站信息', roles: REVIEW_PARTICIPANTS },
  { key: 'review-forms', href: '/staff/review-forms', label: '审核单', roles: REVIEW_PARTICIPANTS },
  { key: 'disclosure', href: '/staff/disclosure/documents', label: '文件登记', roles: REGISTER_READERS },
  { key: 'catalogue', href: '/staff/disclosure/catalogue', label: '公开目录', roles: [...CATALOGUERS, ...DECIDERS] },
  { key: 'handin', href: '/staff/handin', label: '审核单报送', roles: HANDIN_READERS },
  { key: 'links', href: '/staff/links', label: '外部链接', roles: LINK_READERS },
  { key: 'annual-reports', href: '/staff/annual-reports', label: '年度报告', roles: REPORT_READERS },
  { key: 'convenience', href: '/staff/convenience-items', label: '便民服务事项', roles: CONVENIENCE_ITEM_PERMISSIONS['list-all'] },
  { key: 'audit', href: '/staff/audit', label: '审计日志', roles: AUDIT_PERMISSIONS.read },
  { key: 'site-columns', href: '/staff/site/columns', label: '栏目管理', roles: SITE_ADMINS },
  { key: 'site-leaders', href: '/staff/site/leaders', label: '分管局领导', roles: SITE_ADMINS },
  { key: 'requests', href: '/staff/requests', label: '依申请公开', roles: REQUEST_LIST_VIEWERS },
];

export const webRoutes: FastifyPluginAsync = async (app) => {
  const env = app.ctx.env;
  configureStaffNav(STAFF_NAV, ROLE_LABELS);
  configureStaffNotices(calendarReminder({ calendar: app.ctx.calendar }));
  configureSite({ name: env.SITE_NAME, idCode: env.SITE_ID_CODE, icpRecord: env.SITE_ICP_RECORD, psbRecord: env.SITE_PSB_RECORD });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...CSP_DIRECTIVES, ...(env.COOKIE_SECURE ? { upgradeInsecureRequests: [] } : {}) },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    hsts: env.COOKIE_SECURE ? HSTS : false,
  });
  await app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: env.COOKIE_SECURE },
  });
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: MAX_ATTACHMENTS * 4, fields: 50, parts: 100, fieldSize: 100_000 },
  });

  // Pages carry personal data, one-time codes and CSRF tokens: never cached.
  app.addHook('onSend', async (_req, reply, payload) => {
    // Except the public website's pages, marked by src/web/cache.ts: published items only, no form token.
    if (isPublicCacheable(reply)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') || !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((thrown: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const err = asUnavailable(thrown) ?? thrown;
    const staffArea = req.url.startsWith('/staff');
    const status = err instanceof AppError ? err.statusCode : (err.statusCode ?? 500);
    const base = { area: staffArea ? ('staff' as const) : ('public' as const), staff: req.staff };
    ensureSecurityHeaders(reply, env.COOKIE_SECURE);
    reply.header('cache-control', 'no-store');
    if (status === 401) {
      // Not logged in, or the session ended: to the login page, back here afterwards.
      const hadSession = !!req.cookies?.[SESSION_COOKIE];
      if (hadSession) reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE });
      const next = req.method === 'GET' ? `next=${encodeURIComponent(req.url)}` : '';
      const query = [hadSession ? 'expired=1' : '', next].filter(Boolean).join('&');
      return reply.redirect(`/staff/login${query ? `?${query}` : ''}`, 303);
    }
    const send = (code: number, title: string, text: string) =>
      reply
        .code(code)
        .type('text/html; charset=utf-8')
        .send(
          messagePage({
            ...base,
            title,
            heading: title,
            text,
            back: staffArea ? { href: '/staff', label: '返回工作台' } : { href: '/', label: '返回网站首页' },
          }),
        );
    if (err.code === 'FST_CSRF_MISSING_SECRET' || err.code === 'FST_CSRF_INVALID_TOKEN') {
      return send(403, '页面已失效', '表单已过期或来源无法确认，请返回上一页，刷新后重新提交。');
    }
    if (status === 403) return send(403, '无权访问', err instanceof AppError ? err.message : '您的账户无权访问此页面。');
    if (status === 404) return send(404, '未找到', '未找到该页面。');
    if (status === 429) return send(429, '请求过于频繁', '请求过于频繁，请稍后再试。');
    if (status === 413) return send(413, '提交的内容过大', '提交的内容过大，请减少附件后重试。');
    if (status === 503) {
      // The request deadline or the intake budget: nothing is lost by sending the same form again (its
      // one-time id makes a letter that was stored after all come back, not a second one).
      if (reply.getHeader('retry-after') === undefined) reply.header('retry-after', '5');
      return send(
        503,
        '服务暂时繁忙',
        '服务暂时繁忙，请稍后重试。如果您刚才提交了来信，请返回上一页再提交一次：同一份表单重复提交不会产生重复的来信。',
      );
    }
    if (status < 500) return send(status, '请求有误', err instanceof AppError ? err.message : '请求格式不正确，请返回后重试。');
    req.log.error({ err }, 'web page failed');
    return send(500, '服务暂时不可用', '服务器内部错误，请稍后再试。');
  });

  app.get('/assets/:name', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name as AssetName] : undefined;
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('未找到');
    const versioned = (req.query as { v?: string }).v === asset.hash;
    return reply
      .type(asset.contentType)
      .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .header('etag', `"${asset.hash}"`)
      .send(asset.body);
  });

  await app.register(publicPages);
  await app.register(statisticsPages);
  await app.register(publishedPages);
  await app.register(attachmentPublicPages);
  await app.register(sitePages);
  await app.register(xxgkPages);
  await app.register(annualReportPublicPages);
  await app.register(answerLetterPublicPages);
  await app.register(requestPublicPages);
  // Each domain renders its own pages; the staff area shares one 404 page.
  await app.register(
    async (staff) => {
      staff.setNotFoundHandler((req, reply) => staffNotFound(req, reply));
      for (const pages of [
        loginPages,
        workbenchPages,
        casePages,
        arbitrationPages,
        dissatisfiedPages,
        publicationPages,
        digestPages,
        inspectionPages,
        findingPages,
        calendarPages,
        convenienceItemPages,
        auditPages,
        itemPages,
        reviewFormPages,
        reviewPrintPages,
        registerPages,
        cataloguePages,
        guidePages,
        textPages,
        attachmentStaffPages,
        siteAdminPages,
        handInPages,
        linkPages,
        answerLetterStaffPages,
        requestStaffPages,
        annualReportPages,
      ]) {
        await staff.register(pages);
      }
    },
    { prefix: '/staff' },
  );
};
