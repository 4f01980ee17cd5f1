import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { buildDigests } from '../../src/digest/service.js';
import type { OfficeDigest } from '../../src/digest/rules.js';
import { digests } from '../../src/digest/tables.js';
import type { IndicatorKey, InspectionReport } from '../../src/inspection/rules.js';
import { latestInspection, runDailyInspection } from '../../src/inspection/service/index.js';
import { columnBody } from '../../src/publishing/schemas.js';
import { columnBySlug, createColumn } from '../../src/publishing/service/columns.js';
import { createDraft } from '../../src/publishing/service/items.js';
import { publishForm } from '../../src/publishing/service/publish.js';
import { decideStep, submitForReview } from '../../src/publishing/service/review.js';
import { reviewForms } from '../../src/publishing/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';
import { staffViewers } from '../support/viewers.js';

// Issue 21 point 5, the daily self-inspection against 国办秘函〔2019〕19号 (measures Art. 27(三)(四)): a
// seeded site whose items are published through the 审核单 chain at chosen times (the services' `now`),
// checked at chosen instants so that each veto item is just under and just over its threshold.
// Items: 通知公告 and 政策文件 on 2026-06-03, 工作动态 (news) and 办事指南 on 2026-11-19. An open letter
// received on 2026-09-02, a rejected one on 2026-08-01 (not a valid message: it never counts).

let h: Harness;
const as = staffViewers(() => h, 'inspection-test');
const at = (chinaTime: string) => parseChinaInstant(chinaTime)!;
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true } as const;
const DECIDER = { dept_leader: 'l-registration', publicity: 'publicity', bureau_leader: 'leader' } as const;

/** Drafts, submits, approves at every step and publishes an item in `slug`, all at `when`. */
async function publishAt(slug: string, contentType: 'notice' | 'policy' | 'article', when: string) {
  const now = at(when);
  const column = (await columnBySlug(h.db, slug))!;
  const v = { title: `${column.name} ${when}`, summary: '', body: '正文', qaPairs: [], relatedItemIds: [] };
  const item = await createDraft(deps(), await as('h-registration'), { columnId: column.id, contentType, ...v });
  const form = await submitForReview(deps(), await as('h-registration'), item.id, { art19: ART19, secrecy: 'no_secret' }, now);
  for (;;) {
    const [row] = await h.db.select().from(reviewForms).where(eq(reviewForms.id, form.id));
    if (row!.status !== 'at_step') break;
    await decideStep(deps(), await as(DECIDER[row!.step!]), form.id, { decision: 'approved', opinion: '同意', secrecy: 'no_secret' }, now);
  }
  const publisher = column.isNews ? 'center' : 'h-registration';
  expect((await publishForm(deps(), await as(publisher), form.id, {}, now)).status).toBe('published');
}

const check = async (when: string) => latestInspection({ db: h.db }, await as('office'), at(when));
const of = (r: InspectionReport, key: IndicatorKey) => r.results.find((x) => x.key === key)!;

beforeAll(async () => {
  h = await startHarness();
  await publishAt('tzgg', 'notice', '2026-06-03T10:00:00');
  await publishAt('zcwj', 'policy', '2026-06-03T11:00:00');
  await publishAt('gzdt', 'article', '2026-11-19T10:00:00');
  await publishAt('bszn', 'article', '2026-11-19T11:00:00');
  await storeLetter(h, { type: 'inquiry', receivedAt: at('2026-09-02T10:00:00'), trackingNo: '260902-INSP1' });
  await storeLetter(h, { type: 'inquiry', receivedAt: at('2026-08-01T10:00:00'), over: { status: 'rejected' } });
}, 120_000);
afterAll(async () => h?.close());

describe('19号 veto 4.3: ≥ 5 empty columns', () => {
  it('at 2026-11-19 10:30, before 办事指南 is published, 5 columns are empty: red and vetoed', async () => {
    const r = await check('2026-11-19T10:30:00');
    expect(of(r, 'emptyColumns')).toMatchObject({ status: 'red', value: '5 个' });
    expect(of(r, 'emptyColumns').columns!.map((c) => c.slug)).toEqual(['spxw', 'zcjd', 'bszn', 'rdjd', 'zjdc']);
    expect(r.vetoed).toBe(true);
  });
  it('at 11:30, after it, 4 are empty: amber', async () => {
    expect(of(await check('2026-11-19T11:30:00'), 'emptyColumns')).toMatchObject({ status: 'amber', value: '4 个' });
  });
});

describe('19号 veto 3: the home page with no new item for 2 weeks', () => {
  it('on 2026-12-03 the newest home item (2026-11-19) is 14 days old: amber; on 2026-12-04, 15 days: red', async () => {
    expect(of(await check('2026-12-03T12:00:00'), 'homeUpdate')).toMatchObject({ status: 'amber', value: '14 天' });
    const r = await check('2026-12-04T12:00:00');
    expect(of(r, 'homeUpdate')).toMatchObject({ status: 'red', value: '15 天' });
    expect(r.vetoed).toBe(true);
  });
});

describe('19号 veto 5.2: valid letters unanswered for more than 3 months', () => {
  it('the letter of 2026-09-02 is amber on 2026-12-02 (exactly 3 months) and red on 2026-12-03; the rejected one never counts', async () => {
    const before = of(await check('2026-12-02T12:00:00'), 'unansweredLetters');
    expect(before).toMatchObject({ status: 'amber', value: '0 件' });
    const after = of(await check('2026-12-03T12:00:00'), 'unansweredLetters');
    expect(after).toMatchObject({ status: 'red', value: '1 件' });
    expect(after.letters).toEqual([
      { trackingNo: '260902-INSP1', departmentName: expect.any(String), receivedDay: '2026-09-02', daysOpen: 92 },
    ]);
  });
});

describe('19号 veto 4.1: news columns 2 weeks + 通知公告/政策文件 6 months, 5 in total', () => {
  it('on 2026-12-03: 视频新闻 only (empty) — 工作动态 is 14 days old, the notices exactly 6 months: green', async () => {
    const r = of(await check('2026-12-03T12:00:00'), 'columnStale');
    expect(r).toMatchObject({ status: 'green', value: '1 个' });
  });
  it('on 2026-12-04: 工作动态 (15 days), 视频新闻, 通知公告 and 政策文件 (6 months and a day): 4, amber', async () => {
    const r = of(await check('2026-12-04T12:00:00'), 'columnStale');
    expect(r).toMatchObject({ status: 'amber', value: '4 个' });
    expect(r.columns!.map((c) => c.slug)).toEqual(['gzdt', 'spxw', 'tzgg', 'zcwj']);
  });
  it('a fifth, an empty 要闻 news column added by the administrator, makes it red', async () => {
    const input = columnBody.parse({
      parentId: (await columnBySlug(h.db, 'zwgk'))!.id,
      slug: 'ywdt',
      name: '要闻动态',
      section: 'disclosure',
      isNews: true,
    });
    await createColumn({ db: h.db }, await as('admin'), input);
    const r = of(await check('2026-12-04T12:00:00'), 'columnStale');
    expect(r).toMatchObject({ status: 'red', value: '5 个' });
    expect(of(await check('2026-12-04T12:00:00'), 'answerPublication')).toMatchObject({ status: 'red', value: '从未公开' });
  });
});

describe('the daily run, its history, the CSV and the office digest', () => {
  it('stores one row per day; GET /api/inspection/history returns them oldest first', async () => {
    await runDailyInspection({ db: h.db }, at('2026-12-04T08:00:00'));
    await runDailyInspection({ db: h.db }, at('2026-12-03T08:00:00'));
    await runDailyInspection({ db: h.db }, at('2026-12-03T09:00:00')); // a re-run replaces the day
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/inspection/history?from=2026-12-01&to=2026-12-05',
      headers: bearer(await h.login('center')),
    });
    expect(res.statusCode, res.body).toBe(200);
    const days = res.json().days as (InspectionReport & { computedAt: string })[];
    expect(days.map((d) => [d.day, d.vetoed, d.computedAt])).toEqual([
      ['2026-12-03', true, '2026-12-03T01:00:00.000Z'],
      ['2026-12-04', true, '2026-12-04T00:00:00.000Z'],
    ]);
    expect(of(days[1]!, 'homeUpdate').status).toBe('red');
  });
  it('the CSV: a header and 8 lines a day, quoted cells, as an attachment', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/inspection/history.csv?from=2026-12-01&to=2026-12-05',
      headers: bearer(await h.login('office')),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="inspection-2026-12-01-2026-12-05.csv"');
    const lines = res.body.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 2 * 8);
    expect(lines.filter((l) => l.startsWith('2026-12-04,首页不更新,单项否决,不达标,15 天,'))).toHaveLength(1);
  });
  it('a reversed or malformed range is a 400 with the field named', async () => {
    const token = await h.login('office');
    const reversed = await h.app.inject({
      method: 'GET',
      url: '/api/inspection/history?from=2026-12-05&to=2026-12-01',
      headers: bearer(token),
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields).toEqual({ from: '起始日期不能晚于结束日期' });
    const bad = await h.app.inject({ method: 'GET', url: '/api/inspection/history.csv?from=2026-13-01', headers: bearer(token) });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['querystring.from']);
  });
  it("the office's digest of Friday 2026-12-04 lists the red and amber items; the digest's run stored the day", async () => {
    await buildDigests(deps(), '2026-12-04');
    const rows = await h.db.select().from(digests).where(eq(digests.day, '2026-12-04'));
    const office = rows.find((r) => r.kind === 'office')!.content as OfficeDigest;
    const keys = office.inspection!.map((a) => [a.key, a.status]);
    expect(keys).toEqual([
      ['homeUpdate', 'red'],
      ['columnStale', 'red'],
      ['emptyColumns', 'red'],
      ['unansweredLetters', 'red'],
      ['answerPublication', 'red'],
    ]);
    const page = await h.app.inject({ method: 'GET', url: '/staff/digest?date=2026-12-04', headers: bearer(await h.login('office')) });
    expect(page.body).toContain('网站日常检查（国办秘函〔2019〕19号指标）');
  });
  it('the dashboard shows each indicator with its threshold, cause and drill-down; a department handler is refused', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/staff/inspection', headers: bearer(await h.login('office')) });
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/data-indicator="/g)).toHaveLength(8);
    expect(page.body).toContain('阈值：首页连续 2 周（14 天）无新信息');
    expect(page.body).toContain('/staff/cases/260902-INSP1');
    const handler = await h.app.inject({ method: 'GET', url: '/api/inspection/latest', headers: bearer(await h.login('h-registration')) });
    expect(handler.statusCode).toBe(403);
  });
});
