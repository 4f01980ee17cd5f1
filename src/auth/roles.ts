export const ROLES = ['handler', 'dept_leader', 'office', 'service_center', 'publicity', 'bureau_leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for one department and see data scoped to it. */
export const DEPARTMENT_ROLES: readonly Role[] = ['handler', 'dept_leader'];

/** What a route declares: open to everyone, or to staff holding one of these roles. */
export type Access = 'public' | readonly Role[];
