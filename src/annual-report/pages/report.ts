import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { csrfField, hidden } from '../../web/fields.js';
import { html } from '../../web/html.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { attachmentDisposition } from '../../web/pdf.js';
import { doneFlash, refusalPage } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import {
  CELL_KEY_PATTERN,
  HAND_FIGURES,
  REMEDY_KIND_LABELS,
  REMEDY_KINDS,
  REMEDY_RESULT_LABELS,
  REMEDY_RESULTS,
  REPORT_EDITORS,
  REPORT_READERS,
  TEXT_SECTION_LABELS,
  activeFigureLabel,
  cellLabel,
  parseCellKey,
  reportableYear,
} from '../rules.js';
import { figureBody, remedyBody, textsBody, type ReportView } from '../schemas.js';
import { addRemedyCase, approveReport, cellRequests, getReport, getReportPdf, saveTexts, setFigure } from '../service/report.js';
import { cellHref, reportDocument, reportTitle } from './report-view.js';
import { websiteFigures } from '../service/website-figures.js';
import { publishReport } from '../service/publish.js';

// /staff/annual-reports (issue 18): the report of a year in the printed layout with the checks, the office's
// hand-entry forms and texts, approval, the drill-down of a table 三 cell and the PDF — all from the service.

const NOT_FOUND = '未找到该年度报告，或者该年度尚未结束。';
const DONE: Record<string, string> = {
  figure: '数字已保存。',
  texts: '文字已保存。',
  approved: '年度报告已审定，数字和文字已冻结。',
  published: '年度报告已发布到网站“年度报告”栏目。',
  remedy: '行政复议、行政诉讼记录已保存。',
};
const yearOf = (raw: string) => (/^20\d\d$/.test(raw) ? Number(raw) : undefined);
const base = (year: number) => `/staff/annual-reports/${year}`;

/** Page links of a long drill-down. */
const cellPager = (href: string, page: number, pages: number, total: number) =>
  html`<nav class="pager" aria-label="分页"><span>共 ${total} 件，第 ${page} / ${pages} 页</span>${
    page > 1 ? html` <a href="${href}?page=${page - 1}" rel="prev">上一页</a>` : ''
  }${page < pages ? html` <a href="${href}?page=${page + 1}" rel="next">下一页</a>` : ''}</nav>`;

export const annualReportPages: FastifyPluginAsync = async (app) => {
  const deps = { db: app.ctx.db, calendar: app.ctx.calendar };
  const csrf = app.csrfProtection.bind(app);

  async function reportPage(
    req: FastifyRequest,
    reply: FastifyReply,
    year: number,
    status: number,
    flash: Flash | null,
    errors: Record<string, string> = {},
  ): Promise<unknown> {
    const res = await attempt(() => getReport(deps, viewerOf(req), year));
    if (!res.ok)
      return refusalPage(
        req,
        reply,
        res,
        { back: { href: '/staff/annual-reports', label: '返回年度报告' }, notFoundText: NOT_FOUND },
        async () => staffNotFound(req, reply, NOT_FOUND),
      );
    const v: ReportView = res.data;
    const token = reply.generateCsrf();
    const failed = v.checks.filter((c) => !c.passed);
    const err = (name: string) => errors[name] && html`<span class="field-error">${errors[name]}</span>`;
    const figureForm = (key: string, label: string, value: number | null | undefined, note: string) =>
      html`<form method="post" action="${base(year)}/figures" class="figure-form">${csrfField(token)}${hidden('key', key)}
<label>${label} <input name="value" inputmode="decimal" value="${value ?? ''}"></label>
<label>来源说明 <input name="sourceNote" value="${note}" maxlength="500"></label><button type="submit">保存</button></form>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: reportTitle(year), current: 'annual-reports', flash },
      html`<p>状态：<strong data-status="${v.status}">${v.statusLabel}</strong>${v.approvedAt && html` · 审定：${v.approvedBy}`}${v.publishedItemId !== null && html` · <a href="/items/${v.publishedItemId}">已发布到网站</a>`}
 · 内部时限 ${v.deadlines.internal} · 法定时限 ${v.deadlines.statutory}（《条例》第四十九条） · <a href="${base(year)}/pdf">下载 PDF</a> · <a href="${base(year)}/website">其他年度数据</a></p>
${
  v.mayPublish &&
  html`<form method="post" action="${base(year)}/publish">${csrfField(token)}<button type="submit">发布到网站“年度报告”栏目</button></form>`
}
${v.corrections.length > 0 && html`<section class="corrections"><h2>更正说明（审定后记录的变化，报告数字不变）</h2><ul>${v.corrections.map((c) => html`<li>${c}</li>`)}</ul></section>`}
<section class="checks"><h2>校验（${failed.length === 0 ? '全部通过' : `${failed.length} 项未通过`}）</h2>
<ul>${v.checks.map((c) => html`<li data-check="${c.id}" class="${c.passed ? 'passed' : 'failed'}">${c.passed ? '通过' : '未通过'}：${c.label}${c.left !== undefined && html`（${c.left} / ${c.right}）`} · 涉及：${c.cells.map((k) => (CELL_KEY_PATTERN.test(k) ? html`<a href="${cellHref(year, k)}">${k}</a> ` : html`${k} `))}</li>`)}</ul></section>
${reportDocument(v, { links: true })}
<section><h2>手工填报的数字</h2>
${v.handFigures.length > 0 && html`<ul>${v.handFigures.map((f) => html`<li>${f.label}：${f.value}（来源：${f.sourceNote || '未注明'}；${f.enteredBy}）</li>`)}</ul>`}
${
  v.mayEdit &&
  html`${err('value')}${err('sourceNote')}${err('key')}${HAND_FIGURES.map((k) => figureForm(k, activeFigureLabel(k), v.active[k], v.handFigures.find((f) => f.key === k)?.sourceNote ?? ''))}
<h3>更正表三单元格</h3>${html`<form method="post" action="${base(year)}/figures">${csrfField(token)}
<label>单元格 <input name="key" placeholder="new:natural_person"></label><label>数字（留空为撤销更正） <input name="value" inputmode="numeric"></label>
<label>来源说明 <input name="sourceNote" maxlength="500"></label><button type="submit">保存更正</button></form>`}`
}</section>
<section><h2>行政复议、行政诉讼记录</h2>
<ul>${v.remedyCases.map((r) => html`<li>${r.requestNumber} · ${REMEDY_KIND_LABELS[r.kind]} · 提起 ${r.filedOn} · ${REMEDY_RESULT_LABELS[r.result]}${r.decidedOn && html`（${r.decidedOn}）`} · ${r.enteredBy}</li>`)}</ul>
${
  v.mayEdit &&
  html`<form method="post" action="/staff/annual-reports/remedies">${csrfField(token)}${hidden('year', year)}
<label>申请编号 <input name="requestNumber" required></label>
<label>类型 <select name="kind">${REMEDY_KINDS.map((k) => html`<option value="${k}">${REMEDY_KIND_LABELS[k]}</option>`)}</select></label>
<label>提起日期 <input name="filedOn" type="date" required></label>
<label>结果 <select name="result">${REMEDY_RESULTS.map((r) => html`<option value="${r}">${REMEDY_RESULT_LABELS[r]}</option>`)}</select></label>
<label>审结日期 <input name="decidedOn" type="date"></label>
<label>备注 <input name="note" maxlength="500"></label>${err('requestNumber')}${err('filedOn')}${err('decidedOn')}
<button type="submit">记录</button></form>`
}</section>
${
  v.mayEdit &&
  html`<section><h2>文字部分</h2><p>可参考的记录数据：</p><ul>${v.suggestions.map((s) => html`<li>${s}</li>`)}</ul>
<form method="post" action="${base(year)}/texts">${csrfField(token)}
${(['overview', 'problems', 'other'] as const).map((k) => html`<label>${TEXT_SECTION_LABELS[k]}<textarea name="${k}" rows="6">${v.texts[k]}</textarea></label>`)}
<button type="submit">保存文字</button></form>
<form method="post" action="${base(year)}/approve">${csrfField(token)}<button type="submit"${failed.length > 0 && html` disabled`}>审定（办公室负责人）</button></form></section>`
}`,
    );
  }

  const yearParam = (req: FastifyRequest) => yearOf((req.params as { year: string }).year);

  app.get('/annual-reports', { config: { access: REPORT_READERS }, schema: hide }, async (req, reply) => {
    const today = dayToIso(chinaDayOf(new Date()));
    const last = Number(today.slice(0, 4)) - 1;
    const years = [last, last - 1, last - 2].filter((y) => reportableYear(y, today));
    return renderStaff(
      req,
      reply,
      200,
      { title: '政府信息公开工作年度报告', current: 'annual-reports' },
      html`<h1>政府信息公开工作年度报告</h1><p>每年1月31日前公布上一年度的年度报告（《中华人民共和国政府信息公开条例》第四十九条）。</p>
<ul>${years.map((y) => html`<li><a href="${base(y)}">${y} 年度</a></li>`)}</ul>`,
    );
  });

  app.get('/annual-reports/:year', { config: { access: REPORT_READERS }, schema: hide }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    return reportPage(req, reply, year, 200, doneFlash(DONE, str((req.query as Query).done)));
  });

  app.post('/annual-reports/:year/figures', { config: { access: REPORT_EDITORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const rawValue = str(form.value).trim();
    const value = rawValue === '' ? null : Number(rawValue);
    const res = await attempt(async () => {
      return setFigure(
        deps,
        viewerOf(req),
        year,
        parsed(figureBody, { key: str(form.key), value: Number.isNaN(value) ? 'x' : value, sourceNote: str(form.sourceNote, 500) }, 'body'),
      );
    });
    if (res.ok) return reply.redirect(`${base(year)}?done=figure`, 303);
    return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, () =>
      reportPage(req, reply, year, res.status, { kind: 'error', text: res.error.message }, formFieldsOf(res.error.fields)),
    );
  });

  app.post('/annual-reports/:year/texts', { config: { access: REPORT_EDITORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const form = (req.body ?? {}) as Record<string, unknown>;
    const res = await attempt(async () => {
      const body = parsed(
        textsBody,
        { overview: str(form.overview, 20_000), problems: str(form.problems, 20_000), other: str(form.other, 20_000) },
        'body',
      );
      return saveTexts(deps, viewerOf(req), year, body);
    });
    if (res.ok) return reply.redirect(`${base(year)}?done=texts`, 303);
    return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, () =>
      reportPage(req, reply, year, res.status, { kind: 'error', text: res.error.message }, formFieldsOf(res.error.fields)),
    );
  });

  app.post('/annual-reports/remedies', { config: { access: REPORT_EDITORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const year = yearOf(str(form.year));
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() =>
      addRemedyCase(
        deps,
        viewerOf(req),
        parsed(
          remedyBody,
          {
            requestNumber: str(form.requestNumber),
            kind: str(form.kind),
            filedOn: str(form.filedOn),
            result: str(form.result) || undefined,
            decidedOn: str(form.decidedOn) || null,
            note: str(form.note, 500),
          },
          'body',
        ),
      ),
    );
    if (res.ok) return reply.redirect(`${base(year)}?done=remedy`, 303);
    return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, () =>
      reportPage(req, reply, year, res.status, { kind: 'error', text: res.error.message }, formFieldsOf(res.error.fields)),
    );
  });

  app.post('/annual-reports/:year/approve', { config: { access: REPORT_EDITORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => approveReport(deps, viewerOf(req), year));
    if (res.ok) return reply.redirect(`${base(year)}?done=approved`, 303);
    return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, () =>
      reportPage(req, reply, year, res.status, { kind: 'error', text: res.error.message }),
    );
  });

  app.post('/annual-reports/:year/publish', { config: { access: REPORT_EDITORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => publishReport(deps, viewerOf(req), year));
    if (res.ok) return reply.redirect(`${base(year)}?done=published`, 303);
    return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, () =>
      reportPage(req, reply, year, res.status, { kind: 'error', text: res.error.message }),
    );
  });

  app.get('/annual-reports/:year/cells/:cell', { config: { access: REPORT_READERS }, schema: hide }, async (req, reply) => {
    const year = yearParam(req);
    const cell = parseCellKey((req.params as { cell: string }).cell);
    if (year === undefined || !cell) return staffNotFound(req, reply, NOT_FOUND);
    const rawPage = str((req.query as Query).page, 10);
    const page = /^[1-9]\d{0,5}$/.test(rawPage) ? Number(rawPage) : 1;
    const res = await attempt(() => cellRequests(deps, viewerOf(req), year, `${cell.row}:${cell.col}`, new Date(), page));
    if (!res.ok)
      return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, async () =>
        staffNotFound(req, reply, NOT_FOUND),
      );
    const v = res.data;
    return renderStaff(
      req,
      reply,
      200,
      { title: `${year} 年度 · ${cellLabel(cell.row, cell.col)}`, current: 'annual-reports' },
      html`<h1>${year} 年度报告 · 表三</h1><p>${v.label}：<strong data-value="${v.value}">${v.value}</strong>${v.frozen && '（审定时的记录）'}</p>
${v.override && html`<p class="corrected">办公室更正：由 ${v.computed} 改为 ${v.override.value}；来源：${v.override.sourceNote || '未注明'}（${v.override.enteredBy}）</p>`}
<table><thead><tr><th>申请编号</th><th>申请人类型</th><th>收到日期</th><th>办结日期</th><th>办理结果</th><th>状态</th></tr></thead>
<tbody>${v.requests.map((r) => html`<tr data-request="${r.number}"><td>${r.id ? html`<a href="/staff/requests/${r.id}">${r.number}</a>` : r.number}</td><td>${r.applicantType}</td><td>${r.receivedOn}</td><td>${r.concludedOn ?? ''}</td><td>${r.outcomeLabel ?? ''}</td><td>${r.statusLabel ?? ''}</td></tr>`)}</tbody></table>
${v.total > v.pageSize && cellPager(`${base(year)}/cells/${v.cell}`, v.page, Math.ceil(v.total / v.pageSize), v.total)}
<p><a href="${base(year)}">返回年度报告</a></p>`,
    );
  });

  app.get('/annual-reports/:year/website', { config: { access: REPORT_READERS }, schema: hide }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => websiteFigures(deps, viewerOf(req), year));
    if (!res.ok)
      return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, async () =>
        staffNotFound(req, reply, NOT_FOUND),
      );
    const v = res.data;
    const m = v.mailbox;
    const pct = (x: number | null) => (x === null ? '—（收件不足 5 件不计算）' : `${(x * 100).toFixed(1)}%`);
    return renderStaff(
      req,
      reply,
      200,
      { title: `${year} 年度其他年度数据`, current: 'annual-reports' },
      html`<h1>${year} 年度其他年度数据</h1><p>统计期间：${v.period}。供《政府网站工作年度报表》（国办函〔2018〕12号）填报。</p>
<h2>互动交流 · 留言办理（局长信箱）</h2>
<table id="mailbox-figures"><tbody>
<tr><th scope="row">收到留言数量</th><td data-figure="received">${m.received}</td></tr>
<tr><th scope="row">办结留言数量</th><td data-figure="answered">${m.answered}</td></tr>
<tr><th scope="row">按时办结数量</th><td data-figure="answeredWithinLimit">${m.answeredWithinLimit}</td></tr>
<tr><th scope="row">按时办结率</th><td data-figure="answeredWithinLimitRate">${pct(m.answeredWithinLimitRate)}</td></tr>
<tr><th scope="row">平均办理时间（工作日）</th><td data-figure="averageWorkingDaysToAnswer">${m.averageWorkingDaysToAnswer ?? '—'}</td></tr>
<tr><th scope="row">公开答复数量</th><td data-figure="published">${m.published}</td></tr>
</tbody></table>
<h2>信息发布和解读回应</h2>
<table id="publishing-figures"><tbody>
<tr><th scope="row">信息发布总数（本年首次发布的网站信息）</th><td data-figure="publishingTotal">${v.publishing.total}</td></tr>
<tr><th scope="row">政务动态（动态要闻类栏目）</th><td data-figure="publishingNews">${v.publishing.news}</td></tr>
<tr><th scope="row">信息公开目录（本年发布的目录条目）</th><td data-figure="publishingCatalogue">${v.publishing.catalogue}</td></tr>
<tr><th scope="row">解读（政策解读栏目）</th><td data-figure="interpretations">${v.interpretations}</td></tr>
</tbody></table>
<h2>本系统没有记录的项目</h2><ul>${v.notHeld.map((x) => html`<li>${x}</li>`)}</ul>
<p><a href="${base(year)}">返回年度报告</a></p>`,
    );
  });

  app.get('/annual-reports/:year/pdf', { config: { access: REPORT_READERS }, schema: hide }, async (req, reply) => {
    const year = yearParam(req);
    if (year === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => getReportPdf(deps, viewerOf(req), year));
    if (!res.ok)
      return refusalPage(req, reply, res, { back: { href: base(year), label: '返回年度报告' }, notFoundText: NOT_FOUND }, () =>
        reportPage(req, reply, year, res.status, { kind: 'error', text: res.error.message }),
      );
    return reply
      .type('application/pdf')
      .header('content-disposition', attachmentDisposition(`annual-report-${year}.pdf`, `${reportTitle(year)}.pdf`))
      .header('cache-control', 'no-store')
      .send(res.data.pdf);
  });
};
