import { z } from 'zod';
import { id32, idParam, safeString } from '../server/schema-types.js';
import { usernameSchema } from './accounts.js';
import { ACCOUNT_FAILURE_CAP, ACCOUNT_WINDOW_MINUTES } from './login-throttle.js';
import { PASSWORD_MAX_LENGTH } from './password.js';
import { roleSchema } from './roles.js';

// The auth module's request and response schemas; the response types are inferred from them.

export const staffSchema = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    departmentId: z.number().nullable(),
  })
  .meta({ id: 'Staff' });
export type Staff = z.infer<typeof staffSchema>;

export const staffAccount = staffSchema
  .extend({
    disabled: z.boolean(),
    lockedUntil: z
      .string()
      .nullable()
      .describe('Until when at least one client address is held back from logging in as this username (per-address back-off), or null'),
    failedLogins: z
      .number()
      .describe(
        `Wrong passwords for this username in the last ${ACCOUNT_WINDOW_MINUTES} minutes, all addresses` +
          ` (compared with the account-wide cap of ${ACCOUNT_FAILURE_CAP})`,
      ),
    createdAt: z.string(),
  })
  .meta({ id: 'StaffAccount' });
export type StaffAccount = z.infer<typeof staffAccount>;

export const loginBody = z.object({
  username: safeString().trim().toLowerCase().min(1, '请输入用户名').max(100),
  password: z.string().min(1, '请输入密码').max(PASSWORD_MAX_LENGTH),
});
export type LoginInput = z.output<typeof loginBody>;
export const loginResponse = z.object({ token: z.string(), expiresAt: z.string(), staff: staffSchema });

const newPassword = z.string().max(PASSWORD_MAX_LENGTH, `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`);

export const passwordChangeBody = z.object({ currentPassword: z.string().min(1, '请输入当前密码').max(PASSWORD_MAX_LENGTH), newPassword });
export type PasswordChange = z.output<typeof passwordChangeBody>;

export const newStaffBody = z.object({
  username: usernameSchema,
  displayName: safeString().trim().min(1, '请填写姓名').max(50),
  password: newPassword,
  roles: z.array(roleSchema).min(1, '至少一个角色'),
  departmentId: id32('处室应为编号').nullable().default(null),
});
export type NewStaff = z.output<typeof newStaffBody>;

export const staffChangesBody = z.object({
  displayName: safeString().trim().min(1, '请填写姓名').max(50).optional(),
  disabled: z.boolean().optional(),
  roles: z.array(roleSchema).min(1, '至少一个角色').optional(),
  departmentId: id32('处室应为编号').nullable().optional(),
  unlock: z
    .literal(true)
    .optional()
    .describe(
      'Lift every login hold on this username: its wrong-password counts from all addresses are cleared ' +
        '(addresses it logged in from stay known)',
    ),
});
export type StaffChanges = z.output<typeof staffChangesBody>;

export const staffIdParams = z.object({ id: idParam('账户编号应为正整数') });
export const passwordResetBody = z.object({ password: newPassword });
export const revokedResponse = z.object({ revoked: z.number() });
