import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { staffOf, viewerOf } from '../../auth/viewer.js';
import { csrfField, emptyForm, errorSummary, textArea, textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { doneFlash, pathId, refusalPage } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import {
  can,
  LINK_APPLICANTS,
  LINK_CHECK_OUTCOME_LABELS,
  LINK_DECISION_LABELS,
  LINK_READERS,
  LINK_STEP_LABELS,
  type LinkDecision,
} from '../rules.js';
import { linkApplicationBody, linkDecisionBody } from '../schemas.js';
import { decideLinkApplication, getLinkApplication, listLinkApplications, submitLinkApplication } from '../service/applications.js';
import { listLinkChecks } from '../service/results.js';

// /staff/links (measures Arts. 24, 27(二)): the 外部链接审核表 — a department applies, the office reviews,
// the bureau leader in charge of the office approves — and the link watcher's results. No script needed.

const NOT_FOUND = '未找到该外部链接申请，或者您无权查看。';
const DONE: Record<string, string> = {
  submitted: '外部链接审核表已提交，等待办公室审核。',
  decided: '审批意见已记录。',
};
const BACK = { href: '/staff/links', label: '返回外部链接' };
const FIELDS = ['placement', 'targetUrl', 'siteName', 'siteOwner', 'purpose', 'justification'];
type Body = Record<string, string | undefined>;

export const linkPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };
  const csrf = app.csrfProtection.bind(app);

  async function listPage(req: FastifyRequest, reply: FastifyReply, status: number, flash: Flash | null, form: FormState = emptyForm()) {
    const viewer = viewerOf(req);
    const s = staffOf(viewer);
    const token = reply.generateCsrf();
    const list = await listLinkApplications(deps, viewer);
    const mayApply = s.departmentId !== null && can(s, 'apply', s.departmentId);
    const applyForm =
      mayApply &&
      html`<h2>填写外部链接审核表</h2>
${errorSummary(form.errors, FIELDS)}
<form method="post" action="/staff/links" novalidate>${csrfField(token)}
${textField({ name: 'placement', label: '链接所在页面或栏目', state: form, required: true, maxlength: 200 })}
${textField({ name: 'targetUrl', label: '链接地址', state: form, required: true, maxlength: 2000, hint: '以 http:// 或 https:// 开头，不含用户名和密码' })}
${textField({ name: 'siteName', label: '目标网站名称', state: form, required: true, maxlength: 200 })}
${textField({ name: 'siteOwner', label: '目标网站主办单位', state: form, required: true, maxlength: 200 })}
${textArea({ name: 'purpose', label: '链接用途', state: form, required: true, rows: 3, maxlength: 1000 })}
${textArea({ name: 'justification', label: '链接非政府网站的理由', state: form, rows: 3, maxlength: 1000, hint: '目标不是政府网站（.gov.cn、.政务或登记的机构）时必填，办公室审核时重点审查' })}
<button type="submit">提交审核</button></form>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '外部链接', current: 'links', flash },
      html`<h1>外部链接</h1>
<p>链接其他网站或系统须填写外部链接审核表，经办公室审核、分管办公室的局领导批准后方可上线；不得链接违法、商业网站（《福建省市场监督管理局网站管理办法》第二十四条、第二十七条（二））。<a href="/staff/links/checks">链接检测结果</a></p>
<table><thead><tr><th scope="col">编号</th><th scope="col">处室</th><th scope="col">目标网站</th><th scope="col">地址</th><th scope="col">类别</th><th scope="col">状态</th><th scope="col">当前环节期限</th></tr></thead>
<tbody>${list.items.map(
        (a) =>
          html`<tr data-application="${a.id}" data-status="${a.status}"><td><a href="/staff/links/${a.id}">${a.id}</a></td><td>${a.department}</td><td>${a.siteName}</td><td>${a.targetUrl}</td><td>${a.government ? '政府网站' : html`<strong class="flag">非政府网站</strong>`}</td><td>${a.statusLabel}</td><td>${a.stepDueOn ? html`${cnDate(a.stepDueOn)}${a.stepOverdue && '（已超期）'}` : '—'}</td></tr>`,
      )}</tbody></table>
${applyForm}`,
    );
  }

  async function detailPage(req: FastifyRequest, reply: FastifyReply, id: number, status: number, flash: Flash | null) {
    const viewer = viewerOf(req);
    const res = await attempt(() => getLinkApplication(deps, viewer, id));
    if (!res.ok) return staffNotFound(req, reply, NOT_FOUND);
    const a = res.data;
    const token = reply.generateCsrf();
    const s = staffOf(viewer);
    const choices: LinkDecision[] =
      a.status === 'at_office' && can(s, 'review', a.departmentId)
        ? ['approve', 'return']
        : a.status === 'at_leader' && can(s, 'approve', a.departmentId)
          ? ['approve', 'refuse']
          : a.status === 'approved' && can(s, 'withdraw', a.departmentId)
            ? ['withdraw']
            : [];
    const decide =
      choices.length > 0 &&
      html`<h2>${a.status === 'approved' ? '撤销链接' : a.status === 'at_office' ? '办公室审核' : '分管局领导审批'}</h2>
<form method="post" action="/staff/links/${a.id}/decision">${csrfField(token)}
<div class="field"><label for="f-reason">意见或理由（退回、不同意时必填）</label><textarea id="f-reason" name="reason" rows="3" maxlength="500"></textarea></div>
${choices.map((c) => html`<button type="submit" name="decision" value="${c}">${LINK_DECISION_LABELS[c]}</button> `)}</form>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: `外部链接审核表 ${a.id}`, current: 'links', flash },
      html`<h1>外部链接审核表 ${a.id}</h1>
${!a.government && html`<p class="flag" role="note"><strong>注意：目标不是政府网站，须审查链接理由，不得链接违法、商业网站（第二十七条（二））。</strong></p>`}
<dl class="facts">
<dt>申请处室</dt><dd>${a.department}</dd>
<dt>链接所在页面或栏目</dt><dd>${a.placement}</dd>
<dt>链接地址</dt><dd>${a.targetUrl}</dd>
<dt>目标网站</dt><dd>${a.siteName}（主办单位：${a.siteOwner}）</dd>
<dt>是否政府网站</dt><dd>${a.government ? '是' : '否'}</dd>
<dt>链接用途</dt><dd>${a.purpose}</dd>
${a.justification && html`<dt>链接理由</dt><dd>${a.justification}</dd>`}
<dt>状态</dt><dd>${a.statusLabel}${a.stepDueOn && html`，本环节应于 ${cnDate(a.stepDueOn)} 前办理${a.stepOverdue && '（已超期）'}`}</dd>
<dt>提交时间</dt><dd>${shortTime(a.submittedAt)}</dd>
</dl>
<h2>审批记录</h2>
${a.decisions.length === 0 ? html`<p>尚无审批记录。</p>` : html`<ol>${a.decisions.map((d) => html`<li>${LINK_STEP_LABELS[d.step]}：${d.decidedBy} ${LINK_DECISION_LABELS[d.decision]}（${shortTime(d.decidedAt)}）${d.reason && `，${d.reason}`}</li>`)}</ol>`}
${decide}
<p><a href="/staff/links">返回外部链接</a></p>`,
    );
  }

  app.get('/links', { config: { access: LINK_READERS }, schema: hide }, async (req, reply) =>
    listPage(req, reply, 200, doneFlash(DONE, str((req.query as Query).done))),
  );

  app.post('/links', { config: { access: LINK_APPLICANTS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const input = { ...body, justification: body.justification || undefined };
    const res = await attempt(() => submitLinkApplication(deps, viewerOf(req), parsed(linkApplicationBody, input, 'body')));
    if (res.ok) return reply.redirect(`/staff/links/${res.data.id}?done=submitted`, 303);
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

  app.get('/links/checks', { config: { access: LINK_READERS }, schema: hide }, async (req, reply) => {
    const onlyBroken = str((req.query as Query).broken) === 'true';
    const { items } = await listLinkChecks(deps, viewerOf(req), onlyBroken ? { broken: true } : {});
    return renderStaff(
      req,
      reply,
      200,
      { title: '链接检测', current: 'links', flash: null },
      html`<h1>链接检测${onlyBroken && '：断链'}</h1>
<p>每日检查已批准的外部链接、已发布信息及其附件中的链接和本站页面；连续两次访问失败即为断链，由所属处室在修复期限前修改信息（经审核流程）或撤下链接。<a href="/staff/links/checks${onlyBroken ? '' : '?broken=true'}">${onlyBroken ? '全部链接' : '只看断链'}</a></p>
<div class="scroll-x" tabindex="0" role="region" aria-label="链接检测结果"><table><thead><tr><th scope="col">链接</th><th scope="col">位置</th><th scope="col">结果</th><th scope="col">状态码</th><th scope="col">最终地址</th><th scope="col">用时</th><th scope="col">标题</th><th scope="col">提示</th><th scope="col">修复期限</th></tr></thead>
<tbody>${items.map(
        (l) =>
          html`<tr data-url="${l.url}" data-broken="${String(l.broken)}"><th scope="row">${l.url}</th><td>${l.onHome ? '首页' : l.sources.map((s) => s.label).join('；')}</td><td>${l.broken ? html`<strong>断链</strong>` : LINK_CHECK_OUTCOME_LABELS[l.outcome]}${l.error && html`（${l.error}）`}</td><td>${l.status ?? '—'}</td><td>${l.finalUrl ?? '—'}${l.redirects.length > 0 && html`（重定向 ${l.redirects.length} 次）`}</td><td>${l.elapsedMs === null ? '—' : `${l.elapsedMs} ms`}</td><td>${l.title ?? ''}</td><td>${[l.titleChanged ? '页面标题已变化，请核对内容' : '', l.crossDomain ? '跳转到其他域名，可能错链或域名被劫持' : ''].filter(Boolean).join('；')}</td><td>${l.fixBy ? cnDate(l.fixBy) : '—'}</td></tr>`,
      )}</tbody></table></div>
<p><a href="/staff/links">返回外部链接</a></p>`,
    );
  });

  app.get('/links/:id', { config: { access: LINK_READERS }, schema: hide }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    return detailPage(req, reply, id, 200, doneFlash(DONE, str((req.query as Query).done)));
  });

  app.post('/links/:id/decision', { config: { access: LINK_READERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const body = (req.body ?? {}) as Body;
    const res = await attempt(() =>
      decideLinkApplication(
        deps,
        viewerOf(req),
        id,
        parsed(linkDecisionBody, { decision: body.decision, reason: body.reason || undefined }, 'body'),
      ),
    );
    if (res.ok) return reply.redirect(`/staff/links/${id}?done=decided`, 303);
    return refusalPage(req, reply, res, { back: BACK, notFoundText: NOT_FOUND }, () =>
      detailPage(req, reply, id, res.status, { kind: 'error', text: res.error.message }),
    );
  });
};
