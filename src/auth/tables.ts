import { boolean, index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { departments } from '../departments/tables.js';

export const staff = pgTable('staff', {
  id: serial().primaryKey(),
  username: text().notNull().unique(),
  displayName: text().notNull(),
  passwordHash: text().notNull(),
  /** The department a handler or dept_leader belongs to. */
  departmentId: integer().references(() => departments.id),
  roles: text().array().notNull(),
  disabled: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Server-side sessions; the cookie/bearer token is random and only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text().primaryKey(),
    staffId: integer()
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    ip: text(),
  },
  (t) => [index().on(t.staffId)],
);

/**
 * Wrong passwords per (username as typed, client address), for known and unknown usernames alike
 * (src/auth/login-throttle.ts); in PostgreSQL so every API process sees the same counts.
 * `lastSuccessAt` marks an address the account has logged in from.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    username: text().notNull(),
    ip: text().notNull(),
    failures: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    lastFailureAt: timestamp({ withTimezone: true }),
    lastSuccessAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.username, t.ip] }), index().on(t.lastFailureAt)],
);
