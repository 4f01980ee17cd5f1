import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { staffOf, viewerOf } from '../../auth/viewer.js';
import { departmentNames } from '../../departments/service.js';
import { csrfField, emptyForm, errorSummary, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { doneFlash, pathId, refusalPage } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { canFinding, FINDING_KINDS, FINDING_RAISERS, FINDING_READERS, FINDING_REPORTERS, FINDING_RULES } from '../finding-rules.js';
import { findingBody, findingReportBody, findingReviewBody } from '../finding-schemas.js';
import { getFinding, listFindings, raiseFinding, reportFinding, reviewFinding, type FindingView } from '../service/findings.js';

// /staff/inspection/findings (measures Art. 27(三); issue 21 point 6): a problem the daily inspection finds
// becomes a task — technical guidance on a format problem (the service centre), a takedown notice for
// non-compliant content (the office) — tracked until the raiser accepts the department's report.

const NOT_FOUND = '未找到该检查问题，或者您无权查看。';
const DONE: Record<string, string> = {
  raised: '检查问题已登记，已通知负责整改的处室。',
  reported: '整改情况已报告。',
  reviewed: '确认意见已记录。',
};
const BACK = { href: '/staff/inspection/findings', label: '返回检查问题' };
const FIELDS = ['kind', 'departmentId', 'itemId', 'place', 'finding'];
type Body = Record<string, string | undefined>;
/** A form's number field: a canonical number as a number (for the schema), anything else as typed (the schema refuses it). */
const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : /^[1-9]\d{0,9}$/.test(v) ? Number(v) : v);

export const findingPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };
  const csrf = app.csrfProtection.bind(app);

  async function listPage(req: FastifyRequest, reply: FastifyReply, status: number, flash: Flash | null, form: FormState = emptyForm()) {
    const viewer = viewerOf(req);
    const s = staffOf(viewer);
    const token = reply.generateCsrf();
    const { items } = await listFindings(deps, viewer);
    const kinds = FINDING_KINDS.filter((k) => canFinding(s, 'raise', { kind: k, departmentId: 0 }));
    const depts = (await departmentNames(db)).filter((d) => d.active);
    const raise =
      kinds.length > 0 &&
      html`<h2>登记检查发现的问题</h2>
${errorSummary(form.errors, FIELDS)}
<form method="post" action="/staff/inspection/findings" novalidate>${csrfField(token)}
${selectField({ name: 'kind', label: '问题类别', state: form, required: true, options: kinds.map((k) => ({ value: k, label: `${FINDING_RULES[k].label}（${FINDING_RULES[k].task}）` })) })}
${selectField({ name: 'departmentId', label: '负责整改的处室', state: form, required: true, placeholder: '请选择', options: depts.map((d) => ({ value: String(d.id), label: d.name })) })}
${textField({ name: 'itemId', label: '信息编号', state: form, maxlength: 10, hint: '问题出在某条已发布信息上时填写（网站信息页面地址 /items/ 后的数字）；内容问题须在该信息撤下后方可办结' })}
${textField({ name: 'place', label: '问题所在的页面、栏目或信息', state: form, required: true, maxlength: 300 })}
${textArea({ name: 'finding', label: '发现的问题', state: form, required: true, rows: 4, maxlength: 2000 })}
<button type="submit">登记并通知处室</button></form>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '网站检查问题', current: 'findings', flash },
      html`<h1>网站检查问题</h1>
<p>日常巡检中发现信息发布格式不规范的，由行政服务中心对相关处室进行技术指导；发现信息内容不符合规定的，由办公室通知相关处室撤除（《福建省市场监督管理局网站管理办法》第二十七条（三））。处室整改后报告，由登记的一方确认。</p>
${
  items.length === 0
    ? html`<p class="count" role="status">没有检查问题。</p>`
    : html`<div class="scroll-x" tabindex="0" role="region" aria-label="检查问题"><table><thead><tr><th scope="col">编号</th><th scope="col">类别</th><th scope="col">处室</th><th scope="col">位置</th><th scope="col">状态</th><th scope="col">整改期限</th></tr></thead>
<tbody>${items.map(
        (f) =>
          html`<tr data-finding="${f.id}" data-status="${f.status}"><td><a href="/staff/inspection/findings/${f.id}">${f.id}</a></td><td>${f.kindLabel}（${f.task}）</td><td>${f.department}</td><td>${f.place}</td><td>${f.statusLabel}</td><td>${cnDate(f.dueOn)}${f.overdue && html`<strong>（已超期）</strong>`}</td></tr>`,
      )}</tbody></table></div>`
}
${raise}`,
    );
  }

  async function detailPage(req: FastifyRequest, reply: FastifyReply, id: number, status: number, flash: Flash | null) {
    const viewer = viewerOf(req);
    const res = await attempt(() => getFinding(deps, viewer, id));
    if (!res.ok) return staffNotFound(req, reply, NOT_FOUND);
    const f: FindingView = res.data;
    const s = staffOf(viewer);
    const token = reply.generateCsrf();
    const report =
      f.status === 'open' &&
      canFinding(s, 'report', f) &&
      html`<h2>报告整改情况</h2>
${f.kind === 'content' && f.itemOnSite && html`<p class="notice" role="note">该信息仍在网站上公开：须先撤下（撤稿，或经审核流程修改），才能报告整改。</p>`}
<form method="post" action="/staff/inspection/findings/${f.id}/report">${csrfField(token)}
<div class="field"><label for="f-note">整改情况</label><textarea id="f-note" name="note" rows="3" maxlength="2000" required></textarea></div>
<button type="submit">报告整改</button></form>`;
    const review =
      f.status === 'reported' &&
      canFinding(s, 'close', f) &&
      html`<h2>确认整改</h2>
<form method="post" action="/staff/inspection/findings/${f.id}/review">${csrfField(token)}
<div class="field"><label for="f-review">意见（退回时必填）</label><textarea id="f-review" name="note" rows="3" maxlength="1000"></textarea></div>
<button type="submit" name="decision" value="accept">确认完成</button> <button type="submit" name="decision" value="return">退回重改</button></form>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: `网站检查问题 ${f.id}`, current: 'findings', flash },
      html`<h1>网站检查问题 ${f.id}<span class="sub">${f.statusLabel}</span></h1>
<dl class="facts">
<dt>类别</dt><dd>${f.kindLabel}（${f.task}，由${FINDING_RULES[f.kind].raiser}登记并确认）</dd>
<dt>负责整改的处室</dt><dd>${f.department}</dd>
<dt>位置</dt><dd>${f.place}</dd>
${f.itemId !== null && html`<dt>信息</dt><dd><a href="/items/${f.itemId}">${f.itemTitle ?? f.itemId}</a>（${f.itemOnSite ? '仍在网站上公开' : '已不在网站上'}）</dd>`}
<dt>发现的问题</dt><dd>${f.finding}</dd>
<dt>整改期限</dt><dd>${cnDate(f.dueOn)}${f.overdue && html`<strong>（已超期）</strong>`}</dd>
<dt>登记</dt><dd>${f.raisedBy}，${shortTime(f.raisedAt)}</dd>
${f.reportNote && html`<dt>整改情况</dt><dd>${f.reportNote}${f.reportedAt && html`（${shortTime(f.reportedAt)}）`}</dd>`}
${f.reviewNote && html`<dt>确认意见</dt><dd>${f.reviewNote}</dd>`}
${f.closedAt && html`<dt>完成时间</dt><dd>${shortTime(f.closedAt)}</dd>`}
</dl>
${report}${review}
<p><a href="/staff/inspection/findings">返回检查问题</a></p>`,
    );
  }

  const again = (req: FastifyRequest, reply: FastifyReply, id: number) => (res: { status: number; error: { message: string } }) =>
    detailPage(req, reply, id, res.status, { kind: 'error', text: res.error.message });

  app.get('/inspection/findings', { config: { access: FINDING_READERS }, schema: hide }, async (req, reply) =>
    listPage(req, reply, 200, doneFlash(DONE, str((req.query as Query).done))),
  );

  app.post('/inspection/findings', { config: { access: FINDING_RAISERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const input = { ...body, departmentId: num(body.departmentId) ?? '', itemId: num(body.itemId) };
    const res = await attempt(() => raiseFinding(deps, viewerOf(req), parsed(findingBody, input, 'body')));
    if (res.ok) return reply.redirect(`/staff/inspection/findings/${res.data.id}?done=raised`, 303);
    return refusalPage(req, reply, res, { back: BACK, notFoundText: NOT_FOUND }, () =>
      listPage(
        req,
        reply,
        res.status,
        { kind: 'error', text: res.error.message },
        { values: body, errors: formFieldsOf(res.error.fields) },
      ),
    );
  });

  app.get('/inspection/findings/:id', { config: { access: FINDING_READERS }, schema: hide }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    return detailPage(req, reply, id, 200, doneFlash(DONE, str((req.query as Query).done)));
  });

  app.post(
    '/inspection/findings/:id/report',
    { config: { access: FINDING_REPORTERS }, schema: hide, preHandler: csrf },
    async (req, reply) => {
      const id = pathId((req.params as { id: string }).id);
      if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
      const body = (req.body ?? {}) as Body;
      const res = await attempt(() => reportFinding(deps, viewerOf(req), id, parsed(findingReportBody, { note: body.note }, 'body')));
      if (res.ok) return reply.redirect(`/staff/inspection/findings/${id}?done=reported`, 303);
      return refusalPage(req, reply, res, { back: BACK, notFoundText: NOT_FOUND }, () => again(req, reply, id)(res));
    },
  );

  app.post(
    '/inspection/findings/:id/review',
    { config: { access: FINDING_RAISERS }, schema: hide, preHandler: csrf },
    async (req, reply) => {
      const id = pathId((req.params as { id: string }).id);
      if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
      const body = (req.body ?? {}) as Body;
      const input = { decision: body.decision, note: body.note || undefined };
      const res = await attempt(() => reviewFinding(deps, viewerOf(req), id, parsed(findingReviewBody, input, 'body')));
      if (res.ok) return reply.redirect(`/staff/inspection/findings/${id}?done=reviewed`, 303);
      return refusalPage(req, reply, res, { back: BACK, notFoundText: NOT_FOUND }, () => again(req, reply, id)(res));
    },
  );
};
