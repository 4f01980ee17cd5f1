import { buildApp } from '../../src/app.js';
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import type { createDatabase } from '../../src/db/client.js';
import { connectTemporal } from '../../src/temporal/gateway.js';

/**
 * The real app (routes, services, rendering) in this process on `database`, for benchmarks that time
 * pages through app.inject; Temporal unreachable (page reads do not need it), production settings, no logs.
 */
export async function inProcessApp(url: string, database: ReturnType<typeof createDatabase>) {
  const env = loadEnv({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url });
  const calendar = new CalendarService(database.db, database.sql, {
    afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY,
    officeHoursEnd: env.OFFICE_HOURS_END,
  });
  await calendar.start();
  const temporal = connectTemporal({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'bench' });
  const app = await buildApp({ env, db: database.db, sql: database.sql, temporal, calendar }, { logger: false });
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await calendar.stop();
    },
  };
}
