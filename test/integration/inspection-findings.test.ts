import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { buildDigests } from '../../src/digest/service.js';
import { digests } from '../../src/digest/tables.js';
import { findingTasksForDigest } from '../../src/inspection/service/digest-feed.js';
import { getFinding, listFindings, raiseFinding, reportFinding, reviewFinding } from '../../src/inspection/service/findings.js';
import { takeDownItem } from '../../src/publishing/service/review.js';
import { AppError } from '../../src/server/errors.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { itemThroughChain } from '../support/link-items.js';
import { fieldError, PageBrowser } from '../support/page-browser.js';
import { staffViewers } from '../support/viewers.js';

// Issue 21 point 6 (measures Art. 27(三)): "遇到信息发布格式不规范的，行政服务中心及时对相关保障部门进行技术
// 指导；遇到信息内容不符合规定的，办公室及时通知相关保障部门撤除". A finding is a task of the department with a
// due date in working days (FINDING_FORMAT_WORKING_DAYS 3, FINDING_CONTENT_WORKING_DAYS 1), reported by the
// department and accepted or returned by whoever raised it; content on an item is done only once it is off the site.

let h: Harness;
class Browser extends PageBrowser {
  constructor() {
    super(() => h);
  }
}
const as = staffViewers(() => h, 'findings-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const at = (t: string) => parseChinaInstant(t)!;
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { status: e.statusCode, message: e.message, fields: e.fields };
    throw e;
  }
  throw new Error('expected a refusal');
};
const audits = async (id: number) =>
  (
    await h.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.recordType, 'inspection_finding'), eq(auditLog.recordId, String(id))))
      .orderBy(auditLog.id)
  ).map((r) => r.action);

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('issue 21 point 6: a format problem — the service centre guides the department (Art. 27(三))', () => {
  let id = 0;
  it('raised on Wednesday 2026-09-30, due in 3 working days: 国庆 1–7 October off, Thu 8 (1), Fri 9 (2), make-up Sat 10 October (3)', async () => {
    const f = await raiseFinding(
      deps(),
      await as('center'),
      { kind: 'format', departmentId: 5, place: '通知公告：关于开展专项检查的通知', finding: '附件名称未写全称，正文字号不统一' },
      at('2026-09-30 10:00'),
    );
    id = f.id;
    expect(f).toMatchObject({
      status: 'open',
      dueOn: '2026-10-10',
      department: '登记注册局',
      task: '技术指导',
      kindLabel: '发布格式不规范',
    });
  });

  it('the office may not raise a format problem, nor the service centre a content one; a department not active or unknown is a field error', async () => {
    const body = { departmentId: 5, place: '首页', finding: '问题' };
    expect((await refusal(raiseFinding(deps(), await as('office'), { kind: 'format', ...body }))).status).toBe(403);
    expect((await refusal(raiseFinding(deps(), await as('center'), { kind: 'content', ...body }))).status).toBe(403);
    const r = await refusal(raiseFinding(deps(), await as('center'), { kind: 'format', ...body, departmentId: 99_999 }));
    expect(r).toMatchObject({ status: 400, fields: { 'body.departmentId': '请选择负责整改的处室' } });
  });

  it("the department's own staff see it; another department's do not (404, and not in its list)", async () => {
    expect((await getFinding(deps(), await as('h-registration'), id)).id).toBe(id);
    expect((await refusal(getFinding(deps(), await as('h-credit'), id))).status).toBe(404);
    expect((await listFindings(deps(), await as('h-credit'))).items.map((f) => f.id)).not.toContain(id);
    expect((await listFindings(deps(), await as('office'))).items.map((f) => f.id)).toContain(id);
  });

  it("open: it is the department's task in the digest feed, due 2026-10-10", async () => {
    const t = (await findingTasksForDigest(h.db)).find((x) => x.ref === id)!;
    expect(t).toMatchObject({ kind: 'finding', departmentId: 5, actingKind: null, dueDate: '2026-10-10' });
  });

  it('reported → returned with a note (a return without one is a field error) → reported again → accepted; one audit row each', async () => {
    await reportFinding(deps(), await as('h-registration'), id, { note: '已按要求修改附件名称和字号' }, at('2026-10-08 09:00'));
    expect((await refusal(reportFinding(deps(), await as('l-registration'), id, { note: '再次报告' }))).status).toBe(409);
    const t = (await findingTasksForDigest(h.db)).find((x) => x.ref === id)!;
    expect(t).toMatchObject({ departmentId: -1, actingKind: 'service_center' });
    expect((await refusal(reviewFinding(deps(), await as('office'), id, { decision: 'accept' }))).status).toBe(403);
    expect(await refusal(reviewFinding(deps(), await as('center'), id, { decision: 'return' }))).toMatchObject({
      status: 400,
      fields: { 'body.note': '退回时请说明理由' },
    });
    const back = await reviewFinding(deps(), await as('center'), id, { decision: 'return', note: '正文字号仍不统一' });
    expect(back).toMatchObject({ status: 'open', reviewNote: '正文字号仍不统一', dueOn: '2026-10-10' });
    await reportFinding(deps(), await as('h-registration'), id, { note: '字号已统一为三号仿宋' }, at('2026-10-09 09:00'));
    const done = await reviewFinding(deps(), await as('center'), id, { decision: 'accept' }, at('2026-10-09 15:00'));
    expect(done).toMatchObject({ status: 'closed', overdue: false });
    expect((await findingTasksForDigest(h.db)).some((x) => x.ref === id)).toBe(false);
    expect(await audits(id)).toEqual([
      'inspection.finding.raise',
      'inspection.finding.report',
      'inspection.finding.return',
      'inspection.finding.report',
      'inspection.finding.accept',
    ]);
  });
});

describe('issue 21 point 6: content not in order — the office tells the department to take it down (Art. 27(三))', () => {
  let id = 0;
  let itemId = 0;
  beforeAll(async () => {
    const item = await itemThroughChain(h, as, '关于某商业推广活动的通知', '本活动由某公司赞助。');
    await item.publish();
    itemId = item.itemId;
  }, 60_000);

  it('raised on Friday 2026-12-04 with the item, due in 1 working day: Monday 2026-12-07', async () => {
    const f = await raiseFinding(
      deps(),
      await as('office'),
      { kind: 'content', departmentId: 5, itemId, place: '通知公告', finding: '含商业推广内容（第二十七条（二））' },
      at('2026-12-04 10:00'),
    );
    id = f.id;
    expect(f).toMatchObject({ status: 'open', dueOn: '2026-12-07', itemId, itemOnSite: true, task: '撤除通知' });
  });

  it('the item must belong to the department named', async () => {
    const r = await refusal(
      raiseFinding(deps(), await as('office'), { kind: 'content', departmentId: 1, itemId, place: '通知公告', finding: '问题' }),
    );
    expect(r.status).toBe(400);
    expect(Object.keys(r.fields ?? {})).toEqual(['body.departmentId']);
  });

  it('the department cannot report it done while the item is on the site (409); once taken down it can, and the office closes it', async () => {
    const stillOn = await refusal(reportFinding(deps(), await as('h-registration'), id, { note: '已处理' }));
    expect(stillOn.status).toBe(409);
    expect(stillOn.message).toContain('仍在网站上公开');
    await takeDownItem(deps(), await as('office'), itemId, '含商业推广内容');
    const reported = await reportFinding(deps(), await as('h-registration'), id, { note: '信息已撤下' }, at('2026-12-07 09:00'));
    expect(reported).toMatchObject({ status: 'reported', itemOnSite: false });
    expect((await reviewFinding(deps(), await as('office'), id, { decision: 'accept' }, at('2026-12-07 10:00'))).status).toBe('closed');
  });
});

describe('issue 21 point 6: in the daily digest, and over HTTP', () => {
  it("an open finding is in its department's digest, and once overdue in the office's", async () => {
    const f = await raiseFinding(
      deps(),
      await as('center'),
      { kind: 'format', departmentId: 5, place: '工作动态', finding: '图片缺少说明文字' },
      at('2026-11-30 10:00'),
    );
    expect(f.dueOn).toBe('2026-12-03');
    await buildDigests(h, '2026-12-04');
    const rows = await h.db.select().from(digests).where(eq(digests.day, '2026-12-04'));
    const dept = rows.find((r) => r.departmentId === 5)!;
    const office = rows.find((r) => r.kind === 'office')!;
    const tasks = (dept.content as { tasks?: { kind: string; ref: number; workingDaysOverdue?: number }[] }).tasks ?? [];
    expect(tasks.find((t) => t.kind === 'finding' && t.ref === f.id)).toMatchObject({ workingDaysOverdue: 1 });
    const overdue = (office.content as { overdueTasks?: { kind: string; ref: number }[] }).overdueTasks ?? [];
    expect(overdue.some((t) => t.kind === 'finding' && t.ref === f.id)).toBe(true);
  });

  it('the API refuses bad input with Chinese field messages and the pages show the finding to its department', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/inspection/findings',
      headers: bearer(await h.login('center')),
      payload: { kind: 'other', departmentId: 'x', place: '', finding: '' },
    });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json() as { error: { fields: Record<string, string> } }).error.fields;
    expect(fields).toMatchObject({
      'body.kind': '请选择问题类别',
      'body.place': '请填写问题所在的页面、栏目或信息',
      'body.finding': '请填写发现的问题',
    });
    expect(fields['body.departmentId']).toBe('请选择负责整改的处室');
    const n = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.action, 'inspection.finding.raise'));
    expect(n[0]!.n).toBe(3);

    // The pages, no script: the service centre's form keeps what was typed on an error; the department reports.
    const center = await new Browser().login('center');
    const form = { kind: 'format', departmentId: '5', itemId: '12x', place: '工作动态', finding: '标题过长' };
    const refused = await center.submit('/staff/inspection/findings', '/staff/inspection/findings', form);
    expect(refused.statusCode).toBe(400);
    expect(fieldError(refused.body, 'f-itemId')).toContain('信息编号应为正整数');
    expect(refused.body).toContain('value="工作动态"');
    expect(refused.body).toContain('>标题过长</textarea>');
    const sent = await center.submit('/staff/inspection/findings', '/staff/inspection/findings', { ...form, itemId: '' });
    expect(sent.statusCode).toBe(303);
    const url = sent.headers.location!.split('?')[0]!;
    const dept = await new Browser().login('h-registration');
    const page = await dept.get(url);
    expect(page.body).toContain('报告整改情况');
    expect((await dept.submit(url, `${url}/report`, { note: '已缩短标题' })).statusCode).toBe(303);
    expect((await dept.get(url)).body).toContain('处室已报告整改，待确认');
    const other = await new Browser().login('h-credit');
    expect((await other.get(url)).statusCode).toBe(404);
  });
});
