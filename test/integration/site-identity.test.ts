import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { queueWriterNotice } from '../../src/mailbox/notices.js';
import { letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { sampleLetter, startHarness, type Harness } from '../support/harness.js';

// What the public sees of the site (the bureau's website measures, Art. 9(一)): the bureau's full name
// at the top of every public page and in the writer's notices, and the footer's registration numbers
// (SITE_ID_CODE, SITE_ICP_RECORD, SITE_PSB_RECORD), each line shown only when its setting is set.
// Two apps in turn: the layout takes the settings of the app built last (src/web/plugin.ts).

const FULL_NAME = '福建省市场监督管理局';
let h: Harness;
let ipSeq = 0;
const ip = () => ({ 'x-forwarded-for': `10.42.0.${++ipSeq}` });

/** A multipart form post as the browser sends the letter form (no file chosen). */
function postLetterForm(fields: Record<string, string>) {
  const boundary = 'site-identity-boundary';
  const parts = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  return h.app.inject({
    method: 'POST',
    url: '/letter',
    payload: `${parts}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...ip() },
  });
}

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...ip() },
});

/** Every public page, as the writer reaches it: [name, status, body]. */
async function publicPages(): Promise<[string, number, string][]> {
  const get = async (url: string) => h.app.inject({ method: 'GET', url, headers: ip() });
  const pages: [string, { statusCode: number; body: string }][] = [
    ['the mailbox page GET /mailbox', await get('/mailbox')],
    ['the writer lookup GET /lookup', await get('/lookup')],
    ['the lookup form again POST /lookup', await h.app.inject({ method: 'POST', url: '/lookup', ...form({}) })],
    [
      'a lookup of an unknown letter',
      await h.app.inject({ method: 'POST', url: '/lookup', ...form({ trackingNo: '261127-AAAAA', accessCode: 'WRONG-CODE' }) }),
    ],
    ['the letter form with errors POST /letter', await postLetterForm({ subject: '' })],
    [
      'the confirmation POST /letter',
      await postLetterForm({
        type: 'complaint',
        departmentId: '5',
        subject: '网店不退货',
        content: '商家拒绝退货。',
        'writer.name': '张三',
        'writer.phone': '0591-87612345',
        allowPublication: 'no',
      }),
    ],
    ['the staff login page', await get('/staff/login')],
    ['the website home GET /', await get('/')],
    ['a column page GET /columns/tzgg', await get('/columns/tzgg')],
    ['the site search GET /search', await get('/search')],
  ];
  return pages.map(([name, res]) => [name, res.statusCode, res.body]);
}

/** The header's site name (before <main>) and the footer's lines (after </main>). */
function partsOf(page: string) {
  const [top = '', rest = ''] = page.split('<main');
  const footer = /<footer class="site-footer">([\s\S]*?)<\/footer>/.exec(rest)?.[1] ?? '';
  const text = (s: string) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
  return { top, header: text(/<header[\s\S]*?<\/header>/.exec(top)?.[0] ?? ''), footer, footerText: text(footer) };
}

describe('with every registration number set', () => {
  beforeAll(async () => {
    h = await startHarness({
      env: { SITE_ID_CODE: '3500000000', SITE_ICP_RECORD: '闽ICP备12345678号', SITE_PSB_RECORD: '闽公网安备35010202000123号' },
    });
  });
  afterAll(async () => h?.close());

  it('every public page has the full name at the top and the three footer lines (Art. 9(一))', async () => {
    const pages = await publicPages();
    expect(pages.map(([name, status]) => [name, status])).toEqual([
      ['the mailbox page GET /mailbox', 200],
      ['the writer lookup GET /lookup', 200],
      ['the lookup form again POST /lookup', 400],
      ['a lookup of an unknown letter', 404],
      ['the letter form with errors POST /letter', 400],
      ['the confirmation POST /letter', 200],
      ['the staff login page', 200],
      ['the website home GET /', 200],
      ['a column page GET /columns/tzgg', 200],
      ['the site search GET /search', 200],
    ]);
    for (const [name, , body] of pages) {
      const p = partsOf(body);
      expect(p.header, name).toContain(FULL_NAME);
      expect(p.footerText, name).toContain(`主办单位：${FULL_NAME}`);
      expect(p.footerText, name).toContain('网站标识码：3500000000');
      expect(p.footer, name).toContain('<a href="https://beian.miit.gov.cn/" rel="noreferrer">闽ICP备12345678号</a>');
      expect(p.footer, name).toContain(
        '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=35010202000123" rel="noreferrer">闽公网安备35010202000123号</a>',
      );
    }
    // The public pages' <title> ends with the full name too.
    expect(pages[0]![2]).toContain(`<title>局长信箱 - ${FULL_NAME}</title>`);
  });

  it("the writer's notice names the bureau in full: subject, text and HTML (Art. 9(一))", async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: sampleLetter({ writer: { name: '林五', phone: '0591-87612345', email: 'linwu@example.com' } }),
      headers: ip(),
    });
    expect(res.statusCode).toBe(201);
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, res.json().trackingNo));
    await queueWriterNotice(h.db, h.env.SITE_NAME, row!, 'site-identity:answered', { kind: 'answered' });
    const [notice] = await h.db.select().from(notifications).where(eq(notifications.letterId, row!.id));
    expect(notice!.subject).toBe(`【${FULL_NAME}局长信箱】您的来信 ${row!.trackingNo} 已答复`);
    expect(notice!.text).toContain(`${FULL_NAME}局长信箱（本邮件由系统发送，请勿回复）`);
    expect(notice!.html).toContain(`${FULL_NAME}局长信箱`);
    expect(h.env.MAIL_FROM).toBe(`${FULL_NAME}局长信箱 <mailbox@amr.example.gov.cn>`);
  });
});

describe('with no registration number set (the default)', () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('every public page still has the full name at the top and 主办单位, and no registration line', async () => {
    const pages = await publicPages();
    expect(pages).toHaveLength(10);
    for (const [name, , body] of pages) {
      const p = partsOf(body);
      expect(p.header, name).toContain(FULL_NAME);
      expect(p.footerText, name).toContain(`主办单位：${FULL_NAME}`);
      expect(p.footer, name).not.toContain('site-records');
      expect(p.footerText, name).not.toMatch(/网站标识码|ICP备|公网安备/);
    }
  });

  it('a wrong 网站标识码 setting stops the process with a message naming the variable', async () => {
    const { loadEnv } = await import('../../src/config/env.js');
    expect(() => loadEnv({ SITE_ID_CODE: '35-0000' })).toThrow(/SITE_ID_CODE: expected the 10-character 网站标识码/);
    expect(() => loadEnv({ SITE_ICP_RECORD: '闽ICP备\n1号' })).toThrow(/SITE_ICP_RECORD/);
    expect(loadEnv({ SITE_PSB_RECORD: '' }).SITE_PSB_RECORD).toBeUndefined();
  });
});
