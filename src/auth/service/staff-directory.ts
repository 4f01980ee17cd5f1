import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { staff } from '../tables.js';

/**
 * Staff display names by id, for pages and timelines that name who acted (other modules hold the ids,
 * this module the names). Ids without an account are absent from the map.
 */
export async function staffDisplayNames(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: staff.id, name: staff.displayName }).from(staff).where(inArray(staff.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** An account's roles (undefined when there is none, or it is disabled), for modules that check a named person's role. */
export async function activeStaffRoles(db: Executor, id: number): Promise<readonly string[] | undefined> {
  const [row] = await db.select({ roles: staff.roles, disabled: staff.disabled }).from(staff).where(eq(staff.id, id));
  return row && !row.disabled ? row.roles : undefined;
}

/** An account's id by its username (the embedded default's demo seeding). */
export async function staffIdByUsername(db: Executor, username: string): Promise<number | undefined> {
  const [row] = await db.select({ id: staff.id }).from(staff).where(eq(staff.username, username));
  return row?.id;
}

/** The active accounts holding `role`, by name (e.g. the bureau leaders an administrator may put in charge of a department). */
export async function activeStaffWithRole(db: Executor, role: string): Promise<{ id: number; name: string }[]> {
  const rows = await db
    .select({ id: staff.id, name: staff.displayName, roles: staff.roles, disabled: staff.disabled })
    .from(staff)
    .orderBy(staff.displayName);
  return rows.filter((r) => !r.disabled && r.roles.includes(role as never)).map((r) => ({ id: r.id, name: r.name }));
}
