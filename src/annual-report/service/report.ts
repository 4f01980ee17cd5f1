// The annual disclosure report (issue 18; 条例 Arts. 49–50; 国办公开办函〔2021〕30号): the figures of a year from
// the record — requests through requests/service/annual-feed.ts, the register through
// disclosure/service/annual-feed.ts, the office's hand figures and remedy records from this module's tables —
// the checks, the drill-down, the texts, and the approval that freezes every figure.
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, staffOf, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Database, Executor } from '../../db/client.js';
import { APPLICANT_TYPE_LABELS, OUTCOME_FACTS } from '../../requests/outcomes.js';
import { requestsByNumber } from '../../requests/service/annual-feed.js';
import { AppError, badRequest, conflict, notFound } from '../../server/errors.js';
import { reportPdf } from '../pdf.js';
import {
  REPORT_EDITORS,
  REPORT_READERS,
  REPORT_STATUS_LABELS,
  STATUTORY_DEADLINE_MONTH_DAY,
  cellKey,
  cellLabel,
  deadlineOf,
  parseCellKey,
  reportableYear,
} from '../rules.js';
import type { cellView, figureBody, remedyBody, ReportFigures, ReportSnapshot, ReportView, textsBody } from '../schemas.js';
import { annualRemedyCases, annualReportFigures, annualReports } from '../tables.js';
import { correctionsOf, liveFigures, recordSuggestions, reportRow, suggestionsOf, yearRange } from './figures.js';
import type { z } from 'zod';

export interface AnnualReportDeps {
  db: Database;
}

type ReportRow = typeof annualReports.$inferSelect;
const FROZEN = '该年度报告已审定，数字和文字已冻结；如需更正，请在发布后的更正说明中处理';

const chinaToday = (now: Date) => dayToIso(chinaDayOf(now));

async function ensureReport(tx: Executor, viewer: Viewer, year: number, now: Date): Promise<ReportRow> {
  if (!reportableYear(year, chinaToday(now))) throw conflict(`${year} 年度尚未结束，不能编制该年度的报告`);
  await tx
    .insert(annualReports)
    .values({ year, updatedBy: staffOf(viewer).id })
    .onConflictDoNothing();
  const [row] = await tx.select().from(annualReports).where(eq(annualReports.year, year)).for('update');
  return row!;
}

/** The report on a year for the office and the leaders (a year without a record yet is shown as an empty draft). */
export async function getReport(deps: AnnualReportDeps, viewer: Viewer, year: number, now = new Date()): Promise<ReportView> {
  demand(viewer, viewerHolds(viewer, REPORT_READERS));
  if (!reportableYear(year, chinaToday(now))) throw notFound(`${year} 年度尚未结束，没有该年度的报告`);
  const row = await reportRow(deps.db, year);
  const live = await liveFigures(deps.db, viewer, year);
  const snapshot = row?.snapshot ?? null;
  const figures: ReportFigures = snapshot ?? live;
  const remedyRows = await deps.db
    .select()
    .from(annualRemedyCases)
    .where(and(gte(annualRemedyCases.filedOn, yearRange(year).from), lte(annualRemedyCases.filedOn, yearRange(year).to)))
    .orderBy(asc(annualRemedyCases.filedOn), asc(annualRemedyCases.id));
  const status = row?.status ?? 'draft';
  return {
    ...figures,
    year,
    status,
    statusLabel: REPORT_STATUS_LABELS[status],
    frozen: snapshot !== null,
    texts: snapshot?.texts ?? { overview: row?.overview ?? '', problems: row?.problems ?? '', other: row?.other ?? '' },
    suggestions: [...suggestionsOf(year, live), ...(await recordSuggestions(deps.db, viewer, year))],
    corrections: snapshot ? correctionsOf(snapshot, live) : [],
    deadlines: { internal: deadlineOf(year, row?.internalDeadline ?? '01-20'), statutory: deadlineOf(year, STATUTORY_DEADLINE_MONTH_DAY) },
    approvedBy: row?.approvedByName ?? null,
    approvedAt: row?.approvedAt?.toISOString() ?? null,
    publishedAt: row?.publishedAt?.toISOString() ?? null,
    publishedItemId: row?.publishedItemId ?? null,
    remedyCases: remedyRows.map((r) => ({
      id: r.id,
      requestNumber: r.requestNumber,
      kind: r.kind,
      filedOn: r.filedOn,
      result: r.result,
      decidedOn: r.decidedOn,
      note: r.note,
      enteredBy: r.enteredByName,
    })),
    mayEdit: status === 'draft' && viewerHolds(viewer, REPORT_EDITORS),
    mayPublish: status === 'approved' && viewerHolds(viewer, REPORT_EDITORS),
  };
}

/** The office types (or removes, value null) a hand figure of table 二 or corrects a cell of table 三, with its source. */
export async function setFigure(deps: AnnualReportDeps, viewer: Viewer, year: number, body: z.infer<typeof figureBody>, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REPORT_EDITORS));
  const me = staffOf(viewer);
  await deps.db.transaction(async (tx) => {
    const row = await ensureReport(tx, viewer, year, now);
    if (row.status !== 'draft') throw conflict(FROZEN);
    const where = and(eq(annualReportFigures.year, year), eq(annualReportFigures.key, body.key));
    const [before] = await tx.select().from(annualReportFigures).where(where);
    if (body.value === null) await tx.delete(annualReportFigures).where(where);
    else {
      const values = {
        value: String(body.value),
        sourceNote: body.sourceNote,
        enteredBy: me.id,
        enteredByName: me.displayName,
        enteredAt: now,
      };
      await tx
        .insert(annualReportFigures)
        .values({ year, key: body.key, ...values })
        .onConflictDoUpdate({ target: [annualReportFigures.year, annualReportFigures.key], set: values });
    }
    await tx.update(annualReports).set({ updatedBy: me.id, updatedAt: now }).where(eq(annualReports.year, year));
    await recordAudit(tx, actorFor(viewer, REPORT_EDITORS), {
      action: 'annual_report.figure',
      recordType: 'annual_report',
      recordId: year,
      before: before ? { key: before.key, value: Number(before.value), sourceNote: before.sourceNote } : undefined,
      after: body,
    });
  });
  return getReport(deps, viewer, year, now);
}

/** The office's texts (sections 一, 五, 六) and its internal deadline. */
export async function saveTexts(deps: AnnualReportDeps, viewer: Viewer, year: number, body: z.infer<typeof textsBody>, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REPORT_EDITORS));
  await deps.db.transaction(async (tx) => {
    const row = await ensureReport(tx, viewer, year, now);
    if (row.status !== 'draft') throw conflict(FROZEN);
    await tx
      .update(annualReports)
      .set({ ...body, updatedBy: staffOf(viewer).id, updatedAt: now })
      .where(eq(annualReports.year, year));
    await recordAudit(tx, actorFor(viewer, REPORT_EDITORS), {
      action: 'annual_report.texts',
      recordType: 'annual_report',
      recordId: year,
      after: body,
    });
  });
  return getReport(deps, viewer, year, now);
}

/** A 行政复议 or 行政诉讼 over a request (table 四), kept by the office. */
export async function addRemedyCase(deps: AnnualReportDeps, viewer: Viewer, body: z.infer<typeof remedyBody>, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REPORT_EDITORS));
  const [request] = await requestsByNumber(deps.db, viewer, [body.requestNumber]);
  if (!request) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.requestNumber': '未找到该申请编号（须为已确认收到的申请）' });
  if (body.filedOn < request.receivedOn)
    throw badRequest('提交的内容有误，请检查标注的字段', { 'body.filedOn': '提起日期不能早于收到申请之日' });
  if (body.filedOn > chinaToday(now)) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.filedOn': '日期不能晚于今天' });
  const me = staffOf(viewer);
  const [row] = await deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(annualRemedyCases)
      .values({
        requestId: request.id,
        requestNumber: request.number,
        kind: body.kind,
        filedOn: body.filedOn,
        result: body.result,
        decidedOn: body.decidedOn,
        note: body.note,
        enteredBy: me.id,
        enteredByName: me.displayName,
        enteredAt: now,
      })
      .returning();
    await recordAudit(tx, actorFor(viewer, REPORT_EDITORS), {
      action: 'annual_report.remedy',
      recordType: 'annual_remedy_case',
      recordId: inserted[0]!.id,
      after: body,
    });
    return inserted;
  });
  return { id: row!.id };
}

/**
 * The office head approves (the role office: the head of the 政府信息公开工作机构, as for extensions, 条例 Art.
 * 33(2)). Every check must pass; every figure and text is frozen into the snapshot, so a later change to a request
 * shows only as a correction note and the approved (and later published) figures stay as they were.
 */
export async function approveReport(deps: AnnualReportDeps, viewer: Viewer, year: number, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REPORT_EDITORS));
  const me = staffOf(viewer);
  await deps.db.transaction(async (tx) => {
    const row = await ensureReport(tx, viewer, year, now);
    if (row.status !== 'draft') throw conflict('该年度报告已审定');
    const figures = await liveFigures(tx, viewer, year);
    const failed = figures.checks.filter((c) => !c.passed);
    if (failed.length > 0) throw conflict(`以下校验未通过，不能审定：${failed.map((c) => c.label).join('；')}`);
    if (!row.overview.trim()) throw conflict('请先填写“一、总体情况”');
    const snapshot: ReportSnapshot = { ...figures, texts: { overview: row.overview, problems: row.problems, other: row.other } };
    await tx
      .update(annualReports)
      .set({ status: 'approved', snapshot, approvedBy: me.id, approvedByName: me.displayName, approvedAt: now, updatedAt: now })
      .where(eq(annualReports.year, year));
    await recordAudit(tx, actorFor(viewer, REPORT_EDITORS), {
      action: 'annual_report.approved',
      recordType: 'annual_report',
      recordId: year,
    });
  });
  return getReport(deps, viewer, year, now);
}

/** How many requests one page of a cell's drill-down lists. */
export const CELL_PAGE_SIZE = 200;

/** The requests behind one cell of table 三 (issue 18 point 3); a frozen report shows the requests counted at approval. */
export async function cellRequests(
  deps: AnnualReportDeps,
  viewer: Viewer,
  year: number,
  cell: string,
  now = new Date(),
  page = 1,
): Promise<z.infer<typeof cellView>> {
  demand(viewer, viewerHolds(viewer, REPORT_READERS));
  const key = parseCellKey(cell);
  if (!key) throw notFound('没有该单元格');
  const report = await getReport(deps, viewer, year, now);
  const k = cellKey(key.row, key.col);
  const all = report.behind[k] ?? [];
  // A cell can stand for tens of thousands of requests: listed a page at a time, so neither the page nor the
  // lookup of their current facts grows with the year.
  const pages = Math.max(1, Math.ceil(all.length / CELL_PAGE_SIZE));
  if (page > pages) throw notFound(`该单元格只有 ${pages} 页`);
  const numbers = all.slice((page - 1) * CELL_PAGE_SIZE, page * CELL_PAGE_SIZE);
  const found = new Map((await requestsByNumber(deps.db, viewer, numbers)).map((r) => [r.number, r]));
  const override = report.handFigures.find((f) => f.key === k);
  return {
    year,
    cell: k,
    label: cellLabel(key.row, key.col),
    value: report.table[k] ?? 0,
    computed: report.computed[k] ?? 0,
    override: override ? { value: override.value, sourceNote: override.sourceNote, enteredBy: override.enteredBy } : null,
    requests: numbers.map((n) => {
      const r = found.get(n);
      return {
        id: r?.id ?? null,
        number: n,
        applicantType: r ? APPLICANT_TYPE_LABELS[r.applicantType] : '',
        receivedOn: r?.receivedOn ?? null,
        concludedOn: r?.concludedOn ?? null,
        outcomeLabel: r ? (r.outcome ? OUTCOME_FACTS[r.outcome].label : r.withdrawn ? '申请人撤回' : null) : null,
        statusLabel: r?.statusLabel ?? null,
      };
    }),
    frozen: report.frozen,
    total: all.length,
    page,
    pageSize: CELL_PAGE_SIZE,
  };
}

/** The report as a PDF (Chinese font embedded); 503 where the font is missing. */
export async function getReportPdf(deps: AnnualReportDeps, viewer: Viewer, year: number, now = new Date()) {
  const view = await getReport(deps, viewer, year, now);
  const pdf = await reportPdf(view);
  if (!pdf.ok) throw new AppError(503, 'font_missing', '服务器缺少中文字体，暂时无法生成 PDF');
  return { view, pdf: pdf.pdf };
}
