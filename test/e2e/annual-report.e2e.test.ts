import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

// Issue 18 ("What shows it is done"): the annual report's table 三 in Chromium, in the printed layout of the
// national form (国办公开办函〔2021〕30号: the header's row and column spans, the 22 data rows' group labels), on a
// desktop screen as the office reads and prints it; checked with axe-core; screenshot in test/screenshots/.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)\n`);
const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

let h: Harness;
let browser: Browser;
let base: string;

async function loggedIn(username: string, url: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(`${base}${url}`);
  await page.waitForURL(/\/staff\/login/);
  await page.fill('#f-username', username);
  await page.fill('#f-password', DEMO_PASSWORD);
  await page.click('button[type="submit"]:has-text("登录")');
  await page.waitForURL((u) => !u.pathname.startsWith('/staff/login'));
  return page;
}

(HAS_CHROMIUM ? describe : describe.skip)('issue 18: the annual report table in Chromium', { timeout: 120_000 }, () => {
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
    await browser?.close();
    await h?.close();
  });

  it('the office sees table 三 with the format’s spans: 25 rows of figures, seven columns each, and the header groups', async () => {
    const page = await loggedIn('office', '/staff/annual-reports/2025');
    await page.waitForSelector('#table-3');
    expect(await page.locator('#table-3 tbody tr').count()).toBe(25);
    expect(await page.locator('#table-3 tbody tr').first().locator('td').count()).toBe(7);
    expect(await page.locator('#table-3 thead th[colspan="7"]').textContent()).toBe('申请人情况');
    expect(await page.locator('#table-3 thead th[colspan="5"]').textContent()).toBe('法人或其他组织');
    // 三、本年度办理结果 spans its 22 rows (the outcome leaves and （七）总计).
    expect(await page.locator('#table-3 tbody th[rowspan="22"]').count()).toBe(1);
    const problems = await seriousViolations(page, 'annual report');
    await page.locator('#table-3').screenshot({ path: path.join(SHOTS, 'annual-report-01-table-3.png') });
    await page.screenshot({ path: path.join(SHOTS, 'annual-report-02-page.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
