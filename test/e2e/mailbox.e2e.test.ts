import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDayOf, parseChinaInstant, parseIsoDate } from '../../src/calendar/china-time.js';
import { letters } from '../../src/mailbox/tables.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

// The whole mailbox in a real browser: Debian's Chromium driven by playwright-core against the app
// listening on a real port (harness with Temporal's time-skipping server). A writer on a phone-sized
// screen writes a complaint; 登记注册局 transfers it to 信用监督管理处, which disputes; the general
// office arbitrates; the lead department answers; the writer follows every step with the lookup.
// Plus the form with JavaScript off, and a hostile letter that must not run in the staff view.
// Screenshots of each step go to test/screenshots/ (gitignored).

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist.\n!! test/e2e/mailbox.e2e.test.ts needs Debian's Chromium: apt-get install chromium\n${'!'.repeat(78)}\n`,
  );
}

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

let h: Harness;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];

/** A fresh browser profile (own cookies) on a phone-sized screen; any alert/confirm/prompt is recorded as a failure. */
async function newPage(opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: opts.javaScriptEnabled ?? true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
    await d.dismiss();
  });
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function login(username: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}/staff/cases`);
  await page.waitForURL(/\/staff\/login/);
  await page.fill('#f-username', username);
  await page.fill('#f-password', DEMO_PASSWORD);
  await page.click('button[type="submit"]:has-text("登录")');
  await page.waitForURL(/\/staff\/(cases|arbitration)/);
  return page;
}

async function lookup(trackingNo: string, accessCode: string, name: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}/lookup`);
  await page.fill('#f-trackingNo', trackingNo);
  await page.fill('#f-accessCode', accessCode);
  await page.click('button[type="submit"]:has-text("查询")');
  await page.waitForSelector('h1:has-text("办理进度")');
  await shot(page, name);
  return page;
}

/** Submits one of the case page's action forms and waits for the redirect back with its message. */
async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, done: string) {
  const box = page.locator(`#act-${action}`); // a <details>: closed until the person opens it
  await box.locator('summary').click();
  const form = box.locator('form');
  await fill(form);
  await form.locator('button[type="submit"]').click();
  await page.waitForSelector(`.flash-ok:has-text("${done}")`);
}

async function waitStarted(trackingNo: string) {
  await h.startPending();
  for (let i = 0; i < 200; i++) {
    const [row] = await h.db.select({ started: letters.workflowStartedAt }).from(letters).where(eq(letters.trackingNo, trackingNo));
    if (row?.started) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workflow of ${trackingNo} did not start`);
}

(HAS_CHROMIUM ? describe : describe.skip)('the mailbox in Chromium', { timeout: 120_000 }, () => {
  let trackingNo = '';
  let accessCode = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startHarness({ temporal: true });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await browser?.close();
    await h?.close();
    expect(dialogs).toEqual([]);
  });

  it('a writer on a phone submits a complaint, validated as they type, and gets a tracking number and access code', async () => {
    const page = await newPage();
    await page.goto(`${base}/mailbox`);
    expect(await page.locator('h1').textContent()).toBe('局长信箱');
    await shot(page, '01-mailbox-phone');
    // the convenience-list select appears only for complaints
    expect(await page.isVisible('#f-convenienceItemId')).toBe(false);
    await page.check('#f-type-1'); // 咨询
    expect(await page.isVisible('#f-convenienceItemId')).toBe(false);
    await page.check('#f-type-0'); // 投诉
    expect(await page.isVisible('#f-convenienceItemId')).toBe(true);
    // validation as you type, with the server's schema and messages
    await page.fill('#f-writer-phone', '12345');
    await page.locator('#f-writer-phone').blur();
    await expect.poll(() => page.textContent('#f-writer-phone-error')).toBe('请填写正确的手机号码或固定电话（如 0591-87612345）');
    expect(await page.getAttribute('#f-writer-phone', 'aria-invalid')).toBe('true');
    await shot(page, '02-live-validation');
    await page.fill('#f-writer-phone', '13800138000');
    await expect.poll(() => page.isVisible('#f-writer-phone-error')).toBe(false);
    // a submit with a gap is stopped in the page, with the message next to the field
    await page.selectOption('#f-departmentId', '5');
    await page.fill('#f-subject', '网店拒绝退货');
    await page.click('button[type="submit"]:has-text("提交来信")');
    await expect.poll(() => page.textContent('#f-content-error')).toBe('请填写内容');
    expect(page.url()).toBe(`${base}/mailbox`);
    const content = '我于 11 月 20 日在某网店购买的电水壶有质量问题，商家拒绝退货，请依法处理。';
    await page.fill('#f-content', content);
    expect(await page.textContent('#f-content-count')).toBe(`已输入 ${content.length} / 5000 字`);
    await page.fill('#f-writer-name', '张三');
    await page.check('#f-allowPublication-1'); // 不同意公开
    await page.click('button[type="submit"]:has-text("提交来信")');
    await page.waitForSelector('#tracking-no');
    trackingNo = (await page.textContent('#tracking-no'))!.trim();
    accessCode = (await page.textContent('#access-code'))!.trim();
    expect(trackingNo).toMatch(/^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/);
    expect(accessCode).toMatch(/^[2-9A-HJ-KMNP-Z]{10}$/);
    expect(page.url()).toBe(`${base}/letter`);
    expect(page.url()).not.toContain(accessCode);
    expect(await page.textContent('.warning')).toContain('查询码只显示这一次');
    // no horizontal scrolling on a phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '03-confirmation');
    await waitStarted(trackingNo);
  });

  it('the handler of 登记注册局 sees it with the right countdown and transfers it to 信用监督管理处 with a reason', async () => {
    const page = await login('h-registration');
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
    const remaining = h.calendar.current.countWorkingDays(chinaDayOf(new Date()), parseIsoDate(row!.dueDate)!);
    expect(remaining).toBeGreaterThan(0);
    const card = page.locator('.case-card', { hasText: trackingNo });
    expect(await card.locator('.badge').textContent()).toBe(`剩余 ${remaining} 个工作日`);
    await shot(page, '04-workbench-h-registration');
    await card.locator('a.case-title').click();
    await page.waitForURL(`**/staff/cases/${trackingNo}`);
    expect(await page.textContent('h1')).toBe('网店拒绝退货');
    await shot(page, '05-case-h-registration');
    await act(
      page,
      'transfer',
      async (f) => {
        await f.locator('select[name="toDepartmentId"]').selectOption('6');
        await f.locator('select[name="reasonCode"]').selectOption('not_in_remit');
        await f.locator('textarea[name="reason"]').fill('电商平台经营者信用问题，属信用监督管理处职责');
      },
      '已转办',
    );
    expect(await page.textContent('.notice')).toContain('只能查看');
    await shot(page, '06-transferred');
  });

  it("the writer's lookup shows the transfer and its reason", async () => {
    const page = await lookup(trackingNo, accessCode, '07-lookup-transferred');
    const body = (await page.textContent('main'))!;
    expect(body).toContain('已转至信用监督管理处办理');
    expect(body).toContain('转办理由：电商平台经营者信用问题，属信用监督管理处职责');
    expect(body).toContain('信用监督管理处');
  });

  it('信用监督管理处 disputes the transfer', async () => {
    const page = await login('h-credit');
    await page.locator('.case-card', { hasText: trackingNo }).locator('a.case-title').click();
    await page.waitForURL(`**/staff/cases/${trackingNo}`);
    await act(
      page,
      'dispute',
      async (f) => {
        await f.locator('textarea[name="reason"]').fill('退货纠纷属于消费维权，不涉及信用监管，应由原处室办理');
      },
      '已提出异议',
    );
    expect(await page.textContent('.case-meta')).toContain('办公室协调中');
    await shot(page, '08-disputed');
  });

  it('the general office arbitrates from its queue', async () => {
    const page = await login('office');
    await page.goto(`${base}/staff/arbitration`);
    const card = page.locator('.case-card', { hasText: trackingNo });
    expect(await card.locator('.why-box').textContent()).toContain('不涉及信用监管');
    const form = card.locator('form');
    await form.locator('select[name="leadDepartmentId"]').selectOption('6');
    await form.locator('input[name="assistingDepartmentIds"][value="5"]').check();
    await form.locator('textarea[name="note"]').fill('由信用监督管理处牵头答复，登记注册局协办');
    await shot(page, '09-arbitration-queue');
    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('.flash-ok');
    expect(await page.textContent('.flash-ok')).toContain(trackingNo);
    await shot(page, '10-arbitrated');
  });

  it('the lead department answers, and the writer sees the answer', async () => {
    const page = await login('h-credit');
    await page.goto(`${base}/staff/cases/${trackingNo}`);
    await act(
      page,
      'answer',
      async (f) => {
        await f.locator('textarea[name="content"]').fill('经核查，商家已同意退货退款。如有问题请拨打 12315。');
      },
      '已答复',
    );
    await shot(page, '11-answered');
    const writer = await lookup(trackingNo, accessCode, '12-lookup-answered');
    expect(await writer.textContent('.status')).toBe('已答复');
    expect(await writer.textContent('.answer .text')).toBe('经核查，商家已同意退货退款。如有问题请拨打 12315。');
    const timeline = (await writer.textContent('.timeline'))!;
    expect(timeline).toContain('对转办有异议');
    expect(timeline).toContain('办公室已协调确定承办处室');
  });

  it("with JavaScript off, the plain form post shows the server's errors next to the fields, keeps the input, and then succeeds", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/mailbox`);
    expect(await page.isVisible('#f-convenienceItemId')).toBe(true); // nothing hides it without JS
    await page.check('#f-type-1'); // 咨询
    await page.selectOption('#f-departmentId', '5');
    await page.fill('#f-subject', '个体户执照怎么办');
    await page.fill('#f-content', '请问个体工商户营业执照如何办理？');
    await page.fill('#f-writer-name', '李四');
    await page.fill('#f-writer-phone', '12345');
    await page.check('#f-allowPublication-0');
    await page.click('button[type="submit"]:has-text("提交来信")');
    await page.waitForSelector('.error-summary');
    expect(page.url()).toBe(`${base}/letter`);
    expect(await page.textContent('#f-writer-phone-error')).toBe('请填写正确的手机号码或固定电话（如 0591-87612345）');
    expect(await page.inputValue('#f-subject')).toBe('个体户执照怎么办');
    expect(await page.inputValue('#f-content')).toBe('请问个体工商户营业执照如何办理？');
    expect(await page.inputValue('#f-writer-phone')).toBe('12345');
    expect(await page.isChecked('#f-type-1')).toBe(true);
    await shot(page, '13-nojs-validation-error');
    await page.fill('#f-writer-phone', '0591-87612345');
    await page.click('button[type="submit"]:has-text("提交来信")');
    await page.waitForSelector('#tracking-no');
    expect(await page.textContent('#access-code')).toMatch(/^[2-9A-HJ-KMNP-Z]{10}$/);
    await shot(page, '14-nojs-confirmation');
  });

  it('a hostile letter renders as text in the staff view: no dialog, no injected elements', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { 'x-forwarded-for': '10.77.0.1' },
      payload: {
        writer: { name: '<img src=x onerror=alert(2)>', phone: '13800138000' },
        type: 'complaint',
        departmentId: 5,
        allowPublication: false,
        subject: '<script>alert(1)</script>',
        content: '<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n<a href="javascript:alert(1)">点我</a>',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const xss = res.json().trackingNo as string;
    const page = await login('h-registration');
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.reload();
    expect(await page.locator('.case-card', { hasText: xss }).count()).toBe(1);
    await page.goto(`${base}/staff/cases/${xss}`);
    expect(await page.textContent('h1')).toBe('<script>alert(1)</script>');
    expect(await page.textContent('.letter-content')).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('main script, main img, .letter-content a, .timeline a').count()).toBe(0);
    await page.waitForTimeout(300);
    await shot(page, '15-xss-case');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("the writer's lookup marks a provisional deadline 暂定 with its one line (2027's notice not loaded)", async () => {
    // Received Monday 28 December 2026: a complaint's 10 working days (Art. 22) run by the weekday rule
    // into January 2027 (29–31 December, 1 January, 4–8 January, 11 January) → due 11 January, 暂定.
    const letter = await storeLetter(h, { type: 'complaint', receivedAt: parseChinaInstant('2026-12-28T10:00')! });
    expect(letter).toMatchObject({ dueDate: '2027-01-11', dueProvisional: true });
    const page = await lookup(letter.trackingNo, letter.accessCode, '16-lookup-provisional');
    const due = page.locator('dd', { hasText: '2027年1月11日前' });
    expect(await due.locator('.tag-provisional').textContent()).toBe('暂定');
    expect(await page.isVisible('#due-provisional')).toBe(true);
    expect(await page.textContent('#due-provisional')).toBe(
      '暂定：期限内有日期的节假日安排（国务院办公厅通知）尚未公布，暂按周一至周五为工作日计算；通知公布后将重新计算，请以查询结果为准。',
    );
    // The letter of the first scenario (answered, official deadline) shows no 暂定.
    const answered = await lookup(trackingNo, accessCode, '17-lookup-official');
    expect(await answered.locator('.tag-provisional').count()).toBe(0);
  });
});
