import type { Sql } from 'postgres';
import type { CalendarService } from './calendar/service.js';
import type { Env } from './config/env.js';
import type { Database } from './db/client.js';
import type { TemporalGateway } from './temporal/gateway.js';

/** What every module's routes and activities share; built once per process in src/main.ts. */
export interface AppContext {
  env: Env;
  db: Database;
  sql: Sql;
  temporal: TemporalGateway;
  calendar: CalendarService;
  /**
   * Set where the API runs next to a separate worker process (src/main.ts): whether that process is up
   * (it reported ready and has not exited). `/ready` then answers 200 only while it is.
   */
  worker?: { up(): boolean };
}
