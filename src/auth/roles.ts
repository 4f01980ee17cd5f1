import { z } from 'zod';

/** Every staff role, declared once: the zod enum and the TypeScript type below are derived from it. */
export const ROLES = ['handler', 'dept_leader', 'office', 'service_center', 'publicity', 'bureau_leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** What a route declares: open to everyone, or to staff holding one of these roles. */
export type Access = 'public' | readonly Role[];

// The role groups routes and pages declare as their access, each named by who they are.

/** Every staff member, whatever their role. */
export const STAFF_ROLES = ROLES;
/** Administrators alone: accounts, departments, the calendar. */
export const ADMIN_ONLY = ['admin'] as const satisfies readonly Role[];
/** Administrators and the general office (办公室): the administrative lists (departments, convenience items). */
export const ADMIN_AND_OFFICE = ['admin', 'office'] as const satisfies readonly Role[];
/** Who may read the audit log: the general office and administrators. */
export const AUDIT_READERS = ['office', 'admin'] as const satisfies readonly Role[];
/** Roles that act for exactly one department (an account with one must name its department). */
export const DEPARTMENT_STAFF = ['handler', 'dept_leader'] as const satisfies readonly Role[];
/** Roles that see every department's cases and digests, not only their own. */
export const BUREAU_WIDE = ['service_center', 'office', 'admin', 'bureau_leader'] as const satisfies readonly Role[];
/** Who may see cases and digests: department staff (their own) and the bureau-wide roles (all). */
export const CASE_VIEWERS = [...DEPARTMENT_STAFF, ...BUREAU_WIDE] as const satisfies readonly Role[];
/** Who may take some case action: department staff and the general office. */
export const CASE_ACTORS = [...DEPARTMENT_STAFF, 'office'] as const satisfies readonly Role[];
/** Who may rebuild a day's digests: the service centre and administrators. */
export const DIGEST_RUNNERS = ['service_center', 'admin'] as const satisfies readonly Role[];

/** The staff member holds at least one of the roles. */
export const holdsAny = (roles: readonly Role[], group: readonly Role[]) => roles.some((r) => group.includes(r));
