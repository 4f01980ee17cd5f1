import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND_FIGURES } from '../../src/annual-report/rules.js';
import { annualReportTasksForDigest, lateAnnualReport } from '../../src/annual-report/service/digest-feed.js';
import { publishReport } from '../../src/annual-report/service/publish.js';
import { approveReport, getReport, saveTexts, setFigure } from '../../src/annual-report/service/report.js';
import { auditLog } from '../../src/audit/tables.js';
import { latestInspection } from '../../src/inspection/service/index.js';
import { columnFreshness } from '../../src/publishing/service/inspection-feed.js';
import { siteAttachments, siteColumns, siteItems, siteItemVersions } from '../../src/publishing/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Issue 18 point 4: the approved report goes on the site through the publishing module, into the 年度报告 column of
// 政务公开, stamped by the system (measures Art. 29: the general office compiles and publishes it; 条例 Art. 49: by 31
// January). The office head's approval is the review (measures Art. 20: nothing goes on the site unreviewed): a draft
// cannot be published. Earlier years stay published and unchanged; a year is published once.

let h: Harness;
const as = staffViewers(() => h, 'annual-report-publish-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const TITLE_2024 = '福建省市场监督管理局2024年政府信息公开工作年度报告';
const TITLE_2025 = '福建省市场监督管理局2025年政府信息公开工作年度报告';

/** A year without requests: every hand figure 0 with its source, section 一 written, approved by the office. */
async function approvedYear(year: number) {
  const office = await as('office');
  for (const key of HAND_FIGURES) await setFigure(deps(), office, year, { key, value: 0, sourceNote: `${year}年度统计报表` });
  await saveTexts(deps(), office, year, {
    overview: `${year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。\n全年未收到政府信息公开申请。`,
    problems: '公开内容仍需丰富。',
    other: '无。',
    internalDeadline: '01-20',
  });
  return approveReport(deps(), office, year);
}

beforeAll(async () => {
  h = await startHarness();
  await approvedYear(2024);
  await approvedYear(2025);
  // A draft: texts saved, never approved.
  await saveTexts(deps(), await as('office'), 2023, { overview: '草稿', problems: '', other: '', internalDeadline: '01-20' });
});
afterAll(async () => {
  await h?.close();
});

const office = async () => bearer(await h.login('office'));
const publish = async (year: number, username = 'office') =>
  h.app.inject({ method: 'POST', url: `/api/annual-reports/${year}/publish`, headers: bearer(await h.login(username)) });

describe('issue 18 point 4: publishing the approved annual report into the 年度报告 column', () => {
  it('has no 年度报告 column before the first report is published, so the inspection counts no empty column for it', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/columns/ndbg' })).statusCode).toBe(404);
    expect((await columnFreshness(h.db, new Date())).map((c) => c.slug)).not.toContain('ndbg');
  });

  it('refuses to publish a draft (409: the office head’s approval is the review, measures Art. 20) or a year with no report', async () => {
    const draft = await publish(2023);
    expect(draft.statusCode).toBe(409);
    expect(draft.json().error.message).toBe('该年度报告尚未审定，不能发布；请先完成校验并由办公室负责人审定');
    expect((await publish(2022)).statusCode).toBe(409);
    expect((await getReport(deps(), await as('office'), 2023)).status).toBe('draft');
  });

  it('refuses any role but the general office (403; measures Art. 29)', async () => {
    for (const u of ['leader', 'admin', 'h-registration', 'center']) expect((await publish(2025, u)).statusCode, u).toBe(403);
    expect((await getReport(deps(), await as('office'), 2025)).status).toBe('approved');
  });

  it('reminds the office until publication: 2026-01-05 lists the 2025 report, 2026-02-02 flags it late (条例 Art. 49)', async () => {
    const tasks = await annualReportTasksForDigest(h.db, '2026-01-05');
    expect(tasks).toEqual([
      expect.objectContaining({
        ref: 2025,
        stepLabel: '已审定，待发布（内部时限 2026-01-20，法定时限 2026-01-31，《条例》第四十九条）',
        dueDate: '2026-01-20',
      }),
    ]);
    expect(await lateAnnualReport(h.db, '2026-02-02')).toBe(2025);
  });

  let item2024: { item: unknown; version: unknown };
  let id2024 = 0;
  it('publishes 2024’s report (stamped 2025-01-10 10:00 China time, the system’s clock at that moment)', async () => {
    const at = new Date('2025-01-10T10:00:00+08:00');
    const v = await publishReport(deps(), await as('office'), 2024, at);
    expect(v.status).toBe('published');
    expect(v.publishedAt).toBe('2025-01-10T02:00:00.000Z');
    id2024 = v.publishedItemId!;
    const [item] = await h.db.select().from(siteItems).where(eq(siteItems.id, id2024));
    expect(item).toMatchObject({ state: 'published', publishedVersion: 1, firstPublishedAt: at, updatedPublishedAt: null });
    const [version] = await h.db.select().from(siteItemVersions).where(eq(siteItemVersions.itemId, id2024));
    expect(version!.title).toBe(TITLE_2024);
    item2024 = { item, version };
  });

  let id2025 = 0;
  it('publishes 2025’s report through the API: a new item of 年度报告 in 政务公开, stamped now by the system, with the audit rows', async () => {
    const before = Date.now();
    const res = await publish(2025);
    const after = Date.now();
    expect(res.statusCode).toBe(200);
    const v = res.json();
    expect(v).toMatchObject({ year: 2025, status: 'published', statusLabel: '已发布', mayPublish: false });
    id2025 = v.publishedItemId;
    expect(id2025).not.toBe(id2024);
    const stamp = new Date(v.publishedAt).getTime();
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(after);

    const [item] = await h.db.select().from(siteItems).where(eq(siteItems.id, id2025));
    expect(item!.firstPublishedAt!.getTime()).toBe(stamp);
    const [column] = await h.db.select().from(siteColumns).where(eq(siteColumns.id, item!.columnId));
    const [group] = await h.db.select().from(siteColumns).where(eq(siteColumns.id, column!.parentId!));
    expect({ slug: column!.slug, name: column!.name, section: column!.section, group: group!.name }).toEqual({
      slug: 'ndbg',
      name: '年度报告',
      section: 'disclosure',
      group: '政务公开',
    });

    const [pdfRow] = await h.db.select().from(siteAttachments).where(eq(siteAttachments.itemId, id2025));
    expect(pdfRow).toMatchObject({ fromVersion: 1, untilVersion: null, kind: 'document', mimeType: 'application/pdf' });
    const officeStaff = (await as('office')).staff!;
    const [publishAudit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'item.publish_system'), eq(auditLog.recordId, String(id2025))));
    expect(publishAudit).toMatchObject({
      actorId: officeStaff.id,
      actorUsername: 'office',
      actorRole: 'office',
      recordType: 'site_item',
      after: {
        column: 'ndbg',
        publishedVersion: 1,
        publishedAt: new Date(stamp).toISOString(),
        approvedBy: { staffId: officeStaff.id, name: officeStaff.displayName },
        attachment: { id: pdfRow!.id, filename: '2025年政府信息公开工作年度报告.pdf', size: pdfRow!.size, sha256: pdfRow!.sha256 },
      },
    });
    const reportAudits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'annual_report.published'), eq(auditLog.recordId, '2025')));
    expect(reportAudits).toHaveLength(1);
    expect(reportAudits[0]!.after).toEqual({ itemId: id2025, column: 'ndbg', publishedAt: new Date(stamp).toISOString() });
  });

  it('shows both years in the column and the 2025 report on its item page (GET /columns/ndbg, /items/:id)', async () => {
    const col = await h.app.inject({ method: 'GET', url: '/columns/ndbg' });
    expect(col.statusCode).toBe(200);
    expect(col.body).toContain('年度报告');
    expect(col.body).toContain(`href="/items/${id2025}"`);
    expect(col.body).toContain(`href="/items/${id2024}"`);
    expect(col.body.indexOf(TITLE_2025)).toBeLessThan(col.body.indexOf(TITLE_2024));

    const page = await h.app.inject({ method: 'GET', url: `/items/${id2025}` });
    expect(page.statusCode).toBe(200);
    for (const text of [
      TITLE_2025,
      '2025年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '（七）总计',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '公开内容仍需丰富。',
      '<table>',
      '发布时间',
    ])
      expect(page.body, text).toContain(text);
  });

  it('offers the report’s PDF (Chinese font embedded) as the item’s public attachment', async () => {
    const [a] = await h.db.select().from(siteAttachments).where(eq(siteAttachments.itemId, id2025));
    const page = await h.app.inject({ method: 'GET', url: `/items/${id2025}` });
    expect(page.body).toContain(`/items/${id2025}/attachments/${a!.id}`);
    const pdf = await h.app.inject({ method: 'GET', url: `/items/${id2025}/attachments/${a!.id}` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBe(a!.size);
    expect(pdf.rawPayload.toString('latin1')).toContain('WenQuanYi');
  });

  it('ends the reminder and the inspection flag once published', async () => {
    expect(await annualReportTasksForDigest(h.db, '2026-01-05')).toEqual([]);
    expect(await annualReportTasksForDigest(h.db, '2026-01-26')).toEqual([]);
    expect(await lateAnnualReport(h.db, '2026-02-02')).toBeNull();
    const inspection = await latestInspection({ db: h.db }, await as('office'), new Date('2026-02-02T09:00:00+08:00'));
    expect(inspection.flags).toBeUndefined();
  });

  it('refuses a second publication of the same year (409) and adds no item', async () => {
    const again = await publish(2025);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(`该年度报告已发布，不能重复发布（网站信息编号 ${id2025}）`);
    const column = (await h.db.select().from(siteColumns).where(eq(siteColumns.slug, 'ndbg')))[0]!;
    expect(await h.db.select({ id: siteItems.id }).from(siteItems).where(eq(siteItems.columnId, column.id))).toHaveLength(2);
  });

  it('leaves 2024’s item exactly as it was published', async () => {
    const [item] = await h.db.select().from(siteItems).where(eq(siteItems.id, id2024));
    const [version] = await h.db.select().from(siteItemVersions).where(eq(siteItemVersions.itemId, id2024));
    expect({ item, version }).toEqual(item2024);
    const page = await h.app.inject({ method: 'GET', url: `/items/${id2024}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(TITLE_2024);
  });

  it('the staff page links the published item and no longer offers to publish', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/staff/annual-reports/2025', headers: await office() });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/items/${id2025}"`);
    expect(page.body).not.toContain('/staff/annual-reports/2025/publish');
  });

  it('the public 年度报告 page lists both years; each opens in the printed layout with the spans of the national form', async () => {
    const list = await h.app.inject({ method: 'GET', url: '/xxgk/reports' });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/xxgk/reports/2025"');
    expect(list.body).toContain('href="/xxgk/reports/2024"');
    expect(list.body).not.toContain('暂无年度报告');
    const y2025 = await h.app.inject({ method: 'GET', url: '/xxgk/reports/2025' });
    expect(y2025.statusCode).toBe(200);
    expect(y2025.body).toContain(`<h1>${TITLE_2025}</h1>`);
    expect(y2025.body).toMatch(/<table class="annual-table" id="table-3">[\s\S]*rowspan="3" colspan="3"/);
    expect(y2025.body).toContain('2025年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。');
    // Public: no drill-down links to the requests, and cached like the other public pages.
    expect(y2025.body).not.toContain('/staff/annual-reports/');
    expect(y2025.headers['cache-control']).toContain('public');
    // A draft year, a year with no report and a malformed one: 404.
    for (const url of ['/xxgk/reports/2023', '/xxgk/reports/2019', '/xxgk/reports/abc']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});
