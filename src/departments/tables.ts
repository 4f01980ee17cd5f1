import { boolean, integer, pgEnum, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** What a department is; the pgEnum, the zod enum (schemas.ts) and the type derive from this list. */
export const DEPARTMENT_KINDS = ['department', 'general_office', 'service_center', 'publicity_office'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
export const departmentKind = pgEnum('department_kind', DEPARTMENT_KINDS);

/** 处室 and units. Deactivated departments keep their history but receive no new cases. */
export const departments = pgTable('departments', {
  id: serial().primaryKey(),
  code: text().notNull().unique(),
  name: text().notNull(),
  kind: departmentKind().notNull().default('department'),
  active: boolean().notNull().default(true),
  /** Addresses that receive the daily digest. */
  notifyEmails: text().array().notNull().default([]),
  sortOrder: integer().notNull().default(100),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
