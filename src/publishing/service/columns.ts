import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { isUniqueViolation } from '../../auth/accounts.js';
import { activeStaffRoles, staffDisplayNames } from '../../auth/service/staff-directory.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames, isActiveDepartment } from '../../departments/service.js';
import { badRequest, conflict, notFound } from '../../server/errors.js';
import type { z } from 'zod';
import { SITE_ADMINS, type ColumnFacts } from '../rules.js';
import type { columnBody } from '../schemas.js';
import { leaderAssignments, siteColumns } from '../tables.js';

type ColumnRow = typeof siteColumns.$inferSelect;
export type ColumnInput = z.infer<typeof columnBody>;

export const columnFacts = (c: ColumnRow): ColumnFacts => ({
  id: c.id,
  isNews: c.isNews,
  newsNeedsBureauLeader: c.newsNeedsBureauLeader,
  publisher: c.publisher,
  supplierDepartmentIds: c.supplierDepartmentIds,
  contentTypes: c.contentTypes,
  acceptsItems: c.acceptsItems && c.active,
});

/** The column tree in display order (the public sees active columns only). */
export async function listColumns({ db }: { db: Executor }, opts: { includeInactive?: boolean } = {}) {
  const rows = await db.select().from(siteColumns).orderBy(asc(siteColumns.sortOrder), asc(siteColumns.id));
  return { items: opts.includeInactive ? rows : rows.filter((r) => r.active) };
}

export async function columnById(db: Executor, id: number): Promise<ColumnRow | undefined> {
  const [row] = await db.select().from(siteColumns).where(eq(siteColumns.id, id));
  return row;
}

export async function columnBySlug(db: Executor, slug: string): Promise<ColumnRow | undefined> {
  const [row] = await db.select().from(siteColumns).where(eq(siteColumns.slug, slug));
  return row?.active ? row : undefined;
}

/** The column's ancestors, nearest first (bounded: a tree deeper than this is refused anyway). */
async function ancestorsOf(db: Executor, id: number): Promise<number[]> {
  const out: number[] = [];
  for (let at: number | null = id; at !== null && out.length < 50;) {
    const row = await columnById(db, at);
    at = row?.parentId ?? null;
    if (at !== null) out.push(at);
  }
  return out;
}

async function checkColumn(db: Executor, input: ColumnInput, selfId?: number) {
  const fields: Record<string, string> = {};
  if (input.parentId !== null) {
    const parent = await columnById(db, input.parentId);
    if (!parent) fields['body.parentId'] = '上级栏目不存在';
    else if (parent.acceptsItems) fields['body.parentId'] = '上级栏目应为栏目分组';
    else if (selfId !== undefined && parent.id === selfId) fields['body.parentId'] = '栏目不能以自己为上级';
    else if (selfId !== undefined && (await ancestorsOf(db, parent.id)).includes(selfId)) {
      fields['body.parentId'] = '不能移到自己的下级栏目之下（栏目树不能成环）';
    }
  }
  if (selfId !== undefined && input.acceptsItems) {
    const [child] = await db.select({ id: siteColumns.id }).from(siteColumns).where(eq(siteColumns.parentId, selfId)).limit(1);
    if (child) fields['body.acceptsItems'] = '该栏目分组下还有栏目，不能改为栏目';
  }
  for (const id of input.supplierDepartmentIds) {
    if (!(await isActiveDepartment(db, id))) fields['body.supplierDepartmentIds'] = `处室 ${id} 不存在或已停用`;
  }
  if (input.newsNeedsBureauLeader && !input.isNews) fields['body.newsNeedsBureauLeader'] = '只有新闻栏目有此设置';
  if (Object.keys(fields).length > 0) throw badRequest('提交的内容有误，请检查标注的字段', fields);
}

/** Administrators add a column (or a group) to the tree. */
export async function createColumn({ db }: { db: Database }, viewer: Viewer, input: ColumnInput) {
  demand(viewer, viewerHolds(viewer, SITE_ADMINS));
  return db.transaction(async (tx) => {
    await checkColumn(tx, input);
    const [row] = await tx.insert(siteColumns).values(input).onConflictDoNothing({ target: siteColumns.slug }).returning();
    if (!row) throw conflict('栏目标识已被使用');
    await recordAudit(tx, actorFor(viewer, SITE_ADMINS), {
      action: 'column.create',
      recordType: 'site_column',
      recordId: row.id,
      after: input,
    });
    return row;
  });
}

/** Administrators change a column; deactivating it hides it and its items from the public. */
export async function updateColumn({ db }: { db: Database }, viewer: Viewer, id: number, input: ColumnInput) {
  demand(viewer, viewerHolds(viewer, SITE_ADMINS));
  // Two administrators taking the same new slug at once: the unique index decides, and the loser gets the 409 too.
  const slugRace = (err: unknown) => {
    throw isUniqueViolation(err) ? conflict('栏目标识已被使用') : err;
  };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(siteColumns).where(eq(siteColumns.id, id)).for('update');
    if (!before) throw notFound('未找到该栏目');
    await checkColumn(tx, input, id);
    const [slugTaken] = await tx.select({ id: siteColumns.id }).from(siteColumns).where(eq(siteColumns.slug, input.slug));
    if (slugTaken && slugTaken.id !== id) throw conflict('栏目标识已被使用');
    const [row] = await tx.update(siteColumns).set(input).where(eq(siteColumns.id, id)).returning().catch(slugRace);
    await recordAudit(tx, actorFor(viewer, SITE_ADMINS), {
      action: 'column.update',
      recordType: 'site_column',
      recordId: id,
      before,
      after: input,
    });
    return row!;
  });
}

/** The departments each bureau leader is in charge of. */
export async function leadsDepartments(db: Executor, leaderId: number): Promise<number[]> {
  const rows = await db
    .select({ d: leaderAssignments.departmentId })
    .from(leaderAssignments)
    .where(eq(leaderAssignments.leaderId, leaderId));
  return rows.map((r) => r.d);
}

export async function listLeaders({ db }: { db: Executor }, viewer: Viewer) {
  demand(viewer, !!viewer.staff);
  const rows = await db.select().from(leaderAssignments).orderBy(asc(leaderAssignments.departmentId));
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  const names = await staffDisplayNames(
    db,
    rows.map((r) => r.leaderId),
  );
  return {
    items: rows.map((r) => ({
      departmentId: r.departmentId,
      department: depts.get(r.departmentId) ?? '',
      leaderId: r.leaderId,
      leader: names.get(r.leaderId) ?? '',
    })),
  };
}

/** Administrators set which bureau leader is in charge of a department (Art. 20(二)). */
export async function setLeader({ db }: { db: Database }, viewer: Viewer, departmentId: number, leaderId: number) {
  demand(viewer, viewerHolds(viewer, SITE_ADMINS));
  if (!(await isActiveDepartment(db, departmentId))) throw notFound('未找到该处室');
  const roles = await activeStaffRoles(db, leaderId);
  if (!roles?.includes('bureau_leader')) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.leaderId': '该账号不是局领导' });
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(leaderAssignments).where(eq(leaderAssignments.departmentId, departmentId));
    await tx
      .insert(leaderAssignments)
      .values({ departmentId, leaderId })
      .onConflictDoUpdate({ target: leaderAssignments.departmentId, set: { leaderId, updatedAt: new Date() } });
    await recordAudit(tx, actorFor(viewer, SITE_ADMINS), {
      action: 'leader.assign',
      recordType: 'department',
      recordId: departmentId,
      before: before ? { leaderId: before.leaderId } : null,
      after: { leaderId },
    });
  });
  return listLeaders({ db }, viewer);
}
