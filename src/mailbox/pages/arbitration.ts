import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { departmentNames } from '../../departments/service.js';
import { csrfField, emptyForm, hidden } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, parsed } from '../../web/outcome.js';
import { hide, renderStaff, str, type Query } from '../../web/request.js';
import { ACTION_ROLES } from '../case-rules.js';
import { TRACKING_NO_PATTERN } from '../codes.js';
import { caseListQuery } from '../schemas.js';
import { getCase, letterIdOf, letterRowOf, listCases } from '../service/case-reads.js';
import { arbitrateFields, badge } from './case-forms.js';
import { eventLabel, reasonLabel, typeLabel } from './labels.js';

/** Why a letter waits for the office: the latest of these events. */
const ASKED = ['disputed', 'escalated', 'transfer_disputed', 'rejection_requested'];

/** The general office's queue: each letter in arbitration with its own decision form, oldest deadline first. */
export const arbitrationPages: FastifyPluginAsync = async (app) => {
  const { db, calendar } = app.ctx;
  const deps = { db, calendar };

  app.get('/arbitration', { config: { access: ACTION_ROLES.arbitrate }, schema: hide }, async (req, reply) => {
    // Each entry carries its own decision form, so pages are short; the oldest deadline comes first.
    const after = str((req.query as Query).after, 100);
    const params: Record<string, string> = { status: 'in_arbitration', limit: '20', ...(after ? { after } : {}) };
    const viewer = viewerOf(req);
    const res = await attempt(() => listCases(deps, viewer, parsed(caseListQuery, params, 'querystring')));
    const rows = res.ok ? res.data.items : [];
    const next = res.ok ? res.data.nextCursor : null;
    const depts = await departmentNames(db);
    const deptName = (id: number) => depts.find((d) => d.id === id)?.name ?? `处室 ${id}`;
    const done = str((req.query as Query).done);
    const csrfToken = reply.generateCsrf();
    const entries: SafeHtml[] = [];
    for (const c of rows) {
      const detail = await attempt(() => getCase(deps, viewer, c.trackingNo));
      const letter = await letterIdOf(db, c.trackingNo);
      const row = letter && (await letterRowOf(db, letter.id));
      if (!detail.ok || !row) continue;
      const d = detail.data;
      const entry = [...d.timeline].reverse().find((e) => ASKED.includes(e.kind));
      const scope = `arb-${c.trackingNo}`;
      const requested = row.requestedDepartmentIds.length ? html` · 涉及：${row.requestedDepartmentIds.map(deptName).join('、')}` : '';
      const why =
        entry &&
        html`<div class="why-box"><p class="what">${eventLabel(entry.kind)}${entry.actor ? `（${entry.actor}）` : ''}，${shortTime(
          entry.at,
        )}</p>${entry.reasonCode ? html`<p>理由：${reasonLabel(entry.reasonCode)}</p>` : ''}${
          entry.text && html`<div class="text">${entry.text}</div>`
        }</div>`;
      entries.push(html`<li class="case-card">
<div class="case-head"><a class="case-title" href="/staff/cases/${c.trackingNo}">${c.subject}</a>${badge(c)}</div>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · 现承办：${c.departmentName}${requested}</p>
${why}
<form method="post" action="/staff/cases/${c.trackingNo}/arbitrate" class="action-form">
${csrfField(csrfToken)}${hidden('back', 'arbitration')}
<h3>协调决定</h3>
${arbitrateFields(emptyForm(), depts, scope, row.requestedDepartmentIds)}
<div class="actions"><button type="submit" class="primary">确定承办处室</button></div>
</form>
${d.pendingRejection && html`<p><a href="/staff/cases/${c.trackingNo}#act-reject">确认不予受理</a></p>`}
</li>`);
    }
    const doneText = html`已确定信件 <a href="/staff/cases/${done}">${done}</a> 的承办处室。`;
    const failed: Flash | null = res.ok ? null : { kind: 'error', text: res.error.fields?.['querystring.after'] ?? res.error.message };
    const flash: Flash | null = TRACKING_NO_PATTERN.test(done) ? { kind: 'ok', text: doneText } : failed;
    const list =
      entries.length === 0 ? html`<p class="count" role="status">目前没有待协调的信件。</p>` : html`<ol class="cases">${entries}</ol>`;
    const first = after ? html`<a href="/staff/arbitration">回到第一页</a>` : '';
    const nextLink = next
      ? html`<a href="/staff/arbitration?${new URLSearchParams({ after: next }).toString()}" rel="next">下一页</a>`
      : '';
    const opts = { title: '协调', current: 'arbitration', flash };
    return renderStaff(
      req,
      reply,
      res.ok ? 200 : res.status,
      opts,
      html`<h1>待协调的信件</h1>
<p>转办有异议、涉及多个处室或申请不予受理的信件，由办公室确定牵头处室和协办处室。</p>
${list}
<nav class="pager" aria-label="翻页">${first}${nextLink}</nav>`,
    );
  });
};
