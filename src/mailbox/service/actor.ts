import type { Actor } from '../../audit/record.js';
import type { Role } from '../../auth/roles.js';
import type { Viewer } from '../../auth/viewer.js';
import { unauthorized } from '../../server/errors.js';

/** The audit actor of a staff viewer, in the first of their roles that `allowed` lists (as `actorOf` does for a request). */
export function staffActor(viewer: Viewer, allowed?: readonly Role[]): Actor {
  const staff = viewer.staff;
  if (!staff) throw unauthorized();
  const role = allowed ? staff.roles.find((r) => allowed.includes(r)) : staff.roles[0];
  return {
    staffId: staff.id,
    username: staff.username,
    role: role ?? staff.roles[0] ?? 'none',
    ip: viewer.ip,
    requestId: viewer.requestId,
  };
}
