import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedAttachments } from '../../src/publishing/service/attachments.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { sessionFor } from '../support/role-matrix.js';
import { docx, exe, htmlPage, mp4, multipartBody, oleFile, pdf, png, zipOf } from '../support/site-files.js';

// Issue 15 point 2: attachments of site items, typed by content, limited per kind and per item, stored in
// chunks; an attachment change is a change of the item (measures Art. 20: a new version, the approval
// voided), and the public gets only the published version's files (Art. 27(三): 410 after takedown).
let h: Harness;
const tokens: Record<string, string> = {};
const MB = 1024 * 1024;
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true };
const auth = async (who: string) => bearer((tokens[who] ??= await h.login(who)));
const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who: string, payload?: object) =>
  h.app.inject({ method, url, headers: await auth(who), ...(payload ? { payload } : {}) });
const upload = async (itemId: number, files: { name: string; content: Buffer }[], who = 'h-registration') => {
  const body = multipartBody(files);
  return h.app.inject({
    method: 'POST',
    url: `/api/site/items/${itemId}/attachments`,
    payload: body.payload,
    headers: { ...(await auth(who)), ...body.headers },
  });
};
const stored = async (itemId: number) =>
  (
    await h.sql<{ files: number; chunks: number }[]>`
      select count(distinct a.id)::int as files, count(c.seq)::int as chunks
      from site_attachments a left join site_attachment_chunks c on c.attachment_id = a.id where a.item_id = ${itemId}`
  )[0]!;
const draft = async (title = '关于开展计量专项检查的通知') => {
  const res = await call('POST', '/api/site/items', 'h-registration', { columnId: 4, contentType: 'notice', title, body: '正文' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
};
/** Submits the newest version and takes it through the department leader and the bureau leader. */
const approve = async (itemId: number) => {
  const submitted = await call('POST', `/api/site/items/${itemId}/submit`, 'h-registration', { art19: ART19, secrecy: 'no_secret' });
  expect(submitted.statusCode, submitted.body).toBe(201);
  const formId = submitted.json().id as number;
  expect(
    (await call('POST', `/api/review-forms/${formId}/decision`, 'l-registration', { decision: 'approved', secrecy: 'no_secret' }))
      .statusCode,
  ).toBe(200);
  const signed = await call('POST', `/api/review-forms/${formId}/decision`, 'leader', { decision: 'approved' });
  expect(signed.json()).toMatchObject({ status: 'approved', signed: true });
  return formId;
};
const publicGet = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  // Small limits, so that "too big" costs megabytes, not hundreds of them.
  h = await startHarness({
    env: { SITE_ATTACHMENT_DOCUMENT_MB: '1', SITE_ATTACHMENT_IMAGE_MB: '1', SITE_ATTACHMENT_VIDEO_MB: '3', SITE_ATTACHMENTS_PER_ITEM: '6' },
  });
});
afterAll(async () => h?.close());

describe('attachment types, by content', () => {
  it('accepts PDF, a docx built here, an mp4 built here, PNG, and .doc/.wps/.xls/.et/.ppt/.dps by their OLE directory', async () => {
    const id = await draft();
    const res = await upload(id, [
      { name: '通知.pdf', content: pdf() },
      { name: '检查方案.docx', content: docx() },
      { name: '宣传片.mp4', content: mp4() },
      { name: '现场.png', content: png() },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().attachments.map((a: { name: string; mime: string; kind: string }) => [a.name, a.mime, a.kind])).toEqual([
      ['通知.pdf', 'application/pdf', 'document'],
      ['检查方案.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'document'],
      ['宣传片.mp4', 'video/mp4', 'video'],
      ['现场.png', 'image/png', 'image'],
    ]);
    const other = await draft('二号');
    const ole = await upload(other, [
      { name: '旧版.doc', content: oleFile('WordDocument') },
      { name: '金山.wps', content: oleFile('WordDocument') },
      { name: '统计.xls', content: oleFile('Workbook') },
      { name: '统计.et', content: oleFile('Workbook') },
      { name: '汇报.ppt', content: oleFile('PowerPoint Document') },
      { name: '汇报.dps', content: oleFile('PowerPoint Document') },
    ]);
    expect(ole.statusCode, ole.body).toBe(201);
    expect(ole.json().attachments.map((a: { mime: string }) => a.mime)).toEqual([
      'application/msword',
      'application/wps-office.wps',
      'application/vnd.ms-excel',
      'application/wps-office.et',
      'application/vnd.ms-powerpoint',
      'application/wps-office.dps',
    ]);
  });

  it('refuses a renamed exe, an HTML page named .jpg, a zip that is no Office file and a docx named .pdf, with Chinese field messages, nothing stored', async () => {
    const id = await draft();
    const res = await upload(id, [
      { name: '通知.pdf', content: pdf() },
      { name: '安装.pdf', content: exe() },
      { name: '图片.jpg', content: htmlPage() },
      { name: '假文档.docx', content: zipOf({ 'readme.txt': 'hello', 'run.exe': 'MZ' }) },
      { name: '方案.pdf', content: docx() },
      { name: '伪装.doc', content: oleFile('Installer') },
    ]);
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields as Record<string, string>;
    expect(fields['body.files.0']).toBeUndefined();
    expect(fields['body.files.1']).toMatch(/^安装\.pdf：附件只能是 PDF、Word/);
    expect(fields['body.files.2']).toMatch(/^图片\.jpg：附件只能是/);
    expect(fields['body.files.3']).toMatch(/^假文档\.docx：附件只能是/);
    expect(fields['body.files.4']).toBe('方案.pdf：文件扩展名与内容不符：内容是 Word 文件');
    expect(fields['body.files.5']).toMatch(/^伪装\.doc：附件只能是/);
    expect(await stored(id)).toEqual({ files: 0, chunks: 0 });
    expect((await call('GET', `/api/site/items/${id}`, 'h-registration')).json()).toMatchObject({ latestVersion: 1, attachments: [] });
  });
});

describe('limits per kind and per item', () => {
  it('refuses a document over SITE_ATTACHMENT_DOCUMENT_MB and a video over SITE_ATTACHMENT_VIDEO_MB, nothing stored', async () => {
    const id = await draft();
    const big = await upload(id, [{ name: '大文件.pdf', content: pdf(Math.round(1.5 * MB)) }]);
    expect(big.statusCode).toBe(400);
    expect(big.json().error.fields['body.files.0']).toBe('大文件.pdf：文档不能超过 1 MB');
    const longVideo = await upload(id, [{ name: '长视频.mp4', content: mp4(4 * MB) }]);
    expect(longVideo.statusCode).toBe(400);
    expect(longVideo.json().error.fields['body.files.0']).toBe('长视频.mp4：视频不能超过 3 MB');
    expect(await stored(id)).toEqual({ files: 0, chunks: 0 });
  });

  it('stores a video in 64 KiB chunks and serves back the same bytes (a 2.5 MB mp4 under the 3 MB video limit)', async () => {
    const id = await draft();
    const video = mp4(Math.round(2.5 * MB));
    const res = await upload(id, [{ name: '宣传片.mp4', content: video }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(await stored(id)).toEqual({ files: 1, chunks: Math.ceil(video.length / (64 * 1024)) });
    const aid = res.json().attachments[0].id as number;
    const back = await call('GET', `/api/site/items/${id}/attachments/${aid}`, 'l-registration');
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(video)).toBe(true);
    expect(back.headers['content-disposition']).toMatch(/^attachment; /);

    // A video player seeks with Range: only the pieces asked for are read (the staff page and the public download alike).
    const cookie = `amr_session=${await sessionFor(h, 'l-registration')}`;
    const ranged = (range: string) =>
      h.app.inject({ method: 'GET', url: `/staff/site/items/${id}/attachments/${aid}`, headers: { cookie, range } });
    const across = await ranged('bytes=65530-131080');
    expect(across.statusCode).toBe(206);
    expect(across.headers['content-range']).toBe(`bytes 65530-131080/${video.length}`);
    expect(across.headers['accept-ranges']).toBe('bytes');
    expect(across.rawPayload.equals(video.subarray(65530, 131081))).toBe(true);
    const tail = await ranged('bytes=-10');
    expect(tail.rawPayload.equals(video.subarray(video.length - 10))).toBe(true);
    const past = await ranged(`bytes=${video.length}-`);
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${video.length}`);
  });

  it('refuses more than SITE_ATTACHMENTS_PER_ITEM attachments on one item, counting those it has', async () => {
    const id = await draft();
    const four = Array.from({ length: 4 }, (_, i) => ({ name: `第${i + 1}页.png`, content: png() }));
    expect((await upload(id, four)).statusCode).toBe(201);
    const more = await upload(id, [
      { name: 'a.pdf', content: pdf() },
      { name: 'b.pdf', content: pdf() },
      { name: 'c.pdf', content: pdf() },
    ]);
    expect(more.statusCode).toBe(400);
    expect(more.json().error.fields['body.files']).toBe('每条信息最多 6 个附件');
    expect(await stored(id)).toMatchObject({ files: 4 });
  });

  it('only the drafter changes attachments (Art. 20(一)); another department does not see the item', async () => {
    const id = await draft();
    expect((await upload(id, [{ name: 'a.pdf', content: pdf() }], 'l-registration')).statusCode).toBe(403);
    expect((await upload(id, [{ name: 'a.pdf', content: pdf() }], 'h-credit')).statusCode).toBe(404);
    expect(await stored(id)).toEqual({ files: 0, chunks: 0 });
  });
});

describe('attachments and the review chain (Art. 20) and the public (Art. 27(三))', () => {
  it("a draft's attachment is not public; adding one after approval voids it and makes a new version; published: downloadable; taken down: 410", async () => {
    const id = await draft();
    const first = await upload(id, [
      { name: '通知全文.pdf', content: pdf() },
      { name: '报名表.docx', content: docx() },
    ]);
    expect(first.json()).toMatchObject({ latestVersion: 2 });
    const [pdfId, docxId] = first.json().attachments.map((a: { id: number }) => a.id) as [number, number];
    expect((await publicGet(`/items/${id}/attachments/${pdfId}`)).statusCode).toBe(404);

    const formId = await approve(id);
    const video = await upload(id, [{ name: '解读视频.mp4', content: mp4() }]);
    expect(video.statusCode, video.body).toBe(201);
    expect(video.json().latestVersion).toBe(3);
    expect(video.json().forms.find((f: { id: number }) => f.id === formId).status).toBe('voided');
    const published = await call('POST', `/api/review-forms/${formId}/publish`, 'h-registration', {});
    expect(published.statusCode).toBe(409);
    expect((await publicGet(`/items/${id}/attachments/${pdfId}`)).statusCode).toBe(404);

    const again = await approve(id);
    expect((await call('POST', `/api/review-forms/${again}/publish`, 'h-registration', {})).json().status).toBe('published');
    const pdfRes = await publicGet(`/items/${id}/attachments/${pdfId}`);
    expect(pdfRes.statusCode).toBe(200);
    expect(pdfRes.headers['content-type']).toBe('application/pdf');
    expect(pdfRes.headers['x-content-type-options']).toBe('nosniff');
    expect(pdfRes.headers['content-disposition']).toBe(
      `inline; filename="attachment.pdf"; filename*=UTF-8''${encodeURIComponent('通知全文.pdf')}`,
    );
    expect(pdfRes.rawPayload.equals(pdf())).toBe(true);
    const etag = String(pdfRes.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again304 = await publicGet(`/items/${id}/attachments/${pdfId}`, { 'if-none-match': etag });
    expect(again304.statusCode).toBe(304);
    expect(again304.body).toBe('');
    expect((await publicGet(`/items/${id}/attachments/${docxId}`)).headers['content-disposition']).toMatch(/^attachment; /);

    // A later change (the PDF removed) is a new version; the public keeps the published one's files.
    const removed = await call('DELETE', `/api/site/items/${id}/attachments/${pdfId}`, 'h-registration');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().attachments.map((a: { name: string }) => a.name)).toEqual(['报名表.docx', '解读视频.mp4']);
    expect((await publicGet(`/items/${id}/attachments/${pdfId}`)).statusCode).toBe(200);
    const forPage = await publishedAttachments({ db: h.db }, id);
    expect(forPage.map((a) => [a.name, a.href])).toEqual([
      ['通知全文.pdf', `/items/${id}/attachments/${pdfId}`],
      ['报名表.docx', `/items/${id}/attachments/${docxId}`],
      ['解读视频.mp4', `/items/${id}/attachments/${video.json().attachments[2].id}`],
    ]);
    // The public item page and its JSON list them with their download addresses (issue 15 point 9).
    const page = await publicGet(`/items/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a href="/items/${id}/attachments/${pdfId}">通知全文.pdf</a>`);
    expect(page.body).toContain(`<a href="/items/${id}/attachments/${docxId}">报名表.docx</a>`);
    const json = await publicGet(`/api/site/items/${id}/public`);
    expect(json.json().attachments.map((a: { name: string }) => a.name)).toEqual(['通知全文.pdf', '报名表.docx', '解读视频.mp4']);

    expect((await call('POST', `/api/site/items/${id}/take-down`, 'office', { reason: '内容已过时' })).statusCode).toBe(200);
    const gone = await publicGet(`/items/${id}/attachments/${pdfId}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('该信息已撤下');
    expect(await publishedAttachments({ db: h.db }, id)).toEqual([]);
    expect((await upload(id, [{ name: 'x.pdf', content: pdf() }])).statusCode).toBe(409);
  });

  it('the audit log records each attachment change with the forms it voided', async () => {
    const id = await draft();
    await upload(id, [{ name: '通知.pdf', content: pdf() }]);
    const rows = await h.sql<{ action: string; after: { attachmentsAdded: { filename: string }[] } }[]>`
      select action, after from audit_log where record_type = 'site_item' and record_id = ${String(id)} order by id`;
    expect(rows.map((r) => r.action)).toEqual(['item.create', 'item.attachments_add']);
    expect(rows[1]!.after.attachmentsAdded.map((a) => a.filename)).toEqual(['通知.pdf']);
  });
});

describe('the staff page', () => {
  it('uploads through the multipart form with its CSRF token first, and refuses the form without it, storing nothing', async () => {
    const id = await draft();
    const session = await sessionFor(h, 'h-registration');
    const pageRes = await h.app.inject({
      method: 'GET',
      url: `/staff/site/items/${id}/attachments`,
      headers: { cookie: `amr_session=${session}` },
    });
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.body).toContain('enctype="multipart/form-data"');
    const csrfCookie = pageRes.cookies.find((c) => c.name === 'amr_csrf')!.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(pageRes.body)![1]!;
    const cookie = `amr_session=${session}; amr_csrf=${csrfCookie}`;
    const post = (fields: Record<string, string>) => {
      const body = multipartBody([{ name: '通知.pdf', content: pdf() }], fields);
      return h.app.inject({
        method: 'POST',
        url: `/staff/site/items/${id}/attachments`,
        payload: body.payload,
        headers: { ...body.headers, cookie },
      });
    };
    expect((await post({})).statusCode).toBe(403);
    expect((await post({ _csrf: 'made-up' })).statusCode).toBe(403);
    expect(await stored(id)).toEqual({ files: 0, chunks: 0 });
    const ok = await post({ _csrf: token });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/staff/site/items/${id}/attachments?added=1`);
    const list = await h.app.inject({ method: 'GET', url: `/staff/site/items/${id}/attachments`, headers: { cookie } });
    expect(list.body).toContain('通知.pdf');
    const wrong = multipartBody([{ name: '安装.pdf', content: exe() }], { _csrf: token });
    const refused = await h.app.inject({
      method: 'POST',
      url: `/staff/site/items/${id}/attachments`,
      payload: wrong.payload,
      headers: { ...wrong.headers, cookie },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('安装.pdf：附件只能是');
    expect(await stored(id)).toMatchObject({ files: 1 });
  });
});
