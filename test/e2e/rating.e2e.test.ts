import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

// Issue 14 point 6 in a real browser (Debian's Chromium, playwright-core, as mailbox.e2e.test.ts): a
// writer on a 375×667 phone screen rates an answer 不满意 on the lookup page; the general office finds
// it in its queue and closes it with an explanation; the writer's lookup then shows the explanation.
// Closing needs no Temporal, so the harness runs without it.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)\n`);

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

let h: Harness;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext(PHONE);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
/** Nothing wider than the phone's screen: the page never scrolls sideways. */
const fitsScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function lookup(trackingNo: string, accessCode: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}/lookup`);
  await page.fill('#f-trackingNo', trackingNo);
  await page.fill('#f-accessCode', accessCode);
  await page.click('button[type="submit"]:has-text("查询")');
  await page.waitForSelector('h1:has-text("办理进度")');
  return page;
}

(HAS_CHROMIUM ? describe : describe.skip)('issue 14 point 6: rating an answer in Chromium on a phone', { timeout: 120_000 }, () => {
  let letter: Awaited<ReturnType<typeof storeLetter>>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const answeredAt = new Date(Date.now() - 3_600_000);
    letter = await storeLetter(h, {
      type: 'complaint',
      receivedAt: new Date(answeredAt.getTime() - 86_400_000),
      subject: '网店不退货',
      over: { status: 'answered', answer: '经核查，商家已同意七日内退货。', answeredAt, workflowStartedAt: answeredAt },
    });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await browser?.close();
    await h?.close();
    expect(dialogs).toEqual([]);
  });

  it('the writer rates 不满意 with a comment; the form checks the choice first and is gone once rated', async () => {
    const page = await lookup(letter.trackingNo, letter.accessCode);
    await page.waitForSelector('h2:has-text("对答复是否满意")');
    expect(await fitsScreen(page)).toBe(true);
    await shot(page, 'rating-1-form');
    // The browser itself refuses a form without a choice (the radios are required).
    await page.click('button[type="submit"]:has-text("提交评价")');
    expect(await page.locator('h2:has-text("对答复是否满意")').count()).toBe(1);
    await page.click('label:has-text("不满意")');
    await page.fill('#f-rate-comment', '商家至今没有退货。');
    await page.click('button[type="submit"]:has-text("提交评价")');
    await page.waitForSelector('.flash-ok:has-text("感谢您的评价")');
    expect(await page.locator('.rating-given').innerText()).toBe('不满意');
    expect(await page.locator('.timeline').innerText()).toContain('您的评价：不满意');
    expect(await page.locator('button:has-text("提交评价")').count()).toBe(0);
    expect(await fitsScreen(page)).toBe(true);
    await shot(page, 'rating-2-rated');
  });

  it('the office closes it from its queue; the writer then sees the explanation', async () => {
    const office = await newPage();
    await office.goto(`${base}/staff/dissatisfied`);
    await office.waitForURL(/\/staff\/login/);
    await office.fill('#f-username', 'office');
    await office.fill('#f-password', DEMO_PASSWORD);
    await office.click('button[type="submit"]:has-text("登录")');
    await office.goto(`${base}/staff/dissatisfied`);
    const card = office.locator(`#dis-${letter.trackingNo}`);
    expect(await card.innerText()).toContain('商家至今没有退货。');
    await card.locator(`#f-cl-${letter.trackingNo}-explanation`).fill('经核查，商家已于12月1日办理退货，款项原路退回。');
    await card.locator('button:has-text("办结")').click();
    await office.waitForSelector(`.flash-ok:has-text("已作出说明并办结信件")`);
    expect(await office.locator(`#dis-${letter.trackingNo}`).count()).toBe(0);

    const page = await lookup(letter.trackingNo, letter.accessCode);
    expect(await page.locator('#closing').innerText()).toContain('经核查，商家已于12月1日办理退货，款项原路退回。');
    expect(await fitsScreen(page)).toBe(true);
    await shot(page, 'rating-3-closed');
  });
});
