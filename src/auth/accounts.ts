import { z } from 'zod';
import { DEPARTMENT_STAFF, type Role } from './roles.js';

/** Usernames: 2–40 lower-case letters, digits, dots, underscores or hyphens, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const USERNAME_MESSAGE = '用户名须为 2–40 位小写字母、数字、点、下划线或连字符';
export const usernameSchema = z.string().trim().regex(USERNAME_PATTERN, USERNAME_MESSAGE);

/** Handlers and department leaders act for exactly one department. */
export const needsDepartment = (roles: readonly string[]) => roles.some((r) => (DEPARTMENT_STAFF as readonly string[]).includes(r));

/** Roles stored as text[]; narrowed for the API. */
export const asRoles = (roles: string[]) => roles as Role[];

/** PostgreSQL unique_violation, e.g. two requests creating the same username at once. */
export const isUniqueViolation = (err: unknown): boolean => {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === '23505') return true;
  }
  return false;
};
