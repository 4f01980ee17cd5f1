import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDayOf, dayToIso } from '../../src/calendar/china-time.js';
import { publishCatalogueEntry } from '../../src/disclosure/service/catalogue.js';
import { decideDisclosure } from '../../src/disclosure/service/decisions.js';
import { changeDocument, getDocument, registerDocument } from '../../src/disclosure/service/documents.js';
import { saveGuide } from '../../src/disclosure/service/guide.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { exe, multipartBody, pdf } from '../support/site-files.js';
import { staffViewers } from '../support/viewers.js';

// Issue 16 points 1 and 5: a document's electronic text, and the public 政府信息公开 section — the
// catalogue (条例 Art. 12: 索引号, 名称, 内容概述, 生成日期), its search by 文号, 索引号 and a
// two-character word, a repealed document's notice, nothing unpublished visible, the cache validators.
// The services run without Temporal (the documents' clocks wait in the outbox; the workflow tests are
// disclosure-catalogue.test.ts).

let h: Harness;
const as = staffViewers(() => h, 'xxgk-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });
const today = () => dayToIso(chinaDayOf(new Date()));
const REGISTRATION = 5;
const PUBLISHER = '福建省市场监督管理局';
const TEXT = pdf(200_000); // over three stored pieces of 64 KiB

const register = async (title: string, docNumber: string | null, category: 'regulation' | 'licensing' = 'regulation') =>
  registerDocument(deps(), await as('h-registration'), {
    title,
    docNumber,
    departmentId: REGISTRATION,
    category,
    subject: '食品经营',
    summary: `${title}的内容概述`,
    formedOn: '2026-11-20',
  });
const decide = async (id: number) =>
  decideDisclosure(deps(), await as('office'), id, { decision: 'proactive', legalBasis: null, reason: '', reReviewOn: null });
const openRound = async (id: number) => (await getDocument(deps(), await as('office'), id)).entries.find((e) => e.status === 'open')!;
const publish = async (id: number, name: string) =>
  publishCatalogueEntry(deps(), await as('center'), (await openRound(id)).id, {
    name,
    summary: `${name}的内容概述（目录）`,
    publisher: PUBLISHER,
    subject: '食品经营',
  });
const uploadText = async (id: number, file: { name: string; content: Buffer }, who = 'h-registration') => {
  const body = multipartBody([file]);
  return h.app.inject({
    method: 'POST',
    url: `/api/disclosure/documents/${id}/text`,
    payload: body.payload,
    headers: { ...bearer(await h.login(who)), ...body.headers },
  });
};
/** The dt/dd pairs of the entry page's catalogue fields, in order. */
const fieldsOf = (page: string) => {
  const dl = /<dl class="facts catalogue-fields">([\s\S]*?)<\/dl>/.exec(page)?.[1] ?? '';
  return [...dl.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '')]);
};
const listed = async (q: string) => (await get(`/xxgk/catalogue?q=${encodeURIComponent(q)}`)).body;

let food = 0; // published, with a text
let repealed = 0; // published, then repealed by `food`
let hidden = 0; // decided 主动公开, never published
let foodIndexNo = '';

beforeAll(async () => {
  h = await startHarness();
  food = (await register('关于规范食品经营许可管理的若干规定', '闽市监规〔2026〕7号')).id;
  repealed = (await register('食品摊贩登记管理暂行办法', '闽市监规〔2020〕2号')).id;
  hidden = (await register('关于食品经营许可的内部征求意见稿', '闽市监规〔2026〕8号')).id;
  for (const id of [food, repealed, hidden]) await decide(id);
});
afterAll(async () => {
  await h?.close();
});

describe('the electronic text (issue 16 point 1)', () => {
  it('the registrar uploads a PDF, typed by content; a renamed program is refused with a Chinese field message, another department may not; nothing stored', async () => {
    const bad = await uploadText(food, { name: '规定.pdf', content: exe() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['body.files']).toMatch(/^规定\.pdf：附件只能是 PDF、Word/);
    expect(await uploadText(food, { name: '规定.pdf', content: TEXT }, 'h-credit').then((r) => r.statusCode)).toBe(403); // another department's
    const ok = await uploadText(food, { name: '规定全文.pdf', content: TEXT });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().items).toMatchObject([{ name: '规定全文.pdf', mime: 'application/pdf', size: TEXT.length }]);
    const [stored] = await h.sql<{ n: number; chunks: number }[]>`
      select count(distinct t.id)::int as n, count(c.seq)::int as chunks
      from disclosure_texts t join disclosure_text_chunks c on c.text_id = t.id where t.document_id = ${food}`;
    expect(stored).toEqual({ n: 1, chunks: 4 });
  });

  it('the staff download gives the same bytes', async () => {
    const [t] = await h.sql<{ id: number }[]>`select id from disclosure_texts where document_id = ${food}`;
    const res = await h.app.inject({
      method: 'GET',
      url: `/staff/disclosure/documents/${food}/texts/${t!.id}`,
      cookies: { amr_session: await h.login('office') },
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(TEXT)).toBe(true);
  });
});

describe('nothing unpublished is public (条例 Art. 26: published by the service centre)', () => {
  it('a decided but unpublished entry is not in the catalogue, the JSON, the proactive page, and its page is 404', async () => {
    expect(await listed('征求意见稿')).not.toContain(`/xxgk/entries/${hidden}"`);
    expect(await listed('规范食品')).not.toContain(`/xxgk/entries/${food}"`);
    expect((await get(`/xxgk/entries/${food}`)).statusCode).toBe(404);
    expect((await get(`/xxgk/entries/${hidden}`)).statusCode).toBe(404);
    const json = await get('/api/xxgk/catalogue');
    expect(json.json()).toMatchObject({ total: 0, items: [] });
    expect((await get('/xxgk/proactive')).body).not.toContain('/xxgk/entries/');
  });
});

describe('the entry page (条例 Art. 12)', () => {
  it('shows exactly 索引号, 名称, 内容概述, 生成日期, then 文号, 发布机构, category and subject, and the text to read and download', async () => {
    const entry = await publish(food, '关于规范食品经营许可管理的若干规定');
    foodIndexNo = entry.indexNo!;
    expect(foodIndexNo).toMatch(/^FJAMR-01-2026-\d{5}$/);
    const page = await get(`/xxgk/entries/${food}`);
    expect(page.statusCode).toBe(200);
    expect(fieldsOf(page.body)).toEqual([
      ['索引号', foodIndexNo],
      ['名称', '关于规范食品经营许可管理的若干规定'],
      ['内容概述', '关于规范食品经营许可管理的若干规定的内容概述（目录）'],
      ['生成日期', '2026-11-20'],
      ['文号', '闽市监规〔2026〕7号'],
      ['发布机构', PUBLISHER],
      ['信息类别', '规章和行政规范性文件'],
      ['主题分类', '食品经营'],
    ]);
    expect(page.body).not.toContain('validity-notice');
    const href = /href="(\/xxgk\/entries\/\d+\/text\/\d+)"/.exec(page.body)![1]!;
    expect(page.body).toContain('在线阅读（PDF）');
    const inline = await get(href);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-disposition']).toMatch(/^inline;/);
    expect(inline.rawPayload.equals(TEXT)).toBe(true);
    const download = await get(`${href}?download=1`);
    expect(download.headers['content-disposition']).toMatch(/^attachment;.*filename\*=UTF-8''%E8%A7%84%E5%AE%9A%E5%85%A8%E6%96%87\.pdf/);
    expect(download.rawPayload.equals(TEXT)).toBe(true);
  });

  it('a repealed document says 已废止 prominently, with the date and the document that repealed it', async () => {
    await publish(repealed, '食品摊贩登记管理暂行办法');
    await changeDocument(deps(), await as('h-registration'), repealed, {
      changedOn: today(),
      validity: 'repealed',
      changedByDocumentId: food,
    });
    const page = await get(`/xxgk/entries/${repealed}`);
    expect(page.statusCode).toBe(200);
    const notice = /<div class="notice validity-notice" role="note">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
    expect(notice).toContain('<strong>本文件已废止</strong>');
    expect(notice).toContain(`（${today()}）`);
    expect(notice).toContain('依据：关于规范食品经营许可管理的若干规定（闽市监规〔2026〕7号）');
    // Before the catalogue fields, and marked in the list too.
    expect(page.body.indexOf('validity-notice')).toBeLessThan(page.body.indexOf('catalogue-fields'));
    expect(await listed('摊贩')).toContain('<strong class="validity-mark">已废止</strong>');
  });
});

describe('the catalogue: search and filters', () => {
  it('finds by 文号, by 索引号 and by a two-character word of the title; not what does not match', async () => {
    expect(await listed('闽市监规〔2026〕7号')).toContain(`/xxgk/entries/${food}"`);
    expect(await listed(foodIndexNo)).toContain(`/xxgk/entries/${food}"`);
    const word = await listed('许可');
    expect(word).toContain(`/xxgk/entries/${food}"`);
    expect(word).not.toContain(`/xxgk/entries/${repealed}"`);
    expect(await listed('摊贩')).toContain(`/xxgk/entries/${repealed}"`);
    expect(await listed('许管')).not.toContain('/xxgk/entries/');
    const json = await get(`/api/xxgk/catalogue?q=${encodeURIComponent('许可')}`);
    expect(json.json()).toMatchObject({ total: 1, items: [{ documentId: food, indexNo: foodIndexNo, docNumber: '闽市监规〔2026〕7号' }] });
  });

  it('filters by category, subject, department and year', async () => {
    const hits = async (qs: string) =>
      ((await get(`/api/xxgk/catalogue?${qs}`)).json().items as { documentId: number }[]).map((i) => i.documentId).sort();
    expect(await hits('category=regulation')).toEqual([food, repealed].sort());
    expect(await hits('category=licensing')).toEqual([]);
    expect(await hits(`subject=${encodeURIComponent('食品经营')}&departmentId=${REGISTRATION}&year=2026`)).toEqual([food, repealed].sort());
    expect(await hits('year=2025')).toEqual([]);
    const page = await get('/xxgk/catalogue?category=regulation&year=2026&subject=&departmentId=');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('共 2 条');
  });

  it('bad filters answer a 400 page (and JSON) with a Chinese message', async () => {
    const badCategory = await get('/xxgk/catalogue?category=weapons');
    expect(badCategory.statusCode).toBe(400);
    expect(badCategory.body).toContain('信息类别不存在，请从列表中选择');
    const badYear = await get('/xxgk/catalogue?year=20x6');
    expect(badYear.statusCode).toBe(400);
    expect(badYear.body).toContain('年份应为 2000 到 2200 的整数');
    expect((await get('/xxgk/catalogue?q=%E9%A3%9F')).body).toContain('搜索词至少 2 个字');
    const json = await get('/api/xxgk/catalogue?departmentId=abc');
    expect(json.statusCode).toBe(400);
    expect(JSON.stringify(json.json())).toContain('发布处室应从列表中选择');
  });
});

describe('a new text of a published 主动公开 document is a change (条例 Art. 26)', () => {
  it('opens a new round due 20 working days from today; the public keeps the published text until the new round is published', async () => {
    const before = await get(`/xxgk/entries/${food}`);
    const firstHref = /href="(\/xxgk\/entries\/\d+\/text\/\d+)"/.exec(before.body)![1]!;
    expect((await uploadText(food, { name: '规定全文（修订）.pdf', content: pdf(1000) })).statusCode).toBe(201);
    const doc = await getDocument(deps(), await as('office'), food);
    expect(doc.changedOn).toBe(today());
    expect(doc.entries.map((e) => [e.round, e.status, e.startsOn])).toEqual([
      [1, 'published', '2026-11-20'],
      [2, 'open', today()],
    ]);
    expect((await get(`/xxgk/entries/${food}`)).body).toContain(`href="${firstHref}"`);
  });
});

describe('the other pages and the cache headers (as the site pages)', () => {
  it('the entrance links every page; the guide is the seeded one until the office saves its own', async () => {
    const entrance = await get('/xxgk');
    for (const href of ['/xxgk/guide', '/xxgk/catalogue', '/xxgk/proactive', '/xxgk/reports', '/xxgk/apply']) {
      expect(entrance.body).toContain(`href="${href}"`);
      expect((await get(href)).statusCode).toBe(200);
    }
    const seeded = await get('/xxgk/guide');
    expect(seeded.body).toContain('第十二条');
    expect(seeded.body).toContain('［请填写联系电话］');
    await saveGuide(deps(), await as('office'), '## 受理机构\n\n联系电话：0591-00000000');
    const saved = await get('/xxgk/guide');
    expect(saved.body).toContain('联系电话：0591-00000000');
    expect(saved.headers.etag).not.toBe(seeded.headers.etag);
    expect((await get('/xxgk/reports')).body).toContain('暂无年度报告');
    expect((await get('/xxgk/proactive')).body).toContain(`/xxgk/entries/${food}"`);
  });

  it('ETag, Last-Modified, public max-age=60; 304 while current; a new publication changes the ETag', async () => {
    const first = await get('/xxgk/catalogue');
    const totalBefore = (await get('/api/xxgk/catalogue')).json().total as number;
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers['last-modified']).toBeTruthy();
    const etag = String(first.headers.etag);
    expect((await get('/xxgk/catalogue', { 'if-none-match': etag })).statusCode).toBe(304);
    const since = String(first.headers['last-modified']);
    expect((await get('/xxgk/catalogue', { 'if-modified-since': since })).statusCode).toBe(304);
    const entry = await get(`/xxgk/entries/${food}`);
    expect((await get(`/xxgk/entries/${food}`, { 'if-none-match': String(entry.headers.etag) })).statusCode).toBe(304);
    await publish(food, '关于规范食品经营许可管理的若干规定（修订）');
    const after = await get('/xxgk/catalogue', { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('关于规范食品经营许可管理的若干规定（修订）');
    // The new round's text is the new one.
    expect((await get(`/xxgk/entries/${food}`)).body).toContain('规定全文（修订）.pdf');
    // The new round replaces the old one: the document is listed once, under its new name, and the
    // counts (cached per catalogue version) stay the same.
    expect(after.body.split(`/xxgk/entries/${food}"`)).toHaveLength(2);
    const json = (await get('/api/xxgk/catalogue')).json();
    expect(json).toMatchObject({ total: totalBefore, totalCapped: false });
    expect((json.items as { documentId: number; name: string }[]).filter((i) => i.documentId === food).map((i) => i.name)).toEqual([
      '关于规范食品经营许可管理的若干规定（修订）',
    ]);
    expect((await get(`/api/xxgk/catalogue?q=${encodeURIComponent('修订')}`)).json()).toMatchObject({ total: 1, totalCapped: false });
  });
});
