import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { listDigests, buildDigests } from '../../src/digest/service.js';
import type { DepartmentDigest, OfficeDigest } from '../../src/digest/rules.js';
import { digestEmail } from '../../src/digest/email.js';
import { columnBySlug } from '../../src/publishing/service/columns.js';
import { createDraft } from '../../src/publishing/service/items.js';
import { decideStep, submitForReview } from '../../src/publishing/service/review.js';
import { decideDisclosure } from '../../src/disclosure/service/decisions.js';
import { registerDocument } from '../../src/disclosure/service/documents.js';
import { confirmHandIn } from '../../src/handin/service/hand-ins.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Issue 15 point 7: each step of the review chain (measures Art. 20) has a time limit of
// REVIEW_STEP_WORKING_DAYS (2) working days; issue 16 point 3: a 主动公开 document's catalogue entry is
// due within 20 working days (条例 Art. 26). Both are reminded in the daily digest (Art. 22's daily
// reminder by the service centre). 国庆 2026: 1–7 October off, Saturday 10 October worked. Forms submitted on
// Wednesday 30 September are due Friday 9 October (8 Oct and 9 Oct are the two working days).

let h: Harness;
const as = staffViewers(() => h, 'digest-review-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true } as const;
const submittedAt = parseChinaInstant('2026-09-30 10:00')!;
let noticeForm = 0;
let newsForm = 0;
let documentId = 0;

async function submitted(slug: string, title: string, contentType: 'notice' | 'article') {
  const column = (await columnBySlug(h.db, slug))!;
  const drafter = await as('h-registration');
  const item = await createDraft(deps(), drafter, {
    columnId: column.id,
    contentType,
    title,
    summary: '',
    body: '正文',
    qaPairs: [],
    relatedItemIds: [],
  });
  return (await submitForReview(deps(), drafter, item.id, { art19: ART19, secrecy: 'no_secret' }, submittedAt)).id;
}

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  noticeForm = await submitted('tzgg', '关于开展计量器具专项检查的通知', 'notice');
  newsForm = await submitted('gzdt', '我局召开食品安全工作会议', 'article');
  // The department leader's first review of the news, on the same day: it goes to the publicity office.
  const approve = { decision: 'approved', opinion: '同意', secrecy: 'no_secret' } as const;
  await decideStep(deps(), await as('l-registration'), newsForm, approve, parseChinaInstant('2026-09-30 11:00')!);
  // A 主动公开 document formed the same day: its catalogue entry is due 20 working days later (条例 Art. 26):
  // 8, 9, 10 (Sat), 12–16, 19–23, 26–30 October, 2, 3 November.
  const doc = await registerDocument(
    deps(),
    await as('h-registration'),
    {
      title: '企业登记业务办理规范',
      docNumber: '闽市监规〔2026〕8号',
      departmentId: 5,
      category: 'regulation',
      subject: '',
      summary: '',
      formedOn: '2026-09-30',
    },
    submittedAt,
  );
  documentId = doc.id;
  await decideDisclosure(
    deps(),
    await as('office'),
    doc.id,
    { decision: 'proactive', legalBasis: null, reason: '', reReviewOn: null },
    submittedAt,
  );
  // The forms above are of Q3 2026: 登记注册局 hands them in on 1 October (measures Art. 20(四)), so the task
  // lists below stay those of the review chain and the catalogue (handin.test.ts covers the hand-in task).
  await confirmHandIn(deps(), await as('l-registration'), 5, { year: 2026, q: 3 }, parseChinaInstant('2026-10-01 09:00')!);
});
afterAll(async () => {
  await h?.close();
});

const digestsOf = async (day: string) => {
  await buildDigests(deps(), day);
  return listDigests({ db: h.db }, await as('office'), day);
};

describe('the review steps in the daily digest (issue 15 point 7, Art. 20 and Art. 22)', () => {
  it('2026-10-09, the due day: the supplying department sees both forms due today, the publicity office its second review', async () => {
    const rows = await digestsOf('2026-10-09');
    const registration = rows.find((r) => r.kind === 'department' && r.departmentName === '登记注册局')!.content as DepartmentDigest;
    expect(registration.tasks).toEqual([
      {
        kind: 'review',
        ref: noticeForm,
        title: '关于开展计量器具专项检查的通知',
        stepLabel: '处室负责人审核',
        departmentName: '登记注册局',
        dueDate: '2026-10-09',
        workingDaysLeft: 0,
      },
      {
        kind: 'review',
        ref: newsForm,
        title: '我局召开食品安全工作会议',
        stepLabel: '应急宣传处复审',
        departmentName: '登记注册局',
        dueDate: '2026-10-09',
        workingDaysLeft: 0,
      },
      {
        kind: 'catalogue',
        ref: documentId,
        title: '企业登记业务办理规范',
        stepLabel: '录入政府信息公开目录',
        departmentName: '登记注册局',
        dueDate: '2026-11-03',
        workingDaysLeft: 18,
      },
    ]);
    const publicity = rows.find((r) => r.departmentName === '应急宣传处')!.content as DepartmentDigest;
    expect(publicity.tasks!.map((f) => f.ref)).toEqual([newsForm]);
    const office = rows.find((r) => r.kind === 'office')!.content as OfficeDigest;
    expect(office.overdueTasks).toBeUndefined();
    const mail = digestEmail('2026-10-09', registration);
    expect(mail.text).toContain(
      `审核单 ${noticeForm} 《关于开展计量器具专项检查的通知》（处室负责人审核，提供处室：登记注册局，时限 2026年10月9日（含当日）前，今日到期）`,
    );
  });

  it('2026-10-12 (Monday; Saturday 10 October was worked): 2 working days overdue, and on the office digest', async () => {
    const rows = await digestsOf('2026-10-12');
    const registration = rows.find((r) => r.departmentName === '登记注册局' && r.kind === 'department')!.content as DepartmentDigest;
    expect(registration.tasks!.filter((f) => f.kind === 'review').map((f) => [f.ref, f.workingDaysOverdue])).toEqual([
      [noticeForm, 2],
      [newsForm, 2],
    ]);
    const office = rows.find((r) => r.kind === 'office')!;
    expect((office.content as OfficeDigest).overdueTasks!.filter((f) => f.kind === 'review').map((f) => f.ref)).toEqual([
      noticeForm,
      newsForm,
    ]);
    expect(office.itemCount).toBeGreaterThanOrEqual(2);
    const page = await h.app.inject({ method: 'GET', url: '/staff/digest?date=2026-10-12', headers: bearer(await h.login('office')) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('网站信息审核和政府信息公开超期');
    expect(page.body).toContain(`href="/staff/review-forms/${noticeForm}"`);
  });

  it('a decided step leaves the digest: after the department leader approves the notice it waits for the bureau leader', async () => {
    const approve = { decision: 'approved', opinion: '同意', secrecy: 'no_secret' } as const;
    await decideStep(deps(), await as('l-registration'), noticeForm, approve, parseChinaInstant('2026-10-12 15:00')!);
    const rows = await digestsOf('2026-10-13');
    const registration = rows.find((r) => r.departmentName === '登记注册局' && r.kind === 'department')!.content as DepartmentDigest;
    // Decided at 2026-10-12 15:00 → the bureau leader's 2 working days: 13 and 14 October.
    expect(registration.tasks!.find((f) => f.kind === 'review' && f.ref === noticeForm)).toMatchObject({
      stepLabel: '分管局领导签发',
      dueDate: '2026-10-14',
      workingDaysLeft: 1,
    });
  });
});

describe('the 主动公开 catalogue in the daily digest (issue 16 point 3, 条例 Art. 26; measures Art. 31)', () => {
  it('the service centre, which enters the catalogue, sees the round; once past 3 November the office sees it overdue', async () => {
    const oct = await digestsOf('2026-10-09');
    const center = oct.find((r) => r.departmentName === '行政服务中心')!.content as DepartmentDigest;
    expect(center.tasks!.filter((t) => t.kind === 'catalogue')).toEqual([
      expect.objectContaining({ ref: documentId, dueDate: '2026-11-03' }),
    ]);
    const nov = await digestsOf('2026-11-04');
    const office = nov.find((r) => r.kind === 'office')!;
    expect((office.content as OfficeDigest).overdueTasks!.find((t) => t.kind === 'catalogue')).toMatchObject({
      ref: documentId,
      workingDaysOverdue: 1,
    });
    const page = await h.app.inject({ method: 'GET', url: '/staff/digest?date=2026-11-04', headers: bearer(await h.login('office')) });
    expect(page.body).toContain(`href="/staff/disclosure/documents/${documentId}"`);
    expect(digestEmail('2026-11-04', office.content as OfficeDigest).text).toContain(
      `主动公开 ${documentId} 《企业登记业务办理规范》（录入政府信息公开目录`,
    );
  });
});
