import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigests } from '../../src/digest/service.js';
import { digests } from '../../src/digest/tables.js';
import {
  decideLinkApplication,
  getLinkApplication,
  listLinkApplications,
  submitLinkApplication,
} from '../../src/links/service/applications.js';
import { isApprovedLink } from '../../src/links/service/approved.js';
import { linkApplications } from '../../src/links/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { approvedLink, itemThroughChain } from '../support/link-items.js';
import { loadNotice2027, skippingClock } from '../support/time-skipping.js';
import { staffViewers } from '../support/viewers.js';
import { waitFor } from '../support/wait.js';

// Measures Art. 24: a department that links to another website fills the 外部链接审核表; the general office
// reviews it and the bureau leader in charge of the office approves it before the link goes up. Art. 27(二):
// no links to illegal or commercial sites — a non-government target needs a justification and is flagged.
// On the time-skipping server each step is due within LINK_STEP_WORKING_DAYS (2) working days: applied
// Wednesday 2027-02-03, 春节 4–10 February off, so day 1 is Thursday 11 and day 2 Friday 12 February.

let h: Harness;
const { workflowNow, skipTo } = skippingClock(() => h);
const as = staffViewers(() => h, 'links-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const statusOf = async (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode ?? 500,
  );
const gov = {
  placement: '首页 · 政府网站链接',
  targetUrl: 'https://www.fujian.gov.cn/',
  siteName: '福建省人民政府',
  siteOwner: '福建省人民政府办公厅',
  purpose: '首页友情链接',
};
const rowOf = async (id: number) => (await h.db.select().from(linkApplications).where(eq(linkApplications.id, id)))[0]!;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  await loadNotice2027(h);
  await skipTo('2027-02-03 10:00');
});
afterAll(async () => h?.close());

describe('Art. 24 the application form', () => {
  it('a non-government target without a justification is refused with a Chinese field message (Art. 27(二))', async () => {
    const token = await h.login('h-registration');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/links/applications',
      headers: bearer(token),
      payload: { ...gov, targetUrl: 'https://shop.example.com/', siteName: '某商城' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['body.justification']).toContain('链接到非政府网站须说明理由');
  });
  it('the URL must be http(s) without credentials', async () => {
    const token = await h.login('h-registration');
    const post = (targetUrl: string) =>
      h.app.inject({ method: 'POST', url: '/api/links/applications', headers: bearer(token), payload: { ...gov, targetUrl } });
    const withUser = await post('https://admin:secret@www.fujian.gov.cn/');
    expect(withUser.statusCode).toBe(400);
    expect(withUser.json().error.fields['body.targetUrl']).toBe('链接地址中不能包含用户名或密码');
    const ftp = await post('ftp://www.fujian.gov.cn/');
    expect(ftp.json().error.fields['body.targetUrl']).toBe('链接地址只能是 http:// 或 https:// 地址');
    expect((await post('不是地址')).json().error.fields['body.targetUrl']).toBe('链接地址格式不正确，应以 http:// 或 https:// 开头');
  });
  it('.gov.cn, .政务 and a listed organisation are government sites; others are flagged', async () => {
    const d = { ...deps(), env: { ...h.env, LINK_GOVERNMENT_HOSTS: 'cnca.cn' } };
    const h5 = await as('h-registration');
    const now = await workflowNow();
    const a = await submitLinkApplication(d, h5, { ...gov, targetUrl: 'https://www.zhengfu.政务/' }, now);
    const b = await submitLinkApplication(d, h5, { ...gov, targetUrl: 'https://www.cnca.cn/' }, now);
    const c = await submitLinkApplication(d, h5, { ...gov, targetUrl: 'https://www.example.com/', justification: '标准查询服务' }, now);
    expect([a.government, b.government, c.government]).toEqual([true, true, false]);
    expect([a.flagged, c.flagged]).toEqual([false, true]);
    expect(a.targetHost).toBe('www.zhengfu.xn--zfr164b');
  });
});

describe('Art. 24 apply → office review → the bureau leader in charge of the office → placed', () => {
  let id = 0;
  it('applied: at the office, due Friday 2027-02-12 (春节 skipped); only approved links may be placed', async () => {
    const a = await submitLinkApplication(deps(), await as('h-registration'), gov, await workflowNow());
    id = a.id;
    expect(a).toMatchObject({ status: 'at_office', stepDueOn: '2027-02-12', stepOverdue: false, government: true });
    expect(await isApprovedLink(h.db, 'https://www.fujian.gov.cn/some/page')).toBe(false);
  });
  it('the department may not review, the office may not take the leader step', async () => {
    expect(await statusOf(decideLinkApplication(deps(), await as('l-registration'), id, { decision: 'approve' }))).toBe(403);
    expect(await statusOf(decideLinkApplication(deps(), await as('leader'), id, { decision: 'approve' }))).toBe(403);
  });
  it('the office approves: at the leader with a new 2-working-day limit; the leader approves: placed', async () => {
    await skipTo('2027-02-11 09:00');
    const reviewed = await decideLinkApplication(
      deps(),
      await as('office'),
      id,
      { decision: 'approve', reason: '同意' },
      await workflowNow(),
    );
    expect(reviewed).toMatchObject({ status: 'at_leader', stepDueOn: '2027-02-15' });
    expect(await statusOf(decideLinkApplication(deps(), await as('office'), id, { decision: 'approve' }))).toBe(403);
    const approved = await decideLinkApplication(deps(), await as('leader'), id, { decision: 'approve' }, await workflowNow());
    expect(approved).toMatchObject({ status: 'approved', stepDueOn: null });
    expect(approved.decisions.map((d) => [d.step, d.decision])).toEqual([
      ['office', 'approve'],
      ['leader', 'approve'],
    ]);
    expect(await isApprovedLink(h.db, 'https://www.fujian.gov.cn/some/page')).toBe(true);
    expect(await statusOf(decideLinkApplication(deps(), await as('leader'), id, { decision: 'approve' }))).toBe(409);
  });
  it('withdrawn by the department: no longer approved', async () => {
    const w = await decideLinkApplication(deps(), await as('h-registration'), id, { decision: 'withdraw' }, await workflowNow());
    expect(w.status).toBe('withdrawn');
    expect(await isApprovedLink(h.db, 'https://www.fujian.gov.cn/')).toBe(false);
  });
});

describe('Art. 24 refused and returned', () => {
  it('the leader refuses a commercial link only with a reason; the office returns one with a reason', async () => {
    const now = await workflowNow();
    const c = await submitLinkApplication(
      deps(),
      await as('h-registration'),
      { ...gov, targetUrl: 'https://mall.example.com/', siteName: '某商城', justification: '合作推广' },
      now,
    );
    await decideLinkApplication(deps(), await as('office'), c.id, { decision: 'approve' }, now);
    expect(await statusOf(decideLinkApplication(deps(), await as('leader'), c.id, { decision: 'refuse' }, now))).toBe(400);
    const refused = await decideLinkApplication(
      deps(),
      await as('leader'),
      c.id,
      { decision: 'refuse', reason: '商业网站，不予链接' },
      now,
    );
    expect(refused).toMatchObject({ status: 'refused', flagged: true });
    expect(await isApprovedLink(h.db, 'https://mall.example.com/')).toBe(false);
    const r = await submitLinkApplication(deps(), await as('h-registration'), { ...gov, targetUrl: 'https://www.samr.gov.cn/' }, now);
    const returned = await decideLinkApplication(deps(), await as('office'), r.id, { decision: 'return', reason: '请补充用途' }, now);
    expect(returned.status).toBe('returned');
    expect(returned.decisions[0]).toMatchObject({ step: 'office', decision: 'return', reason: '请补充用途' });
  });
  it('department staff see their own department only; the office sees all', async () => {
    const mine = await listLinkApplications(deps(), await as('h-credit'));
    expect(mine.items).toEqual([]);
    expect((await listLinkApplications(deps(), await as('office'))).items.length).toBeGreaterThanOrEqual(5);
  });
});

describe('Art. 24 the step limit on Temporal', () => {
  it('an office step applied 2027-02-03 is not overdue at 23:00 on Friday 12 February, overdue after it, and in the office digest', async () => {
    // Submitted in the first describe at 2027-02-03 10:00 and never reviewed.
    const [pending] = (await listLinkApplications(deps(), await as('office'), { status: 'at_office' })).items.filter(
      (a) => a.stepDueOn === '2027-02-12',
    );
    expect(pending).toBeDefined();
    await skipTo('2027-02-12 23:00');
    expect((await rowOf(pending!.id)).stepOverdue).toBe(false);
    await skipTo('2027-02-13 00:30');
    await waitFor(async () => (await rowOf(pending!.id)).stepOverdue, 'the office step marked overdue');
    expect((await getLinkApplication(deps(), await as('office'), pending!.id)).stepOverdue).toBe(true);
    await buildDigests(deps(), '2027-02-15');
    const [office] = await h.db.select().from(digests).where(eq(digests.kind, 'office'));
    const tasks =
      (office!.content as { overdueTasks?: { kind: string; ref: number; dueDate: string; workingDaysOverdue?: number }[] }).overdueTasks ??
      [];
    expect(tasks.find((t) => t.kind === 'link' && t.ref === pending!.id)).toMatchObject({ dueDate: '2027-02-12', workingDaysOverdue: 1 });
  });
});

describe('Art. 24 publishing refuses an item linking to an unapproved external site', () => {
  it('409 with the host named, until the link is approved; internal links need nothing', async () => {
    const body = '详见[国家认监委](https://www.cnca.gov.cn/zwxx/)和[本站栏目](/columns/tzgg)。';
    const item = await itemThroughChain(h, as, '关于认证机构名录的通知', body);
    const refused = await item.publish().then(
      () => null,
      (e: { statusCode: number; message: string }) => e,
    );
    expect(refused?.statusCode).toBe(409);
    expect(refused?.message).toContain('正文链接的外部网站未经审批，不能发布：www.cnca.gov.cn');
    await approvedLink(h, as, 'https://www.cnca.gov.cn/', '国家认证认可监督管理委员会', await workflowNow());
    const published = await item.publish();
    expect(published.status).toBe('published');
  });
});
