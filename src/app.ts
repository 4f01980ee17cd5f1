import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyReply, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authPlugin } from './auth/plugin.js';
import { authRoutes } from './auth/routes.js';
import { auditRoutes } from './audit/routes.js';
import { calendarRoutes } from './calendar/routes.js';
import { departmentRoutes } from './departments/routes.js';
import { digestRoutes } from './digest/routes.js';
import { inspectionRoutes } from './inspection/routes.js';
import { disclosureRoutes } from './disclosure/routes.js';
import { requestRoutes } from './requests/routes.js';
import { handInRoutes } from './handin/routes.js';
import { linkRoutes } from './links/routes.js';
import { annualReportRoutes } from './annual-report/routes.js';
import { xxgkRoutes } from './disclosure/public-routes.js';
import { disclosureTextRoutes } from './disclosure/text-routes.js';
import { mailboxRoutes } from './mailbox/routes.js';
import { publicationRoutes } from './mailbox/publication-routes.js';
import { ratingRoutes } from './mailbox/rating-routes.js';
import { publishingRoutes } from './publishing/routes.js';
import { attachmentRoutes } from './publishing/attachment-routes.js';
import { siteAdminRoutes } from './publishing/admin-routes.js';
import { siteRoutes } from './publishing/site-routes.js';
import { webRoutes } from './web/plugin.js';
import { systemRoutes } from './server/system-routes.js';
import type { AppContext } from './app-context.js';
import { declareFrameworkErrors } from './server/documented-errors.js';
import { installErrorHandler } from './server/errors.js';
import { installNulGuard } from './server/nul-guard.js';
import { installRequestDeadline } from './server/request-deadline.js';
import { openapiTransform } from './server/openapi-transform.js';
import { postgresRateLimitStore } from './server/rate-limit-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

// Field messages in Simplified Chinese for every schema that does not set its own.
z.config(z.locales.zhCN());

export async function buildApp(ctx: AppContext, opts: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: opts.logger ?? {
      level: ctx.env.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-access-code"]'],
    },
    genReqId: (req) =>
      typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 100
        ? req.headers['x-request-id']
        : randomUUID(),
    requestIdHeader: false,
    // Fastify accepts a hop count too; its types omit it.
    trustProxy: ctx.env.TRUST_PROXY as boolean | string,
    bodyLimit: 1024 * 1024,
    // A malformed or over-long URL is refused by the router before any route runs: answer it in the
    // one error shape too (Fastify's own body names the URL and is not the documented Error).
    frameworkErrors: (err, _request, reply) => {
      const status: number = err.statusCode ?? 400;
      const message = status === 414 ? '请求地址过长' : '请求地址格式不正确';
      void (reply as FastifyReply).code(status).send({ error: { code: status === 414 ? 'uri_too_long' : 'bad_url', message } });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('ctx', ctx);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandler(app);
  // Before every other hook (the auth hook reads the database), so a stalled database is bounded too.
  installRequestDeadline(app, ctx.env.REQUEST_TIMEOUT_MS);
  installNulGuard(app);
  app.addHook('onRoute', declareFrameworkErrors);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '市场监督管理局网站后台 API',
        description:
          "Director's mailbox, working-day calendar and staff administration of the provincial market-regulation bureau website.",
        version: '0.1.0',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'amr_session' } },
      },
    },
    transform: openapiTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(cookie);
  await app.register(formbody);
  // Counted in PostgreSQL, so the limits hold across API processes (src/server/rate-limit-store.ts).
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(ctx.sql) });
  // The API document's pages are public: declared here, as swagger-ui's routes cannot declare it themselves.
  await app.register(authPlugin, { publicRoutes: (url) => url === '/docs' || url.startsWith('/docs/') });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(systemRoutes);
  await app.register(calendarRoutes, { prefix: '/api/calendar' });
  await app.register(authRoutes, { prefix: '/api' });
  await app.register(departmentRoutes, { prefix: '/api' });
  await app.register(auditRoutes, { prefix: '/api' });
  await app.register(mailboxRoutes, { prefix: '/api' });
  await app.register(publicationRoutes, { prefix: '/api' });
  await app.register(ratingRoutes, { prefix: '/api' });
  await app.register(publishingRoutes, { prefix: '/api' });
  await app.register(attachmentRoutes, { prefix: '/api' });
  await app.register(siteAdminRoutes, { prefix: '/api' });
  await app.register(siteRoutes, { prefix: '/api' });
  await app.register(digestRoutes, { prefix: '/api' });
  await app.register(disclosureRoutes, { prefix: '/api' });
  await app.register(handInRoutes, { prefix: '/api' });
  await app.register(inspectionRoutes, { prefix: '/api' });
  await app.register(linkRoutes, { prefix: '/api' });
  await app.register(annualReportRoutes, { prefix: '/api' });
  await app.register(disclosureTextRoutes, { prefix: '/api' });
  await app.register(xxgkRoutes, { prefix: '/api' });
  await app.register(requestRoutes, { prefix: '/api' });
  await app.register(webRoutes);
  return app;
}
