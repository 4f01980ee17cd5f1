import fs from 'node:fs';
import os from 'node:os';
import { asc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDayOf, parseIsoDate } from '../../src/calendar/china-time.js';
import { departments } from '../../src/departments/tables.js';
import { letterAttachments, letters } from '../../src/mailbox/tables.js';
import { uploadSpoolPrefix } from '../../src/mailbox/uploads.js';
import { bearer, DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

// The server-rendered pages (src/web) through app.inject: the public mailbox form without JavaScript
// (multipart posts), the writer's lookup, the staff pages with cookie sessions and CSRF tokens, and
// the safety properties (escaping, CSP, CSRF). Temporal runs, so a staff action goes all the way.

let h: Harness;
let ipSeq = 0;
const ip = () => ({ 'x-forwarded-for': `10.9.0.${++ipSeq}` });

/** A cookie jar per browser. */
class Browser {
  cookies = new Map<string, string>();
  remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string) {
    return this.remember(await h.app.inject({ method: 'GET', url, headers: { cookie: this.header, ...ip() } }));
  }
  async post(url: string, form: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.remember(
      await h.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { cookie: this.header, 'content-type': 'application/x-www-form-urlencoded', ...ip() },
      }),
    );
  }
  async postMultipart(url: string, fields: Record<string, string>, files: Upload[] = []) {
    const { payload, contentType } = multipart(fields, files);
    return this.remember(
      await h.app.inject({ method: 'POST', url, payload, headers: { cookie: this.header, 'content-type': contentType, ...ip() } }),
    );
  }
}

interface Upload {
  filename: string;
  type: string;
  content: Buffer;
}

/** A multipart/form-data body as a browser sends it for the letter form. */
function multipart(fields: Record<string, string>, files: Upload[]) {
  const boundary = `----amrtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  const parts = files.length > 0 ? files : [{ filename: '', type: 'application/octet-stream', content: Buffer.alloc(0) }];
  for (const f of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
    );
    chunks.push(f.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const formIdOf = (page: string) => /name="formId" value="([^"]+)"/.exec(page)?.[1] ?? '';
/** The text of the error element next to a field (ids from src/web/fields.ts). */
const fieldError = (page: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(page)?.[1];
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const BLOCK = new Set([
  'div',
  'p',
  'ul',
  'ol',
  'dl',
  'form',
  'section',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'details',
  'fieldset',
  'pre',
  'nav',
  'header',
  'footer',
  'main',
]);

/**
 * A structural check of a page, enough to catch template slips: every element closed in order, no
 * block inside <p>, ids unique, every <label for> and aria-describedby pointing at an element, one
 * <h1>, lang="zh-CN". (Writer text is escaped, so it contains no tags.)
 */
function htmlProblems(page: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const ids = new Set<string>();
  if (!page.startsWith('<!doctype html>\n<html lang="zh-CN">')) problems.push('doctype/lang');
  if ((page.match(/<h1[ >]/g) ?? []).length !== 1) problems.push('not exactly one <h1>');
  for (const m of page.matchAll(/<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)) {
    const tag = m[2]?.toLowerCase();
    if (!tag) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open !== tag) problems.push(`</${tag}> closes <${open}>`);
      continue;
    }
    if (BLOCK.has(tag) && stack.at(-1) === 'p') problems.push(`<${tag}> inside <p>`);
    const id = /\sid="([^"]*)"/.exec(m[3]!)?.[1];
    if (id !== undefined) {
      if (ids.has(id)) problems.push(`duplicate id ${id}`);
      ids.add(id);
    }
    if (!VOID.has(tag)) stack.push(tag);
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(' > ')}`);
  for (const m of page.matchAll(/<label for="([^"]+)"/g)) if (!ids.has(m[1]!)) problems.push(`label for missing #${m[1]}`);
  for (const m of page.matchAll(/aria-describedby="([^"]+)"/g))
    for (const ref of m[1]!.split(' ')) if (!ids.has(ref)) problems.push(`aria-describedby missing #${ref}`);
  for (const m of page.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attrs = m[2]!;
    if (/type="hidden"/.test(attrs) || /name="website"/.test(attrs)) continue;
    const id = /\sid="([^"]+)"/.exec(attrs)?.[1];
    if (!id || !page.includes(`<label for="${id}"`)) problems.push(`unlabelled <${m[1]}${attrs.slice(0, 60)}>`);
  }
  return problems;
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake png body')]);

const goodLetter = (over: Record<string, string> = {}) => ({
  type: 'complaint',
  convenienceItemId: '',
  departmentId: '5',
  subject: '网店不退货',
  content: '我在某网店购买的商品有质量问题，商家拒绝退货。',
  'writer.name': '张三',
  'writer.phone': '13800138000',
  'writer.email': '',
  allowPublication: 'no',
  website: '',
  ...over,
});

async function staffBrowser(username: string) {
  const b = new Browser();
  const login = await b.get('/staff/login');
  expect(login.statusCode).toBe(200);
  const res = await b.post('/staff/login', { _csrf: csrfOf(login.body), username, password: DEMO_PASSWORD });
  expect(res.statusCode, res.body).toBe(303);
  expect(b.cookies.get('amr_session')).toBeTruthy();
  return b;
}

async function submitLetter(over: Record<string, string> = {}, files: Upload[] = []) {
  const b = new Browser();
  const form = await b.get('/mailbox');
  const res = await b.postMultipart('/letter', { formId: formIdOf(form.body), ...goodLetter(over) }, files);
  expect(res.statusCode, res.body.slice(0, 3000)).toBe(200);
  const trackingNo = /id="tracking-no">([^<]+)</.exec(res.body)![1]!;
  const accessCode = /id="access-code">([^<]+)</.exec(res.body)![1]!;
  return { trackingNo, accessCode, res };
}

beforeAll(async () => {
  h = await startHarness({ temporal: true });
});
afterAll(async () => h?.close());

describe('public pages', () => {
  it('the mailbox page explains the mailbox, other channels and time limits, and has the no-JS form', async () => {
    const res = await new Browser().get('/mailbox');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const page = res.body;
    expect(page).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    for (const text of [
      '局长信箱',
      '政府信息公开申请',
      '信访',
      '投诉',
      '10 个工作日',
      '便民服务事项投诉',
      '3 个工作日',
      '咨询',
      '2 个工作日',
      '建言献策',
      '情况反映',
      '个人信息保护',
      '是否同意公开',
    ]) {
      expect(page).toContain(text);
    }
    expect(page).toContain('<form method="post" action="/letter" enctype="multipart/form-data"');
    expect(page).toContain('name="website"');
    expect(page).toContain('type="file"');
    // every visible control has a label
    for (const id of [
      'f-departmentId',
      'f-subject',
      'f-content',
      'f-writer-name',
      'f-writer-phone',
      'f-writer-email',
      'f-attachments',
      'f-convenienceItemId',
    ]) {
      expect(page).toContain(`<label for="${id}"`);
      expect(page).toContain(`id="${id}"`);
    }
    // no inline script or style: only the two static assets
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(page).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    expect(page).toMatch(/<script src="\/assets\/app\.js\?v=[0-9a-f]+" defer><\/script>/);
  });

  it('sends a strict Content-Security-Policy and other security headers on pages, not on the JSON API', async () => {
    const res = await new Browser().get('/mailbox');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    const api = await h.app.inject({ method: 'GET', url: '/api/departments' });
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-security-policy']).toBeUndefined();
    // the JSON API takes letters without any CSRF token, as before
    const letter = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: ip(),
      payload: {
        writer: { name: '李四', phone: '13900139000' },
        type: 'inquiry',
        departmentId: 5,
        subject: 'API 来信',
        content: '内容',
        allowPublication: false,
      },
    });
    expect(letter.statusCode, letter.body).toBe(201);
    // the pages stay out of the API documentation
    const docs = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(Object.keys(docs.json().paths).filter((p) => !p.startsWith('/api/') && !['/health', '/ready'].includes(p))).toEqual([]);
  });

  it('serves the stylesheet and the script as static files', async () => {
    const css = await h.app.inject({ method: 'GET', url: '/assets/app.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const js = await h.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await h.app.inject({ method: 'GET', url: '/assets/../package.json' })).statusCode).toBe(404);
  });

  it('a no-JS post with errors re-renders the form with the input kept and each Chinese error next to its field', async () => {
    const b = new Browser();
    const form = await b.get('/mailbox');
    const res = await b.postMultipart('/letter', {
      formId: formIdOf(form.body),
      ...goodLetter({
        'writer.phone': '12345',
        subject: '标题<b>加粗</b>',
        content: '第一行\n第二行 & "引号"',
        allowPublication: '',
        'writer.name': '王五',
      }),
    });
    expect(res.statusCode).toBe(400);
    const page = res.body;
    expect(fieldError(page, 'f-writer-phone')).toBe('请填写正确的手机号码或固定电话（如 0591-87612345）');
    expect(fieldError(page, 'f-allowPublication')).toBe('请选择是否同意公开');
    expect(fieldError(page, 'f-subject')).toBe('');
    expect(page).toContain('<div class="error-summary" role="alert"');
    // input kept (escaped)
    expect(page).toContain('value="12345"');
    expect(page).toContain('value="王五"');
    expect(page).toContain('value="标题&lt;b&gt;加粗&lt;/b&gt;"');
    expect(page).toContain('>第一行\n第二行 &amp; &quot;引号&quot;</textarea>');
    expect(page).toMatch(/<input type="radio" id="f-type-0" name="type" value="complaint" checked/);
    expect(page).toMatch(/<option value="5" selected>/);
    expect(page).toContain(`name="formId" value="${formIdOf(form.body)}"`);
    expect(await h.db.select().from(letters).where(eq(letters.subject, '标题<b>加粗</b>'))).toHaveLength(0);
  });

  it('judges with the API schema: a convenience item on an inquiry, a missing type, a bad attachment', async () => {
    const item = await h.app.inject({
      method: 'POST',
      url: '/api/admin/convenience-items',
      headers: bearer(await h.login('admin')),
      payload: { name: '营业执照补领', departmentId: 5 },
    });
    const b = new Browser();
    let res = await b.postMultipart('/letter', goodLetter({ type: 'inquiry', convenienceItemId: String(item.json().id) }));
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'f-convenienceItemId')).toBe('只有投诉可以选择便民服务事项');
    res = await b.postMultipart('/letter', goodLetter({ type: '' }));
    expect(fieldError(res.body, 'f-type')).toBe('请选择来信类型（投诉、咨询、建言献策或情况反映）');
    res = await b.postMultipart('/letter', goodLetter(), [
      { filename: 'notes.txt', type: 'text/plain', content: Buffer.from('plain text') },
    ]);
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'f-attachments')).toBe('附件只能是 JPG、PNG 图片或 PDF 文件');
    expect(res.body).toContain('之前选择的附件需要重新选择');
  });

  it('issue #19 point 1: files are spooled, not held: 2 × 5 MB are stored whole, six files or over 10 MB together are refused', async () => {
    const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(bytes - 9, 7)]);
    // This process's spool folders only: other test files upload in parallel.
    const spoolDirs = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(uploadSpoolPrefix())).length;
    const dirsBefore = spoolDirs();
    const ten = { filename: '材料.pdf', type: 'application/pdf', content: pdf(10 * 1024 * 1024) };
    const five = { filename: '材料.pdf', type: 'application/pdf', content: pdf(5 * 1024 * 1024) };
    const b = new Browser();
    let res = await b.postMultipart('/letter', goodLetter({ subject: '两份大附件' }), [five, { ...five, filename: '材料2.pdf' }]);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const [row] = await h.db.select().from(letters).where(eq(letters.subject, '两份大附件'));
    const files = await h.db.select().from(letterAttachments).where(eq(letterAttachments.letterId, row!.id));
    expect(files.map((f) => f.size)).toEqual([five.content.length, five.content.length]);
    res = await b.postMultipart('/letter', goodLetter(), [five, five, { filename: 'c.pdf', type: 'application/pdf', content: pdf(100) }]);
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'f-attachments')).toBe('附件合计不能超过 10 MB');
    const six = Array.from({ length: 6 }, (_, i) => ({ filename: `${i}.pdf`, type: 'application/pdf', content: pdf(100) }));
    res = await b.postMultipart('/letter', goodLetter(), six);
    expect(fieldError(res.body, 'f-attachments')).toBe('附件最多 5 个');
    res = await b.postMultipart('/letter', goodLetter(), [{ ...ten, content: pdf(10 * 1024 * 1024 + 1) }]);
    expect(fieldError(res.body, 'f-attachments')).toBe('单个附件不能超过 10 MB');
    // A NUL in a file name (the form's files bypass letterBody) is a field message, not a 500.
    res = await b.postMultipart('/letter', goodLetter(), [{ filename: 'a\u0000.pdf', type: 'application/pdf', content: pdf(100) }]);
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'f-attachments')).toBe('文件名不能包含空字符（U+0000）');
    // Every request's spool folder is gone once it is answered.
    expect(spoolDirs()).toBe(dirsBefore);
  });

  it('the honeypot field refuses the post and stores nothing', async () => {
    const before = (await h.db.select({ id: letters.id }).from(letters)).length;
    const res = await new Browser().postMultipart('/letter', goodLetter({ website: 'http://spam.example' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('提交失败');
    expect((await h.db.select({ id: letters.id }).from(letters)).length).toBe(before);
  });

  it('a successful post shows the tracking number and the access code once, never in a URL', async () => {
    const { trackingNo, accessCode, res } = await submitLetter({ subject: '附件来信' }, [
      { filename: '凭证.png', type: 'image/png', content: png },
    ]);
    expect(trackingNo).toMatch(/^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/);
    expect(accessCode).toMatch(/^[2-9A-HJ-KMNP-Z]{10}$/);
    expect(res.body).toContain('查询码只显示这一次');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.location).toBeUndefined();
    expect(res.body).not.toMatch(new RegExp(`href="[^"]*${accessCode}`));
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
    expect(row).toMatchObject({
      subject: '附件来信',
      type: 'complaint',
      departmentId: 5,
      writerName: '张三',
      allowPublication: false,
      writerEmail: null,
    });
    const files = await h.db.select().from(letterAttachments).where(eq(letterAttachments.letterId, row!.id));
    expect(files.map((f) => [f.filename, f.mimeType])).toEqual([['凭证.png', 'image/png']]);
  });

  it('reloading the confirmation (the browser posts the same form again) shows the same letter, not a duplicate', async () => {
    const b = new Browser();
    const form = await b.get('/mailbox');
    const fields = { formId: formIdOf(form.body), ...goodLetter({ subject: '只提交一次' }) };
    const first = await b.postMultipart('/letter', fields);
    const again = await b.postMultipart('/letter', fields);
    const no = (r: LightMyRequestResponse) => /id="tracking-no">([^<]+)</.exec(r.body)?.[1];
    expect(no(first)).toBeTruthy();
    expect(no(again)).toBe(no(first));
    expect(await h.db.select().from(letters).where(eq(letters.subject, '只提交一次'))).toHaveLength(1);
    // a different letter from the same page is a new letter
    const other = await b.postMultipart('/letter', { ...fields, subject: '另一封信' });
    expect(no(other)).not.toBe(no(first));
  });

  it('the lookup shows status, department and due date with the code, and answers wrong codes like unknown numbers', async () => {
    const { trackingNo, accessCode } = await submitLetter({ subject: '查询测试' });
    const b = new Browser();
    expect((await b.get('/lookup')).body).toContain('查询办理进度');
    const wrong = await b.post('/lookup', { trackingNo, accessCode: 'WRONGCODE2' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toContain('未找到该信件，请核对受理编号和查询码');
    expect(wrong.body).not.toContain('WRONGCODE2');
    const missing = await b.post('/lookup', { trackingNo: '', accessCode: '' });
    expect(missing.statusCode).toBe(400);
    expect(fieldError(missing.body, 'f-trackingNo')).toBe('请填写受理编号');
    const ok = await b.post('/lookup', { trackingNo: trackingNo.toLowerCase(), accessCode: accessCode.toLowerCase() });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('办理中');
    expect(ok.body).toContain('登记注册局');
    expect(ok.body).toContain('来信已收到');
    expect(ok.body).toContain('查询测试');
    expect(ok.body).not.toContain(accessCode);
  });
});

describe('staff pages', () => {
  it('sends people without a session to the login page', async () => {
    const res = await new Browser().get('/staff/cases?status=processing');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/login?next=${encodeURIComponent('/staff/cases?status=processing')}`);
    const bad = new Browser();
    const login = await bad.get('/staff/login');
    const wrong = await bad.post('/staff/login', { _csrf: csrfOf(login.body), username: 'h-registration', password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('用户名或密码错误');
    expect(wrong.body).toContain('value="h-registration"');
    expect(wrong.body).not.toContain('wrong-password');
  });

  it("the workbench lists the department's cases by due time with the countdown; filters and search", async () => {
    const inquiry = await submitLetter({ type: 'inquiry', subject: '咨询营业执照' });
    const complaint = await submitLetter({ subject: '投诉倒计时' });
    const b = await staffBrowser('h-registration');
    const res = await b.get('/staff/cases');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('工作台');
    expect(res.body).toContain('登记注册局');
    const remaining = (dueDate: string) => h.calendar.current.countWorkingDays(chinaDayOf(new Date()), parseIsoDate(dueDate)!);
    const [c] = await h.db.select().from(letters).where(eq(letters.trackingNo, complaint.trackingNo));
    const n = remaining(c!.dueDate);
    expect(n).toBeGreaterThan(0);
    const card = new RegExp(`${complaint.trackingNo}[\\s\\S]*?</li>`);
    const listed = res.body.slice(res.body.indexOf('<ol class="cases">'));
    expect(listed).toContain('投诉倒计时');
    expect(listed.indexOf(inquiry.trackingNo)).toBeLessThan(listed.indexOf(complaint.trackingNo)); // 2 working days before 10
    const cardHtml = listed.slice(listed.lastIndexOf('<li', listed.indexOf(complaint.trackingNo)));
    expect(cardHtml).toMatch(new RegExp(`<span class="badge badge-ok">剩余 ${n} 个工作日</span>`));
    expect(card.test(listed)).toBe(true);
    const filtered = await b.get('/staff/cases?type=inquiry');
    expect(filtered.body).toContain(inquiry.trackingNo);
    expect(filtered.body).not.toContain(complaint.trackingNo);
    const searched = await b.get(`/staff/cases?q=${encodeURIComponent('倒计时')}`);
    expect(searched.body).toContain(complaint.trackingNo);
    expect(searched.body).not.toContain(inquiry.trackingNo);
    const overdue = await b.get('/staff/cases?overdue=true');
    expect(overdue.body).toContain('没有符合条件的信件');
    // another department does not see it
    const other = await staffBrowser('h-enforcement');
    expect((await other.get('/staff/cases')).body).not.toContain(complaint.trackingNo);
    expect((await other.get(`/staff/cases/${complaint.trackingNo}`)).statusCode).toBe(404);
  });

  it('the workbench pages on with 下一页 (a cursor, filters kept) and goes back to the first page', async () => {
    const [metrology] = await h.db.select({ id: departments.id }).from(departments).where(eq(departments.code, 'metrology'));
    const write = async (subject: string, content: string) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/letters',
        headers: ip(),
        payload: {
          writer: { name: '王五', phone: '13700137000' },
          type: 'complaint',
          departmentId: metrology!.id,
          subject,
          content,
          allowPublication: false,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().trackingNo as string;
    };
    const made: string[] = [];
    for (let i = 0; i < 53; i++) made.push(await write(`电子秤计量不准 ${i}`, '菜市场电子秤缺斤少两。'));
    for (let i = 0; i < 3; i++) await write(`加油机 ${i}`, '加油站加油机计量有问题。');
    const cards = (page: string) => [...page.matchAll(/<a class="case-title" href="\/staff\/cases\/([^"]+)">/g)].map((m) => m[1]!);
    /** The href of the link with this text, unescaped. */
    const link = (page: string, label: string) =>
      [...page.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].find((m) => m[2] === label)?.[1]?.replaceAll('&amp;', '&');
    const b = await staffBrowser('h-metrology');
    const first = await b.get(`/staff/cases?q=${encodeURIComponent('电子秤')}`);
    expect(first.statusCode).toBe(200);
    expect(cards(first.body)).toHaveLength(50);
    expect(link(first.body, '回到第一页')).toBeUndefined();
    const next = link(first.body, '下一页')!;
    expect(next).toMatch(/^\/staff\/cases\?q=[^&]+&after=[A-Za-z0-9_-]+$/);
    expect(new URL(next, 'http://x').searchParams.get('q')).toBe('电子秤');
    const second = await b.get(next);
    expect(second.statusCode).toBe(200);
    expect(cards(second.body)).toHaveLength(3);
    expect(link(second.body, '下一页')).toBeUndefined();
    expect([...cards(first.body), ...cards(second.body)].sort()).toEqual([...made].sort());
    expect(htmlProblems(second.body)).toEqual([]);
    const back = link(second.body, '回到第一页')!;
    expect(back).toBe(`/staff/cases?q=${encodeURIComponent('电子秤')}`);
    expect(cards((await b.get(back)).body)).toEqual(cards(first.body));
    // Without the filter there are 56: the next link leads to the other 6.
    const all = await b.get('/staff/cases');
    expect(cards((await b.get(link(all.body, '下一页')!)).body)).toHaveLength(6);
    // A cursor spoiled by hand: the message and the way back, never a 500.
    const spoiled = await b.get('/staff/cases?status=processing&after=not-a-cursor');
    expect(spoiled.statusCode).toBe(400);
    expect(spoiled.body).toContain('翻页游标无效，请从第一页重新开始');
    expect(link(spoiled.body, '回到第一页')).toBe('/staff/cases?status=processing');
    expect(htmlProblems(spoiled.body)).toEqual([]);
  });

  it('the arbitration queue shows 20 letters a page, oldest deadline first, and pages on with 下一页', async () => {
    for (let i = 0; i < 23; i++) {
      const { trackingNo } = await submitLetter({ subject: `待协调 ${i}` });
      await h.db.update(letters).set({ status: 'in_arbitration' }).where(eq(letters.trackingNo, trackingNo));
    }
    const expected = (
      await h.db
        .select({ t: letters.trackingNo })
        .from(letters)
        .where(eq(letters.status, 'in_arbitration'))
        .orderBy(asc(letters.dueAt), asc(letters.id))
    ).map((r) => r.t);
    expect(expected.length).toBeGreaterThan(20);
    const office = await staffBrowser('office');
    const forms = (page: string) => [...page.matchAll(/action="\/staff\/cases\/([^"/]+)\/arbitrate"/g)].map((m) => m[1]!);
    const nextOf = (page: string) => /<a href="([^"]+)" rel="next">下一页<\/a>/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    const seen: string[] = [];
    let page = (await office.get('/staff/arbitration')).body;
    expect(forms(page)).toHaveLength(20);
    for (let guard = 0; ; guard++) {
      seen.push(...forms(page));
      const next = nextOf(page);
      if (!next || guard > 10) break;
      page = (await office.get(next)).body;
      expect(page).toContain('回到第一页');
    }
    expect(seen).toEqual(expected);
    // A cursor spoiled by hand: a 400 page with the message and the way back, never a 500.
    const spoiled = await office.get('/staff/arbitration?after=not-a-cursor');
    expect(spoiled.statusCode).toBe(400);
    expect(spoiled.body).toContain('翻页游标无效，请从第一页重新开始');
    expect(spoiled.body).toContain('href="/staff/arbitration">回到第一页');
  });

  it('a staff form without the CSRF token (or with a wrong one) is refused with 403 and changes nothing', async () => {
    const { trackingNo } = await submitLetter({ subject: 'CSRF 测试' });
    const b = await staffBrowser('h-registration');
    const form = { toDepartmentId: '6', reasonCode: 'not_in_remit', reason: '属于信用处职责' };
    const missing = await b.post(`/staff/cases/${trackingNo}/transfer`, form);
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect(missing.body).toContain('页面已失效');
    const wrong = await b.post(`/staff/cases/${trackingNo}/transfer`, { ...form, _csrf: 'forged-token' });
    expect(wrong.statusCode).toBe(403);
    // a token from another browser (its own secret cookie) does not fit this browser's cookie
    const attacker = new Browser();
    const attackerToken = csrfOf((await attacker.get('/staff/login')).body);
    expect((await b.post(`/staff/cases/${trackingNo}/transfer`, { ...form, _csrf: attackerToken })).statusCode).toBe(403);
    expect((await b.post('/staff/logout', {})).statusCode).toBe(403);
    expect((await new Browser().post('/staff/login', { username: 'h-registration', password: DEMO_PASSWORD })).statusCode).toBe(403);
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
    expect(row!.departmentId).toBe(5);
  });

  it("escapes the writer's markup everywhere on the staff case page", async () => {
    const { trackingNo } = await submitLetter({
      subject: '<script>alert(1)</script>标题',
      content: '正文 <script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">点我</a>',
      'writer.name': '<img src=x onerror=alert(2)>',
    });
    const b = await staffBrowser('h-registration');
    const res = await b.get(`/staff/cases/${trackingNo}`);
    expect(res.statusCode).toBe(200);
    const page = res.body;
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toMatch(/<img[^>]*onerror/i);
    expect(page).not.toMatch(/<a[^>]*href="javascript:/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;标题');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;点我&lt;/a&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(page.match(/<script/g)).toHaveLength(1); // the one static script
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const list = await b.get('/staff/cases');
    expect(list.body).not.toContain('<script>alert(1)');
    expect(list.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;标题');
  });

  it('the case page shows the letter, attachments, timeline and deadline, and only the allowed actions', async () => {
    const { trackingNo } = await submitLetter({ subject: '案件页面' }, [{ filename: '照片.png', type: 'image/png', content: png }]);
    const b = await staffBrowser('h-registration');
    const page = (await b.get(`/staff/cases/${trackingNo}`)).body;
    for (const text of ['案件页面', '张三', '13800138000', '照片.png', 'image/png', '办理记录', '收到来信', '答复期限说明', '逐日说明'])
      expect(page).toContain(text);
    for (const a of ['answer', 'transfer', 'escalate', 'reclassify', 'reject']) expect(page).toContain(`id="act-${a}"`);
    for (const a of ['dispute', 'arbitrate', 'opinions']) expect(page).not.toContain(`id="act-${a}"`);
    const file = /href="(\/staff\/cases\/[^"]+\/attachments\/\d+)"/.exec(page)![1]!;
    const download = await b.get(file);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''%E7%85%A7%E7%89%87.png");
    expect(download.rawPayload.equals(png)).toBe(true);
    const office = await staffBrowser('office');
    const officePage = (await office.get(`/staff/cases/${trackingNo}`)).body;
    expect(officePage).toContain('id="act-reject"');
    expect(officePage).toContain('id="act-reclassify"');
    expect(officePage).not.toContain('id="act-arbitrate"'); // not in arbitration
    const leader = await staffBrowser('leader');
    const leaderPage = (await leader.get(`/staff/cases/${trackingNo}`)).body;
    expect(leaderPage).toContain('案件页面');
    expect(leaderPage).not.toContain('class="action-form"');
  });

  it('an action goes through the JSON API: field errors and refusals re-render; success redirects with a message', async () => {
    const { trackingNo, accessCode } = await submitLetter({ subject: '页面转办' });
    await h.startPending();
    const b = await staffBrowser('h-registration');
    let page = (await b.get(`/staff/cases/${trackingNo}`)).body;
    // a missing reason: the API's message next to the field, input kept
    let res = await b.post(`/staff/cases/${trackingNo}/transfer`, {
      _csrf: csrfOf(page),
      toDepartmentId: '6',
      reasonCode: 'not_in_remit',
      reason: '',
    });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'f-transfer-reason')).toBe('请填写转办说明');
    expect(res.body).toMatch(/<select id="f-transfer-toDepartmentId"[\s\S]*?<option value="6" selected>/);
    // a refusal from the workflow rules (409) is shown as the form's message
    res = await b.post(`/staff/cases/${trackingNo}/dispute`, { _csrf: csrfOf(page), reason: '不是我们的' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('该信件不是转办来的，无需提出异议');
    page = res.body;
    res = await b.post(`/staff/cases/${trackingNo}/transfer`, {
      _csrf: csrfOf(page),
      toDepartmentId: '6',
      reasonCode: 'not_in_remit',
      reason: '属于信用监督管理处职责',
    });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    expect(res.headers.location).toBe(`/staff/cases/${trackingNo}?done=transfer`);
    page = (await b.get(res.headers.location as string)).body;
    expect(page).toContain('已转办。');
    expect(page).toContain('该信件已不在本处室，只能查看');
    expect(page).toContain('不属于本处室职责范围');
    expect(page).not.toContain('class="action-form"');
    const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
    expect(row!.departmentId).toBe(6);
    // the writer sees the transfer and its reason
    const lookup = await new Browser().post('/lookup', { trackingNo, accessCode });
    expect(lookup.body).toContain('已转至信用监督管理处办理');
    expect(lookup.body).toContain('转办理由：属于信用监督管理处职责');
    expect(lookup.body).toContain('当前承办处室');
    // the audit trail records the page's action under the person and their address
    const office = await staffBrowser('office');
    const audit = await office.get(`/staff/audit?recordId=${trackingNo}`);
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('letter.transfer');
    expect(audit.body).toContain('h-registration');
  });

  it('pages follow roles: a handler gets a 403 page (with CSP) for the audit log, the office sees the arbitration queue', async () => {
    const b = await staffBrowser('h-registration');
    const res = await b.get('/staff/audit');
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('无权');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const nav = (await b.get('/staff/cases')).body;
    expect(nav).not.toContain('href="/staff/audit"');
    expect(nav).not.toContain('href="/staff/arbitration"');
    const office = await staffBrowser('office');
    const queue = await office.get('/staff/arbitration');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('待协调的信件');
    expect((await office.get('/staff/digest?date=2026-03-02')).body).toContain('2026年3月2日');
    const publicity = await staffBrowser('publicity');
    expect((await publicity.get('/staff')).headers.location).toBe('/staff/calendar');
    expect((await publicity.get('/staff/cases')).statusCode).toBe(403);
  });

  it('an administrator loads a calendar year from the form; line errors point at the line', async () => {
    const admin = await staffBrowser('admin');
    let page = (await admin.get('/staff/calendar')).body;
    expect(page).toContain('工作日历');
    expect(page).toContain('name="holidays"');
    const form = {
      year: '2027',
      'notice.title': '国务院办公厅关于2027年部分节假日安排的通知',
      'notice.number': '国办发明电〔2026〕99号',
      'notice.date': '2026-11-01',
      holidays: '元旦: 2027-01-01, 2027-01-02\n春节：2027-02-05、2027-02-06',
      adjustedWorkdays: '春节: 2027-02-09',
    };
    const bad = await admin.post('/staff/calendar', { _csrf: csrfOf(page), ...form, holidays: '元旦 2027-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'f-holidays')).toContain('第 1 行应为');
    const weekday = await admin.post('/staff/calendar', { _csrf: csrfOf(page), ...form });
    expect(weekday.statusCode).toBe(400);
    expect(fieldError(weekday.body, 'f-adjustedWorkdays')).toBe('第 1 行：调休上班日 2027-02-09 应为周六或周日');
    page = weekday.body;
    const ok = await admin.post('/staff/calendar', { _csrf: csrfOf(page), ...form, adjustedWorkdays: '春节: 2027-02-07' });
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(303);
    page = (await admin.get(ok.headers.location as string)).body;
    expect(page).toContain('已录入 2027 年节假日安排');
    expect(page).toMatch(/<th scope="row">2027<\/th><td>正式<\/td><td>国务院办公厅关于2027年部分节假日安排的通知/);
    const handler = await staffBrowser('h-registration');
    const view = await handler.get('/staff/calendar');
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain('name="holidays"');
    expect((await handler.post('/staff/calendar', { _csrf: csrfOf(view.body), ...form })).statusCode).toBe(403);
  });

  it('every page is well-formed HTML5: elements closed, unique ids, labelled controls, one <h1>', async () => {
    const { trackingNo, accessCode } = await submitLetter({ subject: '结构检查' }, [
      { filename: 'a.png', type: 'image/png', content: png },
    ]);
    const writer = new Browser();
    const pages: [string, string][] = [
      ['/mailbox', (await writer.get('/mailbox')).body],
      ['/letter (errors)', (await writer.postMultipart('/letter', goodLetter({ 'writer.phone': '1', subject: '', type: '' }))).body],
      ['/letter (confirmation)', (await submitLetter({ subject: '结构检查 2' })).res.body],
      ['/lookup', (await writer.get('/lookup')).body],
      ['/lookup (result)', (await writer.post('/lookup', { trackingNo, accessCode })).body],
      ['/lookup (not found)', (await writer.post('/lookup', { trackingNo, accessCode: 'X' })).body],
      ['/staff/login', (await new Browser().get('/staff/login')).body],
      ['/ (the website home)', (await writer.get('/')).body],
      ['/columns/zwgk (a column group)', (await writer.get('/columns/zwgk')).body],
      ['/columns/tzgg (a column)', (await writer.get('/columns/tzgg')).body],
      ['/search', (await writer.get('/search')).body],
      ['/search?q= (no result)', (await writer.get(`/search?q=${encodeURIComponent('食品')}`)).body],
      ['/search?q= (400)', (await writer.get(`/search?q=${encodeURIComponent('食')}`)).body],
      ['/xxgk', (await writer.get('/xxgk')).body],
      ['/xxgk/guide', (await writer.get('/xxgk/guide')).body],
      ['/xxgk/catalogue', (await writer.get('/xxgk/catalogue')).body],
      ['/xxgk/catalogue (400)', (await writer.get('/xxgk/catalogue?category=x&year=y')).body],
      ['/xxgk/proactive', (await writer.get('/xxgk/proactive')).body],
      ['/xxgk/reports', (await writer.get('/xxgk/reports')).body],
      ['/xxgk/apply', (await writer.get('/xxgk/apply')).body],
    ];
    // Disclosure requests (issue 17, src/requests/pages): the online form, its errors, the receipt, the lookup.
    const requestForm = {
      'applicant.type': 'natural_person',
      'person.name': '林小梅',
      'person.idDocumentType': 'resident_id',
      'person.idDocumentNumber': '350102199001011234',
      'applicant.phone': '13800000000',
      'information.title': '结构检查',
      form: 'electronic',
      receiveWay: 'online',
    };
    const filed = (await writer.post('/xxgk/request', requestForm)).body;
    const requestNo = /id="request-number">([^<]+)</.exec(filed)![1]!;
    const requestCode = /id="access-code">([^<]+)</.exec(filed)![1]!;
    pages.push(['/xxgk/request', (await writer.get('/xxgk/request')).body]);
    pages.push(['/xxgk/request (errors)', (await writer.post('/xxgk/request', { 'applicant.type': 'alien' })).body]);
    pages.push(['/xxgk/request (receipt)', filed]);
    pages.push(['/xxgk/request/lookup', (await writer.get('/xxgk/request/lookup')).body]);
    pages.push([
      '/xxgk/request/lookup (result)',
      (await writer.post('/xxgk/request/lookup', { number: requestNo, accessCode: requestCode })).body,
    ]);
    pages.push([
      '/xxgk/request/lookup (not found)',
      (await writer.post('/xxgk/request/lookup', { number: requestNo, accessCode: 'X' })).body,
    ]);
    const handler = await staffBrowser('h-registration');
    const casePage = (await handler.get(`/staff/cases/${trackingNo}`)).body;
    pages.push(['/staff/cases', (await handler.get('/staff/cases?status=processing&q=x')).body]);
    pages.push(['/staff/cases/:no', casePage]);
    pages.push([
      '/staff/cases/:no (failed action)',
      (await handler.post(`/staff/cases/${trackingNo}/transfer`, { _csrf: csrfOf(casePage), reason: '' })).body,
    ]);
    pages.push(['/staff/digest', (await handler.get('/staff/digest')).body]);
    pages.push(['/staff/audit (403)', (await handler.get('/staff/audit')).body]);
    pages.push(['/staff/nowhere (404)', (await handler.get('/staff/nowhere')).body]);
    const office = await staffBrowser('office');
    pages.push(['/staff/arbitration', (await office.get('/staff/arbitration')).body]);
    pages.push(['/staff/audit', (await office.get('/staff/audit')).body]);
    pages.push(['/staff/cases (office)', (await office.get('/staff/cases')).body]);
    pages.push(['/staff/cases/:no (office)', (await office.get(`/staff/cases/${trackingNo}`)).body]);
    pages.push(['/staff/disclosure/guide', (await office.get('/staff/disclosure/guide')).body]);
    const requestList = (await office.get('/staff/requests')).body;
    pages.push(['/staff/requests', requestList]);
    pages.push(['/staff/requests/new', (await office.get('/staff/requests/new')).body]);
    const requestPage = `/staff/requests/${/href="\/staff\/requests\/(\d+)"/.exec(requestList)![1]}`;
    pages.push(['/staff/requests/:id', (await office.get(requestPage)).body]);
    const routeFailed = await office.post(`${requestPage}/confirm`, { _csrf: csrfOf(requestList), confirmedAt: 'x' });
    pages.push(['/staff/requests/:id (failed action)', routeFailed.body]);
    const admin = await staffBrowser('admin');
    pages.push(['/staff/calendar', (await admin.get('/staff/calendar')).body]);
    for (const [name, page] of pages) expect(htmlProblems(page), name).toEqual([]);
  });

  it('logs out: the session ends and the pages ask for a login again', async () => {
    const b = await staffBrowser('h-registration');
    const page = (await b.get('/staff/cases')).body;
    const res = await b.post('/staff/logout', { _csrf: csrfOf(page) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/login?bye=1');
    expect(b.cookies.has('amr_session')).toBe(false);
    expect((await b.get('/staff/cases')).statusCode).toBe(303);
  });
});
