import { bigserial, date, integer, pgTable, smallint, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import { bytea } from '../db/columns.js';

/**
 * A department's confirmed hand-in of a quarter's 审核单 (measures Art. 20(四)): who confirmed it and
 * when, the forms it covered and the PDF handed in with its SHA-256, so the office downloads exactly
 * what was confirmed even if a form's status changes later. One per department and quarter.
 */
export const handinConfirmations = pgTable(
  'handin_confirmations',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    year: integer().notNull(),
    quarter: smallint().notNull(),
    confirmedBy: integer()
      .notNull()
      .references(() => staff.id),
    confirmedByName: text().notNull(),
    confirmedAt: timestamp({ withTimezone: true }).notNull(),
    /** The due date that applied (late when confirmedAt is after its end). */
    dueDate: date({ mode: 'string' }).notNull(),
    formIds: integer().array().notNull(),
    pdfSha256: text().notNull(),
    pdf: bytea().notNull(),
  },
  (t) => [unique('handin_confirmations_department_quarter').on(t.departmentId, t.year, t.quarter)],
);
