import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { registerDocument } from '../../src/disclosure/service/documents.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { pdf } from '../support/site-files.js';
import { staffViewers } from '../support/viewers.js';

// Issue 16 (points 1, 3 and 5) in Chromium on a 375×667 phone: a department's document in the register
// gets its electronic text on the staff page, the general office decides 主动公开 (measures Art. 30),
// the service centre completes and publishes the catalogue entry (Art. 31), and the public finds it in
// the 政府信息公开目录 by a two-character word, reads its 条例 Art. 12 fields and downloads the text.
// axe-core on the catalogue and entry pages: no violation of impact serious or critical.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)\n`);

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const TITLE = '关于进一步规范电子计价秤使用管理的通知';
const DOC_NUMBER = '闽市监规〔2026〕11号';
const TEXT = pdf(150_000);

let h: Harness;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const as = staffViewers(() => h, 'xxgk-e2e');

async function newPage(opts: { bypassCSP?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({ ...PHONE, acceptDownloads: true, ...opts });
  contexts.push(ctx);
  return ctx.newPage();
}
async function loggedIn(username: string, next: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${base}${next}`);
  await page.waitForURL(/\/staff\/login/);
  await page.fill('#f-username', username);
  await page.fill('#f-password', DEMO_PASSWORD);
  await page.click('button[type="submit"]:has-text("登录")');
  await page.waitForURL((url) => !url.pathname.startsWith('/staff/login'));
  return page;
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const fitsScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

(HAS_CHROMIUM ? describe : describe.skip)('issue 16: from the register to the public catalogue on a phone', { timeout: 180_000 }, () => {
  let documentId = 0;

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
    const doc = await registerDocument({ db: h.db, calendar: h.calendar, env: h.env }, await as('h-registration'), {
      title: TITLE,
      docNumber: DOC_NUMBER,
      departmentId: 5,
      category: 'regulation',
      subject: '计量监督',
      summary: '规范集贸市场电子计价秤的使用和管理。',
      formedOn: '2026-11-27',
    });
    documentId = doc.id;
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await browser?.close();
    await h?.close();
  });

  it('the department uploads the text, the office decides 主动公开, the service centre publishes; the public finds, reads and downloads it', async () => {
    const problems: string[] = [];
    const docUrl = `/staff/disclosure/documents/${documentId}`;

    // The department: the electronic text on the document's page (a multipart form, no script needed).
    const registrar = await loggedIn('h-registration', docUrl);
    await registrar.setInputFiles('#f-text', { name: '电子计价秤通知.pdf', mimeType: 'application/pdf', buffer: TEXT });
    await registrar.click('#texts button[type="submit"]');
    await registrar.waitForSelector('.flash:has-text("电子文本已上传")');
    expect(await registrar.textContent('#texts')).toContain('电子计价秤通知.pdf');
    await shot(registrar, 'xxgk-01-staff-text');

    // The general office decides.
    const office = await loggedIn('office', docUrl);
    await office.check('input[name="decision"][value="proactive"]');
    await office.click('#decision button[type="submit"]');
    await office.waitForSelector('.flash:has-text("公开属性已保存")');
    expect(await office.textContent('#h-rounds + ul')).toContain('待编目发布');
    await shot(office, 'xxgk-02-office-decided');

    // The service centre completes and publishes the entry.
    const center = await loggedIn('center', '/staff/disclosure/catalogue');
    const card = center.locator('li.case-card', { hasText: TITLE });
    await card.locator('textarea[name="summary"]').fill('规范集贸市场电子计价秤的使用、检定和管理，明确经营者和市场开办者的责任。');
    await card.locator('input[name="subject"]').fill('计量监督');
    await card.locator('button[type="submit"]').click();
    await center.waitForSelector('.flash');
    expect(await center.textContent('main')).not.toContain(TITLE);
    await shot(center, 'xxgk-03-center-published');

    // The public, from the home page's link.
    const pub = await newPage({ bypassCSP: true });
    await pub.goto(`${base}/`);
    await pub.click('a[href="/xxgk"]');
    await pub.waitForSelector('h1:has-text("政府信息公开")');
    await shot(pub, 'xxgk-04-entrance');
    await pub.click('a[href="/xxgk/catalogue"]');
    await pub.fill('#f-q', '计价');
    await pub.click('button[type="submit"]:has-text("查询")');
    await pub.waitForSelector(`a[href="/xxgk/entries/${documentId}"]`);
    expect(pub.url()).toContain(`q=${encodeURIComponent('计价')}`);
    expect(await fitsScreen(pub)).toBe(true);
    problems.push(...(await seriousViolations(pub, 'catalogue')));
    await shot(pub, 'xxgk-05-catalogue-search');

    await pub.click(`a[href="/xxgk/entries/${documentId}"]`);
    await pub.waitForSelector(`h1:has-text("${TITLE}")`);
    const fields = await pub.locator('dl.catalogue-fields dt').allTextContents();
    expect(fields).toEqual(['索引号', '名称', '内容概述', '生成日期', '文号', '发布机构', '信息类别', '主题分类']);
    expect(await pub.textContent('dl.catalogue-fields')).toContain(DOC_NUMBER);
    expect(await fitsScreen(pub)).toBe(true);
    problems.push(...(await seriousViolations(pub, 'entry')));
    await shot(pub, 'xxgk-06-entry');

    const [download] = await Promise.all([pub.waitForEvent('download'), pub.click('a:has-text("下载 电子计价秤通知.pdf")')]);
    expect(download.suggestedFilename()).toBe('电子计价秤通知.pdf');
    const saved = await download.path();
    expect(readFileSync(saved).equals(TEXT)).toBe(true);

    expect(problems).toEqual([]);
  });
});
