import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { staffOf, viewerOf } from '../../auth/viewer.js';
import { FORM_STATUS_LABELS } from '../../publishing/rules.js';
import { csrfField } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt } from '../../web/outcome.js';
import { attachmentDisposition } from '../../web/pdf.js';
import { doneFlash, pathId, refusalPage } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import {
  HANDIN_CONFIRMERS,
  HANDIN_READERS,
  HANDIN_STATE_LABELS,
  parseQuarterKey,
  quarterKey,
  quarterLabel,
  seesAll,
  type Quarter,
} from '../rules.js';
import { confirmHandIn, getHandIn, getHandInPdf, handInMatrix, recentQuarters, type HandInView } from '../service/hand-ins.js';

// /staff/handin (measures Art. 20(四)): a department's recent quarters (forms, confirm, PDF) and, for the
// general office, the matrix of departments × hand-in state of a quarter. Both from the hand-in service.

const NOT_FOUND = '未找到该处室的审核单报送，或者您无权查看。';
const DONE: Record<string, string> = { confirmed: '已确认报送，报送的 PDF 及其校验值已记录。' };
const pdfHref = (quarter: string, departmentId: number) => `/staff/handin/${quarter}/${departmentId}/pdf`;

export const handInPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };
  const csrf = app.csrfProtection.bind(app);

  async function handInPage(req: FastifyRequest, reply: FastifyReply, status: number, flash: Flash | null) {
    const viewer = viewerOf(req);
    const s = staffOf(viewer);
    const quarters = recentQuarters();
    const chosen = parseQuarterKey(str((req.query as Query).quarter)) ?? quarters[0]!;
    const token = reply.generateCsrf();
    const office = seesAll(s);
    const ownDept = s.departmentId !== null && s.roles.some((r) => r === 'handler' || r === 'dept_leader') ? s.departmentId : null;

    const card = (v: HandInView) => html`<li class="case-card" id="handin-${v.quarter}">
<div class="case-head"><strong>${v.quarterLabel}</strong> · ${v.department} · 审核单 ${v.forms.length} 份</div>
<p class="case-meta">应于 <strong>${v.dueDate}</strong>（含当日）前报送办公室（《网站管理办法》第二十条（四））${!v.ended && ' · 本季度尚未结束'}</p>
${
  v.confirmation
    ? html`<p class="status">已由 ${v.confirmation.confirmedBy} 于 ${shortTime(v.confirmation.confirmedAt)} 确认报送${v.confirmation.late && '（逾期）'}；SHA-256：<code>${v.confirmation.pdfSha256}</code></p>`
    : html`<p class="status">尚未确认报送</p>`
}
${v.forms.length > 0 && html`<ul>${v.forms.map((f) => html`<li><a href="/staff/review-forms/${f.id}">${f.id} 《${f.title}》</a> · ${f.column} · ${shortTime(f.submittedAt)} · ${FORM_STATUS_LABELS[f.status]}</li>`)}</ul>`}
<p><a href="${pdfHref(v.quarter, v.departmentId)}">下载报送 PDF</a></p>
${
  v.mayConfirm &&
  html`<form method="post" action="/staff/handin/${v.quarter}/confirm">${csrfField(token)}<button type="submit">确认报送${v.quarterLabel}审核单（${v.forms.length} 份）</button></form>`
}
</li>`;

    const mine = ownDept === null ? [] : await Promise.all(quarters.map((q) => getHandIn(deps, viewer, ownDept, q)));
    const matrix = office ? await handInMatrix(deps, viewer, chosen) : null;
    const quarterLinks = html`<p>季度：${quarters.map((q) => html`<a href="/staff/handin?quarter=${quarterKey(q)}"${quarterKey(q) === quarterKey(chosen) && html` aria-current="page"`}>${quarterLabel(q)}</a> `)}</p>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '审核单季度报送', current: 'handin', flash },
      html`<h1>审核单季度报送</h1>
<p>各处室（单位）妥善保管审核单，每季度首月5日前将上一季度的审核单报送办公室（《福建省市场监督管理局网站管理办法》第二十条（四））。</p>
${mine.length > 0 && html`<h2>本处室</h2><ol class="cases">${mine.map(card)}</ol>`}
${
  matrix &&
  html`<h2>各处室报送情况 · ${matrix.quarterLabel}</h2>${quarterLinks}
<p>应于 ${matrix.dueDate}（含当日）前报送。</p>
<table class="handin-matrix"><thead><tr><th scope="col">处室</th><th scope="col">审核单</th><th scope="col">状态</th><th scope="col">确认</th><th scope="col">PDF</th></tr></thead>
<tbody>${matrix.departments.map(
    (d) =>
      html`<tr data-department="${d.departmentId}" data-state="${d.state}"><td>${d.department}</td><td>${d.forms}</td><td>${HANDIN_STATE_LABELS[d.state]}</td><td>${d.confirmation ? `${d.confirmation.confirmedBy} ${shortTime(d.confirmation.confirmedAt)}` : ''}</td><td>${d.forms > 0 || d.confirmation ? html`<a href="${pdfHref(matrix.quarter, d.departmentId)}">下载</a>` : ''}</td></tr>`,
  )}</tbody></table>`
}`,
    );
  }

  app.get('/handin', { config: { access: HANDIN_READERS }, schema: hide }, async (req, reply) =>
    handInPage(req, reply, 200, doneFlash(DONE, str((req.query as Query).done))),
  );

  app.post('/handin/:quarter/confirm', { config: { access: HANDIN_CONFIRMERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const q = parseQuarterKey((req.params as { quarter: string }).quarter);
    const departmentId = req.staff?.departmentId ?? null;
    if (!q || departmentId === null) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => confirmHandIn(deps, viewerOf(req), departmentId, q));
    if (res.ok) return reply.redirect(`/staff/handin?quarter=${quarterKey(q)}&done=confirmed`, 303);
    return refusalPage(req, reply, res, { back: { href: '/staff/handin', label: '返回审核单季度报送' }, notFoundText: NOT_FOUND }, () =>
      handInPage(req, reply, res.status, { kind: 'error', text: res.error.message }),
    );
  });

  app.get('/handin/:quarter/:departmentId/pdf', { config: { access: HANDIN_READERS }, schema: hide }, async (req, reply) => {
    const params = req.params as { quarter: string; departmentId: string };
    const q: Quarter | undefined = parseQuarterKey(params.quarter);
    const departmentId = pathId(params.departmentId);
    if (!q || departmentId === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => getHandInPdf(deps, viewerOf(req), departmentId, q));
    if (!res.ok)
      return refusalPage(req, reply, res, { back: { href: '/staff/handin', label: '返回审核单季度报送' }, notFoundText: NOT_FOUND }, () =>
        handInPage(req, reply, res.status, { kind: 'error', text: res.error.message }),
      );
    const name = `handin-${quarterKey(q)}-${departmentId}.pdf`;
    return reply
      .type('application/pdf')
      .header('content-disposition', attachmentDisposition(name, `审核单季度报送-${quarterLabel(q)}-${departmentId}.pdf`))
      .header('cache-control', 'no-store')
      .send(res.data.pdf);
  });
};
