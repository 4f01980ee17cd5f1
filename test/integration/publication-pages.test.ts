import type { LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterPublications, letters } from '../../src/mailbox/tables.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

// Issue 14 through the pages (app.inject, real PostgreSQL, a browser's cookies and CSRF tokens): the
// general office selects an answered letter, reviews the original and the masked copy side by side,
// edits, is refused approval while the masker's unsure places are open, confirms, approves, and the
// public page shows the masked text; a take-down needs a reason; the 举报 mark on the case page; the
// writer withdraws consent on the lookup page and the published letter is taken down at once.

let h: Harness;
let ipSeq = 0;
const ip = () => `10.14.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

/** A cookie jar per browser (the staff session and the CSRF cookie). */
class Browser {
  cookies = new Map<string, string>();
  private readonly address = ip();
  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  private get headers() {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': this.address };
  }
  async get(url: string) {
    return this.remember(await h.app.inject({ method: 'GET', url, headers: this.headers }));
  }
  async post(url: string, form: Record<string, string>) {
    return this.remember(
      await h.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(form).toString(),
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
  /** Posts a form of the page at `from` with that page's CSRF token. */
  async submit(from: string, url: string, form: Record<string, string> = {}) {
    const page = await this.get(from);
    return this.post(url, { _csrf: csrfOf(page.body), ...form });
  }
  async login(username: string) {
    const page = await this.get('/staff/login');
    const res = await this.post('/staff/login', { _csrf: csrfOf(page.body), username, password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
    return this;
  }
}
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const fieldError = (page: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(page)?.[1];
const between = (page: string, id: string) => new RegExp(`<div class="text" id="${id}">([\\s\\S]*?)</div>`).exec(page)?.[1] ?? '';

const WRITER = { writerName: '陈明华', writerPhone: '13805912345', writerEmail: 'chenmh@qq.com', writerIdNumber: '350102198001011234' };
// 工号20231234567: a digit string the masker cannot place (an unsure place for the office).
const CONTENT =
  '我叫陈明华，电话13805912345，邮箱chenmh@qq.com，身份证350102198001011234。网店卖的电饭锅坏了，客服工号20231234567拒绝退货。';
const ANSWER = '陈明华您好：经调查，商家已同意退货。';

async function answeredLetter() {
  return storeLetter(h, {
    type: 'complaint',
    receivedAt: new Date('2026-11-02T02:00:00Z'),
    subject: '网店拒绝退货',
    over: {
      ...WRITER,
      content: CONTENT,
      status: 'answered',
      answer: ANSWER,
      answeredAt: new Date('2026-11-05T08:00:00Z'),
      allowPublication: true,
    },
  });
}

/** Selects the letter on the list page; answers the review page's URL. */
async function select(office: Browser, trackingNo: string) {
  const list = await office.get('/staff/publications');
  expect(list.statusCode).toBe(200);
  expect(list.body).toContain(`id="cand-${trackingNo}"`);
  const res = await office.post('/staff/publications', { _csrf: csrfOf(list.body), trackingNo });
  expect(res.statusCode, res.body.slice(0, 1000)).toBe(303);
  const url = String(res.headers.location).replace(/\?.*$/, '');
  expect(url).toMatch(/^\/staff\/publications\/\d+$/);
  return url;
}

const lookup = async (trackingNo: string, accessCode: string) =>
  h.app.inject({
    method: 'POST',
    url: '/lookup',
    payload: new URLSearchParams({ trackingNo, accessCode }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip() },
  });
const formTokenOf = (page: string) => /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
const withdraw = (form: Record<string, string>) =>
  h.app.inject({
    method: 'POST',
    url: '/lookup/withdraw-consent',
    payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip() },
  });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("the general office's publication pages", () => {
  it('select → side by side with <mark> → edit → approval refused while unsure places are open → confirm → approve → public page', async () => {
    const letter = await answeredLetter();
    const office = await new Browser().login('office');
    const nav = await office.get('/staff/publications');
    expect(nav.body).toContain('<a href="/staff/publications" aria-current="page">信件公开</a>');
    const review = await select(office, letter.trackingNo);
    const id = Number(review.split('/').pop());

    const page = await office.get(`${review}?done=select`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已选用，请核对遮蔽后的公开稿。');
    // Both texts, side by side: the original with its unsure place, the copy with each replacement in <mark>.
    const original = between(page.body, 'original-content');
    const masked = between(page.body, 'masked-content');
    expect(page.body).toContain('<div class="compare-cols">');
    for (const s of [WRITER.writerPhone, WRITER.writerEmail, WRITER.writerIdNumber]) expect(original).toContain(s);
    expect(original).toContain('<mark class="unsure" title="无法判断的数字串，可能是电话或证件号码，请人工核对">20231234567</mark>');
    for (const m of ['138****2345', '35*************234', 'c***@qq.com', '网友']) {
      expect(masked).toMatch(
        new RegExp(`<mark class="masked" data-kind="[a-z_]+" title="已遮蔽：[^"]+">${m.replace(/[*.]/g, '\\$&')}</mark>`),
      );
    }
    for (const s of Object.values(WRITER)) expect(masked).not.toContain(s);
    expect(between(page.body, 'masked-answer')).toContain('<mark class="masked" data-kind="name" title="已遮蔽：姓名">网友</mark>');
    expect(page.body).toContain('待人工核对（1 处）');
    expect(page.body).toContain('确认已检查');

    // A bad edit: the same page, 400, the field's message; nothing saved.
    const badEdit = await office.submit(review, `${review}/edit`, { subject: '  ', content: 'x', answer: 'y' });
    expect(badEdit.statusCode).toBe(400);
    expect(fieldError(badEdit.body, 'f-edit-subject')).toBe('标题不能为空');
    // The form sent back unchanged is no edit.
    const copy = (await h.db.select().from(letterPublications).where(eq(letterPublications.id, id)))[0]!;
    const unchanged = await office.submit(review, `${review}/edit`, { subject: copy.subject, content: copy.content, answer: copy.answer });
    expect(unchanged.statusCode).toBe(400);
    expect(unchanged.body).toContain('没有修改任何内容');

    // A real edit of the answer: saved; the content's unsure place is still open.
    const edited = await office.submit(review, `${review}/edit`, {
      subject: copy.subject,
      content: copy.content.replace(/\n/g, '\r\n'),
      answer: '网友您好：经调查，商家已同意退货。（办公室校对）',
    });
    expect(edited.statusCode, edited.body.slice(0, 2000)).toBe(303);
    const afterEdit = await office.get(review);
    expect(between(afterEdit.body, 'masked-answer')).toBe('网友您好：经调查，商家已同意退货。（办公室校对）');
    expect(afterEdit.body).toContain('此项已人工修改，不再显示系统遮蔽标记。');

    const refused = await office.submit(review, `${review}/approve`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('公开稿有待人工核对的内容，请修改或确认后再批准');
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(404);

    expect((await office.submit(review, `${review}/confirm-unsure`)).statusCode).toBe(303);
    const confirmed = await office.get(`${review}?done=confirm-unsure`);
    expect(confirmed.body).toContain('已确认核对。');
    expect(confirmed.body).not.toContain('确认已检查</button>');

    const approved = await office.submit(review, `${review}/approve`);
    expect(approved.statusCode).toBe(303);
    const published = await office.get(`${review}?done=approve`);
    expect(published.body).toContain('已批准发布。');
    expect(published.body).toContain(`<a href="/published/${id}">`);

    const pub = await h.app.inject({ method: 'GET', url: `/published/${id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain('138****2345');
    expect(pub.body).toContain('网友您好：经调查，商家已同意退货。（办公室校对）');
    for (const s of [...Object.values(WRITER), letter.trackingNo]) expect(pub.body).not.toContain(s);

    // The list shows it among the published.
    const list = await office.get('/staff/publications');
    expect(list.body).toContain(`id="pub-${id}"`);
    expect(list.body).not.toContain(`id="cand-${letter.trackingNo}"`);

    // A take-down needs its reason: 400 and the field's message; then taken down with one.
    const empty = await office.submit(review, `${review}/take-down`, { reason: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(fieldError(empty.body, 'f-down-reason')).toBe('请填写撤下原因');
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(200);
    expect((await office.submit(review, `${review}/take-down`, { reason: '答复内容已过时' })).statusCode).toBe(303);
    const down = await office.get(review);
    expect(down.body).toContain('答复内容已过时');
    expect(down.body).toContain('该信件已撤下，不再公开。');
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(404);
  });

  it('an edit of the field holding the unsure place stands for the check; the writer details left in an edit are refused', async () => {
    const letter = await answeredLetter();
    const office = await new Browser().login('office');
    const review = await select(office, letter.trackingNo);
    const [copy] = await h.db
      .select()
      .from(letterPublications)
      .where(eq(letterPublications.id, Number(review.split('/').pop())));
    const leak = await office.submit(review, `${review}/edit`, {
      subject: copy!.subject,
      content: copy!.content.replace('20231234567', '***'),
      answer: '请致电13805912345',
    });
    expect(leak.statusCode).toBe(303);
    const refused = await office.submit(review, `${review}/approve`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('公开稿仍含写信人的电话，请修改后再批准');
    await office.submit(review, `${review}/edit`, {
      subject: copy!.subject,
      content: copy!.content.replace('20231234567', '***'),
      answer: '网友您好。',
    });
    expect((await office.submit(review, `${review}/approve`)).statusCode).toBe(303);
  });

  it('selecting a letter no longer selectable: the list again with the reason and its status', async () => {
    const letter = await answeredLetter();
    await h.db.update(letters).set({ allowPublication: false }).where(eq(letters.id, letter.id));
    const office = await new Browser().login('office');
    const res = await office.submit('/staff/publications', '/staff/publications', { trackingNo: letter.trackingNo });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('写信人未同意公开');
    const bad = await office.submit('/staff/publications', '/staff/publications', { trackingNo: 'nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('受理编号格式不正确');
    expect((await office.get('/staff/publications/abc')).statusCode).toBe(404);
    expect((await office.submit('/staff/publications', '/staff/publications/1/nonsense')).statusCode).toBe(404);
  });

  it('a handler marks a letter of their department as 举报 on the case page: a published copy is taken down', async () => {
    const letter = await answeredLetter();
    const office = await new Browser().login('office');
    const review = await select(office, letter.trackingNo);
    await office.submit(review, `${review}/confirm-unsure`);
    expect((await office.submit(review, `${review}/approve`)).statusCode).toBe(303);
    const id = review.split('/').pop()!;

    const handler = await new Browser().login('h-registration');
    const casePage = `/staff/cases/${letter.trackingNo}`;
    const before = await handler.get(casePage);
    expect(before.body).toContain('<button type="submit">标记为举报</button>');
    const bad = await handler.submit(casePage, `${casePage}/reports-person`, { reportsPerson: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('举报标记未修改：请说明是否为举报');
    const marked = await handler.submit(casePage, `${casePage}/reports-person`, { reportsPerson: 'true' });
    expect(marked.statusCode).toBe(303);
    const after = await handler.get(String(marked.headers.location));
    expect(after.body).toContain('已标记为举报：该信件不会被选入信件公开，已公开的已撤下。');
    expect(after.body).toContain('<button type="submit">取消举报标记</button>');
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(404);

    // Another department's handler does not see the letter; a bureau leader sees the mark but no button.
    const other = await new Browser().login('h-credit');
    expect((await other.submit('/staff/cases', `${casePage}/reports-person`, { reportsPerson: 'false' })).statusCode).toBe(404);
    const leader = await new Browser().login('leader');
    const seen = await leader.get(casePage);
    expect(seen.body).toContain('已标记为举报');
    expect(seen.body).not.toContain('取消举报标记');

    const cleared = await office.submit(casePage, `${casePage}/reports-person`, { reportsPerson: 'false' });
    expect(cleared.statusCode).toBe(303);
    expect((await office.get(String(cleared.headers.location))).body).toContain('已取消举报标记。');
  });
});

describe("the writer's lookup page", () => {
  it('withdrawing consent takes the published letter down at once; the form carries no access code', async () => {
    const letter = await answeredLetter();
    const office = await new Browser().login('office');
    const review = await select(office, letter.trackingNo);
    await office.submit(review, `${review}/confirm-unsure`);
    expect((await office.submit(review, `${review}/approve`)).statusCode).toBe(303);
    const id = review.split('/').pop()!;
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(200);

    const result = await lookup(letter.trackingNo, letter.accessCode);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<form method="post" action="/lookup/withdraw-consent"');
    expect(result.body).toContain('已在网站公开的将立即撤下');
    expect(result.body).not.toContain(letter.accessCode);
    const formToken = formTokenOf(result.body);

    // Not ticked: the page again, 400, the box's message; nothing changes.
    const unticked = await withdraw({ trackingNo: letter.trackingNo, formToken });
    expect(unticked.statusCode).toBe(400);
    expect(fieldError(unticked.body, 'f-consent-confirm')).toBe('请勾选确认后再撤回公开同意');
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(200);
    // A made-up token proves nothing.
    expect(
      (await withdraw({ trackingNo: letter.trackingNo, formToken: `${Date.now() + 60_000}.${'A'.repeat(43)}`, confirm: 'yes' })).statusCode,
    ).toBe(404);

    const done = await withdraw({ trackingNo: letter.trackingNo, formToken, confirm: 'yes' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('您已撤回公开同意。本信件不会在网站公开，已公开的已撤下。');
    expect(done.body).not.toContain('action="/lookup/withdraw-consent"');
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(404);
    const [row] = await h.db.select().from(letters).where(eq(letters.id, letter.id));
    expect(row!.allowPublication).toBe(false);
    const [pub] = await h.db.select().from(letterPublications).where(eq(letterPublications.letterId, letter.id));
    expect(pub).toMatchObject({ status: 'taken_down', takeDownReason: '写信人撤回公开同意' });
    // Looked up again: no form, the letter cannot be selected again.
    expect((await lookup(letter.trackingNo, letter.accessCode)).body).not.toContain('撤回公开同意</button>');
  });
});
