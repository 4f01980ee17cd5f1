import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewSheetPdf } from '../../src/publishing/pages/review-pdf.js';
import { reviewSheet, SHEET_TITLE } from '../../src/publishing/pages/review-sheet.js';
import { getForm } from '../../src/publishing/service/records.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { fieldError, PageBrowser } from '../support/page-browser.js';

// Issue 15 points 5–8 through the staff pages (measures Art. 20): app.inject with a browser's cookies and
// CSRF tokens, real PostgreSQL, Temporal unreachable (decisions are PostgreSQL transactions; the review
// workflow's signal waits in the outbox). Draft → submit with the 审核单 → department leader with the
// secrecy review → bureau leader → published by the drafter; the refusals; the print page and the PDF.

let h: Harness;

/** A browser with its own cookies and address (test/support/page-browser.ts). */
class Browser extends PageBrowser {
  constructor() {
    super(() => h);
  }
}
const ALL_ART19: [string, string][] = ['lawful', 'accurate', 'fitToDisclose', 'fitToPublishNow'].map((p) => ['art19', p]);
const displayName = async (username: string) =>
  (await h.sql<{ name: string }[]>`select display_name as name from staff where username = ${username}`)[0]!.name;
const decisionsOf = async (formId: number) =>
  (await h.sql<{ n: number }[]>`select count(*)::int as n from review_decisions where form_id = ${formId}`)[0]!.n;

/** The drafter drafts an item in a column and submits it; answers the item's and the form's page. */
async function draftAndSubmit(drafter: Browser, placement: string, title: string, body: string) {
  const created = await drafter.submit('/staff/site/items/new', '/staff/site/items/new', { placement, title, summary: '', body });
  expect(created.statusCode, created.body.slice(0, 1500)).toBe(303);
  const item = String(created.headers.location).replace(/\?.*$/, '');
  expect(item).toMatch(/^\/staff\/site\/items\/\d+$/);
  const submitted = await drafter.submit(item, `${item}/submit`, [...ALL_ART19, ['secrecy', 'no_secret']]);
  expect(submitted.statusCode, submitted.body.slice(0, 1500)).toBe(303);
  const page = await drafter.get(item);
  const formId = Number(/href="\/staff\/review-forms\/(\d+)"/.exec(page.body)?.[1]);
  expect(formId).toBeGreaterThan(0);
  return { item, itemId: Number(item.split('/').pop()), form: `/staff/review-forms/${formId}`, formId };
}

/** The hex code points a PDF's ToUnicode maps glyphs to: the characters the document's text holds. */
function pdfUnicode(pdf: Buffer): Set<string> {
  const raw = pdf.toString('latin1');
  const out = new Set<string>();
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let text: string;
    try {
      text = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    if (!text.includes('begincmap')) continue;
    for (const hex of text.matchAll(/<([0-9a-fA-F]{4})>/g)) out.add(hex[1]!.toLowerCase());
  }
  return out;
}
const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0'));

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the review chain through the staff pages (measures Art. 20)', () => {
  it('Art. 20(一)-(三): draft → submit with the 审核单 → department leader (secrecy review) → bureau leader → the drafter publishes', async () => {
    const drafter = await new Browser().login('h-registration');
    const newPage = await drafter.get('/staff/site/items/new');
    expect(newPage.statusCode).toBe(200);
    expect(newPage.body).toContain('<option value="4:notice">通知公告 · 通知公告</option>');
    expect(newPage.body).toContain('正文使用 Markdown');
    // A group (政务公开) takes no items: it is not offered.
    expect(newPage.body).not.toContain('value="1:');

    // Bad input: the form again with the field's message and the text kept.
    const noTitle = await drafter.submit('/staff/site/items/new', '/staff/site/items/new', {
      placement: '4:notice',
      title: ' ',
      body: '正文',
    });
    expect(noTitle.statusCode).toBe(400);
    expect(fieldError(noTitle.body, 'f-new-title')).toBe('请填写标题');
    expect(noTitle.body).toContain('>正文</textarea>');

    const before = Date.now();
    const chain = await draftAndSubmit(
      drafter,
      '4:notice',
      '关于开展计量器具专项检查的通知',
      '各有关单位：\n\n**检查时间**为十二月。<script>alert(1)</script>',
    );
    const itemPage = await drafter.get(chain.item);
    // The current version previewed through renderBody: Markdown rendered, a tag typed by staff kept as text.
    expect(itemPage.body).toContain('<strong>检查时间</strong>');
    expect(itemPage.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(itemPage.body).not.toContain('<script>alert(1)</script>');
    expect(itemPage.body).toContain('审核中');
    expect(itemPage.body).toContain('撤回送审');

    // The drafter sees no decision form on their own item, and a decision posted by them is refused.
    const own = await drafter.get(chain.form);
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('id="decide"');
    const ownPost = await drafter.submit(chain.form, `${chain.form}/decision`, { decision: 'approved', secrecy: 'no_secret' });
    expect(ownPost.statusCode).toBe(403);
    expect(ownPost.body).toContain('无权访问');

    // The leader of another department does not see it, and cannot decide it.
    const otherLeader = await new Browser().login('l-credit');
    expect((await otherLeader.get(chain.form)).statusCode).toBe(404);
    expect((await otherLeader.get('/staff/review-forms')).body).not.toContain(`id="form-${chain.formId}"`);
    const other = await otherLeader.submit('/staff/review-forms', `${chain.form}/decision`, { decision: 'approved', secrecy: 'no_secret' });
    expect(other.statusCode).toBe(404);
    expect(await decisionsOf(chain.formId)).toBe(0);

    // The department leader: the form in their queue with its due date.
    const deptLeader = await new Browser().login('l-registration');
    const queue = await deptLeader.get('/staff/review-forms');
    expect(queue.body).toContain(`id="form-${chain.formId}"`);
    expect(queue.body).toContain('待办：<strong>处室负责人审核</strong>');
    expect(queue.body).toMatch(new RegExp(`id="form-${chain.formId}"[\\s\\S]*?badge-soon">期限 \\d{4}年\\d{1,2}月\\d{1,2}日`));
    // Past its limit (the review workflow marks it; publishing-review.test.ts runs that on the time-skipping server).
    await h.sql`update review_forms set step_overdue = true where id = ${chain.formId}`;
    expect((await deptLeader.get('/staff/review-forms')).body).toMatch(
      new RegExp(`id="form-${chain.formId}"[\\s\\S]*?badge-late">已超期 \\d{4}年\\d{1,2}月\\d{1,2}日`),
    );
    await h.sql`update review_forms set step_overdue = false where id = ${chain.formId}`;
    const formPage = await deptLeader.get(chain.form);
    expect(formPage.body).toContain('id="decide"');
    expect(formPage.body).toContain('name="secrecy"');
    expect(formPage.body).not.toContain('value="rejected"');

    // A return without a comment: 400, the field's message, nothing stored.
    const bare = await deptLeader.submit(chain.form, `${chain.form}/decision`, { decision: 'returned', opinion: '  ' });
    expect(bare.statusCode).toBe(400);
    expect(fieldError(bare.body, 'f-dec-opinion')).toBe('退回或不予采用时请填写意见');
    expect(await decisionsOf(chain.formId)).toBe(0);
    // Approval without the secrecy review is not possible (the service's 409, shown on the page).
    const noSecrecy = await deptLeader.submit(chain.form, `${chain.form}/decision`, { decision: 'approved' });
    expect(noSecrecy.statusCode).toBe(409);
    expect(noSecrecy.body).toContain('保密审查结论为“不涉及国家秘密”才能同意');
    expect(await decisionsOf(chain.formId)).toBe(0);

    const approved = await deptLeader.submit(chain.form, `${chain.form}/decision`, {
      decision: 'approved',
      secrecy: 'no_secret',
      opinion: '同意，报分管局领导签发',
    });
    expect(approved.statusCode, approved.body.slice(0, 1500)).toBe(303);
    const atLeader = await deptLeader.get(`${chain.form}?done=approved`);
    expect(atLeader.body).toContain('已同意。');
    expect(atLeader.body).toContain('分管局领导签发');
    expect(atLeader.body).toContain('保密审查：不涉及国家秘密');
    expect(atLeader.body).not.toContain('id="decide"');

    const leader = await new Browser().login('leader');
    expect((await leader.get('/staff/review-forms')).body).toContain(`id="form-${chain.formId}"`);
    const signed = await leader.submit(chain.form, `${chain.form}/decision`, { decision: 'approved', opinion: '同意发布' });
    expect(signed.statusCode, signed.body.slice(0, 1500)).toBe(303);

    // Not public before publication; the drafter publishes (Art. 20(三)).
    const token = await h.login('h-registration');
    const unpublished = await h.app.inject({ method: 'GET', url: `/api/site/items/${chain.itemId}`, headers: bearer(token) });
    expect(unpublished.json()).toMatchObject({ state: 'draft', firstPublishedAt: null });
    const publishPage = await drafter.get(chain.form);
    expect(publishPage.body).toContain('id="publish"');
    const clicked = Date.now();
    const published = await drafter.submit(chain.form, `${chain.form}/publish`, { at: '' });
    expect(published.statusCode, published.body.slice(0, 1500)).toBe(303);
    expect(String(published.headers.location)).toBe(`${chain.form}?done=published`);
    const item = (await h.app.inject({ method: 'GET', url: `/api/site/items/${chain.itemId}`, headers: bearer(token) })).json();
    expect(item.state).toBe('published');
    // The publication time is the system's, stamped at the click.
    const at = Date.parse(item.firstPublishedAt);
    expect(at).toBeGreaterThanOrEqual(Math.floor(clicked / 1000) * 1000 - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(at).toBeGreaterThan(before);

    // The print page: the form-shaped 审核单 with the three signatures (drafter, department leader, bureau leader).
    const print = await drafter.get(`${chain.form}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain(`<h1>${SHEET_TITLE}</h1>`);
    expect(print.body).toContain('<th scope="row">保密审查</th><td>不涉及国家秘密</td>');
    expect(print.body).toContain('<th scope="row">（四）内容适宜当前发布</th><td>已确认</td>');
    for (const [role, username] of [
      ['起草人', 'h-registration'],
      ['处室负责人', 'l-registration'],
      ['分管局领导', 'leader'],
    ] as const) {
      expect(print.body).toMatch(
        new RegExp(
          `<td data-signer="${role}">签名：<span class="signer-name">${await displayName(username)}</span><br>时间：<span class="signer-time">\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}</span></td>`,
        ),
      );
    }

    // The PDF: a real PDF with the CJK font embedded, and the glyphs of every signer's name in it.
    const pdf = await drafter.get(`${chain.form}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="review-form-${chain.formId}.pdf"; filename*=UTF-8''${encodeURIComponent(`网站信息发布审核单-${chain.formId}.pdf`)}`,
    );
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1024);
    const rawPdf = bytes.toString('latin1');
    expect(rawPdf).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    expect(rawPdf).toContain('/FontFile2');
    const glyphs = pdfUnicode(bytes);
    for (const text of [
      SHEET_TITLE,
      await displayName('h-registration'),
      await displayName('l-registration'),
      await displayName('leader'),
    ]) {
      expect(
        codePoints(text).filter((c) => !glyphs.has(c)),
        text,
      ).toEqual([]);
    }
  });

  it('Art. 20(一): a department leader who drafts is refused their own step on the page (the 403 page with the reason)', async () => {
    const deptLeader = await new Browser().login('l-registration');
    const chain = await draftAndSubmit(deptLeader, '4:notice', '关于调整窗口办公时间的通知', '自下月起调整。');
    const page = await deptLeader.get(chain.form);
    expect(page.body).not.toContain('id="decide"');
    const res = await deptLeader.submit(chain.form, `${chain.form}/decision`, { decision: 'approved', secrecy: 'no_secret' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('无权访问');
    expect(res.body).toContain('不能审核本人起草的信息');
    expect(await decisionsOf(chain.formId)).toBe(0);
    // The drafter withdraws it from the item page.
    const withdrawn = await deptLeader.submit(chain.item, `${chain.form}/withdraw`);
    expect(withdrawn.statusCode).toBe(303);
    expect((await deptLeader.get(`${chain.item}?done=withdrawn`)).body).toContain('已撤回');
  });

  it('Art. 20(五): news goes to the publicity office, which edits and approves; the service centre publishes; the office takes it down with a reason', async () => {
    const drafter = await new Browser().login('h-registration');
    const chain = await draftAndSubmit(drafter, '2:article', '登记注册局开展窗口服务提升活动', '活动于本周启动。');
    const deptLeader = await new Browser().login('l-registration');
    expect((await deptLeader.submit(chain.form, `${chain.form}/decision`, { decision: 'approved', secrecy: 'no_secret' })).statusCode).toBe(
      303,
    );
    const publicity = await new Browser().login('publicity');
    const page = await publicity.get(chain.form);
    expect(page.body).toContain('同意（选用）');
    expect(page.body).toContain('value="rejected"');
    expect(page.body).toContain('name="edits.title"');
    const edited = await publicity.submit(chain.form, `${chain.form}/decision`, {
      decision: 'approved',
      'edits.title': '省局登记注册局开展窗口服务提升活动',
      'edits.body': '活动于本周启动。',
    });
    expect(edited.statusCode, edited.body.slice(0, 1500)).toBe(303);
    // The drafter may not publish news; the service centre does.
    expect((await drafter.get(chain.form)).body).not.toContain('id="publish"');
    const center = await new Browser().login('center');
    const published = await center.submit(chain.form, `${chain.form}/publish`, { at: '' });
    expect(published.statusCode, published.body.slice(0, 1500)).toBe(303);
    const print = await center.get(`${chain.form}/print`);
    expect(print.body).toContain('<td>省局登记注册局开展窗口服务提升活动</td>');
    expect(print.body).toMatch(
      new RegExp(`<td data-signer="应急宣传处">签名：<span class="signer-name">${await displayName('publicity')}</span>`),
    );

    const office = await new Browser().login('office');
    const noReason = await office.submit(chain.item, `${chain.item}/take-down`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(fieldError(noReason.body, 'f-down-reason')).toBe('请填写撤下原因');
    const down = await office.submit(chain.item, `${chain.item}/take-down`, { reason: '活动已结束' });
    expect(down.statusCode).toBe(303);
    const after = await office.get(chain.item);
    expect(after.body).toContain('已撤下');
    expect(after.body).toContain('活动已结束');
  });

  it('热点解答 with question–answer rows and related items: a half-filled row and an unknown item are field messages; a scheduled publication', async () => {
    const drafter = await new Browser().login('h-registration');
    const half = await drafter.submit('/staff/site/items/new', '/staff/site/items/new', {
      placement: '10:qa',
      title: '个体工商户登记常见问题',
      body: '以下为常见问题。',
      'qa.0.question': '个体工商户可以网上登记吗？',
      'qa.0.answer': '可以，通过省网上办事大厅办理。',
      'qa.2.question': '需要哪些材料？',
      related: '999999',
    });
    expect(half.statusCode).toBe(400);
    expect(fieldError(half.body, 'f-new-qa-2-answer')).toBe('请填写解答');
    expect(half.body).toContain('value="个体工商户可以网上登记吗？"');
    const unknown = await drafter.submit('/staff/site/items/new', '/staff/site/items/new', {
      placement: '10:qa',
      title: '个体工商户登记常见问题',
      body: '以下为常见问题。',
      'qa.0.question': '个体工商户可以网上登记吗？',
      'qa.0.answer': '可以，通过省网上办事大厅办理。',
      related: '999999',
    });
    expect(unknown.statusCode).toBe(400);
    expect(fieldError(unknown.body, 'f-new-related')).toBe('相关信息不存在');
    expect((await h.sql`select 1 from site_item_versions where title = '个体工商户登记常见问题'`).length).toBe(0);

    const chain = await draftAndSubmit(drafter, '10:qa', '个体工商户登记常见问题', '以下为常见问题。');
    const deptLeader = await new Browser().login('l-registration');
    await deptLeader.submit(chain.form, `${chain.form}/decision`, { decision: 'approved', secrecy: 'no_secret' });
    await new Browser().login('leader').then((b) => b.submit(chain.form, `${chain.form}/decision`, { decision: 'approved' }));
    // A time in the past is refused with its field message; a later one schedules (stamped when it happens).
    const past = await drafter.submit(chain.form, `${chain.form}/publish`, { at: '2026-01-05T09:00' });
    expect(past.statusCode).toBe(400);
    expect(fieldError(past.body, 'f-pub-at')).toBe('定时发布时间不能早于现在；发布时间由系统在发布时记录');
    const later = await drafter.submit(chain.form, `${chain.form}/publish`, { at: '2099-03-02T09:30' });
    expect(later.statusCode, later.body.slice(0, 1500)).toBe(303);
    const scheduled = await drafter.get(String(later.headers.location));
    expect(scheduled.body).toContain('已设定定时发布');
    expect(scheduled.body).toContain('<dt>定时发布</dt><dd>2099-03-02 09:30</dd>');
    expect(scheduled.body).not.toContain('id="publish"');
    expect((await h.sql<{ state: string }[]>`select state from site_items where id = ${chain.itemId}`)[0]!.state).toBe('draft');
  });

  it('the PDF needs the CJK font: without it the renderer says so (the page answers 503), never a broken file', async () => {
    const [row] = await h.sql<{ id: number }[]>`select id from review_forms order by id limit 1`;
    const office = {
      staff: { id: 0, username: 'x', displayName: 'x', roles: ['office' as const], departmentId: null },
      ip: '',
      requestId: '',
    };
    const form = await getForm({ db: h.db }, office as never, row!.id);
    expect(await reviewSheetPdf(reviewSheet(form), '/nonexistent/wqy-microhei.ttc')).toEqual({ ok: false, reason: 'font_missing' });
  });
});
