import { and, asc, eq, getTableColumns, inArray } from 'drizzle-orm';
import { BUREAU_WIDE, type Role } from '../../auth/roles.js';
import { staffDisplayNames } from '../../auth/service/staff-directory.js';
import type { Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { notFound, unauthorized } from '../../server/errors.js';
import type { TemporalGateway } from '../../temporal/gateway.js';
import type { Participant } from '../rules.js';
import { reviewDecisions, reviewForms, siteColumns, siteItems, siteItemVersions } from '../tables.js';
import { leadsDepartments } from './columns.js';

export type FormRow = typeof reviewForms.$inferSelect;
export type ItemRow = typeof siteItems.$inferSelect;
// A version without its generated search bigrams (one per character of the body: only search reads them).
const { searchBigrams: _searchOnly, ...versionColumns } = getTableColumns(siteItemVersions);
export type VersionRow = Omit<typeof siteItemVersions.$inferSelect, 'searchBigrams'>;

export interface PublishingDeps {
  db: Database;
  calendar: CalendarService;
  env: Env;
  /** Optional: without it (or with Temporal down) the outbox sweeper brings the review workflow up to date. */
  temporal?: TemporalGateway;
  log?: { warn(obj: object, msg: string): void };
}

/** The viewer as the chain's rules see them: roles, department, and the departments they lead as bureau leader. */
export async function participantOf(db: Executor, viewer: Viewer): Promise<Participant> {
  const s = viewer.staff;
  if (!s) throw unauthorized();
  const leads = s.roles.includes('bureau_leader') ? await leadsDepartments(db, s.id) : [];
  return { staffId: s.id, roles: s.roles, departmentId: s.departmentId, leadsDepartmentIds: leads };
}

/** Who may see an item and its forms: its department's staff and the bureau-wide roles, the publicity office included. */
export function canSeeItem(p: Participant, item: Pick<ItemRow, 'departmentId'>): boolean {
  const wide: readonly Role[] = [...BUREAU_WIDE, 'publicity'];
  return p.roles.some((r) => wide.includes(r)) || p.departmentId === item.departmentId;
}

export async function itemVisibleTo(db: Executor, viewer: Viewer, itemId: number): Promise<{ item: ItemRow; p: Participant }> {
  const p = await participantOf(db, viewer);
  const [item] = await db.select().from(siteItems).where(eq(siteItems.id, itemId));
  if (!item || !canSeeItem(p, item)) throw notFound('未找到该信息');
  return { item, p };
}

export async function lockForm(tx: Executor, formId: number): Promise<FormRow> {
  const [form] = await tx.select().from(reviewForms).where(eq(reviewForms.id, formId)).for('update');
  if (!form) throw notFound('未找到该审核单');
  return form;
}

export async function versionOf(db: Executor, itemId: number, version: number): Promise<VersionRow> {
  const [row] = await db
    .select(versionColumns)
    .from(siteItemVersions)
    .where(and(eq(siteItemVersions.itemId, itemId), eq(siteItemVersions.version, version)));
  return row!;
}

const iso = (d: Date | null) => (d ? formatChinaDateTime(d) : null);

/** Review forms as the API and the pages show them, with the names of who decided what. */
export async function formViews(db: Executor, forms: FormRow[]) {
  if (forms.length === 0) return [];
  const ids = forms.map((f) => f.id);
  const decisions = await db.select().from(reviewDecisions).where(inArray(reviewDecisions.formId, ids)).orderBy(asc(reviewDecisions.id));
  const columns = new Map((await db.select({ id: siteColumns.id, name: siteColumns.name }).from(siteColumns)).map((c) => [c.id, c.name]));
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  const names = await staffDisplayNames(
    db,
    forms.map((f) => f.drafterId),
  );
  const versions = await db
    .select({ itemId: siteItemVersions.itemId, version: siteItemVersions.version, title: siteItemVersions.title })
    .from(siteItemVersions)
    .where(inArray(siteItemVersions.itemId, [...new Set(forms.map((f) => f.itemId))]));
  const titles = new Map(versions.map((v) => [`${v.itemId}:${v.version}`, v.title]));
  return forms.map((f) => {
    const mine = decisions.filter((d) => d.formId === f.id);
    return {
      id: f.id,
      itemId: f.itemId,
      version: f.version,
      column: columns.get(f.columnId) ?? '',
      department: depts.get(f.departmentId) ?? '',
      drafter: names.get(f.drafterId) ?? '',
      title: titles.get(`${f.itemId}:${f.version}`) ?? '',
      contentType: f.contentType,
      art19: f.art19,
      drafterSecrecy: f.drafterSecrecy,
      steps: f.steps,
      status: f.status,
      step: f.step,
      stepDueDate: f.stepDueDate,
      stepOverdue: f.stepOverdue,
      submittedAt: formatChinaDateTime(f.submittedAt),
      scheduledFor: iso(f.scheduledFor),
      publishedAt: iso(f.publishedAt),
      decisions: mine.map((d) => ({
        step: d.step,
        decision: d.decision,
        opinion: d.opinion,
        secrecy: d.secrecy,
        decider: d.deciderName,
        decidedAt: formatChinaDateTime(d.decidedAt),
        dueDate: d.dueDate,
        late: d.late,
      })),
      signed: f.steps.every((s) => mine.some((d) => d.step === s && d.decision === 'approved')),
    };
  });
}
export type FormView = Awaited<ReturnType<typeof formViews>>[number];

/** One form as its reader sees it; 404 outside their scope. */
export async function getForm(deps: { db: Executor }, viewer: Viewer, formId: number): Promise<FormView> {
  const [form] = await deps.db.select().from(reviewForms).where(eq(reviewForms.id, formId));
  if (!form) throw notFound('未找到该审核单');
  await itemVisibleTo(deps.db, viewer, form.itemId);
  return (await formViews(deps.db, [form]))[0]!;
}
