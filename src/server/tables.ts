import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The per-minute request limits of every route with `config.rateLimit` (src/server/rate-limit-store.ts),
 * counted here rather than in each API process's memory, so they hold however many processes serve.
 * Key: `<method> <route> <client address>`; one fixed window per key, started by its first request.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text().primaryKey(),
    count: integer().notNull(),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.windowEndsAt)],
);

/**
 * Fixed-window counters of the public lookups (src/server/window-counter.ts), shared by every API process.
 * The writer's lookup (src/mailbox/service/lookup.ts): `address:<ip>` counts look-ups per client address,
 * `number:<trackingNo>` wrong access codes per tracking number (also for numbers no letter has, so they
 * answer alike). The disclosure-request lookup (src/requests/service/lookup-guard.ts):
 * `request-number:<number>` wrong access codes per request number.
 */
export const lookupCounters = pgTable(
  'lookup_counters',
  {
    key: text().primaryKey(),
    count: integer().notNull(),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.windowEndsAt)],
);
