import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN_AND_OFFICE, ADMIN_ONLY } from '../auth/roles.js';
import { viewerOf } from '../auth/viewer.js';
import { errorBody } from '../server/errors.js';
import { departmentChangesBody, departmentIdParams, fullDepartment, newDepartmentBody, publicDepartment } from './schemas.js';
import { createDepartment, listActiveDepartments, listAllDepartments, updateDepartment } from './service.js';

const tags = ['departments'];

export const departmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get(
    '/departments',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Active departments a letter can be addressed to', response: { 200: z.array(publicDepartment) } },
    },
    async () => listActiveDepartments(db),
  );

  app.get(
    '/admin/departments',
    {
      config: { access: ADMIN_AND_OFFICE },
      schema: { tags, summary: 'All departments, including deactivated ones', response: { 200: z.array(fullDepartment) } },
    },
    async (req) => listAllDepartments({ db }, viewerOf(req)),
  );

  app.post(
    '/admin/departments',
    {
      config: { access: ADMIN_ONLY },
      schema: { tags, summary: 'Add a department', body: newDepartmentBody, response: { 201: fullDepartment, 400: errorBody } },
    },
    async (req, reply) => reply.status(201).send(await createDepartment({ db }, viewerOf(req), req.body)),
  );

  app.patch(
    '/admin/departments/:id',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags,
        summary: 'Rename, deactivate or reactivate a department (history is kept)',
        params: departmentIdParams,
        body: departmentChangesBody,
        response: { 200: fullDepartment, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => updateDepartment({ db }, viewerOf(req), req.params.id, req.body),
  );
};
