import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../server/errors.js';
import { answerConditional, validatorsOf } from '../../web/cache.js';
import { html } from '../../web/html.js';
import { hide, sendPage, str } from '../../web/request.js';
import { searchQuery } from '../schemas.js';
import { columnPage, ItemWithdrawnError, publicItem, siteGroups, siteHome, withdrawnDate } from '../service/site.js';
import { searchSite } from '../service/site-search.js';
import { sitePage, type NavGroup } from './site-parts.js';
import { searchFormView, searchResultView } from './site-search-view.js';
import { columnView, goneView, groupView, homeView, itemView, printView } from './site-views.js';

// The public website (issue 15 points 9-10): /, /columns/:slug, /items/:id, /items/:id/print, /search.
// Published items only (src/publishing/service/site.ts). Every page sends ETag, Last-Modified and a
// short public max-age (src/web/cache.ts) and answers 304 when the client's copy is still current;
// none carries a form token or anything personal.

const access = { config: { access: 'public' as const }, schema: hide };

/** `?page=`: absent is 1; otherwise a positive whole number (or undefined: a bad request). */
const pageOf = (query: unknown): number | undefined => {
  const raw = str((query as Record<string, unknown>).page, 10);
  if (raw === '') return 1;
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined;
};
const idOf = (params: unknown): number | undefined => {
  const raw = (params as { id?: string }).id ?? '';
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : undefined;
};

export const sitePages: FastifyPluginAsync = (app) => {
  const deps = { db: app.ctx.db };
  const siteName = app.ctx.env.SITE_NAME;

  const badRequestPage = (reply: FastifyReply, groups: readonly NavGroup[], text: string) =>
    sendPage(reply, 400, sitePage(groups, { title: '请求有误' }, html`<h1>请求有误</h1><p>${text}</p><p><a href="/">返回网站首页</a></p>`));

  /** Sends `render()` unless the client's copy of `data` is current (304). */
  const cached = (req: FastifyRequest, reply: FastifyReply, data: unknown, lastModified: Date, render: () => string, status = 200) =>
    answerConditional(req, reply, validatorsOf(data, lastModified)) ? reply : sendPage(reply, status, render());

  app.get('/', access, async (req, reply) => {
    const [groups, home] = await Promise.all([siteGroups(deps), siteHome(deps)]);
    return cached(req, reply, ['home', groups, home.columns], home.lastModified, () => homeView(groups, home, siteName));
  });

  app.get('/columns/:slug', access, async (req, reply) => {
    const page = pageOf(req.query);
    if (page === undefined) return badRequestPage(reply, await siteGroups(deps), '页码应为正整数。');
    const slug = str((req.params as { slug?: string }).slug, 41);
    const [groups, p] = await Promise.all([siteGroups(deps), columnPage(deps, slug, page)]);
    const { lastModified, ...shown } = p;
    if (p.kind === 'group') return cached(req, reply, ['group', groups, shown], lastModified, () => groupView(groups, p));
    const group = groups.find((g) => g.id === p.column.parentId);
    return cached(req, reply, ['column', groups, shown], lastModified, () => columnView(groups, p, group));
  });

  /** The item page and its print view: 404 unless published, 410 (with cache headers) once taken down. */
  const itemRoute = (print: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const id = idOf(req.params);
    if (id === undefined) throw new AppError(404, 'not_found', '未找到该信息');
    const groups = await siteGroups(deps);
    try {
      const item = await publicItem(deps, id);
      const { lastModified, ...shown } = item;
      return cached(req, reply, [print ? 'print' : 'item', groups, shown], lastModified, () =>
        print ? printView(groups, item) : itemView(groups, item),
      );
    } catch (err) {
      if (!(err instanceof ItemWithdrawnError)) throw err;
      return cached(req, reply, ['gone', groups, id], err.takenDownAt, () => goneView(groups, id, withdrawnDate(err)), 410);
    }
  };
  app.get('/items/:id', access, itemRoute(false));
  app.get('/items/:id/print', access, itemRoute(true));

  app.get('/search', access, async (req, reply) => {
    const groups = await siteGroups(deps);
    const query = req.query as Record<string, unknown>;
    const q = str(query.q, 200);
    if (q.trim() === '') return cached(req, reply, ['search-form', groups], new Date(0), () => searchFormView(groups));
    const checked = searchQuery.pick({ q: true }).safeParse({ q });
    if (!checked.success) return sendPage(reply, 400, searchFormView(groups, q, checked.error.issues[0]?.message ?? '搜索词格式不正确'));
    const page = pageOf(query);
    if (page === undefined) return badRequestPage(reply, groups, '页码应为正整数。');
    const r = await searchSite(deps, checked.data.q, page);
    const { lastModified, ...shown } = r;
    return cached(req, reply, ['search', groups, shown], lastModified, () => searchResultView(groups, r));
  });
  return Promise.resolve();
};
