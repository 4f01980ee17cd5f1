import { inArray } from 'drizzle-orm';
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
