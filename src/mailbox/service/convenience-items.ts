import { and, asc, eq, ne } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { searchAudit } from '../../audit/service.js';
import type { AuditEntry } from '../../audit/schemas.js';
import { actorFor, demand, type Viewer } from '../../auth/viewer.js';
import type { Database, Executor } from '../../db/client.js';
import { isActiveDepartment } from '../../departments/service.js';
import { badRequest, notFound } from '../../server/errors.js';
import { canOnConvenienceItems, CONVENIENCE_ITEM_PERMISSIONS } from '../rules.js';
import type { ConvenienceItemChanges, NewConvenienceItem } from '../schemas.js';
import { convenienceItems } from '../tables.js';

type Row = typeof convenienceItems.$inferSelect;
export type ConvenienceItem = Pick<Row, 'id' | 'name' | 'departmentId' | 'active'>;

const columns = {
  id: convenienceItems.id,
  name: convenienceItems.name,
  departmentId: convenienceItems.departmentId,
  active: convenienceItems.active,
};
/** What the audit trail records of an item. */
const snapshot = (i: Row) => ({ code: i.code, name: i.name, departmentId: i.departmentId, active: i.active });
const actorOf = (viewer: Viewer) => actorFor(viewer, CONVENIENCE_ITEM_PERMISSIONS.administer);

/** 便民服务事项清单 as the public form offers it: the active items. */
export async function activeConvenienceItems(deps: { db: Executor }): Promise<ConvenienceItem[]> {
  return deps.db.select(columns).from(convenienceItems).where(eq(convenienceItems.active, true)).orderBy(asc(convenienceItems.id));
}

/** Every item, deactivated ones too. */
export async function listConvenienceItems(deps: { db: Executor }, viewer: Viewer): Promise<ConvenienceItem[]> {
  demand(viewer, canOnConvenienceItems(viewer, 'list-all'));
  return deps.db.select(columns).from(convenienceItems).orderBy(asc(convenienceItems.id));
}

/** One item with its history (its audit rows, newest first: who changed what, when). */
export async function convenienceItemWithHistory(
  deps: { db: Executor },
  viewer: Viewer,
  id: number,
): Promise<{ item: ConvenienceItem; history: AuditEntry[] }> {
  demand(viewer, canOnConvenienceItems(viewer, 'list-all'));
  const [item] = await deps.db.select(columns).from(convenienceItems).where(eq(convenienceItems.id, id));
  if (!item) throw notFound('便民服务事项不存在');
  const history = await searchAudit(deps, viewer, { recordType: 'convenience_item', recordId: String(id), limit: 500 });
  return { item, history };
}

/** 400 on the field when the department cannot take the item, or another item has the name. */
async function checkItem(tx: Executor, input: { name?: string; departmentId?: number }, exceptId?: number) {
  const problems: Record<string, string> = {};
  if (input.departmentId !== undefined && !(await isActiveDepartment(tx, input.departmentId))) {
    problems['body.departmentId'] = '处室不存在或已停用';
  }
  if (input.name !== undefined) {
    const sameName = eq(convenienceItems.name, input.name);
    const [taken] = await tx
      .select({ id: convenienceItems.id })
      .from(convenienceItems)
      .where(exceptId === undefined ? sameName : and(sameName, ne(convenienceItems.id, exceptId)));
    if (taken) problems['body.name'] = '已有同名的便民服务事项';
  }
  if (Object.keys(problems).length > 0) throw badRequest('提交的内容有误，请检查标注的字段', problems);
}

/** Adds an item and its audit row in one transaction. */
export async function addConvenienceItem(deps: { db: Database }, viewer: Viewer, input: NewConvenienceItem): Promise<ConvenienceItem> {
  demand(viewer, canOnConvenienceItems(viewer, 'administer'));
  return deps.db.transaction(async (tx) => {
    await checkItem(tx, input);
    const [created] = await tx.insert(convenienceItems).values(input).returning();
    await recordAudit(tx, actorOf(viewer), {
      action: 'convenience_item.create',
      recordType: 'convenience_item',
      recordId: created!.id,
      after: snapshot(created!),
    });
    return created!;
  });
}

/**
 * Renames, moves, deactivates or reactivates an item, with its audit row (before and after). Letters
 * filed under it keep it and the name it had then (`letters.convenience_item_name`); a deactivated
 * item leaves the public form and is refused at intake.
 */
export async function updateConvenienceItem(
  deps: { db: Database },
  viewer: Viewer,
  id: number,
  changes: ConvenienceItemChanges,
): Promise<ConvenienceItem> {
  demand(viewer, canOnConvenienceItems(viewer, 'administer'));
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(convenienceItems).where(eq(convenienceItems.id, id)).for('update');
    if (!before) throw notFound('便民服务事项不存在');
    // Checked only when it changes: an item may stay with a department deactivated since.
    const moved = changes.departmentId !== undefined && changes.departmentId !== before.departmentId;
    await checkItem(tx, { name: changes.name, departmentId: moved ? changes.departmentId : undefined }, id);
    const [after] = await tx.update(convenienceItems).set(changes).where(eq(convenienceItems.id, id)).returning();
    await recordAudit(tx, actorOf(viewer), {
      action: 'convenience_item.update',
      recordType: 'convenience_item',
      recordId: id,
      before: snapshot(before),
      after: snapshot(after!),
    });
    return after!;
  });
}
