import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { runDailyInspection } from '../../src/inspection/service/index.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

// Issue 21 point 5 in a real browser (Debian's Chromium, playwright-core, as site.e2e.test.ts): the
// general office's inspection dashboard and its history on a 375×667 phone screen, each checked with
// axe-core (no violation of impact serious or critical), with screenshots in test/screenshots/.
// The seeded site has no item (8 empty columns: red) and a letter received 120 days ago still open (red).

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)\n`);

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

let h: Harness;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

async function loggedIn(username: string): Promise<Page> {
  // bypassCSP: the strict CSP (script-src 'self') would refuse the injected axe-core script.
  const ctx = await browser.newContext({ ...PHONE, bypassCSP: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(`${base}/staff/inspection`);
  await page.waitForURL(/\/staff\/login/);
  await page.fill('#f-username', username);
  await page.fill('#f-password', DEMO_PASSWORD);
  await page.click('button[type="submit"]:has-text("登录")');
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/login'));
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const fitsScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

(HAS_CHROMIUM ? describe : describe.skip)('issue 21 point 5: the inspection dashboard in Chromium on a phone', { timeout: 120_000 }, () => {
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
    await storeLetter(h, { type: 'inquiry', receivedAt: new Date(Date.now() - 120 * 86_400_000), trackingNo: '260805-INSPE' });
    await runDailyInspection({ db: h.db });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await browser?.close();
    await h?.close();
  });

  it('the office sees each indicator with its status, threshold and cause, and opens the drill-down; then the history', async () => {
    const page = await loggedIn('office');
    const problems: string[] = [];
    await page.waitForSelector('h1:has-text("网站日常检查")');
    expect(await page.locator('[data-indicator]').count()).toBe(8);
    expect(await page.textContent('[data-indicator="emptyColumns"] .badge')).toBe('不达标');
    expect(await page.textContent('[data-indicator="availability"] .badge')).toBe('未监测');
    expect(await page.textContent('[role="status"]')).toContain('单项否决');
    expect(await fitsScreen(page)).toBe(true);
    problems.push(...(await seriousViolations(page, 'dashboard')));
    await shot(page, 'inspection-01-dashboard');

    await page.click('[data-indicator="unansweredLetters"] summary');
    expect(await page.isVisible('[data-indicator="unansweredLetters"] a[href="/staff/cases/260805-INSPE"]')).toBe(true);
    await page.click('[data-indicator="emptyColumns"] summary');
    expect(await page.isVisible('[data-indicator="emptyColumns"] a[href="/columns/tzgg"]')).toBe(true);
    expect(await fitsScreen(page)).toBe(true);
    problems.push(...(await seriousViolations(page, 'dashboard, drill-down open')));
    await shot(page, 'inspection-02-drill-down');

    await page.click('a[href="/staff/inspection/history"]');
    await page.waitForSelector('h1:has-text("网站日常检查历史")');
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.isVisible('a:has-text("导出 CSV")')).toBe(true);
    expect(await fitsScreen(page)).toBe(true);
    problems.push(...(await seriousViolations(page, 'history')));
    await shot(page, 'inspection-03-history');
    expect(problems).toEqual([]);
  });
});
