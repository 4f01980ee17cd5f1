import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf, viewerHolds } from '../../auth/viewer.js';
import type { FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { doneFlash, pathId, refusalPage } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { CATALOGUERS, DECIDERS, DOCUMENT_CATEGORY_FACTS } from '../rules.js';
import { entryBody } from '../schemas.js';
import { listCatalogueTasks, publishCatalogueEntry } from '../service/catalogue.js';
import { entryForm } from './forms.js';

// The service centre's page of the 主动公开 catalogue (measures Art. 31; 条例 Art. 26): the open rounds,
// the earliest due first, each with the entry to complete and publish. The office reads it.

const PUBLISHER = '福建省市场监督管理局';
const NOT_FOUND = '未找到该目录条目，或者您无权查看。';
const DONE: Record<string, string> = { published: '已录入政府信息公开目录并公开，发布时间和索引号由系统生成。' };

export const cataloguePages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const csrf = app.csrfProtection.bind(app);
  const access = [...CATALOGUERS, ...DECIDERS];

  async function tasksPage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    flash: Flash | null,
    failure?: { entryId: number; state: FormState },
  ) {
    const { items } = await listCatalogueTasks({ db }, viewerOf(req));
    const token = reply.generateCsrf();
    const cataloguer = viewerHolds(viewerOf(req), CATALOGUERS);
    const card = (e: (typeof items)[number]) => {
      const state: FormState =
        failure?.entryId === e.id
          ? failure.state
          : { values: { name: e.name ?? '', summary: e.summary ?? '', publisher: PUBLISHER, subject: e.subject }, errors: {} };
      return html`<li class="case-card" id="entry-${e.id}">
<div class="case-head"><a class="case-title" href="/staff/disclosure/documents/${e.documentId}">${e.name}</a>${e.overdue && html` <span class="badge">已超期</span>`}</div>
<p class="case-meta">${e.department} · ${DOCUMENT_CATEGORY_FACTS[e.category].label}${e.docNumber && ` · ${e.docNumber}`} · 自 ${e.startsOn} 起 · 应于 <strong>${e.dueOn}</strong>（含当日）前公开${e.dueProvisional && '（暂定）'}</p>
${cataloguer && entryForm(token, e.id, state)}
</li>`;
    };
    return renderStaff(
      req,
      reply,
      status,
      { title: '政府信息公开目录待办', current: 'catalogue', flash },
      html`<h1>政府信息公开目录待办</h1>
<p>主动公开的政府信息，应当自形成或者变更之日起 20 个工作日内公开（《政府信息公开条例》第二十六条）。行政服务中心补全目录项后公开，发布时间由系统记录。</p>
${items.length === 0 ? html`<p class="count" role="status">没有待录入的目录项。</p>` : html`<ol class="cases">${items.map(card)}</ol>`}`,
    );
  }

  app.get('/disclosure/catalogue', { config: { access }, schema: hide }, async (req, reply) =>
    tasksPage(req, reply, 200, doneFlash(DONE, str((req.query as Query).done))),
  );

  app.post('/disclosure/catalogue/:id/publish', { config: { access: CATALOGUERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    const form = (req.body ?? {}) as Query;
    const values = {
      name: str(form.name, 1000),
      summary: str(form.summary, 5000),
      publisher: str(form.publisher, 500),
      subject: str(form.subject, 500),
    };
    const res = await attempt(() =>
      publishCatalogueEntry({ db, calendar, env, temporal, log: req.log }, viewerOf(req), id, parsed(entryBody, values, 'body')),
    );
    if (res.ok) return reply.redirect(`/staff/disclosure/catalogue?done=published`, 303);
    return refusalPage(
      req,
      reply,
      res,
      { back: { href: '/staff/disclosure/catalogue', label: '返回目录待办' }, notFoundText: NOT_FOUND },
      () =>
        tasksPage(
          req,
          reply,
          res.status,
          { kind: 'error', text: res.error.message },
          { entryId: id, state: { values, errors: formFieldsOf(res.error.fields) } },
        ),
    );
  });
};
