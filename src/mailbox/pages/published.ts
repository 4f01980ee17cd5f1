import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../server/errors.js';
import { html } from '../../web/html.js';
import { page } from '../../web/layout.js';
import { hide, intOrUndefined, sendPage, str } from '../../web/request.js';
import { getPublished, listPublished } from '../service/published.js';
import { typeLabel } from './labels.js';

/** The public's pages of published answers (issue 14): the same service as /api/published-letters. */
export const publishedPages: FastifyPluginAsync = (app) => {
  const deps = { db: app.ctx.db };

  app.get('/published', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const q = str(query.q, 50);
    const before = intOrUndefined(query.before);
    const result = await listPublished(deps, { q: q || undefined, before });
    const next = result.nextBefore ? `/published?${new URLSearchParams({ ...(q ? { q } : {}), before: String(result.nextBefore) })}` : null;
    const main = html`<h1>信件公开</h1>
<form method="get" action="/published"><label>搜索 <input name="q" value="${q}" maxlength="50"></label> <button type="submit">搜索</button></form>
${result.items.length === 0 ? html`<p>暂无公开信件。</p>` : html``}
<ul class="published-list">${result.items.map(
      (i) =>
        html`<li><a href="/published/${String(i.id)}">${i.subject}</a> <span>${typeLabel(i.type)} · ${i.department} · 来信 ${i.receivedDate} · 答复 ${i.answeredDate}</span></li>`,
    )}</ul>
${next ? html`<p><a href="${next}">下一页</a></p>` : html``}`;
    return sendPage(reply, 200, page({ title: '信件公开', area: 'public' }, main));
  });

  app.get('/published/:id', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    const id = intOrUndefined((req.params as { id: string }).id);
    try {
      if (!id) throw new AppError(404, 'not_found', '未找到该公开信件');
      const l = await getPublished(deps, id);
      const main = html`<h1>${l.subject}</h1>
<p>${typeLabel(l.type)} · 答复单位：${l.department} · 来信日期：${l.receivedDate} · 答复日期：${l.answeredDate}</p>
<h2>来信内容</h2><p class="letter-text">${l.content}</p>
<h2>答复</h2><p class="letter-text">${l.answer}</p>
<p><a href="/published">返回列表</a></p>`;
      return sendPage(reply, 200, page({ title: l.subject, area: 'public' }, main));
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 404)
        return sendPage(
          reply,
          404,
          page({ title: '未找到', area: 'public' }, html`<h1>未找到该公开信件</h1><p><a href="/published">返回列表</a></p>`),
        );
      throw err;
    }
  });
  return Promise.resolve();
};
