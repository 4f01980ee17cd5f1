import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { emptyForm, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { DRAFTERS, FORM_STATUS_LABELS, PUBLISHERS, REVIEW_PARTICIPANTS, REVIEW_STEP_LABELS, REVIEWERS } from '../rules.js';
import { decisionBody, publishBody } from '../schemas.js';
import { publishForm as publish } from '../service/publish.js';
import { formActions, formWithText } from '../service/review-pages.js';
import { decideStep, reviewQueue, withdrawForm } from '../service/review.js';
import { doneFlash, pathId, refusal } from './page-parts.js';
import { chinaLocalToIso, decisionForm, decisionList, dueMark, formFacts, formText, publishForm } from './review-forms-view.js';
import { withdrawForm as withdrawButton } from './item-forms.js';

// The reviewers' pages of the chain (measures Art. 20 (二), (三), (五)): the viewer's queue, and one
// 审核单 with the decision form of whoever's step it is, the publish form of whoever may publish, and the
// drafter's withdrawal. Each action calls the service the API calls; its refusals come back with their 4xx.

const DONE: Record<string, string> = {
  approved: '已同意。',
  returned: '已退回起草人修改。',
  rejected: '已作出不予采用的决定。',
  published: '已发布，发布时间由系统记录。',
  scheduled: '已设定定时发布，到时由系统发布并记录发布时间。',
};

type FormAction = 'decide' | 'publish';
interface Failure {
  action: FormAction;
  state: FormState;
  message: string;
}

export const reviewFormPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const csrf = app.csrfProtection.bind(app);
  const depsOf = (req: FastifyRequest) => ({ db, calendar, env, temporal, log: req.log });
  const config = { access: REVIEW_PARTICIPANTS };

  app.get('/review-forms', { config, schema: hide }, async (req, reply) => {
    const { items } = await reviewQueue({ db }, viewerOf(req));
    const row = (f: (typeof items)[number]) => html`<li class="case-card" id="form-${f.id}">
<div class="case-head"><a class="case-title" href="/staff/review-forms/${f.id}">${f.title}</a>${dueMark(f)}</div>
<p class="case-meta">审核单 ${f.id} · ${f.column} · ${f.department} · ${f.drafter} · 送审于 ${shortTime(f.submittedAt)}</p>
<p class="case-meta">${f.step ? html`待办：<strong>${REVIEW_STEP_LABELS[f.step]}</strong>` : html`<strong>${FORM_STATUS_LABELS[f.status]}</strong>`}</p>
</li>`;
    return renderStaff(
      req,
      reply,
      200,
      { title: '审核单', current: 'review-forms' },
      html`<h1>待我处理的审核单</h1>
<p>轮到您审核的环节，以及审核通过、由您发布的信息。每个环节的期限为 ${env.REVIEW_STEP_WORKING_DAYS} 个工作日。</p>
${items.length === 0 ? html`<p class="count" role="status">目前没有待您处理的审核单。</p>` : html`<ol class="cases">${items.map(row)}</ol>`}`,
    );
  });

  async function formPage(req: FastifyRequest, reply: FastifyReply, id: number | undefined, status: number, opts: PageOptions = {}) {
    if (id === undefined) return staffNotFound(req, reply);
    const viewer = viewerOf(req);
    const res = await attempt(async () => ({
      data: await formWithText({ db }, viewer, id),
      actions: await formActions({ db }, viewer, id),
    }));
    if (!res.ok) return staffNotFound(req, reply, '未找到该审核单，或者您无权查看。');
    const { data, actions } = res.data;
    const f = data.form;
    const token = reply.generateCsrf();
    const failure = opts.failure;
    const stateFor = (a: FormAction) => (failure?.action === a ? failure.state : emptyForm());
    const flash = opts.flash ?? (failure ? { kind: 'error' as const, text: failure.message } : null);
    return renderStaff(
      req,
      reply,
      status,
      { title: `审核单 ${f.id}`, current: 'review-forms', flash },
      html`<p class="breadcrumb"><a href="/staff/review-forms">审核单</a> › 审核单 ${f.id}</p>
<h1 class="case-h1">审核单 ${f.id}：${f.title}</h1>
${formFacts(f)}
<p><a href="/staff/review-forms/${f.id}/print">打印审核单</a> · <a href="/staff/review-forms/${f.id}/pdf">下载 PDF</a></p>
<section aria-labelledby="h-decisions"><h2 id="h-decisions">审核意见</h2>${decisionList(f)}</section>
<section aria-labelledby="h-text"><h2 id="h-text">送审内容（第 ${f.version} 版）</h2>${formText(data)}</section>
${actions.decide && html`<section aria-labelledby="h-decide"><h2 id="h-decide">审核</h2>${decisionForm(token, data, actions, stateFor('decide'))}</section>`}
${actions.publish && html`<section aria-labelledby="h-publish"><h2 id="h-publish">发布</h2>${publishForm(token, f, stateFor('publish'))}</section>`}
${actions.withdraw && html`<p>送审后发现问题？${withdrawButton(token, f.id)}</p>`}`,
    );
  }

  app.get('/review-forms/:id', { config, schema: hide }, async (req, reply) => {
    const flash = doneFlash(DONE, str((req.query as Query).done));
    return formPage(req, reply, pathId((req.params as { id: string }).id), 200, { flash });
  });

  const back = (id: number) => ({ href: `/staff/review-forms/${id}`, label: '返回审核单' });

  app.post('/review-forms/:id/decision', { config: { access: REVIEWERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply);
    const form = (req.body ?? {}) as Query;
    const values: Record<string, string> = {
      decision: str(form.decision, 20),
      secrecy: str(form.secrecy, 40),
      opinion: str(form.opinion, 5000),
    };
    const viewer = viewerOf(req);
    const res = await attempt(async () => {
      const edits: { title?: string; body?: string } = {};
      if ('edits.title' in form || 'edits.body' in form) {
        // Only what the publicity office changed is an edit (a form sent back as shown is none).
        const { text } = await formWithText({ db }, viewer, id);
        values['edits.title'] = str(form['edits.title'], 1000);
        values['edits.body'] = str(form['edits.body'], 200_000).replace(/\r\n?/g, '\n');
        if (values['edits.title'].trim() !== text.title.trim()) edits.title = values['edits.title'];
        if (values['edits.body'].trim() !== text.body.trim()) edits.body = values['edits.body'];
      }
      const body = parsed(
        decisionBody,
        {
          decision: values.decision || undefined,
          opinion: values.opinion,
          ...(values.secrecy ? { secrecy: values.secrecy } : {}),
          ...(Object.keys(edits).length > 0 ? { edits } : {}),
        },
        'body',
      );
      return decideStep(depsOf(req), viewer, id, body);
    });
    if (res.ok) return reply.redirect(`/staff/review-forms/${id}?done=${values.decision}`, 303);
    return refusal(req, reply, res, back(id), () =>
      formPage(req, reply, id, res.status, {
        failure: { action: 'decide', message: res.error.message, state: { values, errors: formFieldsOf(res.error.fields) } },
      }),
    );
  });

  app.post('/review-forms/:id/publish', { config: { access: PUBLISHERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply);
    const values = { at: str(((req.body ?? {}) as Query).at, 40) };
    const at = chinaLocalToIso(values.at);
    const res = await attempt(() => publish(depsOf(req), viewerOf(req), id, parsed(publishBody, at ? { at } : {}, 'body')));
    if (res.ok) return reply.redirect(`/staff/review-forms/${id}?done=${res.data.status}`, 303);
    return refusal(req, reply, res, back(id), () =>
      formPage(req, reply, id, res.status, {
        failure: { action: 'publish', message: res.error.message, state: { values, errors: formFieldsOf(res.error.fields) } },
      }),
    );
  });

  app.post('/review-forms/:id/withdraw', { config: { access: DRAFTERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply);
    const res = await attempt(() => withdrawForm(depsOf(req), viewerOf(req), id));
    if (res.ok) return reply.redirect(`/staff/site/items/${res.data.itemId}?done=withdrawn`, 303);
    return refusal(req, reply, res, back(id), () =>
      formPage(req, reply, id, res.status, { flash: { kind: 'error', text: res.error.message } }),
    );
  });
};

interface PageOptions {
  failure?: Failure;
  flash?: Flash | null;
}
