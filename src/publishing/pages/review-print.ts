import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { html } from '../../web/html.js';
import { messagePage } from '../../web/layout.js';
import { attempt } from '../../web/outcome.js';
import { hide, renderStaff, sendPage, staffNotFound } from '../../web/request.js';
import { REVIEW_PARTICIPANTS } from '../rules.js';
import { getForm } from '../service/records.js';
import { pathId } from './page-parts.js';
import { attachmentDisposition, reviewSheetPdf } from './review-pdf.js';
import { reviewSheet, type ReviewSheet } from './review-sheet.js';

// The 审核单 printed (issue 15 point 5): a form-shaped page with a print stylesheet (app.css, @media
// print), and the same content as a PDF. Who may see it is getForm's check: the item's department and the
// bureau-wide roles; anyone else gets the 404 page.

function sheetHtml(sheet: ReviewSheet) {
  return html`<article class="review-sheet">
<h1>${sheet.title}</h1>
<p class="sheet-number">${sheet.number}</p>
<table class="sheet-table">
${sheet.sections.map(
  (s) => html`<tbody><tr class="sheet-heading"><th colspan="2" scope="rowgroup">${s.heading}</th></tr>
${s.rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${r.value}</td></tr>`)}</tbody>`,
)}
</table>
<table class="sheet-table sheet-signatures">
<thead><tr>${sheet.signatures.map((s) => html`<th scope="col">${s.role}</th>`)}</tr></thead>
<tbody><tr>${sheet.signatures.map(
    (s) =>
      html`<td data-signer="${s.role}">签名：<span class="signer-name">${s.name}</span><br>时间：<span class="signer-time">${s.time}</span></td>`,
  )}</tr></tbody>
</table>
</article>`;
}

export const reviewPrintPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  const config = { access: REVIEW_PARTICIPANTS };

  app.get('/review-forms/:id/print', { config, schema: hide }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    const res = id === undefined ? null : await attempt(() => getForm({ db }, viewerOf(req), id));
    if (!res?.ok) return staffNotFound(req, reply, '未找到该审核单，或者您无权查看。');
    const sheet = reviewSheet(res.data);
    return renderStaff(
      req,
      reply,
      200,
      { title: `审核单 ${res.data.id}`, current: 'review-forms' },
      html`<p class="breadcrumb"><a href="/staff/review-forms/${res.data.id}">审核单 ${res.data.id}</a> › 打印</p>
<p class="no-print hint">请使用浏览器的“打印”功能打印本页（打印时不显示导航）；也可<a href="/staff/review-forms/${res.data.id}/pdf">下载 PDF</a>。</p>
${sheetHtml(sheet)}`,
    );
  });

  app.get('/review-forms/:id/pdf', { config, schema: hide }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    const res = id === undefined ? null : await attempt(() => getForm({ db }, viewerOf(req), id));
    if (!res?.ok) return staffNotFound(req, reply, '未找到该审核单，或者您无权查看。');
    const pdf = await reviewSheetPdf(reviewSheet(res.data));
    if (!pdf.ok) {
      req.log.error({ formId: id }, 'the CJK font for the review-form PDF is missing (install fonts-wqy-microhei)');
      return sendPage(
        reply.header('retry-after', '3600'),
        503,
        messagePage({
          title: '暂时无法生成 PDF',
          heading: '暂时无法生成 PDF',
          text: '服务器缺少中文字体（fonts-wqy-microhei），暂时无法生成审核单 PDF。请使用打印页面打印审核单，并请系统管理员安装该字体。',
          area: 'staff',
          staff: req.staff,
          csrf: reply.generateCsrf(),
          back: { href: `/staff/review-forms/${res.data.id}/print`, label: '打开打印页面' },
        }),
      );
    }
    return reply
      .type('application/pdf')
      .header('content-disposition', attachmentDisposition(`review-form-${res.data.id}.pdf`, `网站信息发布审核单-${res.data.id}.pdf`))
      .header('cache-control', 'no-store')
      .send(pdf.pdf);
  });
};
