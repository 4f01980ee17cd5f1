import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

// Issue 15 ("what shows it is done": the browser test) in Debian's Chromium on a 375×667 phone screen, as
// rating.e2e.test.ts: the drafter (h-registration) drafts and submits with the 审核单, the department
// leader approves with the secrecy review, the bureau leader in charge signs, the drafter publishes; the
// item then carries the system's publication time and the printed 审核单 all three signatures.
// Decisions need no Temporal (PostgreSQL transactions), so the harness runs without it.
// The public item page /items/:id comes with the public site (another branch): the item is checked
// through GET /api/site/items/:id here.

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

async function loggedIn(username: string): Promise<Page> {
  const ctx = await browser.newContext(PHONE);
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  await page.goto(`${base}/staff/review-forms`);
  await page.waitForURL(/\/staff\/login/);
  await page.fill('#f-username', username);
  await page.fill('#f-password', DEMO_PASSWORD);
  await page.click('button[type="submit"]:has-text("登录")');
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/login'));
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
/** Nothing wider than the phone's screen: the page never scrolls sideways. */
const fitsScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const displayName = async (username: string) =>
  (await h.sql<{ name: string }[]>`select display_name as name from staff where username = ${username}`)[0]!.name;

(HAS_CHROMIUM ? describe : describe.skip)(
  'issue 15: the 审核单 review chain in Chromium on a phone (measures Art. 20)',
  { timeout: 180_000 },
  () => {
    let drafter: Page;
    let formUrl = '';
    let itemId = 0;

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
    });
    afterAll(async () => {
      for (const ctx of contexts) await ctx.close().catch(() => {});
      await browser?.close();
      await h?.close();
      expect(dialogs).toEqual([]);
    });

    it('Art. 20(一): the drafter drafts an item and submits it with the 审核单', async () => {
      drafter = await loggedIn('h-registration');
      await drafter.goto(`${base}/staff/site/items`);
      await drafter.click('a:has-text("起草新信息")');
      await drafter.waitForSelector('h1:has-text("起草网站信息")');
      await drafter.selectOption('#f-new-placement', '4:notice');
      await drafter.fill('#f-new-title', '关于开展电子计价秤专项检查的通知');
      await drafter.fill('#f-new-summary', '12月在全省集贸市场开展电子计价秤专项检查。');
      await drafter.fill(
        '#f-new-body',
        '各设区市局：\n\n根据年度工作安排，**12月**开展电子计价秤专项检查。\n\n- 检查对象：集贸市场\n- 检查内容：计量准确性',
      );
      expect(await fitsScreen(drafter)).toBe(true);
      await shot(drafter, 'review-chain-1-draft');
      await drafter.click('button:has-text("保存草稿")');
      await drafter.waitForSelector('.flash-ok:has-text("草稿已保存")');
      expect(await drafter.locator('.item-preview strong').innerText()).toBe('12月');
      itemId = Number(new URL(drafter.url()).pathname.split('/').pop());

      for (let i = 0; i < 4; i++) await drafter.check(`#f-submit-art19-${i}`);
      await drafter.check('#f-submit-secrecy-0');
      await drafter.click('button:has-text("送审")');
      await drafter.waitForSelector('.flash-ok:has-text("已送审")');
      formUrl = `${base}${await drafter.locator('#h-forms ~ ul a[href^="/staff/review-forms/"]').first().getAttribute('href')}`;
      expect(formUrl).toMatch(/\/staff\/review-forms\/\d+$/);
      expect(await fitsScreen(drafter)).toBe(true);
      await shot(drafter, 'review-chain-2-submitted');
    });

    it('Art. 20(二): the department leader approves with the secrecy review; the bureau leader in charge signs', async () => {
      const deptLeader = await loggedIn('l-registration');
      await deptLeader.goto(`${base}/staff/review-forms`);
      await deptLeader.click(`a[href="${new URL(formUrl).pathname}"]`);
      await deptLeader.waitForSelector('#decide');
      await deptLeader.check('#f-dec-decision-0');
      await deptLeader.check('#f-dec-secrecy-0');
      await deptLeader.fill('#f-dec-opinion', '经审核，内容准确，不涉及国家秘密，同意报送。');
      expect(await fitsScreen(deptLeader)).toBe(true);
      await shot(deptLeader, 'review-chain-3-dept-leader');
      await deptLeader.click('button:has-text("提交审核意见")');
      await deptLeader.waitForSelector('.flash-ok:has-text("已同意")');
      expect(await deptLeader.locator('.timeline').innerText()).toContain('保密审查：不涉及国家秘密');

      const leader = await loggedIn('leader');
      await leader.goto(`${base}/staff/review-forms`);
      await leader.click(`a[href="${new URL(formUrl).pathname}"]`);
      await leader.waitForSelector('#decide h3:has-text("分管局领导签发")');
      await leader.check('#f-dec-decision-0');
      await leader.fill('#f-dec-opinion', '同意发布。');
      await leader.click('button:has-text("提交审核意见")');
      await leader.waitForSelector('.flash-ok:has-text("已同意")');
      expect(await leader.locator('.facts').innerText()).toContain('已审核，待发布');
      expect(await fitsScreen(leader)).toBe(true);
      await shot(leader, 'review-chain-4-signed');
    });

    it('Art. 20(三): the drafter publishes; the item carries the system’s publication time; the print page shows all three signatures', async () => {
      await drafter.goto(formUrl);
      await drafter.waitForSelector('#publish');
      const clicked = Date.now();
      await drafter.click('#publish button:has-text("发布")');
      await drafter.waitForSelector('.flash-ok:has-text("已发布")');
      const now = Date.now();
      await shot(drafter, 'review-chain-5-published');

      const token = await h.login('h-registration');
      const item = (await h.app.inject({ method: 'GET', url: `/api/site/items/${itemId}`, headers: bearer(token) })).json();
      expect(item).toMatchObject({ state: 'published', publishedVersion: 1 });
      const at = Date.parse(item.firstPublishedAt);
      expect(at).toBeGreaterThanOrEqual(clicked);
      expect(at).toBeLessThanOrEqual(now);
      // The public item page, opened by the public (no session), shows it with that time as 发布时间.
      const publicCtx = await browser.newContext(PHONE);
      const visitor = await publicCtx.newPage();
      const res = await visitor.goto(`${base}/items/${itemId}`);
      expect(res?.status()).toBe(200);
      expect(await visitor.locator('h1').innerText()).toBe(item.latest.title);
      const shown = await visitor.locator('.item-meta div:has(dt:text("发布时间")) time').getAttribute('datetime');
      expect(Date.parse(shown!)).toBe(at);
      await shot(visitor, 'review-chain-5b-public-item');
      await publicCtx.close();

      await drafter.click('a:has-text("打印审核单")');
      await drafter.waitForSelector('h1:has-text("福建省市场监督管理局网站信息发布审核单")');
      for (const [role, username] of [
        ['起草人', 'h-registration'],
        ['处室负责人', 'l-registration'],
        ['分管局领导', 'leader'],
      ] as const) {
        const cell = drafter.locator(`td[data-signer="${role}"]`);
        expect(await cell.locator('.signer-name').innerText()).toBe(await displayName(username));
        expect(await cell.locator('.signer-time').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      }
      expect(await fitsScreen(drafter)).toBe(true);
      await shot(drafter, 'review-chain-6-print');
      // The print stylesheet leaves the navigation and the forms off the paper.
      await drafter.emulateMedia({ media: 'print' });
      expect(await drafter.locator('.site-header').isVisible()).toBe(false);
      expect(await drafter.locator('.review-sheet').isVisible()).toBe(true);
      await drafter.emulateMedia({ media: 'screen' });
    });
  },
);
