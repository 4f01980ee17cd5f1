import { z } from 'zod';
import { idParam, requiredText, safeString } from '../server/schema-types.js';
import { DEPARTMENT_KINDS } from './tables.js';

// The departments module's request and response schemas; the response types are inferred from them.

export const departmentKindSchema = z.enum(DEPARTMENT_KINDS);

export const publicDepartment = z.object({ id: z.number(), code: z.string(), name: z.string() }).meta({ id: 'Department' });
export type PublicDepartment = z.infer<typeof publicDepartment>;

export const fullDepartment = publicDepartment.extend({
  kind: departmentKindSchema,
  active: z.boolean(),
  notifyEmails: z.array(z.string()),
});
export type FullDepartment = z.infer<typeof fullDepartment>;

const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{1,29}$/, '代码须为 2–30 位小写字母、数字或连字符，以字母开头');

export const newDepartmentBody = z.object({
  code,
  name: requiredText('名称', 50),
  kind: departmentKindSchema.default('department'),
  notifyEmails: z.array(z.email('邮箱格式不正确')).default([]),
});
export type NewDepartment = z.output<typeof newDepartmentBody>;

export const departmentChangesBody = z.object({
  name: safeString().trim().min(1, '请填写名称').max(50).optional(),
  active: z.boolean().optional(),
  notifyEmails: z.array(z.email('邮箱格式不正确')).optional(),
});
export type DepartmentChanges = z.output<typeof departmentChangesBody>;

export const departmentIdParams = z.object({ id: idParam('处室编号应为正整数') });
