import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosureRequests } from '../../src/requests/tables.js';
import { seriousViolations } from '../support/axe.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

// Issue 17 in Chromium: an applicant on a 390×844 phone files a disclosure request online (once with the
// identity document missing: the form comes back with the Chinese message and everything typed), keeps the
// number and the access code; the general office confirms (the receipt date, 条例 Art. 31(三)) and routes it
// (批办) to 登记注册局, the department drafts, the office head signs and concludes it 予以公开; the applicant
// looks it up and sees the status, the deadline and the explanation list (2026: confirmed 9/30, 国庆 10/1–7,
// make-up Saturday 10/10 → due 11/3). Screenshots to test/screenshots/ (gitignored), as the other e2e tests.

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`\n!! E2E TESTS SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)\n`);

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const TITLE = '福建省2026年食品安全监督抽检计划';

let h: Harness;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];

async function newPage(device: typeof PHONE | typeof DESKTOP): Promise<Page> {
  // axe-core is injected as a script tag: the applicant's phone pages bypass the CSP for it (as xxgk.e2e does).
  const ctx = await browser.newContext({ ...device, bypassCSP: device === PHONE });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
    await d.dismiss();
  });
  return page;
}
async function loggedIn(username: string, next: string): Promise<Page> {
  const page = await newPage(DESKTOP);
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

/** Opens one of the request page's action boxes, fills it, submits, and waits for the message after the redirect. */
async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<unknown>, done: string) {
  const box = page.locator(`#act-${action}`);
  // A form shown again with its errors is already open.
  if ((await box.getAttribute('open')) === null) await box.locator('summary').click();
  const form = box.locator('form');
  await fill(form);
  await form.locator('button[type="submit"]').click();
  await page.waitForSelector(`.flash-ok:has-text("${done}")`);
}

(HAS_CHROMIUM ? describe : describe.skip)(
  'issue 17: a disclosure request from the phone form to the signed answer',
  { timeout: 240_000 },
  () => {
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
    });

    it('files on a phone, the office confirms and routes, 登记注册局 drafts, the office signs; the applicant sees the deadline and why', async () => {
      const problems: string[] = [];

      // The applicant, from the 依申请公开 page.
      const phone = await newPage(PHONE);
      await phone.goto(`${base}/xxgk/apply`);
      await phone.click('a[href="/xxgk/request"]');
      await phone.waitForSelector('h1:has-text("在线申请政府信息公开")');
      expect(await phone.textContent('#receipt-notice')).toContain('第三十一条第（三）项');
      await phone.check('input[name="applicant.type"][value="natural_person"]');
      await phone.fill('#f-person-name', '林小梅');
      await phone.selectOption('#f-person-idDocumentType', 'resident_id');
      await phone.fill('#f-applicant-phone', '13800000000');
      await phone.fill('#f-information-title', TITLE);
      await phone.check('input[name="form"][value="electronic"]');
      await phone.check('input[name="receiveWay"][value="online"]');
      await phone.click('button[type="submit"]:has-text("提交申请")');
      // No identity document (条例 Art. 29(一)): the form again, the message at the field, everything kept.
      await phone.waitForSelector('.error-summary');
      expect(await phone.textContent('#f-person-idDocumentNumber-error')).toBe('请填写身份证明号码');
      expect(await phone.inputValue('#f-person-name')).toBe('林小梅');
      expect(await phone.inputValue('#f-information-title')).toBe(TITLE);
      expect(await phone.isChecked('input[name="receiveWay"][value="online"]')).toBe(true);
      expect(await fitsScreen(phone)).toBe(true);
      problems.push(...(await seriousViolations(phone, 'request form with errors')));
      await shot(phone, 'request-01-form-error');
      await phone.fill('#f-person-idDocumentNumber', '350102199001011234');
      await phone.click('button[type="submit"]:has-text("提交申请")');
      await phone.waitForSelector('h1:has-text("申请已提交")');
      const number = (await phone.textContent('#request-number'))!.trim();
      const accessCode = (await phone.textContent('#access-code'))!.trim();
      expect(number).toMatch(/^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/);
      expect(await phone.textContent('.receipt')).toContain('请妥善保存');
      expect(await fitsScreen(phone)).toBe(true);
      problems.push(...(await seriousViolations(phone, 'request receipt')));
      await shot(phone, 'request-02-receipt');

      // As if filed on Monday 2026-09-28 (the test runs later); the office confirms it on Wednesday 9/30.
      const [row] = await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.number, number));
      await h.db
        .update(disclosureRequests)
        .set({ submittedAt: new Date('2026-09-28T09:00:00+08:00') })
        .where(eq(disclosureRequests.id, row!.id));

      const office = await loggedIn('office', '/staff/requests');
      await office.waitForSelector('h1:has-text("依申请公开")');
      await office.click(`a:has-text("${number}")`);
      await office.waitForSelector(`h1:has-text("${number}")`);
      await act(office, 'confirm', (f) => f.locator('input[name="confirmedAt"]').fill('2026-09-30T10:00'), '已确认收到申请');
      expect(await office.textContent('#deadline-date')).toBe('2026年11月3日');
      await act(office, 'route', (f) => f.locator('select[name="departmentId"]').selectOption('5'), '已交承办处室办理');
      expect(await office.textContent('#request-department')).toBe('登记注册局');
      await shot(office, 'request-03-office-routed');

      const dept = await loggedIn('h-registration', '/staff/requests');
      await dept.click(`a:has-text("${number}")`);
      await act(
        dept,
        'draft',
        (f) => f.locator('textarea[name="draft"]').fill('经查，该计划已由本局主动公开，拟予以公开并提供电子文本。'),
        '拟办答复意见已提交',
      );
      await shot(dept, 'request-04-department-drafted');

      await office.reload();
      await act(office, 'sign', async () => {}, '答复已签发');
      expect(await office.textContent('#request-step')).toContain('已签发');
      // No letter yet: it states the outcome, recorded at the conclusion.
      expect(await office.locator('#answer-letter a').count()).toBe(0);
      await shot(office, 'request-05-office-signed');

      // The applicant on the phone: signed, the deadline and the lines that make it, the answer letter's buttons.
      const look = await newPage(PHONE);
      const lookUp = async () => {
        await look.goto(`${base}/xxgk/request/lookup`);
        await look.fill('#f-number', number);
        await look.fill('#f-accessCode', accessCode);
        await look.click('button[type="submit"]:has-text("查询")');
        await look.waitForSelector('h1:has-text("申请办理进度")');
      };
      await lookUp();
      expect(await look.textContent('#request-status')).toBe('办理中');
      expect(await look.textContent('#deadline-date')).toBe('2026年11月3日');
      const lines = await look.locator('#deadline-explanation li').allTextContents();
      expect(lines).toEqual([
        '收到申请日：2026-09-30。网上申请，以双方确认之日为收到申请之日（条例第三十一条第（三）项）',
        '自2026-09-30次日起计算20个工作日（20个工作日），第20个计入的工作日为2026-11-03',
        '答复期限：2026-11-03（当日24时前）',
      ]);
      expect(await look.locator('#answer-letter button').count()).toBe(0);
      expect(await fitsScreen(look)).toBe(true);
      problems.push(...(await seriousViolations(look, 'request lookup')));
      await shot(look, 'request-06-lookup-signed');

      // The office concludes with the outcome (the annual report's 予以公开 row).
      // 予以公开 without how, where and when to get it is refused at the field (条例 Art. 36(一)(二)).
      await office.click('#act-conclude summary');
      await office.locator('#act-conclude select[name="outcome"]').selectOption('disclosed');
      await office.click('#act-conclude button[type="submit"]');
      await office.waitForSelector('#act-conclude [data-error-for="access.form"]:not([hidden])');
      expect(await office.textContent('#act-conclude [data-error-for="access.form"]')).toContain('获取信息的方式、地点和时间');
      await act(
        office,
        'conclude',
        async (f) => {
          await f.locator('select[name="outcome"]').selectOption('disclosed');
          await f.locator('input[name="access.form"]').fill('电子文本，通过电子邮件发送');
          await f.locator('input[name="access.place"]').fill('本局政府信息公开受理点');
          await f.locator('input[name="access.time"]').fill('收到本告知书之日起');
        },
        '申请已办结',
      );
      expect(await office.locator('#answer-letter a').count()).toBe(2);
      await lookUp();
      expect(await look.textContent('#request-status')).toBe('已办结');
      expect(await look.textContent('#request-outcome')).toBe('予以公开');
      expect(await look.locator('#deadline-explanation li').allTextContents()).toContain(
        '自2026-09-30次日起计算20个工作日（20个工作日），第20个计入的工作日为2026-11-03',
      );
      expect(await look.locator('#withdraw').count()).toBe(0);
      await shot(look, 'request-07-lookup-concluded');

      // The office's list: the request concluded, its receipt date, deadline and department in one row.
      await office.goto(`${base}/staff/requests`);
      const listed = office.locator(`tr[data-id="${row!.id}"]`);
      expect(await listed.locator('td').allTextContents()).toEqual([
        number,
        '林小梅',
        '网上申请',
        '已办结',
        '2026年9月30日',
        '',
        '',
        '登记注册局',
        '',
      ]);
      await shot(office, 'request-08-staff-list');

      // The applicant opens the answer letter from the lookup (POST /xxgk/request/letter, number + code).
      await lookUp();
      expect(await look.locator('#answer-letter button').count()).toBe(2);
      await look.click('#answer-letter button:has-text("查看答复书")');
      await look.waitForURL(/\/xxgk\/request\/letter$/);
      const letter = (await look.textContent('body'))!;
      expect(letter).toContain('处理结果：予以公开');
      expect(letter).toContain('本局政府信息公开受理点');
      expect(letter).toContain('行政复议');
      expect(await fitsScreen(look)).toBe(true);
      problems.push(...(await seriousViolations(look, 'answer letter')));
      await shot(look, 'request-09-answer-letter');

      expect(problems).toEqual([]);
      expect(dialogs).toEqual([]);
    });
  },
);
