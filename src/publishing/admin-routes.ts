import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { SITE_ADMINS } from './rules.js';
import { column, columnBody, columnParams, departmentParams, leaderBody, leaderList } from './schemas.js';
import { createColumn, listLeaders, setLeader, updateColumn } from './service/columns.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const tags = ['publishing'];

/** Administration of the site (issue 15 point 1): the column tree and the bureau leader in charge of each department. */
export const siteAdminRoutes: FastifyPluginAsyncZod = (app) => {
  const { db } = app.ctx;
  const deps = { db };

  app.post(
    '/site/columns',
    {
      config: { access: SITE_ADMINS },
      schema: {
        tags,
        summary: 'Add a column or a group to the tree (a duplicate slug is 409)',
        body: columnBody,
        response: { 201: column, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await createColumn(deps, viewerOf(req), req.body)),
  );
  app.put(
    '/site/columns/:id',
    {
      config: { access: SITE_ADMINS },
      schema: {
        tags,
        summary: 'Change a column: its place in the tree (no cycle), slug, content types, review settings, publisher, suppliers, active',
        params: columnParams,
        body: columnBody,
        response: { 200: column, ...errors },
      },
    },
    async (req) => updateColumn(deps, viewerOf(req), req.params.id, req.body),
  );
  app.get(
    '/site/leaders',
    {
      config: { access: SITE_ADMINS },
      schema: { tags, summary: 'The bureau leader in charge (分管) of each department', response: { 200: leaderList } },
    },
    async (req) => listLeaders(deps, viewerOf(req)),
  );
  app.put(
    '/site/leaders/:departmentId',
    {
      config: { access: SITE_ADMINS },
      schema: {
        tags,
        summary: 'Set the bureau leader in charge of a department (the account must hold the bureau-leader role); they then sign its items',
        params: departmentParams,
        body: leaderBody,
        response: { 200: leaderList, ...errors },
      },
    },
    async (req) => setLeader(deps, viewerOf(req), req.params.departmentId, req.body.leaderId),
  );
  return Promise.resolve();
};
