// The API as its own process, for tests that watch a real process (memory, crashes): the same app as
// src/main.ts builds, on the PostgreSQL in DATABASE_URL, with Temporal unreachable (intake does not
// need it). Prints `listening <port>` once it answers. Run with the API's heap cap, as npm start does.
import { CalendarService } from '../../src/calendar/service.js';
import { loadEnv } from '../../src/config/env.js';
import { createDatabase } from '../../src/db/client.js';
import { buildApp } from '../../src/app.js';
import { connectTemporal } from '../../src/temporal/gateway.js';

const env = loadEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const { db, sql } = createDatabase(env.DATABASE_URL!);
const calendar = new CalendarService(db, sql, {
  afterHoursNextDay: env.AFTER_HOURS_RECEIPT_NEXT_DAY,
  officeHoursEnd: env.OFFICE_HOURS_END,
});
await calendar.start();
const temporal = connectTemporal({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'amr-test' });
const app = await buildApp({ env, db, sql, temporal, calendar });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
