// Inspection findings made tasks (issue 21 point 6; measures Art. 27(三)): the service centre raises a
// format problem for technical guidance, the office a content problem to be taken down; the department
// reports what it did; the raiser accepts or sends it back. A content finding on an item is only done
// once the item is off the site (checked through the publishing service, at the report and at the close).
import { desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { staffDisplayNames } from '../../auth/service/staff-directory.js';
import { actorFor, staffOf, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { itemForFinding, type FindingItem } from '../../publishing/service/inspection-feed.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import {
  canFinding,
  FINDING_RAISERS,
  FINDING_REPORTERS,
  FINDING_RULES,
  FINDING_STATUS_LABELS,
  seesAllFindings,
  type FindingStatus,
} from '../finding-rules.js';
import type { findingBody, findingListQuery, findingReportBody, findingReviewBody } from '../finding-schemas.js';
import { inspectionFindings } from '../tables.js';

export interface FindingDeps {
  db: Database;
  calendar: CalendarService;
  env: Pick<Env, 'FINDING_FORMAT_WORKING_DAYS' | 'FINDING_CONTENT_WORKING_DAYS'>;
}
type Row = typeof inspectionFindings.$inferSelect;

const NOT_FOUND = '未找到该检查问题，或者您无权查看';
const STILL_ON_SITE = '该信息仍在网站上公开：请先撤下（撤稿，或经审核流程修改）';
const who = (viewer: Viewer) => {
  const s = staffOf(viewer);
  return { roles: s.roles, departmentId: s.departmentId };
};
const today = (now: Date) => dayToIso(chinaDayOf(now));

async function views(db: Executor, rows: Row[], now: Date) {
  const [depts, names] = await Promise.all([departmentNames(db), staffDisplayNames(db, [...new Set(rows.map((r) => r.raisedBy))])]);
  const items = new Map<number, FindingItem | null>();
  for (const id of new Set(rows.flatMap((r) => (r.itemId === null ? [] : [r.itemId])))) items.set(id, await itemForFinding(db, id));
  const dept = new Map(depts.map((d) => [d.id, d.name]));
  return rows.map((r) => {
    const item = r.itemId === null ? null : (items.get(r.itemId) ?? null);
    return {
      id: r.id,
      kind: r.kind,
      kindLabel: FINDING_RULES[r.kind].label,
      task: FINDING_RULES[r.kind].task,
      departmentId: r.departmentId,
      department: dept.get(r.departmentId) ?? '',
      itemId: r.itemId,
      itemTitle: item?.title ?? null,
      itemOnSite: item ? item.onSite : null,
      place: r.place,
      finding: r.finding,
      status: r.status,
      statusLabel: FINDING_STATUS_LABELS[r.status],
      dueOn: r.dueOn,
      overdue: r.status !== 'closed' && r.dueOn < today(now),
      raisedBy: names.get(r.raisedBy) ?? '',
      raisedAt: r.raisedAt.toISOString(),
      reportNote: r.reportNote,
      reportedAt: r.reportedAt?.toISOString() ?? null,
      reviewNote: r.reviewNote,
      closedAt: r.closedAt?.toISOString() ?? null,
    };
  });
}
export type FindingView = Awaited<ReturnType<typeof views>>[number];

/** The service centre (format) or the office (content) raises a finding; due in the set working days. */
export async function raiseFinding(deps: FindingDeps, viewer: Viewer, input: z.infer<typeof findingBody>, now = new Date()) {
  const s = staffOf(viewer);
  if (!canFinding(who(viewer), 'raise', { kind: input.kind, departmentId: input.departmentId })) {
    throw forbidden(input.kind === 'format' ? '发布格式问题由行政服务中心进行技术指导' : '内容不符合规定的，由办公室通知处室撤除');
  }
  const dept = (await departmentNames(deps.db)).find((d) => d.id === input.departmentId && d.active);
  if (!dept) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.departmentId': '请选择负责整改的处室' });
  if (input.itemId !== undefined) {
    const item = await itemForFinding(deps.db, input.itemId);
    if (!item) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.itemId': '未找到该编号的信息' });
    if (item.departmentId !== input.departmentId) {
      throw badRequest('提交的内容有误，请检查标注的字段', { 'body.departmentId': '该信息不是所选处室发布的，请选择发布该信息的处室' });
    }
  }
  const days = input.kind === 'format' ? deps.env.FINDING_FORMAT_WORKING_DAYS : deps.env.FINDING_CONTENT_WORKING_DAYS;
  const dueOn = deps.calendar.deadline(now, days).dueDate;
  const id = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inspectionFindings)
      .values({
        kind: input.kind,
        departmentId: input.departmentId,
        itemId: input.itemId ?? null,
        place: input.place,
        finding: input.finding,
        status: 'open',
        dueOn,
        raisedBy: s.id,
        raisedAt: now,
      })
      .returning({ id: inspectionFindings.id });
    await recordAudit(tx, actorFor(viewer, FINDING_RAISERS), {
      action: 'inspection.finding.raise',
      recordType: 'inspection_finding',
      recordId: row!.id,
      after: { kind: input.kind, departmentId: input.departmentId, itemId: input.itemId ?? null, dueOn },
    });
    return row!.id;
  });
  return getFinding(deps, viewer, id, now);
}

async function readable(deps: FindingDeps, viewer: Viewer, id: number): Promise<Row> {
  const [row] = await deps.db.select().from(inspectionFindings).where(eq(inspectionFindings.id, id));
  if (!row || !canFinding(who(viewer), 'read', row)) throw notFound(NOT_FOUND);
  return row;
}

export async function getFinding(deps: FindingDeps, viewer: Viewer, id: number, now = new Date()): Promise<FindingView> {
  const row = await readable(deps, viewer, id);
  return (await views(deps.db, [row], now))[0]!;
}

/** All findings for the office and the service centre; a department's own for its staff. Newest first. */
export async function listFindings(deps: FindingDeps, viewer: Viewer, q: z.infer<typeof findingListQuery> = {}, now = new Date()) {
  const w = who(viewer);
  if (!seesAllFindings(w.roles) && w.departmentId === null) throw forbidden();
  const rows = await deps.db
    .select()
    .from(inspectionFindings)
    .where(seesAllFindings(w.roles) ? undefined : eq(inspectionFindings.departmentId, w.departmentId!))
    .orderBy(desc(inspectionFindings.id))
    .limit(500);
  return { items: await views(deps.db, q.status ? rows.filter((r) => r.status === q.status) : rows, now) };
}

const refuseUnless = (row: Row, status: FindingStatus, text: string) => {
  if (row.status !== status) throw conflict(text);
};

/** The department reports what it did; a content finding on an item must first have the item off the site. */
export async function reportFinding(
  deps: FindingDeps,
  viewer: Viewer,
  id: number,
  input: z.infer<typeof findingReportBody>,
  now = new Date(),
) {
  const row = await readable(deps, viewer, id);
  if (!canFinding(who(viewer), 'report', row)) throw forbidden('由负责整改的处室报告整改情况');
  refuseUnless(row, 'open', row.status === 'reported' ? '已报告整改，等待确认' : '该问题已完成');
  if (row.kind === 'content' && row.itemId !== null && (await itemForFinding(deps.db, row.itemId))?.onSite) throw conflict(STILL_ON_SITE);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(inspectionFindings)
      .set({ status: 'reported', reportNote: input.note, reportedBy: staffOf(viewer).id, reportedAt: now })
      .where(eq(inspectionFindings.id, id));
    await recordAudit(tx, actorFor(viewer, FINDING_REPORTERS), {
      action: 'inspection.finding.report',
      recordType: 'inspection_finding',
      recordId: id,
      after: { note: input.note },
    });
  });
  return getFinding(deps, viewer, id, now);
}

/** The raiser accepts the report (closed) or sends it back with a note (open again, same due date). */
export async function reviewFinding(
  deps: FindingDeps,
  viewer: Viewer,
  id: number,
  input: z.infer<typeof findingReviewBody>,
  now = new Date(),
) {
  const row = await readable(deps, viewer, id);
  if (!canFinding(who(viewer), 'close', row)) throw forbidden(`由${FINDING_RULES[row.kind].raiser}确认整改`);
  refuseUnless(row, 'reported', row.status === 'open' ? '处室尚未报告整改' : '该问题已完成');
  const note = input.note?.trim() || null;
  if (input.decision === 'return' && !note) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.note': '退回时请说明理由' });
  if (input.decision === 'accept' && row.kind === 'content' && row.itemId !== null && (await itemForFinding(deps.db, row.itemId))?.onSite) {
    throw conflict(STILL_ON_SITE);
  }
  const set =
    input.decision === 'accept'
      ? { status: 'closed' as const, reviewNote: note, closedBy: staffOf(viewer).id, closedAt: now }
      : { status: 'open' as const, reviewNote: note };
  await deps.db.transaction(async (tx) => {
    await tx.update(inspectionFindings).set(set).where(eq(inspectionFindings.id, id));
    await recordAudit(tx, actorFor(viewer, FINDING_RAISERS), {
      action: `inspection.finding.${input.decision}`,
      recordType: 'inspection_finding',
      recordId: id,
      after: { note },
    });
  });
  return getFinding(deps, viewer, id, now);
}
