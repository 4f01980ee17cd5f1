import type { FastifyRequest } from 'fastify';
import type { Actor } from '../audit/record.js';
import { unauthorized } from '../server/errors.js';
import type { Role } from './roles.js';
import type { StaffIdentity } from './sessions.js';

/**
 * Who is asking, as every module's service sees it: the logged-in staff member (null for the public)
 * and where the request came from (for audit rows and rate limits). Routes and pages build it from the
 * request with `viewerOf`; activities and scripts build it themselves.
 */
export interface Viewer {
  staff: StaffIdentity | null;
  ip: string;
  requestId: string;
}

export const viewerOf = (request: FastifyRequest): Viewer => ({ staff: request.staff, ip: request.ip, requestId: request.id });

/** The staff member asking; 401 for the public (the auth hook normally stops them first). */
export function staffOf(viewer: Viewer): StaffIdentity {
  if (!viewer.staff) throw unauthorized();
  return viewer.staff;
}

/** The audit actor for the viewer, acting in the first of their roles that is in `allowed` (else their first role). */
export function actorFor(viewer: Viewer, allowed?: readonly Role[]): Actor {
  const staff = staffOf(viewer);
  const role = allowed ? staff.roles.find((r) => allowed.includes(r)) : staff.roles[0];
  return { staffId: staff.id, username: staff.username, role: role ?? staff.roles[0] ?? 'none', ip: viewer.ip, requestId: viewer.requestId };
}
