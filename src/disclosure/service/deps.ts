import type { Viewer } from '../../auth/viewer.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database } from '../../db/client.js';
import { forbidden, notFound } from '../../server/errors.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import { viewerHolds } from '../../auth/viewer.js';
import { BUREAU_WIDE_READERS, REGISTER_READERS, REGISTRARS } from '../rules.js';

export interface DisclosureDeps {
  db: Database;
  calendar: CalendarService;
  env: Pick<Env, 'CATALOGUE_INDEX_PATTERN' | 'SUPERVISION_EXPORT_TOKEN'>;
  /** Optional: without it (or with Temporal down) the outbox sweeper brings the document's workflow up to date. */
  temporal?: TemporalGateway;
  log?: { warn(obj: object, msg: string): void };
}

/** Department staff see and enter their own department's documents; the bureau-wide readers see all (404 otherwise). */
export function demandDepartment(viewer: Viewer, departmentId: number, action: 'read' | 'register'): void {
  if (!viewerHolds(viewer, action === 'read' ? REGISTER_READERS : REGISTRARS)) throw forbidden();
  const bureauWide = viewerHolds(viewer, BUREAU_WIDE_READERS);
  if (!bureauWide && viewer.staff!.departmentId !== departmentId) {
    if (action === 'read') throw notFound('未找到该文件');
    throw forbidden('只能登记本处室的文件');
  }
}
