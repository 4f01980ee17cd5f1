import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database } from '../../db/client.js';
import type { TemporalGateway } from '../../temporal/gateway.js';

export interface RequestDeps {
  db: Database;
  calendar: CalendarService;
  env?: Pick<Env, 'RATE_LOOKUPS_PER_MINUTE'>;
  /** Optional: without it (or with Temporal down) the outbox sweeper brings the request's workflow up to date. */
  temporal?: TemporalGateway;
  log?: { warn(obj: object, msg: string): void };
}
