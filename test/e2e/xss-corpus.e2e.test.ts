// Issue #20 point 11: an XSS corpus in every field a writer controls (name, e-mail, subject, content,
// attachment file names), rendered in Chromium in every page that shows them — the staff list, the
// workbench, the case page, and the writer's own lookup page. Nothing may run: a payload that ran
// would open a dialog, throw, or set window.__xss; CSP violations and console errors are collected too.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

const CHROMIUM = '/usr/bin/chromium';

/** Each payload, if it ran, would set window.__xss (or open a dialog). */
const RUN = 'window.__xss=1;alert(1)';
const CORPUS = [
  `<script>${RUN}</script>`,
  `<img src=x onerror="${RUN}">`,
  `<svg onload="${RUN}">`,
  `<svg><script>${RUN}</script></svg>`,
  `"><script>${RUN}</script>`,
  `'><img src=x onerror=${RUN}>`,
  `javascript:${RUN}`,
  `data:text/html,<script>${RUN}</script>`,
  `<a href="javascript:${RUN}">点我</a>`,
  `<iframe src="javascript:${RUN}"></iframe>`,
  `<iframe srcdoc="<script>${RUN}</script>"></iframe>`,
  `<body onload="${RUN}">`,
  `<details open ontoggle="${RUN}">`,
  `<input autofocus onfocus="${RUN}">`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${RUN}">`,
  `<scr<script>ipt>${RUN}</scr</script>ipt>`,
  `</textarea><script>${RUN}</script>`,
  `</title><script>${RUN}</script>`,
  `<style>*{background:url("javascript:${RUN}")}</style>`,
  `<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${RUN}">`,
  `<base href="javascript:${RUN}//">`,
  `{{constructor.constructor('${RUN}')()}}`,
  `<a href="&#106;avascript:${RUN}">编码</a>`,
];
// A 1×1 PNG: attachments are checked by content, so the hostile part is the file name.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Elements a payload would have added had it been parsed as markup. */
const INJECTED =
  'main script, main iframe, main object, main svg, main img[src="x"], main input[autofocus], main details[ontoggle], main base, main meta';

let h: Harness;
let browser: Browser;
let base: string;
const letters: { trackingNo: string; accessCode: string }[] = [];
const findings: string[] = [];

async function watchedPage(): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('dialog', async (d) => {
    findings.push(`dialog "${d.message()}" on ${page.url()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => findings.push(`page error "${e.message}" on ${page.url()}`));
  page.on('console', (m) => {
    // A resource that failed to load (the favicon) is not a script that ran; an injected <img> is caught below.
    if (m.type() === 'error' && !/Content Security Policy|Failed to load resource/.test(m.text()))
      findings.push(`console error "${m.text()}" on ${page.url()}`);
  });
  return page;
}

async function ranOn(page: Page): Promise<void> {
  await page.waitForTimeout(200);
  if (await page.evaluate(() => (window as unknown as { __xss?: number }).__xss === 1)) findings.push(`window.__xss set on ${page.url()}`);
}

(existsSync(CHROMIUM) ? describe : describe.skip)(
  'the XSS corpus in every page that shows what a writer wrote (issue #20 point 11)',
  () => {
    beforeAll(async () => {
      h = await startHarness({ temporal: true });
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
      for (const [i, payload] of CORPUS.entries()) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/letters',
          headers: { 'x-forwarded-for': `10.78.0.${i + 1}` },
          payload: {
            writer: { name: payload.slice(0, 30), phone: '13800138000', email: 'x@example.com' },
            type: 'complaint',
            departmentId: 5,
            allowPublication: false,
            subject: payload.slice(0, 100),
            content: `${payload}\n${payload}`,
            attachments: [{ filename: `${payload.slice(0, 80)}.png`, contentBase64: PNG }],
          },
        });
        expect(res.statusCode, `${payload}: ${res.body}`).toBe(201);
        letters.push(res.json());
      }
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    it(`stores all ${CORPUS.length} payloads in name, subject, content and file name as given`, () => {
      expect(letters).toHaveLength(CORPUS.length);
    });

    it('staff pages (workbench, case list, every case page) render them as text: nothing runs', async () => {
      const page = await watchedPage();
      await page.goto(`${base}/staff/login`);
      await page.fill('#f-username', 'h-registration');
      await page.fill('#f-password', DEMO_PASSWORD);
      await page.click('button[type="submit"]:has-text("登录")');
      await page.waitForURL(/\/staff\//);
      for (const url of ['/staff', '/staff/cases', '/staff/cases?q=script']) {
        await page.goto(`${base}${url}`);
        await ranOn(page);
      }
      for (const [i, l] of letters.entries()) {
        await page.goto(`${base}/staff/cases/${l.trackingNo}`);
        expect(await page.textContent('h1')).toBe(CORPUS[i]!.slice(0, 100));
        expect(
          await page.locator('main script, main iframe, main object, main svg, main img[src="x"], main input[autofocus]').count(),
        ).toBe(0);
        await ranOn(page);
      }
      expect(findings).toEqual([]);
    }, 180_000);

    it("the writer's lookup page renders them as text: nothing runs", async () => {
      const page = await watchedPage();
      for (const [i, l] of letters.entries()) {
        await page.goto(`${base}/lookup`);
        await page.fill('#f-trackingNo', l.trackingNo);
        await page.fill('#f-accessCode', l.accessCode);
        await page.click('button[type="submit"]:has-text("查询")');
        await page.waitForSelector('h1:has-text("办理进度")');
        expect(await page.locator(INJECTED).count(), CORPUS[i]).toBe(0);
        await ranOn(page);
        await page.context().clearCookies();
      }
      expect(findings).toEqual([]);
    }, 180_000);
  },
);
