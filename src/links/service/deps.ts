import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database } from '../../db/client.js';
import type { TemporalGateway } from '../../temporal/gateway.js';

export type LinkEnv = Pick<
  Env,
  | 'LINK_STEP_WORKING_DAYS'
  | 'LINK_GOVERNMENT_HOSTS'
  | 'LINK_CHECK_EXTERNAL'
  | 'LINK_CHECK_ALLOWED_HOSTS'
  | 'LINK_CHECK_PER_HOST'
  | 'LINK_CHECK_TIMEOUT_MS'
  | 'LINK_CHECK_MAX_REDIRECTS'
  | 'LINK_FIX_WORKING_DAYS'
  | 'SITE_ORIGINS'
  | 'HOST'
  | 'PORT'
>;

export interface LinkDeps {
  db: Database;
  calendar: CalendarService;
  env: LinkEnv;
  /** Optional: without it (or with Temporal down) the outbox sweeper brings the application's workflow up to date. */
  temporal?: TemporalGateway;
  log?: { warn(obj: object, msg: string): void };
}
