import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import { siteGroups } from '../../publishing/service/site.js';
import { answerConditional, validatorsOf } from '../../web/cache.js';
import { html } from '../../web/html.js';
import { messagePage } from '../../web/layout.js';
import { attempt } from '../../web/outcome.js';
import { hide, sendPage } from '../../web/request.js';
import { sitePage } from '../../web/site-page.js';
import { publishedReport, publishedReports } from '../service/public.js';
import { reportDocument, reportTitle } from './report-view.js';

// /xxgk/reports (issue 18 point 4; 条例 Art. 49): the published annual reports in the 政府信息公开 section, each
// in the printed layout of the national format (row and column spans as printed), from the snapshot frozen at
// approval; earlier years stay as they were published. Cached like the other public pages (src/web/cache.ts).

const access = { config: { access: 'public' as const }, schema: hide };
const CURRENT = 'xxgk';
const crumbs = (here: string, mid?: SafeLink) =>
  html`<nav class="crumbs" aria-label="当前位置"><a href="/">首页</a> › <a href="/xxgk">政府信息公开</a> › ${
    mid ? html`<a href="${mid.href}">${mid.label}</a> › ` : ''
  }<span aria-current="page">${here}</span></nav>`;
interface SafeLink {
  href: string;
  label: string;
}
const LIST = { href: '/xxgk/reports', label: '政府信息公开工作年度报告' };

export const annualReportPublicPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  const deps = { db };
  const cached = (req: FastifyRequest, reply: FastifyReply, data: unknown, lastModified: Date, render: () => string) =>
    answerConditional(req, reply, validatorsOf(data, lastModified)) ? reply : sendPage(reply, 200, render());

  app.get('/xxgk/reports', access, async (req, reply) => {
    const [groups, years] = await Promise.all([siteGroups(deps), publishedReports(db)]);
    const newest = years.reduce((t, y) => Math.max(t, y.publishedAt.getTime()), 0);
    return cached(req, reply, ['reports', groups, years], new Date(newest), () =>
      sitePage(
        groups,
        { title: LIST.label, current: CURRENT },
        html`${crumbs(LIST.label)}
<h1>${LIST.label}</h1>
<p>本局于每年 1 月 31 日前在本栏目公布上一年度的政府信息公开工作年度报告（《条例》第四十九条）。</p>
${
  years.length === 0
    ? html`<p class="empty">暂无年度报告。</p>`
    : html`<ul class="report-list">${years.map(
        (y) =>
          html`<li data-year="${y.year}"><a href="/xxgk/reports/${y.year}">${reportTitle(y.year)}</a> <span class="meta">发布时间：${formatChinaDateTime(y.publishedAt)}</span></li>`,
      )}</ul>`
}`,
      ),
    );
  });

  app.get('/xxgk/reports/:year', access, async (req, reply) => {
    const raw = (req.params as { year: string }).year;
    const year = /^20\d\d$/.test(raw) ? Number(raw) : undefined;
    const res = year === undefined ? null : await attempt(() => publishedReport(db, year));
    if (!res || !res.ok) {
      return sendPage(
        reply,
        404,
        messagePage({ title: '未找到', area: 'public', heading: '未找到', text: '未找到该年度的政府信息公开工作年度报告。', back: LIST }),
      );
    }
    const groups = await siteGroups(deps);
    const r = res.data;
    return cached(req, reply, ['report', r.year, groups, r.publishedAt.getTime()], r.publishedAt, () =>
      sitePage(
        groups,
        { title: reportTitle(r.year), current: CURRENT },
        html`${crumbs(reportTitle(r.year), LIST)}
${reportDocument(r, { links: false })}
<p class="meta">发布时间：${formatChinaDateTime(r.publishedAt)}${r.itemId !== null && html` · <a href="/items/${r.itemId}">网站信息页面（含 PDF 文本）</a>`}</p>`,
      ),
    );
  });
};
