import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { ADMIN_ONLY } from '../../auth/roles.js';
import { actorFor, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { AppError } from '../../server/errors.js';
import { convenienceItems } from '../tables.js';

/** 便民服务事项清单 as the public form offers it: the active items. */
export async function activeConvenienceItems(deps: { db: Database }) {
  return deps.db.select().from(convenienceItems).where(eq(convenienceItems.active, true)).orderBy(asc(convenienceItems.id));
}

/** Every item, inactive ones too (the route admits ADMIN_AND_OFFICE only). */
export async function allConvenienceItems(deps: { db: Database }) {
  return deps.db.select().from(convenienceItems).orderBy(asc(convenienceItems.id));
}

/** Adds an item and its audit row in one transaction; 400 when the department does not exist. */
export async function addConvenienceItem(deps: { db: Database }, viewer: Viewer, input: { name: string; departmentId: number }) {
  const exists = (await departmentNames(deps.db)).some((d) => d.id === input.departmentId);
  if (!exists) throw new AppError(400, 'bad_request', '处室不存在', { 'body.departmentId': '处室不存在' });
  return deps.db.transaction(async (tx) => {
    const [created] = await tx.insert(convenienceItems).values(input).returning();
    const actor = actorFor(viewer, ADMIN_ONLY);
    await recordAudit(tx, actor, {
      action: 'convenience_item.create',
      recordType: 'convenience_item',
      recordId: created!.id,
      after: input,
    });
    return created!;
  });
}
