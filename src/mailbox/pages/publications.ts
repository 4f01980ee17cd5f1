import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { AppError } from '../../server/errors.js';
import { csrfField, hidden } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { PUBLICATION_EDITORS } from '../publication-rules.js';
import { editBody, selectBody, takeDownBody } from '../publication-schemas.js';
import { MASKED_FIELDS, type MaskedFieldName } from '../service/publication-copy.js';
import {
  approvePublication,
  confirmUnsure,
  editPublication,
  getPublicationForStaff,
  listSelectableLetters,
  selectForPublication,
  takeDownPublication,
} from '../service/publication.js';
import { listPublications, PUBLICATION_LIST_LIMIT } from '../service/publication-list.js';
import { typeLabel } from './labels.js';
import {
  ACTIONS,
  actionForms,
  compare,
  STATUS_TEXT,
  unsureSection,
  type Action,
  type Failure,
  type StaffView,
} from './publication-view.js';

// The general office's pages for publishing selected answers (issue 14, Art. 15(二)): the letters it may
// select, its publications, and one publication's review (original and masked copy side by side, the
// masker's unsure places, hand edits, approval, take-down). They call the services the API calls.

const DONE: Record<Action | 'select', string> = {
  select: '已选用，请核对遮蔽后的公开稿。',
  edit: '公开稿已保存。',
  'confirm-unsure': '已确认待核对的内容。',
  approve: '已批准发布。',
  'take-down': '已撤下。',
};

/** The page's edit form → the changed fields only (a form sent back unchanged is no hand edit). */
function editsOf(p: StaffView, values: Record<MaskedFieldName, string>) {
  const edits: Partial<Record<MaskedFieldName, string>> = {};
  for (const f of MASKED_FIELDS) {
    const typed = values[f].replace(/\r\n?/g, '\n');
    if (typed.trim() !== p[f].trim()) edits[f] = typed;
  }
  return edits;
}

export const publicationPages: FastifyPluginAsync = async (app) => {
  const deps = { db: app.ctx.db };
  const csrf = app.csrfProtection.bind(app);
  const config = { access: PUBLICATION_EDITORS };

  async function listPage(req: FastifyRequest, reply: FastifyReply, status: number, flash: Flash | null) {
    const viewer = viewerOf(req);
    const candidates = await listSelectableLetters(deps, viewer);
    const drafts = await listPublications(deps, viewer, 'draft');
    const published = await listPublications(deps, viewer, 'published');
    const takenDown = await listPublications(deps, viewer, 'taken_down');
    const token = reply.generateCsrf();
    const candidate = (c: (typeof candidates)[number]) => html`<li class="case-card" id="cand-${c.trackingNo}">
<div class="case-head"><a class="case-title" href="/staff/cases/${c.trackingNo}">${c.subject}</a></div>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · ${c.department} · 答复于 ${shortTime(c.answeredAt)}</p>
<form method="post" action="/staff/publications" class="inline">${csrfField(token)}${hidden('trackingNo', c.trackingNo)}
<button type="submit">选用</button></form>
</li>`;
    const entry = (p: (typeof drafts)[number]) => {
      const unsure =
        p.status === 'draft' && p.unsureOpen > 0 && !p.unsureConfirmed
          ? html` <span class="badge badge-soon">${p.unsureOpen} 处待核对</span>`
          : '';
      const when =
        p.status === 'published'
          ? `发布于 ${shortTime(p.publishedAt)}`
          : p.status === 'taken_down'
            ? `撤下于 ${shortTime(p.takenDownAt)}：${p.takeDownReason ?? ''}`
            : `答复于 ${shortTime(p.answeredAt)}`;
      return html`<li class="case-card" id="pub-${p.id}">
<div class="case-head"><a class="case-title" href="/staff/publications/${p.id}">${p.subject}</a>${unsure}</div>
<p class="case-meta"><span class="code">${p.trackingNo}</span> · ${typeLabel(p.type)} · ${p.department} · ${when}</p>
</li>`;
    };
    const group = (id: string, title: string, items: typeof drafts, empty: string) => html`<section aria-labelledby="${id}">
<h2 id="${id}">${title}（${items.length}${items.length === PUBLICATION_LIST_LIMIT ? '+' : ''}）</h2>
${items.length === 0 ? html`<p class="count">${empty}</p>` : html`<ol class="cases">${items.map(entry)}</ol>`}
${items.length === PUBLICATION_LIST_LIMIT && html`<p class="hint">仅显示最近 ${PUBLICATION_LIST_LIMIT} 条。</p>`}
</section>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '信件公开', current: 'publications', flash },
      html`<h1>信件公开</h1>
<p>已答复、写信人同意公开且不属于举报的来信，可由办公室选用。选用后系统生成遮蔽个人信息的公开稿，经核对、批准后在网站“<a href="/published">信件公开</a>”栏目发布。</p>
<section aria-labelledby="h-candidates">
<h2 id="h-candidates">可选用的来信（${candidates.length}）</h2>
${candidates.length === 0 ? html`<p class="count" role="status">目前没有可选用的来信。</p>` : html`<ol class="cases">${candidates.map(candidate)}</ol>`}
</section>
${group('h-drafts', '待审核的公开稿', drafts, '没有待审核的公开稿。')}
${group('h-published', '已发布', published, '没有已发布的信件。')}
${group('h-taken-down', '已撤下', takenDown, '没有已撤下的信件。')}`,
    );
  }

  app.get('/publications', { config, schema: hide }, async (req, reply) => listPage(req, reply, 200, null));

  app.post('/publications', { config, schema: hide, preHandler: csrf }, async (req, reply) => {
    const trackingNo = str(((req.body ?? {}) as Query).trackingNo, 40);
    const res = await attempt(() => selectForPublication(deps, viewerOf(req), parsed(selectBody, { trackingNo }, 'body').trackingNo));
    if (res.ok) return reply.redirect(`/staff/publications/${res.data.id}?done=select`, 303);
    const text = formFieldsOf(res.error.fields).trackingNo ?? res.error.message;
    return listPage(req, reply, res.status, { kind: 'error', text: html`未能选用 ${trackingNo}：${text}` });
  });

  async function reviewPage(req: FastifyRequest, reply: FastifyReply, rawId: string, status: number, opts: ReviewOptions = {}) {
    if (!/^\d{1,9}$/.test(rawId)) return staffNotFound(req, reply);
    const res = await attempt(() => getPublicationForStaff(deps, viewerOf(req), Number(rawId)));
    if (!res.ok) return staffNotFound(req, reply, '未找到该公开稿。');
    const p = res.data;
    const token = reply.generateCsrf();
    const failure = opts.failure;
    const flash = opts.flash ?? (failure ? { kind: 'error' as const, text: failure.message } : null);
    const facts = html`<dl class="facts">
<dt>状态</dt><dd><strong class="status status-${p.status}">${STATUS_TEXT[p.status]}</strong></dd>
<dt>受理编号</dt><dd><a class="code" href="/staff/cases/${p.trackingNo}">${p.trackingNo}</a>（不公开）</dd>
${p.publishedAt && html`<dt>发布时间</dt><dd>${shortTime(p.publishedAt)}</dd>`}
${p.status === 'published' && html`<dt>公开页面</dt><dd><a href="/published/${p.id}">/published/${p.id}</a></dd>`}
${p.takeDownReason && html`<dt>撤下原因</dt><dd>${p.takeDownReason}</dd>`}
</dl>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: `公开稿 ${p.id}`, current: 'publications', flash },
      html`<p class="breadcrumb"><a href="/staff/publications">信件公开</a> › 公开稿 ${p.id}</p>
<h1 class="case-h1">${p.subject}</h1>
${facts}
${unsureSection(p, token, failure?.action === 'confirm-unsure' ? failure.message : undefined)}
<p class="hint">左为原文，右为公开稿；<mark class="masked">黄色</mark>为系统遮蔽的内容，<mark class="unsure">红框</mark>为需要人工核对之处。</p>
${compare(p)}
<section aria-labelledby="h-actions"><h2 id="h-actions">审核</h2>
${p.status === 'taken_down' ? html`<p>该信件已撤下，不再公开。</p>` : actionForms(p, token, failure)}
</section>`,
    );
  }

  app.get('/publications/:id', { config, schema: hide }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const done = str((req.query as Query).done) as Action | 'select';
    const flash: Flash | null = Object.hasOwn(DONE, done) ? { kind: 'ok', text: DONE[done] } : null;
    return reviewPage(req, reply, id, 200, { flash });
  });

  app.post('/publications/:id/:action', { config, schema: hide, preHandler: csrf }, async (req, reply) => {
    const { id: rawId, action } = req.params as { id: string; action: string };
    if (!/^\d{1,9}$/.test(rawId) || !(ACTIONS as readonly string[]).includes(action)) return staffNotFound(req, reply);
    const a = action as Action;
    const id = Number(rawId);
    const form = (req.body ?? {}) as Query;
    const viewer = viewerOf(req);
    const values =
      a === 'edit'
        ? { subject: str(form.subject, 1000), content: str(form.content, 20_000), answer: str(form.answer, 40_000) }
        : a === 'take-down'
          ? { reason: str(form.reason, 5000) }
          : {};
    const res = await attempt(async () => {
      switch (a) {
        case 'edit': {
          const current = await getPublicationForStaff(deps, viewer, id);
          const edits = editsOf(current, values as Record<MaskedFieldName, string>);
          if (Object.keys(edits).length === 0) throw new AppError(400, 'validation_failed', '没有修改任何内容');
          return editPublication(deps, viewer, id, parsed(editBody, edits, 'body'));
        }
        case 'confirm-unsure':
          return confirmUnsure(deps, viewer, id);
        case 'approve':
          return approvePublication(deps, viewer, id);
        case 'take-down':
          return takeDownPublication(deps, viewer, id, parsed(takeDownBody, values, 'body').reason);
      }
    });
    if (res.ok) return reply.redirect(`/staff/publications/${id}?done=${a}`, 303);
    if (res.status === 404) return staffNotFound(req, reply, '未找到该公开稿。');
    const failure = { action: a, message: res.error.message, state: { values, errors: formFieldsOf(res.error.fields) } };
    return reviewPage(req, reply, rawId, res.status, { failure });
  });
};

interface ReviewOptions {
  failure?: Failure;
  flash?: Flash | null;
}
