import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.js';
import { columnBySlug } from '../../src/publishing/service/columns.js';
import { createDraft, saveVersion } from '../../src/publishing/service/items.js';
import { publishForm } from '../../src/publishing/service/publish.js';
import { decideStep, submitForReview, takeDownItem, withdrawForm } from '../../src/publishing/service/review.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';

// Issue 15 points 9-10, the public website: nothing is publicly visible before publication (the public
// URLs fetched at each step of the Art. 20 chain), 发布时间 set by the system and kept when a second
// version adds 更新时间, the 410 notice after the office's takedown (Art. 27(三)), two-character search,
// and the cache validators (ETag / Last-Modified, 304) that change at once with the data.

let h: Harness;
const tokens: Record<string, string> = {};
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
  h.app.inject({ method, url, headers: bearer((tokens[who] ??= await h.login(who))), ...(payload ? { payload } : {}) });
const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true } as const;
let tzgg: { id: number; slug: string };
const viewers: Record<string, Viewer> = {};
async function as(username: string): Promise<Viewer> {
  if (viewers[username]) return viewers[username];
  const me = await call('GET', '/api/auth/me', username);
  return (viewers[username] = { staff: me.json(), ip: '127.0.0.1', requestId: 'site-pages-test' });
}
// The chain through its services, without Temporal (the review workflow's signals wait in the outbox):
// the API path of the same chain is publishing-api.test.ts.
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const version = (title: string, body: string) => ({ title, summary: '', body, qaPairs: [], relatedItemIds: [] });

const draft = async (title: string, body: string) =>
  (await createDraft(deps(), await as('h-registration'), { columnId: tzgg.id, contentType: 'notice', ...version(title, body) })).id;
const submit = async (id: number) =>
  (await submitForReview(deps(), await as('h-registration'), id, { art19: ART19, secrecy: 'no_secret' })).id;
const decide = async (formId: number, who: string) =>
  decideStep(deps(), await as(who), formId, { decision: 'approved', opinion: '', secrecy: 'no_secret' });
const publish = async (formId: number) =>
  expect((await publishForm(deps(), await as('h-registration'), formId, {})).status).toBe('published');

/** What the public sees of an item at one moment, through every public URL. */
async function publicView(id: number, title: string, word: string) {
  const page = await get(`/items/${id}`);
  const json = await get(`/api/site/items/${id}/public`);
  const column = await get(`/columns/${tzgg.slug}`);
  const columnJson = await get(`/api/site/columns/${tzgg.id}/items`);
  const search = await get(`/search?q=${encodeURIComponent(word)}`);
  const home = await get('/');
  return {
    page: page.statusCode,
    json: json.statusCode,
    print: (await get(`/items/${id}/print`)).statusCode,
    inColumn: column.body.includes(title),
    inColumnJson: (columnJson.json().items as { id: number }[]).some((i) => i.id === id),
    inSearch: search.body.includes(`/items/${id}"`),
    onHome: home.body.includes(`/items/${id}"`),
  };
}
const HIDDEN = { page: 404, json: 404, print: 404, inColumn: false, inColumnJson: false, inSearch: false, onHome: false };

beforeAll(async () => {
  h = await startHarness();
  tzgg = (await columnBySlug(h.db, 'tzgg'))!;
});
afterAll(async () => h?.close());

describe('Art. 19-20: nothing is publicly visible before publication', () => {
  let id: number;
  let formId: number;
  const title = '关于开展食品安全专项检查的通知';

  it('a draft, a submitted item, one the department leader approved and one signed but not published are not visible', async () => {
    id = await draft(title, '本次检查覆盖全省食品生产企业，同时开展计量器具抽查。');
    expect(await publicView(id, title, '食品')).toEqual(HIDDEN);
    formId = await submit(id);
    expect(await publicView(id, title, '食品')).toEqual(HIDDEN);
    await decide(formId, 'l-registration');
    expect(await publicView(id, title, '食品')).toEqual(HIDDEN);
    await decide(formId, 'leader');
    expect((await call('GET', `/api/review-forms/${formId}`, 'office')).json().status).toBe('approved');
    expect(await publicView(id, title, '食品')).toEqual(HIDDEN);
  });

  it('published: visible everywhere, with the supplying department and the system 发布时间', async () => {
    await publish(formId);
    expect(await publicView(id, title, '食品')).toEqual({
      page: 200,
      json: 200,
      print: 200,
      inColumn: true,
      inColumnJson: true,
      inSearch: true,
      onHome: true,
    });
    const item = (await call('GET', `/api/site/items/${id}`, 'office')).json();
    const page = (await get(`/items/${id}`)).body;
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).toContain('<dt>信息来源</dt><dd>登记注册局</dd>');
    // 发布时间 is the instant the system stamped on publication, shown to the minute, China time.
    expect(page).toContain(
      `<dt>发布时间</dt><dd><time datetime="${item.firstPublishedAt}">${item.firstPublishedAt.slice(0, 16).replace('T', ' ')}</time>`,
    );
    expect(page).not.toContain('更新时间');
    const json = (await get(`/api/site/items/${id}/public`)).json();
    expect(json).toMatchObject({
      id,
      title,
      department: '登记注册局',
      column: '通知公告',
      publishedAt: item.firstPublishedAt,
      updatedAt: null,
    });
    expect(json.bodyHtml).toContain('<p>本次检查覆盖全省食品生产企业');
  });

  it('a drafter who withdraws the form before publication leaves nothing visible', async () => {
    const t = '关于计量器具检定的公告（撤回）';
    const other = await draft(t, '计量检定安排。');
    const f = await submit(other);
    await decide(f, 'l-registration');
    expect((await withdrawForm(deps(), await as('h-registration'), f)).status).toBe('withdrawn');
    expect(await publicView(other, t, '计量')).toEqual(HIDDEN);
  });

  it('a second published version shows the new text and 更新时间, 发布时间 stays; the ETag changes', async () => {
    const before = await get(`/items/${id}`);
    const firstPublishedAt = (await call('GET', `/api/site/items/${id}`, 'office')).json().firstPublishedAt;
    await saveVersion(deps(), await as('h-registration'), id, version(title, '检查范围扩大到食品经营企业（第二版）。'));
    // The new version is under review: the public still sees the published one.
    expect((await get(`/items/${id}`)).body).toContain('本次检查覆盖全省食品生产企业');
    const f = await submit(id);
    await decide(f, 'l-registration');
    await decide(f, 'leader');
    expect((await get(`/items/${id}`)).body).not.toContain('第二版');
    await publish(f);
    const after = await get(`/items/${id}`);
    const item = (await call('GET', `/api/site/items/${id}`, 'office')).json();
    expect(item.firstPublishedAt).toBe(firstPublishedAt);
    expect(after.body).toContain('检查范围扩大到食品经营企业（第二版）。');
    expect(after.body).not.toContain('本次检查覆盖全省食品生产企业');
    expect(after.body).toContain(`<dt>发布时间</dt><dd><time datetime="${firstPublishedAt}">`);
    expect(after.body).toContain(`<dt>更新时间</dt><dd><time datetime="${item.updatedPublishedAt}">`);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    // A client holding the first version's ETag gets the new page, not a 304.
    expect((await get(`/items/${id}`, { 'if-none-match': String(before.headers.etag) })).statusCode).toBe(200);
  });

  it('cache headers: public max-age=60 with ETag and Last-Modified; a matching revalidation gets 304', async () => {
    for (const url of [
      '/',
      `/columns/${tzgg.slug}`,
      `/items/${id}`,
      `/items/${id}/print`,
      '/search?q=食品',
      '/search',
      `/api/site/items/${id}/public`,
    ]) {
      const res = await get(encodeURI(url));
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('public, max-age=60');
      expect(res.headers.etag, url).toMatch(/^"[\w-]{27}"$/);
      expect(Date.parse(String(res.headers['last-modified'])), url).not.toBeNaN();
      expect(res.headers['set-cookie'], url).toBeUndefined();
      const again = await get(encodeURI(url), { 'if-none-match': String(res.headers.etag) });
      expect(again.statusCode, url).toBe(304);
      expect(again.body, url).toBe('');
      const since = await get(encodeURI(url), { 'if-modified-since': String(res.headers['last-modified']) });
      expect(since.statusCode, url).toBe(304);
    }
    // The mailbox's form carries a CSRF-free form id and personal input: never cached.
    const mailbox = await get('/mailbox');
    expect(mailbox.statusCode).toBe(200);
    expect(mailbox.headers['cache-control']).toBe('no-store');
  });

  it('Art. 27(三): after the takedown the URL answers 410 with a short notice, not the reason; lists and search drop it; ETags change', async () => {
    const column = await get(`/columns/${tzgg.slug}`);
    const search = await get(encodeURI('/search?q=食品'));
    const home = await get('/');
    await takeDownItem(deps(), await as('office'), id, '内部原因：数据有误待核');
    const gone = await get(`/items/${id}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain(`编号为 ${id} 的信息已于`);
    expect(gone.body).toContain('撤下，不再公开');
    expect(gone.body).not.toContain('数据有误');
    expect(gone.body).not.toContain(title);
    expect((await get(`/items/${id}/print`)).statusCode).toBe(410);
    const json = await get(`/api/site/items/${id}/public`);
    expect(json.statusCode).toBe(410);
    expect(json.json().error.message).not.toContain('数据有误');
    const columnAfter = await get(`/columns/${tzgg.slug}`, { 'if-none-match': String(column.headers.etag) });
    expect(columnAfter.statusCode).toBe(200);
    expect(columnAfter.body).not.toContain(title);
    const searchAfter = await get(encodeURI('/search?q=食品'), { 'if-none-match': String(search.headers.etag) });
    expect(searchAfter.statusCode).toBe(200);
    expect(searchAfter.body).not.toContain(`/items/${id}"`);
    expect((await get('/', { 'if-none-match': String(home.headers.etag) })).statusCode).toBe(200);
    // Last-Modified moved too: a client revalidating by date alone is not told its copy is current.
    expect(Date.parse(String(columnAfter.headers['last-modified']))).toBeGreaterThanOrEqual(
      Date.parse(String(column.headers['last-modified'])),
    );
    expect((await get(`/columns/${tzgg.slug}`, { 'if-modified-since': new Date(Date.now() - 3600_000).toUTCString() })).statusCode).toBe(
      200,
    );
  });

  it('related items: the published ones among relatedItemIds, with their titles and links; a draft one is not named', async () => {
    const shown = await draft('关于计量器具强制检定的规定', '规定正文。');
    const f = await submit(shown);
    await decide(f, 'l-registration');
    await decide(f, 'leader');
    await publish(f);
    const hidden = await draft('尚未发布的相关草稿', '草稿正文。');
    const item = await createDraft(deps(), await as('h-registration'), {
      columnId: tzgg.id,
      contentType: 'notice',
      ...version('关于计量器具检定规定的解读通知', '解读正文。'),
      relatedItemIds: [shown, hidden],
    });
    const g = await submit(item.id);
    await decide(g, 'l-registration');
    await decide(g, 'leader');
    await publish(g);
    const page = (await get(`/items/${item.id}`)).body;
    expect(page).toContain(`<li><a href="/items/${shown}">关于计量器具强制检定的规定</a></li>`);
    expect(page).not.toContain('尚未发布的相关草稿');
    expect(page).not.toContain(`/items/${hidden}"`);
    expect((await get(`/api/site/items/${item.id}/public`)).json().related).toEqual([{ id: shown, title: '关于计量器具强制检定的规定' }]);
  });

  it('unknown items and columns are 404', async () => {
    expect((await get('/items/999999')).statusCode).toBe(404);
    expect((await get('/items/abc')).statusCode).toBe(404);
    expect((await get('/api/site/items/999999/public')).statusCode).toBe(404);
    expect((await get('/columns/no-such-column')).statusCode).toBe(404);
    expect((await get('/api/site/columns/999/items')).statusCode).toBe(404);
  });
});

describe('site search: a two-character word finds what contains it', () => {
  it('食品 and 计量 find published items containing them in the title or the body, with a marked snippet', async () => {
    const a = await draft('食品抽检结果公告', '本期抽检合格。');
    const b = await draft('年度检定工作安排', '全省开展强制检定，计量器具须按期送检。');
    for (const id of [a, b]) {
      const f = await submit(id);
      await decide(f, 'l-registration');
      await decide(f, 'leader');
      await publish(f);
    }
    const food = await get(encodeURI('/search?q=食品'));
    expect(food.statusCode).toBe(200);
    expect(food.body).toContain(`<a href="/items/${a}">食品抽检结果公告</a>`);
    expect(food.body).not.toContain(`/items/${b}"`);
    const metrology = await get(encodeURI('/search?q=计量'));
    expect(metrology.body).toContain(`<a href="/items/${b}">年度检定工作安排</a>`);
    expect(metrology.body).toContain('全省开展强制检定，<mark>计量</mark>器具须按期送检。');
    expect(metrology.body).toContain('<a href="/columns/tzgg">通知公告</a>');
    // Both characters, but not next to each other: not a match.
    expect((await get(encodeURI('/search?q=计检'))).body).toContain('没有找到包含“计检”的信息');
    // Case does not matter for Latin letters.
    const c = await draft('CCC 认证说明', '强制性产品认证。');
    const f = await submit(c);
    await decide(f, 'l-registration');
    await decide(f, 'leader');
    await publish(f);
    expect((await get('/search?q=ccc')).body).toContain(`/items/${c}"`);
  });

  it('a bad search word is a 400 page with the Chinese message; an empty one shows the form', async () => {
    const one = await get(encodeURI('/search?q=食'));
    expect(one.statusCode).toBe(400);
    expect(one.body).toContain('搜索词至少 2 个字');
    expect(one.body).toContain('aria-invalid="true"');
    const long = await get(`/search?q=${encodeURIComponent('食'.repeat(51))}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('搜索词不能超过 50 个字');
    const empty = await get('/search?q=');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('<form method="get" action="/search"');
    expect(empty.body).not.toContain('_csrf');
    expect((await get(encodeURI('/search?q=食品&page=0'))).statusCode).toBe(400);
  });
});

describe('pagination: 20 a page, newest first by 发布时间', () => {
  const N = 41;
  let ids: number[];
  let bszn: { id: number; slug: string };

  beforeAll(async () => {
    bszn = (await columnBySlug(h.db, 'bszn'))!;
    // 41 published items straight in the tables (the chain is exercised above): one a minute.
    const rows = await h.db.execute<{ id: number }>(sql`
      with items as (
        insert into site_items (column_id, department_id, drafter_id, content_type, state, latest_version, published_version, first_published_at)
        select ${bszn.id}, 5, (select id from staff where username = 'h-registration'), 'article', 'published', 1, 1,
               timestamptz '2026-11-01 09:00+08' + g * interval '1 minute'
        from generate_series(1, ${N}) g
        returning id, first_published_at)
      insert into site_item_versions (item_id, version, title, body, author_id)
      select id, 1, '办事指南 ' || to_char(first_published_at at time zone 'Asia/Shanghai', 'HH24:MI'), '正文', (select id from staff where username = 'h-registration')
      from items returning item_id as id`);
    ids = rows.map((r) => Number(r.id)).sort((x, y) => y - x);
  });

  it('page 1 and 2 hold 20 each, page 3 the last one, page 4 is 404, page 0 or abc is 400', async () => {
    const titlesOf = (body: string) => [...body.matchAll(/<a href="\/items\/(\d+)">/g)].map((m) => Number(m[1]));
    const p1 = await get('/columns/bszn');
    const p2 = await get('/columns/bszn?page=2');
    const p3 = await get('/columns/bszn?page=3');
    expect(titlesOf(p1.body)).toEqual(ids.slice(0, 20));
    expect(titlesOf(p2.body)).toEqual(ids.slice(20, 40));
    expect(titlesOf(p3.body)).toEqual(ids.slice(40));
    expect(p1.body).toContain('<a href="/columns/bszn?page=2" rel="next">下一页</a>');
    expect(p1.body).not.toContain('rel="prev"');
    expect(p2.body).toContain('<a href="/columns/bszn" rel="prev">上一页</a>');
    expect(p3.body).not.toContain('rel="next"');
    expect(p3.body).toContain('共 3 页');
    expect(p1.body).toContain(`共 ${N} 条`);
    expect((await get('/columns/bszn?page=4')).statusCode).toBe(404);
    expect((await get('/columns/bszn?page=0')).statusCode).toBe(400);
    expect((await get('/columns/bszn?page=abc')).statusCode).toBe(400);
  });

  it('the JSON walks the same order by keyset: every item once', async () => {
    const seen: number[] = [];
    let before: string | null = null;
    do {
      const res = await get(`/api/site/columns/${bszn.id}/items?limit=20${before ? `&before=${before}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { id: number; publishedAt: string }[]; nextBefore: string | null };
      seen.push(...body.items.map((i) => i.id));
      before = body.nextBefore;
    } while (before);
    expect(seen).toEqual(ids);
    const bad = await get(`/api/site/columns/${bszn.id}/items?before=abc`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['query.before']).toBe('分页位置应为上一页最后一条信息的编号');
    expect((await get(`/api/site/columns/${bszn.id}/items?limit=0`)).statusCode).toBe(400);
  });

  it('the group page (政务公开) lists its columns with their newest items; the home links to the mailbox and to it', async () => {
    const home = await get('/');
    expect(home.body).toContain('<a href="/mailbox">局长信箱</a>');
    expect(home.body).toContain('<a href="/xxgk">政府信息公开</a>');
    expect(home.body).toContain(`<span class="site-org">${h.env.SITE_NAME}</span>`);
    expect(home.body).toContain('class="site-emblem"');
    const group = await get('/columns/zwgk');
    expect(group.statusCode).toBe(200);
    expect(group.body).toContain('<h2 id="col-tzgg">通知公告</h2>');
    expect(group.body).toContain('<a href="/columns/tzgg">更多通知公告</a>');
  });
});
