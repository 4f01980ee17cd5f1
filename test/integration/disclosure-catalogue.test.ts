import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDisclosure } from '../../src/disclosure/service/decisions.js';
import { changeDocument, getDocument, registerDocument } from '../../src/disclosure/service/documents.js';
import { listCatalogueTasks, publishCatalogueEntry } from '../../src/disclosure/service/catalogue.js';
import { catalogueTimeliness } from '../../src/disclosure/service/timeliness.js';
import { catalogueEntries } from '../../src/disclosure/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';
import { loadNotice2027, skippingClock } from '../support/time-skipping.js';
import { waitFor } from '../support/wait.js';

// Issue 16, the disclosure register on Temporal's time-skipping server: the general office's decision
// (measures Art. 30), the 主动公开 catalogue within 20 working days of the day formed or changed (条例
// Art. 26), entered and published by the service centre (measures Art. 31), the re-review of withheld
// information (条例 Art. 18). Real now is December 2026, so the clocks run in early 2027 under the
// test notice: 春节 Thursday 4 – Wednesday 10 February off, Saturday 20 February worked.
//
// Formed Friday 2027-01-29 → the 20 working days: 1–3 Feb (3), 11, 12 (5), 15–19 (10), Sat 20 (11),
// 22–26 (16), 1–4 March (20): due Thursday 2027-03-04.

let h: Harness;
const { workflowNow, skipTo } = skippingClock(() => h);
const as = staffViewers(() => h, 'disclosure-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const REGISTRATION = 5;
const statusOf = async (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode ?? 500,
  );
const entryOf = async (documentId: number, round = 1) =>
  (
    await h.db
      .select()
      .from(catalogueEntries)
      .where(and(eq(catalogueEntries.documentId, documentId), eq(catalogueEntries.round, round)))
  )[0]!;
const noticesLike = async (key: string) => h.db.select().from(notifications).where(like(notifications.dedupeKey, key));
const regulation = (title: string, docNumber: string, formedOn = '2027-01-29') => ({
  title,
  docNumber,
  departmentId: REGISTRATION,
  category: 'regulation' as const,
  subject: '市场主体登记',
  summary: `${title}的内容概述`,
  formedOn,
});
const entryInput = (name: string) => ({ name, summary: `${name}的内容概述`, publisher: '福建省市场监督管理局', subject: '市场主体登记' });
let onTimeDoc = 0;
let lateDoc = 0;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  await loadNotice2027(h);
  await skipTo('2027-01-29 10:00');
});
afterAll(async () => {
  await h?.close();
});

describe('the register and the decision (measures Art. 30)', () => {
  it('a department enters its own documents only; the office decides, recorded with who and when', async () => {
    const now = await workflowNow();
    expect(await statusOf(registerDocument(deps(), await as('h-credit'), regulation('越权登记', '闽市监规〔2027〕9号'), now))).toBe(403);
    const a = await registerDocument(
      deps(),
      await as('h-registration'),
      regulation('关于优化企业开办服务的若干规定', '闽市监规〔2027〕1号'),
      now,
    );
    const b = await registerDocument(
      deps(),
      await as('h-registration'),
      regulation('市场主体登记档案查询办法', '闽市监规〔2027〕2号'),
      now,
    );
    onTimeDoc = b.id;
    lateDoc = a.id;
    expect(await statusOf(getDocument(deps(), await as('l-credit'), a.id))).toBe(404); // another department's
    expect(
      await statusOf(
        decideDisclosure(deps(), await as('center'), a.id, { decision: 'proactive', legalBasis: null, reason: '', reReviewOn: null }, now),
      ),
    ).toBe(403);
    for (const id of [a.id, b.id]) {
      const decided = await decideDisclosure(
        deps(),
        await as('office'),
        id,
        { decision: 'proactive', legalBasis: null, reason: '', reReviewOn: null },
        now,
      );
      expect(decided.decisions).toEqual([
        expect.objectContaining({ decision: 'proactive', decider: '办公室协调员', decidedAt: expect.stringMatching(/^2027-01-29T10:00/) }),
      ]);
      expect(decided.entries).toEqual([
        expect.objectContaining({ round: 1, status: 'open', startsOn: '2027-01-29', dueOn: '2027-03-04', dueProvisional: false }),
      ]);
    }
    const tasks = await listCatalogueTasks(deps(), await as('center'));
    expect(tasks.items.map((t) => t.documentId)).toEqual(expect.arrayContaining([a.id, b.id]));
  });
});

describe('条例 Art. 26: the catalogue within 20 working days, across 春节 and the worked Saturday', () => {
  it('published on day 20 (Thursday 2027-03-04) is on time, with a 索引号 from the pattern and the system time', async () => {
    await skipTo('2027-03-04 16:00');
    const entry = await entryOf(onTimeDoc);
    expect(await statusOf(publishCatalogueEntry(deps(), await as('h-registration'), entry.id, entryInput('x'), await workflowNow()))).toBe(
      403,
    );
    const published = await publishCatalogueEntry(
      deps(),
      await as('center'),
      entry.id,
      entryInput('市场主体登记档案查询办法'),
      await workflowNow(),
    );
    expect(published).toMatchObject({
      status: 'published',
      onTime: true,
      overdue: false,
      docNumber: '闽市监规〔2027〕2号',
      generatedOn: '2027-01-29',
    });
    expect(published.indexNo).toMatch(/^FJAMR-01-2027-\d{5}$/);
    expect(published.publishedAt).toMatch(/^2027-03-04T16:/);
    // Published once: a second publication is refused.
    expect(await statusOf(publishCatalogueEntry(deps(), await as('center'), entry.id, entryInput('再次'), await workflowNow()))).toBe(409);
  });

  it('the other, not published by the end of day 20, is overdue from Friday 00:00 and the office is told once; published then, it is late', async () => {
    expect((await entryOf(lateDoc)).overdue).toBe(false);
    await skipTo('2027-03-05 00:05');
    await waitFor(async () => (await entryOf(lateDoc)).overdue, 'the overdue mark');
    const told = await noticesLike(`catalogue-${(await entryOf(lateDoc)).id}:overdue`);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('应于2027年3月4日（含当日）前录入政府信息公开目录并公开');
    const late = await publishCatalogueEntry(
      deps(),
      await as('center'),
      (await entryOf(lateDoc)).id,
      entryInput('关于优化企业开办服务的若干规定'),
      await workflowNow(),
    );
    expect(late).toMatchObject({ onTime: false, overdue: true });
    expect(late.indexNo).not.toBe((await entryOf(onTimeDoc)).indexNo);
  });

  it('a repeal reopens the task: a new round due 20 working days after the change, the 索引号 kept, the document marked 已废止', async () => {
    await skipTo('2027-03-08 10:00');
    const changed = await changeDocument(
      deps(),
      await as('h-registration'),
      onTimeDoc,
      { changedOn: '2027-03-08', validity: 'repealed', changedByDocumentId: lateDoc },
      await workflowNow(),
    );
    expect(changed).toMatchObject({ validity: 'repealed', validityChangedOn: '2027-03-08', changedByDocumentId: lateDoc });
    // 9–12, 15–19, 22–26, 29–31 March, 1, 2, 5 April (no 清明 in the test notice): the 20th is Monday 5 April.
    expect(changed.entries.map((e) => [e.round, e.status, e.dueOn])).toEqual([
      [1, 'published', '2027-03-04'],
      [2, 'open', '2027-04-05'],
    ]);
    const round2 = await entryOf(onTimeDoc, 2);
    expect(round2.indexNo).toBe((await entryOf(onTimeDoc, 1)).indexNo);
  });
});

describe('条例 Art. 18: withheld information is re-reviewed', () => {
  it('a 不予公开 decision needs a basis and a re-review date, and the office is reminded on that day', async () => {
    const now = await workflowNow();
    const doc = await registerDocument(
      deps(),
      await as('h-registration'),
      { ...regulation('登记业务内部请示', '', '2027-03-08'), category: 'other', docNumber: null },
      now,
    );
    expect(
      await statusOf(
        decideDisclosure(deps(), await as('office'), doc.id, { decision: 'withheld', legalBasis: null, reason: '', reReviewOn: null }, now),
      ),
    ).toBe(400);
    const withheld = await decideDisclosure(
      deps(),
      await as('office'),
      doc.id,
      { decision: 'withheld', legalBasis: 'art16_process_information', reason: '请示报告', reReviewOn: '2027-03-15' },
      now,
    );
    expect(withheld).toMatchObject({ decision: 'withheld', reReviewOn: '2027-03-15', entries: [] });
    expect(await noticesLike(`disclosure-${doc.id}:re-review:%`)).toHaveLength(0);
    await skipTo('2027-03-15 00:10');
    await waitFor(async () => (await noticesLike(`disclosure-${doc.id}:re-review:2027-03-15`)).length === 1, 'the re-review reminder');
  });
});

describe('the on-time share per department and year (feeds the annual report)', () => {
  it('2027, 登记注册局: 3 due, 2 published, 1 on time, 1 late, 1 open', async () => {
    expect(await statusOf(catalogueTimeliness({ db: h.db }, await as('h-registration'), 2027))).toBe(403);
    const t = await catalogueTimeliness({ db: h.db }, await as('office'), 2027, await workflowNow());
    expect(t.departments.find((d) => d.departmentId === REGISTRATION)).toEqual({
      departmentId: REGISTRATION,
      department: '登记注册局',
      due: 3,
      published: 2,
      onTime: 1,
      late: 1,
      open: 1,
      overdueOpen: 0,
    });
  });
});

describe('bad input answers 400 with Chinese field messages (API)', () => {
  it('an unknown category, a missing 文号 where the category needs one, a future 成文日期', async () => {
    const token = await h.login('h-registration');
    const post = (payload: object) => h.app.inject({ method: 'POST', url: '/api/disclosure/documents', headers: bearer(token), payload });
    const unknown = await post({ ...regulation('x', '闽市监规〔2027〕5号'), category: 'weather' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields['body.category']).toBe('请选择信息类别');
    const noNumber = await post({ ...regulation('x', ''), docNumber: null });
    expect(noNumber.statusCode).toBe(400);
    expect(noNumber.json().error.fields['body.docNumber']).toBe('规章和行政规范性文件须填写文号');
    // The API stamps real now (December 2026): a 成文日期 in 2027 is in the future.
    const future = await post(regulation('x', '闽市监规〔2027〕6号', '2027-01-29'));
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields['body.formedOn']).toBe('成文日期不能晚于今天');
  });
});
