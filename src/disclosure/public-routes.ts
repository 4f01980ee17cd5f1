import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody } from '../server/errors.js';
import { answerConditional, validatorsOf } from '../web/cache.js';
import { catalogueQuery, publicCataloguePage } from './schemas.js';
import { publicCatalogue } from './service/public-catalogue.js';

/** The public catalogue's JSON (issue 16 point 5): the same filters and service as /xxgk/catalogue. */
export const xxgkRoutes: FastifyPluginAsyncZod = (app) => {
  const deps = { db: app.ctx.db };
  app.get(
    '/xxgk/catalogue',
    {
      config: { access: 'public' },
      schema: {
        tags: ['disclosure'],
        summary:
          '政府信息公开目录: published entries, newest 生成日期 first, 20 a page; filter by category, subject, department and year, search `q` in 名称, 文号 and 索引号',
        description:
          'Public and cacheable: ETag, Last-Modified and `cache-control: public, max-age=60`; If-None-Match / If-Modified-Since answer 304 while current.',
        querystring: catalogueQuery,
        response: { 200: publicCataloguePage, 400: errorBody },
      },
    },
    async (req, reply) => {
      const { lastModified, ...page } = await publicCatalogue(deps, req.query);
      return answerConditional(req, reply, validatorsOf(page, lastModified)) ? reply : page;
    },
  );
  return Promise.resolve();
};
