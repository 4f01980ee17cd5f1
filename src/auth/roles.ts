export const ROLES = ['handler', 'dept_leader', 'office', 'service_center', 'publicity', 'bureau_leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for one department and see data scoped to it. */
export const DEPARTMENT_ROLES: readonly Role[] = ['handler', 'dept_leader'];

/** What a route declares: open to everyone, or to staff holding one of these roles. */
export type Access = 'public' | readonly Role[];

/** Staff who read the director's mailbox cases: everyone but the publicity office. */
export const CASE_READERS = ['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'] as const satisfies
  readonly Role[];
/** Roles that see every letter, whichever department has it: the general office and the oversight roles. */
export const BUREAU_WIDE_CASE_ROLES = ['office', 'service_center', 'bureau_leader', 'admin'] as const satisfies readonly Role[];
/** Department staff, who act on the cases their department has or assists on. */
export const CASE_HANDLERS = ['handler', 'dept_leader'] as const satisfies readonly Role[];
/** Who reads the whole convenience-service list (inactive items too); only the admin edits it. */
export const CONVENIENCE_LIST_READERS = ['admin', 'office'] as const satisfies readonly Role[];
export const CONVENIENCE_LIST_EDITORS = ['admin'] as const satisfies readonly Role[];
