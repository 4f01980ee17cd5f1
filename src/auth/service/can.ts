import { ADMIN_ONLY, STAFF_ROLES, type Role } from '../roles.js';
import { viewerHolds, type Viewer } from '../viewer.js';

/**
 * The auth module's one authorisation point. The routes declare the same role groups as their access
 * (src/auth/roles.ts), so the auth hook and this check cannot disagree.
 */
export const AUTH_PERMISSIONS = {
  /** See and change one's own account: sign-in state, password. */
  'own-account': STAFF_ROLES,
  /** Create, change, disable accounts; reset passwords; end sessions. */
  'administer-accounts': ADMIN_ONLY,
} as const satisfies Record<string, readonly Role[]>;
export type AuthAction = keyof typeof AUTH_PERMISSIONS;

export const can = (viewer: Viewer, action: AuthAction): boolean => viewerHolds(viewer, AUTH_PERMISSIONS[action]);
