import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

// Issue 14 in a real browser (Debian's Chromium, playwright-core, as rating.e2e.test.ts), on a 375×667
// phone screen: the general office selects an answered letter whose text holds the writer's name, mobile
// number, ID number, e-mail and street address, reviews the copy and approves it; the public page of the
// published letter then shows none of those, only their masked forms. Publication needs no Temporal.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)\n`);

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

const WRITER = { writerName: '林晓东', writerPhone: '13812341234', writerEmail: 'linxd@163.com', writerIdNumber: '350102199003071234' };
const ADDRESS = '128号3号楼502室';
const CONTENT =
  `我叫${WRITER.writerName}，手机${WRITER.writerPhone}，身份证号${WRITER.writerIdNumber}，邮箱${WRITER.writerEmail}，` +
  `住在福州市鼓楼区五四路${ADDRESS}。楼下的超市长期销售过期食品，希望尽快查处。`;
const ANSWER = `${WRITER.writerName}您好：经执法人员现场检查，该超市确有销售过期食品的行为，已依法立案查处并责令整改。`;
/** What the masker puts in their place. */
const MASKED = ['138****1234', '35*************234', 'l***@163.com', '五四路***', '网友您好'];

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

(HAS_CHROMIUM ? describe : describe.skip)('issue 14: publishing a selected answer in Chromium on a phone', { timeout: 120_000 }, () => {
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
      subject: '超市销售过期食品',
      over: {
        ...WRITER,
        content: CONTENT,
        status: 'answered',
        answer: ANSWER,
        answeredAt,
        workflowStartedAt: answeredAt,
        allowPublication: true,
      },
    });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await browser?.close();
    await h?.close();
    expect(dialogs).toEqual([]);
  });

  it('the office selects and approves it; the public page holds none of the writer’s details, only their masked forms', async () => {
    const office = await newPage();
    await office.goto(`${base}/staff/publications`);
    await office.waitForURL(/\/staff\/login/);
    await office.fill('#f-username', 'office');
    await office.fill('#f-password', DEMO_PASSWORD);
    await office.click('button[type="submit"]:has-text("登录")');
    await office.goto(`${base}/staff/publications`);
    const card = office.locator(`#cand-${letter.trackingNo}`);
    expect(await card.innerText()).toContain('超市销售过期食品');
    await card.locator('button:has-text("选用")').click();
    await office.waitForSelector('.flash-ok:has-text("已选用")');

    // On the phone the two texts are stacked; each replacement is marked in the copy.
    const original = await office.locator('#original-content').innerText();
    const masked = await office.locator('#masked-content').innerText();
    for (const s of [...Object.values(WRITER), ADDRESS]) {
      expect(original).toContain(s);
      expect(masked).not.toContain(s);
    }
    const marks = await office.locator('#masked-content mark.masked').allInnerTexts();
    expect(marks).toEqual(expect.arrayContaining(['网友', '138****1234', '35*************234', 'l***@163.com', '***']));
    const [left, right] = await Promise.all(['.compare-original', '.compare-masked'].map((s) => office.locator(s).first().boundingBox()));
    expect(right!.y).toBeGreaterThan(left!.y + left!.height - 1);
    expect(await fitsScreen(office)).toBe(true);
    await shot(office, 'published-1-review');
    // On a wide screen, side by side.
    await office.setViewportSize({ width: 1024, height: 768 });
    const [wideLeft, wideRight] = await Promise.all(
      ['.compare-original', '.compare-masked'].map((s) => office.locator(s).first().boundingBox()),
    );
    expect(wideRight!.y).toBe(wideLeft!.y);
    expect(wideRight!.x).toBeGreaterThan(wideLeft!.x + wideLeft!.width - 1);
    await shot(office, 'published-1-review-wide');
    await office.setViewportSize(PHONE.viewport);

    await office.click('button:has-text("批准发布")');
    await office.waitForSelector('.flash-ok:has-text("已批准发布")');
    const id = /\/staff\/publications\/(\d+)/.exec(office.url())![1]!;

    const reader = await newPage();
    await reader.goto(`${base}/published/${id}`);
    await reader.waitForSelector('h2:has-text("来信内容")');
    const text = await reader.locator('main').innerText();
    for (const s of [...Object.values(WRITER), ADDRESS, '502室', letter.trackingNo]) expect(text).not.toContain(s);
    for (const m of MASKED) expect(text).toContain(m);
    expect(await reader.content()).not.toContain(WRITER.writerPhone);
    expect(await fitsScreen(reader)).toBe(true);
    await shot(reader, 'published-2-public');

    // And in the public list.
    await reader.goto(`${base}/published`);
    await reader.click(`a[href="/published/${id}"]`);
    await reader.waitForURL(new RegExp(`/published/${id}$`));
  });
});
