import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { siteGroups } from '../../publishing/service/site.js';
import { AppError } from '../../server/errors.js';
import { answerConditional, validatorsOf } from '../../web/cache.js';
import { sendFile } from '../../web/file-send.js';
import { messagePage } from '../../web/layout.js';
import { attempt } from '../../web/outcome.js';
import { pathId } from '../../web/refusal.js';
import { hide, sendPage, str } from '../../web/request.js';
import { DOCUMENT_CATEGORIES } from '../rules.js';
import { catalogueQuery } from '../schemas.js';
import { currentGuide } from '../service/guide.js';
import { catalogueFacets, publicCatalogue, publicEntry, publicTextDownload } from '../service/public-catalogue.js';
import { textDownload } from '../service/texts.js';
import { applyView, badFilterView, catalogueView, entranceView, entryView, guideView, proactiveView } from './xxgk-views.js';

// The public 政府信息公开 section (issue 16 point 5): /xxgk and its pages. Published entries only; every
// page sends ETag, Last-Modified and a short public max-age (src/web/cache.ts) as the site pages do,
// and carries no form token or anything personal.

const access = { config: { access: 'public' as const }, schema: hide };
const FILTERS = ['q', 'category', 'subject', 'departmentId', 'year', 'page'] as const;
const PROACTIVE_PER_CATEGORY = 5;

export const xxgkPages: FastifyPluginAsync = (app) => {
  const deps = { db: app.ctx.db };

  const cached = (req: FastifyRequest, reply: FastifyReply, data: unknown, lastModified: Date, render: () => string) =>
    answerConditional(req, reply, validatorsOf(data, lastModified)) ? reply : sendPage(reply, 200, render());
  /** Pages whose content never changes but with the site's navigation. */
  const fixed = (name: string, view: (g: Awaited<ReturnType<typeof siteGroups>>) => string) =>
    app.get(name, access, async (req, reply) => {
      const groups = await siteGroups(deps);
      return cached(req, reply, [name, groups], new Date(0), () => view(groups));
    });

  fixed('/xxgk', entranceView);
  // /xxgk/reports lists the published annual reports: src/annual-report/pages/public.ts.
  fixed('/xxgk/apply', applyView);

  app.get('/xxgk/guide', access, async (req, reply) => {
    const [groups, guide] = await Promise.all([siteGroups(deps), currentGuide(deps)]);
    return cached(req, reply, ['guide', groups, guide.body], guide.updatedAt, () => guideView(groups, guide));
  });

  app.get('/xxgk/catalogue', access, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    // A form sends its empty fields: an empty one is no filter.
    const typed: Record<string, string> = {};
    for (const k of FILTERS) {
      const v = str(query[k], 100).trim();
      if (v !== '') typed[k] = v;
    }
    const [groups, facets] = await Promise.all([siteGroups(deps), catalogueFacets(deps)]);
    const checked = catalogueQuery.safeParse(typed);
    if (!checked.success) {
      const messages = [...new Set(checked.error.issues.map((i) => i.message))];
      return sendPage(reply, 400, badFilterView(groups, facets, typed, messages));
    }
    const { lastModified, ...r } = await publicCatalogue(deps, checked.data);
    return cached(req, reply, ['catalogue', groups, facets, r], lastModified, () =>
      catalogueView(groups, facets, typed, { ...r, query: checked.data }),
    );
  });

  app.get('/xxgk/proactive', access, async (req, reply) => {
    const groups = await siteGroups(deps);
    const pages = await Promise.all(DOCUMENT_CATEGORIES.map((category) => publicCatalogue(deps, { category, page: 1 })));
    const blocks = DOCUMENT_CATEGORIES.map((category, i) => ({
      category,
      total: pages[i]!.total,
      items: pages[i]!.items.slice(0, PROACTIVE_PER_CATEGORY),
    }));
    const lastModified = pages[0]?.lastModified ?? new Date(0);
    return cached(req, reply, ['proactive', groups, blocks], lastModified, () => proactiveView(groups, blocks));
  });

  app.get('/xxgk/entries/:id', access, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) throw new AppError(404, 'not_found', '未找到该目录条目');
    const groups = await siteGroups(deps);
    const { entry, lastModified } = await publicEntry(deps, id);
    return cached(req, reply, ['entry', groups, entry], lastModified, () => entryView(groups, entry));
  });

  /** The text the published entry shows: inline (a PDF is read in the browser), or `?download=1` to save it. */
  app.get('/xxgk/entries/:id/text/:textId', access, async (req, reply) => {
    const params = req.params as { id: string; textId: string };
    const id = pathId(params.id);
    const textId = pathId(params.textId);
    const res = id && textId ? await attempt(() => publicTextDownload(deps, id, textId)) : undefined;
    if (!res?.ok) {
      return sendPage(
        reply,
        404,
        messagePage({
          title: '未找到',
          area: 'public',
          heading: '未找到',
          text: '未找到该电子文本。',
          back: { href: '/xxgk/catalogue', label: '返回政府信息公开目录' },
        }),
      );
    }
    const asDownload = str((req.query as Record<string, unknown>).download, 2) === '1';
    // A PDF is read in the browser unless asked to download; the other formats are always downloaded.
    const inline = !asDownload && res.data.mimeType === 'application/pdf';
    // The bytes never change; whether they may still be served does: revalidate every time.
    return sendFile(req, reply, textDownload(deps.db, res.data), { cacheControl: 'public, no-cache', inline });
  });
  return Promise.resolve();
};
