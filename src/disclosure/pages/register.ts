import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf, viewerHolds } from '../../auth/viewer.js';
import type { FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { doneFlash, pathId, refusalPage } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import {
  DECIDERS,
  DECISION_LABELS,
  DOCUMENT_CATEGORY_FACTS,
  LEGAL_BASIS_LABELS,
  REGISTER_READERS,
  REGISTRARS,
  TASK_STATUS_LABELS,
  VALIDITY_LABELS,
} from '../rules.js';
import { changeBody, decisionBody, documentBody } from '../schemas.js';
import { decideDisclosure } from '../service/decisions.js';
import { changeDocument, getDocument, listDocuments, registerDocument, registrableDepartments } from '../service/documents.js';
import { changeForm, decisionForm, documentForm } from './forms.js';
import { textSection } from './texts.js';
import { documentTexts, textViewOf } from '../service/texts.js';

// The register's staff pages (issue 16): the list, a new document, one document with the general
// office's decision (measures Art. 30) and the department's changes. They call the API's services.

const DONE: Record<string, string> = {
  registered: '已登记。办公室认定公开属性后，主动公开的文件进入公开目录待办。',
  decided: '公开属性已保存。',
  changed: '变更已登记。主动公开的文件已重新计算目录时限。',
  text: '电子文本已上传。',
};
const NOT_FOUND = '未找到该文件，或者您无权查看。';
const nullable = (v: string) => (v === '' ? null : v);

export const registerPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const csrf = app.csrfProtection.bind(app);
  const depsOf = (req: FastifyRequest) => ({ db, calendar, env, temporal, log: req.log });

  app.get('/disclosure/documents', { config: { access: REGISTER_READERS }, schema: hide }, async (req, reply) => {
    const { items } = await listDocuments({ db }, viewerOf(req));
    const row = (d: (typeof items)[number]) => html`<li class="case-card">
<div class="case-head"><a class="case-title" href="/staff/disclosure/documents/${d.id}">${d.title}</a></div>
<p class="case-meta">编号 ${d.id}${d.docNumber && ` · ${d.docNumber}`} · ${d.department} · 成文 ${d.formedOn} · ${VALIDITY_LABELS[d.validity]} · ${d.decision ? DECISION_LABELS[d.decision] : '待认定'}</p>
</li>`;
    return renderStaff(
      req,
      reply,
      200,
      { title: '政府信息公开', current: 'disclosure' },
      html`<h1>文件登记与公开属性认定</h1>
<p>处室登记本处室制发或变更的文件，办公室逐件认定公开属性（主动公开、依申请公开、不予公开），主动公开的由行政服务中心自成文或变更之日起 20 个工作日内录入政府信息公开目录。</p>
${viewerHolds(viewerOf(req), REGISTRARS) && html`<p><a class="button" href="/staff/disclosure/documents/new">登记文件</a></p>`}
${viewerHolds(viewerOf(req), DECIDERS) && html`<p><a href="/staff/disclosure/guide">编辑政府信息公开指南</a></p>`}
${items.length === 0 ? html`<p class="count" role="status">登记簿中还没有文件。</p>` : html`<ol class="cases">${items.map(row)}</ol>`}`,
    );
  });

  async function newPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash: Flash | null = null) {
    const departments = await registrableDepartments({ db }, viewerOf(req));
    return renderStaff(
      req,
      reply,
      status,
      { title: '登记文件', current: 'disclosure', flash },
      html`<p class="breadcrumb"><a href="/staff/disclosure/documents">文件登记</a> › 登记文件</p>
<h1>登记文件</h1>
${documentForm(reply.generateCsrf(), departments, state)}`,
    );
  }

  app.get('/disclosure/documents/new', { config: { access: REGISTRARS }, schema: hide }, async (req, reply) =>
    newPage(req, reply, 200, { values: { departmentId: String(req.staff?.departmentId ?? '') }, errors: {} }),
  );

  app.post('/disclosure/documents/new', { config: { access: REGISTRARS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Query;
    const values = Object.fromEntries(
      ['title', 'docNumber', 'departmentId', 'category', 'subject', 'summary', 'formedOn'].map((k) => [k, str(form[k], 2000)]),
    );
    const input = {
      ...values,
      docNumber: nullable(values.docNumber!),
      departmentId: /^\d{1,9}$/.test(values.departmentId!) ? Number(values.departmentId) : undefined,
      category: values.category || undefined,
    };
    const res = await attempt(() => registerDocument(depsOf(req), viewerOf(req), parsed(documentBody, input, 'body')));
    if (res.ok) return reply.redirect(`/staff/disclosure/documents/${res.data.id}?done=registered`, 303);
    const back = { href: '/staff/disclosure/documents', label: '返回文件登记' };
    return refusalPage(req, reply, res, { back, notFoundText: NOT_FOUND }, () =>
      newPage(req, reply, res.status, { values, errors: formFieldsOf(res.error.fields) }, { kind: 'error', text: res.error.message }),
    );
  });

  type Failure = { action: 'decision' | 'change'; state: FormState; message: string };

  async function documentPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: number | undefined,
    status: number,
    flash: Flash | null,
    failure?: Failure,
  ) {
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const res = await attempt(() => getDocument({ db }, viewerOf(req), id));
    if (!res.ok) return staffNotFound(req, reply, NOT_FOUND);
    const d = res.data;
    const viewer = viewerOf(req);
    const texts = (await documentTexts(db, d.id)).map(textViewOf);
    const token = reply.generateCsrf();
    const stateFor = (a: Failure['action'], fallback: FormState) => (failure?.action === a ? failure.state : fallback);
    const decisions = d.decisions.map(
      (x) =>
        html`<li>${shortTime(x.decidedAt)} · ${x.decider}：<strong>${DECISION_LABELS[x.decision]}</strong>${x.legalBasis && `（${LEGAL_BASIS_LABELS[x.legalBasis]}）`}${x.reReviewOn && `，复核日期 ${x.reReviewOn}`}${x.reason && `。${x.reason}`}</li>`,
    );
    const rounds = d.entries.map(
      (e) =>
        html`<li>第 ${e.round} 次 · 自 ${e.startsOn} 起，应于 <strong>${e.dueOn}</strong>（含当日）前公开${e.dueProvisional && '（暂定）'} · ${TASK_STATUS_LABELS[e.status]}${e.overdue && ' · 已超期'}${e.publishedAt && ` · 公开于 ${shortTime(e.publishedAt)}${e.onTime === false ? '（逾期）' : ''}`}${e.indexNo && ` · 索引号 ${e.indexNo}`}</li>`,
    );
    return renderStaff(
      req,
      reply,
      status,
      { title: `文件 ${d.id}`, current: 'disclosure', flash: flash ?? (failure ? { kind: 'error', text: failure.message } : null) },
      html`<p class="breadcrumb"><a href="/staff/disclosure/documents">文件登记</a> › 文件 ${d.id}</p>
<h1 class="case-h1">${d.title}</h1>
${d.validity !== 'valid' && html`<p class="notice" role="status">本文件${VALIDITY_LABELS[d.validity]}（${d.validityChangedOn}${d.changedByDocumentId && `，依据登记编号 ${d.changedByDocumentId} 的文件`}）。</p>`}
<dl class="facts">
<dt>文号</dt><dd>${d.docNumber ?? '无'}</dd>
<dt>发文处室</dt><dd>${d.department}</dd>
<dt>信息类别</dt><dd>${DOCUMENT_CATEGORY_FACTS[d.category].label}</dd>
<dt>成文日期</dt><dd>${d.formedOn}</dd>
${d.changedOn && html`<dt>最近变更</dt><dd>${d.changedOn}</dd>`}
<dt>效力状态</dt><dd>${VALIDITY_LABELS[d.validity]}</dd>
<dt>公开属性</dt><dd>${d.decision ? DECISION_LABELS[d.decision] : '待办公室认定'}</dd>
${d.reReviewOn && html`<dt>复核日期</dt><dd>${d.reReviewOn}</dd>`}
</dl>
${d.summary && html`<p>${d.summary}</p>`}
<section aria-labelledby="h-decisions"><h2 id="h-decisions">认定记录</h2>${decisions.length === 0 ? html`<p class="count">尚未认定。</p>` : html`<ul>${decisions}</ul>`}</section>
${textSection(token, d.id, texts, viewerHolds(viewer, REGISTRARS), env.DISCLOSURE_TEXT_MB)}
<section aria-labelledby="h-rounds"><h2 id="h-rounds">公开目录</h2>${rounds.length === 0 ? html`<p class="count">无主动公开任务。</p>` : html`<ul>${rounds}</ul>`}</section>
${viewerHolds(viewer, DECIDERS) && decisionForm(token, d.id, stateFor('decision', { values: { decision: d.decision ?? '' }, errors: {} }))}
${viewerHolds(viewer, REGISTRARS) && changeForm(token, d.id, stateFor('change', { values: { validity: d.validity }, errors: {} }))}`,
    );
  }

  app.get('/disclosure/documents/:id', { config: { access: REGISTER_READERS }, schema: hide }, async (req, reply) =>
    documentPage(req, reply, pathId((req.params as { id: string }).id), 200, doneFlash(DONE, str((req.query as Query).done))),
  );

  const back = (id: number) => ({ href: `/staff/disclosure/documents/${id}`, label: '返回该文件' });

  app.post('/disclosure/documents/:id/decision', { config: { access: DECIDERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const form = (req.body ?? {}) as Query;
    const values = {
      decision: str(form.decision, 40),
      legalBasis: str(form.legalBasis, 60),
      reReviewOn: str(form.reReviewOn, 20),
      reason: str(form.reason, 2000),
    };
    const input = {
      decision: values.decision || undefined,
      legalBasis: nullable(values.legalBasis),
      reReviewOn: nullable(values.reReviewOn),
      reason: values.reason,
    };
    const res = await attempt(() => decideDisclosure(depsOf(req), viewerOf(req), id, parsed(decisionBody, input, 'body')));
    if (res.ok) return reply.redirect(`/staff/disclosure/documents/${id}?done=decided`, 303);
    return refusalPage(req, reply, res, { back: back(id), notFoundText: NOT_FOUND }, () =>
      documentPage(req, reply, id, res.status, null, {
        action: 'decision',
        message: res.error.message,
        state: { values, errors: formFieldsOf(res.error.fields) },
      }),
    );
  });

  app.post('/disclosure/documents/:id/changes', { config: { access: REGISTRARS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const form = (req.body ?? {}) as Query;
    const values = {
      changedOn: str(form.changedOn, 20),
      validity: str(form.validity, 20),
      changedByDocumentId: str(form.changedByDocumentId, 20),
      title: str(form.title, 1000),
    };
    const by = values.changedByDocumentId;
    const input = {
      changedOn: values.changedOn,
      validity: values.validity || undefined,
      changedByDocumentId: by === '' ? null : /^\d{1,9}$/.test(by) ? Number(by) : by,
      ...(values.title ? { title: values.title } : {}),
    };
    const res = await attempt(() => changeDocument(depsOf(req), viewerOf(req), id, parsed(changeBody, input, 'body')));
    if (res.ok) return reply.redirect(`/staff/disclosure/documents/${id}?done=changed`, 303);
    return refusalPage(req, reply, res, { back: back(id), notFoundText: NOT_FOUND }, () =>
      documentPage(req, reply, id, res.status, null, {
        action: 'change',
        message: res.error.message,
        state: { values, errors: formFieldsOf(res.error.fields) },
      }),
    );
  });
};
