import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody } from '../server/errors.js';
import { answerConditional, validatorsOf } from '../web/cache.js';
import { columnItemsQuery, columnParams, itemParams, publicItem as publicItemSchema, publicItemPage } from './schemas.js';
import { columnItems, publicItem } from './service/site.js';

const tags = ['publishing'];
const cacheNote =
  ' Public and cacheable: ETag, Last-Modified and `cache-control: public, max-age=60`; If-None-Match / If-Modified-Since answer 304 while current.';

/** The public website's JSON (issue 15 points 9-10): published items only, the same read service as the pages. */
export const siteRoutes: FastifyPluginAsyncZod = (app) => {
  const deps = { db: app.ctx.db };

  app.get(
    '/site/columns/:id/items',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "A column's published items, newest first by 发布时间 (keyset: `before` is the last item's id)",
        description: `Only published items, in their published version.${cacheNote}`,
        params: columnParams,
        querystring: columnItemsQuery,
        response: { 200: publicItemPage, 400: errorBody, 404: errorBody },
      },
    },
    async (req, reply) => {
      const { lastModified, ...page } = await columnItems(deps, req.params.id, req.query);
      return answerConditional(req, reply, validatorsOf(page, lastModified)) ? reply : page;
    },
  );
  app.get(
    '/site/items/:id/public',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A published item as the public sees it: its published version, 发布时间 and 更新时间, related published items',
        description: `404 unless published; 410 once taken down (Art. 27(三)).${cacheNote}`,
        params: itemParams,
        response: { 200: publicItemSchema, 404: errorBody, 410: errorBody },
      },
    },
    async (req, reply) => {
      const { lastModified, ...item } = await publicItem(deps, req.params.id);
      return answerConditional(req, reply, validatorsOf(item, lastModified)) ? reply : item;
    },
  );
  return Promise.resolve();
};
