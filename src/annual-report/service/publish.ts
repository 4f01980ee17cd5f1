// Publishing the approved report (issue 18 point 4; measures Art. 29: the general office compiles and publishes it;
// 条例 Art. 49: by 31 January). The office head's approval (report.ts approveReport, every check passed, the figures
// frozen) is the review Art. 20 asks for; publishing puts that frozen snapshot on the site as a new item of the
// 年度报告 column through the publishing service (publishSystemItem, in the same transaction), and records the item
// and the time on the report. Earlier years' items are never touched; a year is published once (409).
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { publishSystemItem } from '../../publishing/service/system-items.js';
import { AppError, conflict } from '../../server/errors.js';
import { reportPdf } from '../pdf.js';
import { REPORT_EDITORS } from '../rules.js';
import { reportSiteBody } from '../site-body.js';
import { annualReports } from '../tables.js';
import { reportTitle } from '../pages/report-view.js';
import { getReport, type AnnualReportDeps } from './report.js';

const NOT_APPROVED = '该年度报告尚未审定，不能发布；请先完成校验并由办公室负责人审定';
const ALREADY = '该年度报告已发布，不能重复发布';

/** The office publishes the approved report on a year: the site item is created, stamped now; the report is published. */
export async function publishReport(deps: AnnualReportDeps, viewer: Viewer, year: number, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REPORT_EDITORS));
  const view = await getReport(deps, viewer, year, now);
  if (view.status === 'draft') throw conflict(NOT_APPROVED);
  if (view.status === 'published') throw conflict(`${ALREADY}（网站信息编号 ${view.publishedItemId}）`);
  // The PDF goes out with the page (issue 18 point 4: "an HTML page … and a PDF with Chinese fonts").
  const pdf = await reportPdf(view);
  if (!pdf.ok) throw new AppError(503, 'font_missing', '服务器缺少中文字体，暂时无法生成 PDF，不能发布');
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(annualReports).where(eq(annualReports.year, year)).for('update');
    // Again under the row lock: another publication may have been committed meanwhile.
    if (!row || row.status === 'draft') throw conflict(NOT_APPROVED);
    if (row.status === 'published') throw conflict(`${ALREADY}（网站信息编号 ${row.publishedItemId}）`);
    const published = await publishSystemItem(
      tx,
      viewer,
      {
        column: 'annualReport',
        title: reportTitle(year),
        summary: `${year}年1月1日至12月31日政府信息公开工作情况（经${row.approvedByName ?? '办公室负责人'}审定）`,
        body: reportSiteBody(view),
        pdf: { filename: `${year}年政府信息公开工作年度报告.pdf`, data: pdf.pdf },
        approvedBy: { staffId: row.approvedBy!, name: row.approvedByName ?? '' },
      },
      now,
    );
    await tx
      .update(annualReports)
      .set({ status: 'published', publishedAt: published.publishedAt, publishedItemId: published.itemId, updatedAt: now })
      .where(eq(annualReports.year, year));
    await recordAudit(tx, actorFor(viewer, REPORT_EDITORS), {
      action: 'annual_report.published',
      recordType: 'annual_report',
      recordId: year,
      after: { itemId: published.itemId, column: published.columnSlug, publishedAt: now.toISOString() },
    });
  });
  return getReport(deps, viewer, year, now);
}
