import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record.js';
import { isUniqueViolation } from '../auth/accounts.js';
import { ADMIN_AND_OFFICE, ADMIN_ONLY, type Role } from '../auth/roles.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../auth/viewer.js';
import type { Database, Executor } from '../db/client.js';
import { badRequest, notFound } from '../server/errors.js';
import type { DepartmentChanges, FullDepartment, NewDepartment, PublicDepartment } from './schemas.js';
import { departments } from './tables.js';

/** The departments module's one authorisation point; the routes declare the same role groups as their access. */
export const DEPARTMENT_PERMISSIONS = {
  /** See every department, deactivated ones and digest addresses included. */
  'list-all': ADMIN_AND_OFFICE,
  /** Add, rename, deactivate or reactivate a department. */
  administer: ADMIN_ONLY,
} as const satisfies Record<string, readonly Role[]>;
export type DepartmentAction = keyof typeof DEPARTMENT_PERMISSIONS;

export const can = (viewer: Viewer, action: DepartmentAction): boolean => viewerHolds(viewer, DEPARTMENT_PERMISSIONS[action]);

type Row = typeof departments.$inferSelect;
/** What the audit trail records of a department. */
const snapshot = (d: Row) => ({ code: d.code, name: d.name, kind: d.kind, active: d.active, notifyEmails: d.notifyEmails });
const byOrder = [asc(departments.sortOrder), asc(departments.id)];

/** The departments a letter can be addressed to (public). */
export async function listActiveDepartments(db: Executor): Promise<PublicDepartment[]> {
  return db
    .select({ id: departments.id, code: departments.code, name: departments.name })
    .from(departments)
    .where(eq(departments.active, true))
    .orderBy(...byOrder);
}

/** Every department, deactivated ones included. */
export async function listAllDepartments(deps: { db: Executor }, viewer: Viewer): Promise<FullDepartment[]> {
  demand(viewer, can(viewer, 'list-all'));
  return allDepartments(deps.db);
}

/** Every department, without a permission check: for system code (seeding, scripts), never for a request. */
export async function allDepartments(db: Executor) {
  return db
    .select()
    .from(departments)
    .orderBy(...byOrder);
}

/**
 * Every department's id, name and whether it is active, deactivated ones included: what a page needs
 * to name the departments in a case's history and to offer the active ones (names are public).
 */
export async function departmentNames(db: Executor): Promise<{ id: number; name: string; active: boolean }[]> {
  return db
    .select({ id: departments.id, name: departments.name, active: departments.active })
    .from(departments)
    .orderBy(...byOrder);
}

/** A department's name ('' when there is none): for notices and pages that name it. */
export async function departmentName(db: Executor, id: number): Promise<string> {
  const [dept] = await db.select({ name: departments.name }).from(departments).where(eq(departments.id, id));
  return dept?.name ?? '';
}

/** The general office (办公室), which decides disputes and hears of overdue letters; undefined before seeding. */
export async function generalOffice(db: Executor): Promise<{ id: number; name: string; notifyEmails: string[] } | undefined> {
  const [office] = await db
    .select({ id: departments.id, name: departments.name, notifyEmails: departments.notifyEmails })
    .from(departments)
    .where(eq(departments.kind, 'general_office'));
  return office;
}

/** A department's name and notice addresses (its digest addresses), for notices about one letter; undefined when there is none. */
export async function departmentContact(
  db: Executor,
  id: number,
): Promise<{ id: number; name: string; notifyEmails: string[] } | undefined> {
  const [dept] = await db
    .select({ id: departments.id, name: departments.name, notifyEmails: departments.notifyEmails })
    .from(departments)
    .where(eq(departments.id, id));
  return dept;
}

/** Whether the department exists and still takes work (other modules check an id they are given). */
export async function isActiveDepartment(db: Executor, id: number): Promise<boolean> {
  const [dept] = await db.select({ active: departments.active }).from(departments).where(eq(departments.id, id));
  return !!dept?.active;
}

export async function createDepartment(deps: { db: Database }, viewer: Viewer, input: NewDepartment): Promise<FullDepartment> {
  demand(viewer, can(viewer, 'administer'));
  const duplicate = () => badRequest('代码已存在', { 'body.code': '代码已存在' });
  try {
    return await deps.db.transaction(async (tx) => {
      const [exists] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.code, input.code));
      if (exists) throw duplicate();
      const [created] = await tx.insert(departments).values(input).returning();
      await recordAudit(tx, actorFor(viewer, ADMIN_ONLY), {
        action: 'department.create',
        recordType: 'department',
        recordId: created!.id,
        after: snapshot(created!),
      });
      return created!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(); // two administrators adding the same code at once
    throw err;
  }
}

export async function updateDepartment(
  deps: { db: Database },
  viewer: Viewer,
  id: number,
  changes: DepartmentChanges,
): Promise<FullDepartment> {
  demand(viewer, can(viewer, 'administer'));
  if (Object.keys(changes).length === 0) throw badRequest('没有要修改的内容');
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(departments).where(eq(departments.id, id));
    if (!before) throw notFound('处室不存在');
    const [after] = await tx.update(departments).set(changes).where(eq(departments.id, before.id)).returning();
    await recordAudit(tx, actorFor(viewer, ADMIN_ONLY), {
      action: 'department.update',
      recordType: 'department',
      recordId: before.id,
      before: snapshot(before),
      after: snapshot(after!),
    });
    return after!;
  });
}
