import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { emptyForm, type FormState } from '../../web/fields.js';
import { html, raw } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, list, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { renderBody } from '../body.js';
import {
  ART19_POINTS,
  CONTENT_TYPE_LABELS,
  DRAFTERS,
  FORM_STATUS_LABELS,
  REVIEW_PARTICIPANTS,
  REVIEW_STEP_LABELS,
  TAKEDOWN_ROLES,
} from '../rules.js';
import { draftBody, submitBody, takedownBody, versionBody } from '../schemas.js';
import { createDraft, saveVersion } from '../service/items.js';
import { draftPlacements, itemForPage, staffItemList, STAFF_ITEM_LIST_LIMIT, type ItemForPage } from '../service/review-pages.js';
import { submitForReview, takeDownItem } from '../service/review.js';
import {
  editForm,
  newItemForm,
  QA_ROWS,
  submitForm,
  takeDownForm,
  versionErrors,
  versionInput,
  versionValues,
  withdrawForm,
} from './item-forms.js';
import { doneFlash, ITEM_STATE_LABELS, pathId, refusal } from './page-parts.js';

// The drafter's pages of the review chain (issue 15, measures Art. 20(一)): their items and their
// department's, a new draft, and one item (its current version previewed, a new version, the submission
// with the 审核单, the item's forms, withdrawal; the general office's takedown). They call the services
// the API calls (src/publishing/routes.ts).

const DONE: Record<string, string> = {
  created: '草稿已保存。核对预览后，填写审核单送审。',
  saved: '已保存为新版本。',
  submitted: '已送审，等待处室负责人审核。',
  withdrawn: '已撤回送审，修改后可以重新送审。',
  'taken-down': '已撤下，提供处室会收到通知。',
};

type ItemAction = 'edit' | 'submit' | 'take-down';
interface Failure {
  action: ItemAction;
  state: FormState;
  message: string;
}

/** The edit form filled with the current version. */
function currentValues(item: ItemForPage['item']): FormState {
  const values: Record<string, string> = {
    title: item.latest.title,
    summary: item.latest.summary,
    body: item.latest.body,
    related: item.latest.relatedItemIds.join(', '),
  };
  item.latest.qaPairs.slice(0, QA_ROWS).forEach((p, i) => {
    values[`qa.${i}.question`] = p.question;
    values[`qa.${i}.answer`] = p.answer;
  });
  return { values, errors: {} };
}

export const itemPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const csrf = app.csrfProtection.bind(app);
  const depsOf = (req: FastifyRequest) => ({ db, calendar, env, temporal, log: req.log });

  app.get('/site/items', { config: { access: REVIEW_PARTICIPANTS }, schema: hide }, async (req, reply) => {
    const { items } = await staffItemList({ db }, viewerOf(req));
    const drafter = (req.staff?.roles ?? []).some((r) => (DRAFTERS as readonly string[]).includes(r));
    const row = (i: (typeof items)[number]) => html`<li class="case-card" id="item-${i.id}">
<div class="case-head"><a class="case-title" href="/staff/site/items/${i.id}">${i.title}</a>${i.mine && html` <span class="badge">我起草的</span>`}</div>
<p class="case-meta">编号 ${i.id} · ${i.column} · ${ITEM_STATE_LABELS[i.state]} · 最新第 ${i.latestVersion} 版${i.publishedVersion !== null && `（已发布第 ${i.publishedVersion} 版）`}</p>
</li>`;
    return renderStaff(
      req,
      reply,
      200,
      { title: '网站信息', current: 'site-items' },
      html`<h1>网站信息</h1>
<p>处室起草网站信息，填写审核单送审：处室负责人审核（含保密审查）后送分管局领导签发，新闻类经应急宣传处复审；审核通过后按栏目的发布权限发布。</p>
${drafter && html`<p><a class="button" href="/staff/site/items/new">起草新信息</a></p>`}
${items.length === 0 ? html`<p class="count" role="status">还没有网站信息。</p>` : html`<ol class="cases">${items.map(row)}</ol>`}
${items.length === STAFF_ITEM_LIST_LIMIT && html`<p class="hint">仅显示最近 ${STAFF_ITEM_LIST_LIMIT} 条。</p>`}`,
    );
  });

  async function newPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash: Flash | null = null) {
    const placements = await draftPlacements({ db }, viewerOf(req));
    return renderStaff(
      req,
      reply,
      status,
      { title: '起草网站信息', current: 'site-items', flash },
      html`<p class="breadcrumb"><a href="/staff/site/items">网站信息</a> › 起草</p>
<h1>起草网站信息</h1>
${placements.length === 0 ? html`<p>本处室目前没有可以提供信息的栏目。</p>` : newItemForm(reply.generateCsrf(), placements, state)}`,
    );
  }

  app.get('/site/items/new', { config: { access: DRAFTERS }, schema: hide }, async (req, reply) => newPage(req, reply, 200, emptyForm()));

  app.post('/site/items/new', { config: { access: DRAFTERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Query;
    const values = { ...versionValues(form), placement: str(form.placement, 40) };
    const { input, qaRows } = versionInput(values);
    const [column, type] = values.placement.split(':');
    const res = await attempt(() =>
      createDraft(
        depsOf(req),
        viewerOf(req),
        parsed(draftBody, { ...input, columnId: /^\d{1,9}$/.test(column ?? '') ? Number(column) : undefined, contentType: type }, 'body'),
      ),
    );
    if (res.ok) return reply.redirect(`/staff/site/items/${res.data.id}?done=created`, 303);
    return refusal(req, reply, res, { href: '/staff/site/items', label: '返回网站信息' }, () =>
      newPage(
        req,
        reply,
        res.status,
        { values, errors: versionErrors(res.error.fields, qaRows) },
        { kind: 'error', text: res.error.message },
      ),
    );
  });

  async function itemPage(req: FastifyRequest, reply: FastifyReply, id: number | undefined, status: number, opts: PageOptions = {}) {
    if (id === undefined) return staffNotFound(req, reply);
    const res = await attempt(() => itemForPage({ db }, viewerOf(req), id));
    if (!res.ok) return staffNotFound(req, reply, '未找到该信息，或者您无权查看。');
    const { item, may, liveFormId } = res.data;
    const token = reply.generateCsrf();
    const failure = opts.failure;
    const stateFor = (a: ItemAction, fallback: () => FormState) => (failure?.action === a ? failure.state : fallback());
    const flash = opts.flash ?? (failure ? { kind: 'error' as const, text: failure.message } : null);
    const v = item.latest;
    const forms = item.forms.map(
      (
        f,
      ) => html`<li><a href="/staff/review-forms/${f.id}">审核单 ${f.id}</a> · 第 ${f.version} 版 · <strong>${FORM_STATUS_LABELS[f.status]}</strong>${f.step && ` · ${REVIEW_STEP_LABELS[f.step]}`} · 送审于 ${shortTime(f.submittedAt)}
${may.withdraw && f.id === liveFormId && withdrawForm(token, f.id)}</li>`,
    );
    return renderStaff(
      req,
      reply,
      status,
      { title: `网站信息 ${item.id}`, current: 'site-items', flash },
      html`<p class="breadcrumb"><a href="/staff/site/items">网站信息</a> › 信息 ${item.id}</p>
<h1 class="case-h1">${v.title}</h1>
<dl class="facts">
<dt>状态</dt><dd><strong>${ITEM_STATE_LABELS[item.state]}</strong></dd>
<dt>栏目</dt><dd>${item.column}（${CONTENT_TYPE_LABELS[item.contentType]}）</dd>
<dt>提供处室</dt><dd>${item.department}</dd>
<dt>起草人</dt><dd>${item.drafter}</dd>
<dt>版本</dt><dd>第 ${v.version} 版（${v.author}，${shortTime(v.createdAt)}）${item.publishedVersion !== null && `；已发布第 ${item.publishedVersion} 版`}</dd>
${item.firstPublishedAt && html`<dt>发布时间</dt><dd>${shortTime(item.firstPublishedAt)}</dd>`}
${item.updatedPublishedAt && html`<dt>更新时间</dt><dd>${shortTime(item.updatedPublishedAt)}</dd>`}
${item.state === 'published' && html`<dt>公开页面</dt><dd><a href="/items/${item.id}">/items/${item.id}</a></dd>`}
${item.takedownReason && html`<dt>撤下原因</dt><dd>${item.takedownReason}</dd>`}
<dt>附件</dt><dd><a href="/staff/site/items/${item.id}/attachments">${item.attachments.length} 个（查看、上传或删除）</a></dd>
</dl>
<section aria-labelledby="h-preview"><h2 id="h-preview">预览（第 ${v.version} 版）</h2>
<div class="item-preview">
${v.summary && html`<p class="meta">${v.summary}</p>`}
${raw(renderBody(v.body))}
${v.qaPairs.length > 0 && html`<dl>${v.qaPairs.map((p) => html`<dt>问：${p.question}</dt><dd>答：${p.answer}</dd>`)}</dl>`}
${v.relatedItemIds.length > 0 && html`<p>相关信息：${v.relatedItemIds.map((r) => html`<a href="/staff/site/items/${r}">${r}</a> `)}</p>`}
</div></section>
<section aria-labelledby="h-forms"><h2 id="h-forms">审核单</h2>
${forms.length === 0 ? html`<p class="count">尚未送审。</p>` : html`<ul>${forms}</ul>`}
${may.submit && submitForm(token, item.id, v.version, stateFor('submit', emptyForm))}
</section>
${
  may.edit &&
  editForm(
    token,
    item.id,
    item.contentType === 'qa',
    stateFor('edit', () => currentValues(item)),
  )
}
${may.takeDown && takeDownForm(token, item.id, stateFor('take-down', emptyForm))}`,
    );
  }

  app.get('/site/items/:id', { config: { access: REVIEW_PARTICIPANTS }, schema: hide }, async (req, reply) => {
    const flash = doneFlash(DONE, str((req.query as Query).done));
    return itemPage(req, reply, pathId((req.params as { id: string }).id), 200, { flash });
  });

  const back = (id: number) => ({ href: `/staff/site/items/${id}`, label: '返回该信息' });

  app.post('/site/items/:id/save', { config: { access: DRAFTERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply);
    const values = versionValues((req.body ?? {}) as Query);
    const { input, qaRows } = versionInput(values);
    const res = await attempt(() => saveVersion(depsOf(req), viewerOf(req), id, parsed(versionBody, input, 'body')));
    if (res.ok) return reply.redirect(`/staff/site/items/${id}?done=saved#h-preview`, 303);
    return refusal(req, reply, res, back(id), () =>
      itemPage(req, reply, id, res.status, {
        failure: { action: 'edit', message: res.error.message, state: { values, errors: versionErrors(res.error.fields, qaRows) } },
      }),
    );
  });

  app.post('/site/items/:id/submit', { config: { access: DRAFTERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply);
    const form = (req.body ?? {}) as Query;
    const confirmed = list(form.art19);
    const values = { art19: confirmed, secrecy: str(form.secrecy, 40) };
    const body = {
      art19: Object.fromEntries(ART19_POINTS.map((p) => [p, confirmed.includes(p)])),
      secrecy: values.secrecy || undefined,
    };
    const res = await attempt(() => submitForReview(depsOf(req), viewerOf(req), id, parsed(submitBody, body, 'body')));
    if (res.ok) return reply.redirect(`/staff/site/items/${id}?done=submitted`, 303);
    return refusal(req, reply, res, back(id), () =>
      itemPage(req, reply, id, res.status, {
        failure: { action: 'submit', message: res.error.message, state: { values, errors: formFieldsOf(res.error.fields, ['art19']) } },
      }),
    );
  });

  app.post('/site/items/:id/take-down', { config: { access: TAKEDOWN_ROLES }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply);
    const values = { reason: str(((req.body ?? {}) as Query).reason, 5000) };
    const res = await attempt(() => takeDownItem(depsOf(req), viewerOf(req), id, parsed(takedownBody, values, 'body').reason));
    if (res.ok) return reply.redirect(`/staff/site/items/${id}?done=taken-down`, 303);
    return refusal(req, reply, res, back(id), () =>
      itemPage(req, reply, id, res.status, {
        failure: { action: 'take-down', message: res.error.message, state: { values, errors: formFieldsOf(res.error.fields) } },
      }),
    );
  });
};

interface PageOptions {
  failure?: Failure;
  flash?: Flash | null;
}
