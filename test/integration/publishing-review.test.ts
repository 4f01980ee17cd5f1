import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { staff } from '../../src/auth/tables.js';
import type { Viewer } from '../../src/auth/viewer.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { notifications } from '../../src/notifications/tables.js';
import { columnBySlug } from '../../src/publishing/service/columns.js';
import { createDraft, getItem, saveVersion } from '../../src/publishing/service/items.js';
import { publishForm } from '../../src/publishing/service/publish.js';
import { decideStep, reviewQueue, submitForReview, takeDownItem, withdrawForm } from '../../src/publishing/service/review.js';
import { reviewForms, siteItems } from '../../src/publishing/tables.js';
import { reviewWorkflowIdOf } from '../../workflows/messages.js';
import { bearer, DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { NOTICE_2027, skippingClock } from '../support/time-skipping.js';
import { waitFor } from '../support/wait.js';

// Issue 15, the review chain of the 省局网站信息发布审核单 (measures Art. 20): drafter → department
// leader with the secrecy review (二) → the bureau leader in charge signs; news through the publicity
// office's second review and published by the service centre (五); returns, edits voiding approvals,
// step time limits in working days (setting REVIEW_STEP_WORKING_DAYS, 2) and scheduled publication on
// Temporal's time-skipping server; the general office's takedown (Art. 27(三)).
//
// Real now is December 2026, so the timed scenarios run in February 2027 under a fixture notice:
// 春节 Thursday 4 – Wednesday 10 February, Saturday 20 February worked (as in mailbox-rating-reopen.test.ts).

let h: Harness;
const viewers: Record<string, Viewer> = {};
const at = (chinaTime: string) => parseChinaInstant(chinaTime)!;
const { workflowNow, skipTo } = skippingClock(() => h);
async function as(username: string): Promise<Viewer> {
  if (viewers[username]) return viewers[username];
  const token = await h.login(username);
  const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
  return (viewers[username] = { staff: me.json(), ip: '127.0.0.1', requestId: 'publishing-test' });
}
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const statusOf = async (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode ?? 500,
  );
const messageOf = async (p: Promise<unknown>) =>
  p.then(
    () => '',
    (e: Error) => e.message,
  );
const itemRow = async (id: number) => (await h.db.select().from(siteItems).where(eq(siteItems.id, id)))[0]!;
const formRow = async (id: number) => (await h.db.select().from(reviewForms).where(eq(reviewForms.id, id)))[0]!;
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true } as const;
const submit = (itemId: number, now?: Date) =>
  as('h-registration').then((v) => submitForReview(deps(), v, itemId, { art19: ART19, secrecy: 'no_secret' }, now));

async function draftIn(slug: string, title: string, contentType: 'notice' | 'article' = 'notice', who = 'h-registration') {
  const column = (await columnBySlug(h.db, slug))!;
  const item = await createDraft(deps(), await as(who), {
    columnId: column.id,
    contentType,
    title,
    summary: '',
    body: `${title}的正文。<script>alert(1)</script>`,
    qaPairs: [],
    relatedItemIds: [],
  });
  return item.id;
}

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  const put = await h.app.inject({
    method: 'PUT',
    url: '/api/calendar/years/2027',
    headers: bearer(await h.login('admin')),
    payload: NOTICE_2027,
  });
  expect(put.statusCode, put.body).toBe(200);
  // A second bureau leader, in charge of no department.
  await h.db.insert(staff).values({
    username: 'leader-2',
    displayName: '另一位局领导',
    passwordHash: await hashPassword(DEMO_PASSWORD),
    roles: ['bureau_leader'],
    departmentId: null,
  });
});
afterAll(async () => h?.close());

describe('Art. 20 (一)-(三): an article through department leader and bureau leader, with who may do what', () => {
  let itemId: number;
  let formId: number;

  it('a drafter may draft only in columns of a kind their department supplies; a bureau leader may not draft', async () => {
    const policyColumn = (await columnBySlug(h.db, 'zcwj'))!;
    const wrongType = createDraft(deps(), await as('h-registration'), {
      columnId: policyColumn.id,
      contentType: 'notice',
      title: '类型不符',
      summary: '',
      body: '正文',
      qaPairs: [],
      relatedItemIds: [],
    });
    expect(await messageOf(wrongType)).toBe('该栏目不发布这类内容');
    const group = (await columnBySlug(h.db, 'zwgk'))!;
    const inGroup = createDraft(deps(), await as('h-registration'), {
      columnId: group.id,
      contentType: 'article',
      title: '栏目分组',
      summary: '',
      body: '正文',
      qaPairs: [],
      relatedItemIds: [],
    });
    expect(await statusOf(inGroup)).toBe(403);
    expect(await statusOf(draftIn('tzgg', '局领导起草', 'notice', 'leader'))).toBe(403);
  });

  it('submitted: the form waits for 登记注册局 leader; the drafter and another department leader cannot approve it', async () => {
    itemId = await draftIn('tzgg', '关于开展计量器具专项检查的通知');
    expect(
      await statusOf(submitForReview(deps(), await as('h-registration'), itemId, { art19: ART19, secrecy: 'needs_secrecy_office' })),
    ).toBe(409);
    const form = await submit(itemId);
    formId = form.id;
    expect(form).toMatchObject({ status: 'at_step', step: 'dept_leader', steps: ['dept_leader', 'bureau_leader'], signed: false });
    expect(await statusOf(submit(itemId))).toBe(409); // already under review
    const approve = { decision: 'approved', opinion: '', secrecy: 'no_secret' } as const;
    expect(await messageOf(decideStep(deps(), await as('h-registration'), formId, approve))).toBe('不能审核本人起草的信息');
    // Another department's leader does not even see it.
    expect(await statusOf(decideStep(deps(), await as('l-credit'), formId, approve))).toBe(404);
    expect(await statusOf(decideStep(deps(), await as('publicity'), formId, approve))).toBe(403);
    expect(await statusOf(decideStep(deps(), await as('leader'), formId, approve))).toBe(403);
    expect((await itemRow(itemId)).state).toBe('draft');
  });

  it('the department leader must record 不涉及国家秘密 to approve; then the bureau leader in charge signs (not another one)', async () => {
    const noSecrecy = decideStep(deps(), await as('l-registration'), formId, { decision: 'approved', opinion: '' });
    expect(await statusOf(noSecrecy)).toBe(409);
    const afterDept = await decideStep(deps(), await as('l-registration'), formId, {
      decision: 'approved',
      opinion: '同意发布',
      secrecy: 'no_secret',
    });
    expect(afterDept).toMatchObject({ status: 'at_step', step: 'bureau_leader' });
    expect(afterDept.decisions).toEqual([
      expect.objectContaining({ step: 'dept_leader', decision: 'approved', secrecy: 'no_secret', decider: '登记注册局负责人' }),
    ]);
    expect((await itemRow(itemId)).state).toBe('draft');
    const queue = await reviewQueue(deps(), await as('leader'));
    expect(queue.items.map((f) => f.id)).toContain(formId);
    expect((await reviewQueue(deps(), await as('leader-2'))).items.map((f) => f.id)).not.toContain(formId);
    const other = decideStep(deps(), await as('leader-2'), formId, { decision: 'approved', opinion: '' });
    expect(await messageOf(other)).toBe('只有分管该处室的局领导可以签发');
    const signed = await decideStep(deps(), await as('leader'), formId, { decision: 'approved', opinion: '同意' });
    expect(signed).toMatchObject({ status: 'approved', step: null, signed: true });
    expect(signed.decisions.map((d) => `${d.step}:${d.decider}`)).toEqual(['dept_leader:登记注册局负责人', 'bureau_leader:局领导']);
    expect((await itemRow(itemId)).state).toBe('draft');
  });

  it('published by the drafter (not the service centre) at the system time; a decision on a signed form is refused', async () => {
    expect(await statusOf(publishForm(deps(), await as('center'), formId, {}))).toBe(403);
    expect(await statusOf(decideStep(deps(), await as('leader'), formId, { decision: 'returned', opinion: '再看看' }))).toBe(409);
    const before = Date.now();
    const published = await publishForm(deps(), await as('h-registration'), formId, {});
    expect(published.status).toBe('published');
    const item = await itemRow(itemId);
    expect(item).toMatchObject({ state: 'published', publishedVersion: 1, updatedPublishedAt: null });
    expect(item.firstPublishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(item.firstPublishedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await statusOf(publishForm(deps(), await as('h-registration'), formId, {}))).toBe(409);
  });

  it('a change to the published item is a new version through the chain again; publishing it sets 更新时间, not 发布时间', async () => {
    const first = (await itemRow(itemId)).firstPublishedAt!;
    await saveVersion(deps(), await as('h-registration'), itemId, {
      title: '关于开展计量器具专项检查的通知（更正）',
      summary: '',
      body: '更正后的正文',
      qaPairs: [],
      relatedItemIds: [],
    });
    expect((await itemRow(itemId)).publishedVersion).toBe(1);
    const form = await submit(itemId);
    await decideStep(deps(), await as('l-registration'), form.id, { decision: 'approved', opinion: '', secrecy: 'no_secret' });
    await decideStep(deps(), await as('leader'), form.id, { decision: 'approved', opinion: '' });
    await publishForm(deps(), await as('h-registration'), form.id, {});
    const item = await itemRow(itemId);
    expect(item.publishedVersion).toBe(2);
    expect(item.firstPublishedAt!.getTime()).toBe(first.getTime());
    expect(item.updatedPublishedAt!.getTime()).toBeGreaterThanOrEqual(first.getTime());
  });

  it('Art. 27(三): only the general office takes it down, with a reason; the department is told; the record stays', async () => {
    expect(await statusOf(takeDownItem(deps(), await as('leader'), itemId, '内容过时'))).toBe(403);
    await takeDownItem(deps(), await as('office'), itemId, '内容已过时');
    expect(await itemRow(itemId)).toMatchObject({ state: 'taken_down', takedownReason: '内容已过时', publishedVersion: 2 });
    expect(await statusOf(takeDownItem(deps(), await as('office'), itemId, '再次'))).toBe(409);
    const [notice] = await h.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `item-${itemId}:taken-down`));
    expect(notice!.text).toContain('内容已过时');
    expect((await getItem(deps(), await as('h-registration'), itemId)).forms).toHaveLength(2);
    expect(await statusOf(submit(itemId))).toBe(409);
  });
});

describe('Art. 20(五): news through the publicity office, published by the service centre', () => {
  it('the publicity office approves with edits (a new version by it); the bureau leader is not needed by default', async () => {
    const itemId = await draftIn('gzdt', '我局召开食品安全工作会议', 'article');
    const form = await submit(itemId);
    expect(form.steps).toEqual(['dept_leader', 'publicity']);
    await decideStep(deps(), await as('l-registration'), form.id, { decision: 'approved', opinion: '', secrecy: 'no_secret' });
    expect(
      await statusOf(decideStep(deps(), await as('l-registration'), form.id, { decision: 'approved', opinion: '', secrecy: 'no_secret' })),
    ).toBe(403);
    const edited = await decideStep(deps(), await as('publicity'), form.id, {
      decision: 'approved',
      opinion: '修改标题后采用',
      edits: { title: '省局召开全省食品安全工作会议' },
    });
    expect(edited).toMatchObject({ status: 'approved', version: 2, title: '省局召开全省食品安全工作会议' });
    expect(await messageOf(publishForm(deps(), await as('h-registration'), form.id, {}))).toBe('该栏目由行政服务中心发布');
    await publishForm(deps(), await as('center'), form.id, {});
    expect(await itemRow(itemId)).toMatchObject({ state: 'published', publishedVersion: 2 });
  });

  it('the publicity office may reject (不予采用) with an opinion; a department leader may only return', async () => {
    const itemId = await draftIn('gzdt', '处室内部会议简讯', 'article');
    const form = await submit(itemId);
    expect(await statusOf(decideStep(deps(), await as('l-registration'), form.id, { decision: 'rejected', opinion: '不用' }))).toBe(409);
    await decideStep(deps(), await as('l-registration'), form.id, { decision: 'approved', opinion: '', secrecy: 'no_secret' });
    expect(await statusOf(decideStep(deps(), await as('publicity'), form.id, { decision: 'rejected', opinion: '' }))).toBe(400);
    const rejected = await decideStep(deps(), await as('publicity'), form.id, { decision: 'rejected', opinion: '新闻价值不足' });
    expect(rejected.status).toBe('rejected');
    expect((await itemRow(itemId)).state).toBe('draft');
  });
});

describe('Art. 20: returns, resubmission, edits that void approvals, withdrawal', () => {
  it('returned with comments goes back to the drafter (the department is told); resubmission starts a new form at the first step', async () => {
    const itemId = await draftIn('tzgg', '关于征求意见的通知');
    const form = await submit(itemId);
    const returned = await decideStep(deps(), await as('l-registration'), form.id, { decision: 'returned', opinion: '请补充联系方式' });
    expect(returned.status).toBe('returned');
    const [notice] = await h.db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `review-${form.id}:returned`));
    expect(notice!.text).toContain('请补充联系方式');
    const again = await submit(itemId);
    expect(again.id).not.toBe(form.id);
    expect(again).toMatchObject({ status: 'at_step', step: 'dept_leader', decisions: [] });
  });

  it('an edit after the department leader approved voids that form; the new version needs the whole chain', async () => {
    const itemId = await draftIn('tzgg', '关于调整办公时间的通知');
    const form = await submit(itemId);
    await decideStep(deps(), await as('l-registration'), form.id, { decision: 'approved', opinion: '', secrecy: 'no_secret' });
    await saveVersion(deps(), await as('h-registration'), itemId, {
      title: '关于调整办公时间的通知',
      summary: '',
      body: '改了一个字',
      qaPairs: [],
      relatedItemIds: [],
    });
    expect((await formRow(form.id)).status).toBe('voided');
    expect(await statusOf(decideStep(deps(), await as('leader'), form.id, { decision: 'approved', opinion: '' }))).toBe(409);
    const again = await submit(itemId);
    expect(again).toMatchObject({ version: 2, step: 'dept_leader' });
  });

  it('the drafter (only) withdraws before publication', async () => {
    const itemId = await draftIn('tzgg', '拟撤回的通知');
    const form = await submit(itemId);
    expect(await statusOf(withdrawForm(deps(), await as('l-registration'), form.id))).toBe(403);
    expect((await withdrawForm(deps(), await as('h-registration'), form.id)).status).toBe('withdrawn');
    expect(await statusOf(withdrawForm(deps(), await as('h-registration'), form.id))).toBe(409);
  });
});

describe('issue 15 point 7: a step overdue after 2 working days across 春节 2027, on the time-skipping server', () => {
  let formId: number;
  it('submitted Wednesday 2027-02-03 10:00: the department leader step is due Friday 2027-02-12 (4–10 February are holidays)', async () => {
    await skipTo('2027-02-03 10:00');
    const itemId = await draftIn('tzgg', '春节期间值班安排');
    const form = await submit(itemId, await workflowNow());
    formId = form.id;
    expect(form.stepDueDate).toBe('2027-02-12');
    await waitFor(async () => (await formRow(formId)).syncedSeq >= (await formRow(formId)).changeSeq, 'the workflow saw the submission');
    expect((await h.temporal.client.workflow.getHandle(reviewWorkflowIdOf(formId)).describe()).status.name).toBe('RUNNING');
  });

  it('not overdue on Friday 2027-02-12 23:00; overdue from Saturday 2027-02-13 00:00, the general office is told once', async () => {
    await skipTo('2027-02-12 23:00');
    await new Promise((r) => setTimeout(r, 500));
    expect((await formRow(formId)).stepOverdue).toBe(false);
    await skipTo('2027-02-13 00:30');
    await waitFor(async () => (await formRow(formId)).stepOverdue, 'step marked overdue');
    const sent = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, 'review_step_overdue')));
    expect(sent.filter((n) => n.dedupeKey.startsWith(`review-${formId}:`))).toHaveLength(1);
    expect(sent.find((n) => n.dedupeKey.startsWith(`review-${formId}:`))!.text).toContain('2027-02-12');
  });

  it('the late decision is recorded as late; the bureau leader step gets its own limit from that day', async () => {
    const now = await workflowNow();
    const form = await decideStep(
      deps(),
      await as('l-registration'),
      formId,
      { decision: 'approved', opinion: '', secrecy: 'no_secret' },
      now,
    );
    expect(form.decisions[0]).toMatchObject({ dueDate: '2027-02-12', late: true });
    // Saturday 13 February: the clock starts on Monday 15th; 2 working days → Tuesday 16th.
    expect(form).toMatchObject({ step: 'bureau_leader', stepDueDate: '2027-02-16', stepOverdue: false });
  });
});

describe('issue 15 point 4: a scheduled publication is stamped when it happens', () => {
  it('scheduled for Tuesday 2027-02-16 09:00: not public before; published by the workflow with that time', async () => {
    await skipTo('2027-02-15 09:00');
    const itemId = await draftIn('tzgg', '定时发布的通知');
    const now = await workflowNow();
    const form = await submit(itemId, now);
    await decideStep(deps(), await as('l-registration'), form.id, { decision: 'approved', opinion: '', secrecy: 'no_secret' }, now);
    await decideStep(deps(), await as('leader'), form.id, { decision: 'approved', opinion: '' }, now);
    const scheduled = await publishForm(deps(), await as('h-registration'), form.id, { at: '2027-02-16T09:00:00+08:00' }, now);
    expect(scheduled.status).toBe('scheduled');
    const inThePast = publishForm(deps(), await as('h-registration'), form.id, { at: '2027-02-14T09:00:00+08:00' }, now);
    expect(await statusOf(inThePast)).toBe(409); // already scheduled
    await skipTo('2027-02-16 08:59');
    await new Promise((r) => setTimeout(r, 500));
    expect((await itemRow(itemId)).state).toBe('draft');
    await skipTo('2027-02-16 09:01');
    const item = await waitFor(async () => {
      const row = await itemRow(itemId);
      return row.state === 'published' && row;
    }, 'the scheduled publication');
    expect(item.firstPublishedAt!.getTime()).toBeGreaterThanOrEqual(at('2027-02-16 09:00').getTime());
    expect(item.firstPublishedAt!.getTime()).toBeLessThanOrEqual(at('2027-02-16 09:01').getTime());
    expect((await formRow(form.id)).status).toBe('published');
  });
});
