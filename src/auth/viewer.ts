import type { FastifyRequest } from 'fastify';
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
