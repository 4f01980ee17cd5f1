import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import { isUniqueViolation } from '../auth/accounts.js';
import { actorOf } from '../auth/plugin.js';
import { badRequest, errorBody, notFound } from '../server/errors.js';
import { idParam, requiredText, safeString } from '../server/schema-types.js';
import { departmentKind, departments } from './tables.js';

const tags = ['departments'];
const publicDepartment = z.object({ id: z.number(), code: z.string(), name: z.string() }).meta({ id: 'Department' });
const fullDepartment = publicDepartment.extend({ kind: z.enum(departmentKind.enumValues), active: z.boolean(), notifyEmails: z.array(z.string()) });
/** What the audit trail records of a department. */
const snapshot = (d: typeof departments.$inferSelect) => ({ code: d.code, name: d.name, kind: d.kind, active: d.active, notifyEmails: d.notifyEmails });
const code = z.string().trim().regex(/^[a-z][a-z0-9-]{1,29}$/, '代码须为 2–30 位小写字母、数字或连字符，以字母开头');

export const departmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/departments', {
    config: { access: 'public' },
    schema: { tags, summary: 'Active departments a letter can be addressed to', response: { 200: z.array(publicDepartment) } },
  }, async () =>
    db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments)
      .where(eq(departments.active, true)).orderBy(asc(departments.sortOrder), asc(departments.id)));

  app.get('/admin/departments', {
    config: { access: ['admin', 'office'] },
    schema: { tags, summary: 'All departments, including deactivated ones', response: { 200: z.array(fullDepartment) } },
  }, async () => db.select().from(departments).orderBy(asc(departments.sortOrder), asc(departments.id)));

  app.post('/admin/departments', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Add a department',
      body: z.object({
        code,
        name: requiredText('名称', 50),
        kind: z.enum(departmentKind.enumValues).default('department'),
        notifyEmails: z.array(z.email('邮箱格式不正确')).default([]),
      }),
      response: { 201: fullDepartment, 400: errorBody },
    },
  }, async (req, reply) => {
    const duplicate = () => badRequest('代码已存在', { 'body.code': '代码已存在' });
    try {
      const row = await db.transaction(async (tx) => {
        const [exists] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, req.body.code));
        if (exists) throw duplicate();
        const [created] = await tx.insert(departments).values(req.body).returning();
        await recordAudit(tx, actorOf(req, ['admin']), { action: 'department.create', recordType: 'department', recordId: created!.id, after: snapshot(created!) });
        return created!;
      });
      return reply.status(201).send(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(); // two administrators adding the same code at once
      throw err;
    }
  });

  app.patch('/admin/departments/:id', {
    config: { access: ['admin'] },
    schema: {
      tags,
      summary: 'Rename, deactivate or reactivate a department (history is kept)',
      params: z.object({ id: idParam('处室编号应为正整数') }),
      body: z.object({
        name: safeString().trim().min(1, '请填写名称').max(50).optional(),
        active: z.boolean().optional(),
        notifyEmails: z.array(z.email('邮箱格式不正确')).optional(),
      }),
      response: { 200: fullDepartment, 400: errorBody, 404: errorBody },
    },
  }, async (req) => {
    if (Object.keys(req.body).length === 0) throw badRequest('没有要修改的内容');
    return db.transaction(async (tx) => {
      const [before] = await tx.select().from(departments).where(eq(departments.id, req.params.id));
      if (!before) throw notFound('处室不存在');
      const [after] = await tx.update(departments).set(req.body).where(eq(departments.id, before.id)).returning();
      await recordAudit(tx, actorOf(req, ['admin']), {
        action: 'department.update', recordType: 'department', recordId: before.id, before: snapshot(before), after: snapshot(after!),
      });
      return after!;
    });
  });
};
