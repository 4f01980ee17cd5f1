import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { publishCatalogueEntry } from '../../src/disclosure/service/catalogue.js';
import { decideDisclosure } from '../../src/disclosure/service/decisions.js';
import { registerDocument } from '../../src/disclosure/service/documents.js';
import { eq } from 'drizzle-orm';
import { catalogueEntries, disclosureTexts } from '../../src/disclosure/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { multipartBody, pdf } from '../support/site-files.js';
import { staffViewers } from '../support/viewers.js';
import { readZip } from '../support/zip.js';

// Issue 16 point 6: the two reading rooms (两馆; 条例 Art. 25, measures Art. 28). The office downloads the
// package of a period (the catalogue as CSV and PDF, the transmittal list), records each delivery (which
// reading room, paper and/or electronic) and sees what is not yet delivered to each.

let h: Harness;
const as = staffViewers(() => h, 'archives-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const at = (china: string) => parseChinaInstant(china)!;

async function uploadText(documentId: number, content: Buffer, name: string, uploadedAt?: Date) {
  const body = multipartBody([{ name, content }]);
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/disclosure/documents/${documentId}/text`,
    payload: body.payload,
    headers: { ...bearer(await h.login('h-registration')), ...body.headers },
  });
  expect(res.statusCode, res.body).toBe(201);
  // The upload's time is the system's (now); a text of a document formed in the past is dated back to then.
  if (uploadedAt) await h.db.update(disclosureTexts).set({ uploadedAt }).where(eq(disclosureTexts.documentId, documentId));
}

/** A text of 200,000 bytes: four stored pieces of 64 KiB. */
const q2Text = pdf(200_000);
const q2TextLater = pdf(3_000);

async function published(title: string, docNumber: string, formedOn: string, publishedAt: string, text?: Buffer) {
  const now = at(`${formedOn} 09:00`);
  const doc = await registerDocument(
    deps(),
    await as('h-registration'),
    { title, docNumber, departmentId: 5, category: 'regulation', subject: '登记', summary: '', formedOn },
    now,
  );
  await decideDisclosure(
    deps(),
    await as('office'),
    doc.id,
    { decision: 'proactive', legalBasis: null, reason: '', reReviewOn: null },
    now,
  );
  if (text) await uploadText(doc.id, text, `${title}.PDF`, now);
  const entry = (await h.db.select().from(catalogueEntries)).find((e) => e.documentId === doc.id)!;
  // A summary with a comma and a quote: the CSV quotes it.
  await publishCatalogueEntry(
    deps(),
    await as('center'),
    entry.id,
    { name: title, summary: `${title}，"概述"`, publisher: '福建省市场监督管理局', subject: '登记' },
    at(publishedAt),
  );
  return doc.id;
}

beforeAll(async () => {
  h = await startHarness();
  await published('第一季度的规定', '闽市监规〔2026〕1号', '2026-03-02', '2026-03-10 10:00');
  const q2 = await published('第二季度的规定', '闽市监规〔2026〕2号', '2026-04-01', '2026-04-20 10:00', q2Text);
  // A newer text uploaded after the publication (now, 2026 December) is a change: a new round, not yet
  // published, so the package of the second quarter keeps the text the public saw then.
  await uploadText(q2, q2TextLater, '新版本.pdf');
  // Published at 23:30 China time on 30 June (15:30 UTC): it belongs to June, China time.
  await published('六月底的规定', '闽市监规〔2026〕3号', '2026-06-01', '2026-06-30 23:30');
});
afterAll(async () => {
  await h?.close();
});

describe('the two reading rooms (两馆)', () => {
  it('the package of the second quarter: 目录.csv with the Art. 12 fields, 目录.pdf, 移交清单.pdf and the texts as published, only that period', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/disclosure/archive-package?from=2026-04-01&to=2026-06-30',
      headers: bearer(await h.login('office')),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = readZip(res.rawPayload);
    const csv = files.get('目录.csv')!.toString('utf8');
    expect(csv.startsWith('\uFEFF索引号,名称,内容概述,生成日期,文号,发布机构,信息类别,主题分类,公开时间,效力状态,电子文本\r\n')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(3); // header + 2 entries of April–June
    const q2Line =
      /^(FJAMR-01-2026-\d{5}),第二季度的规定,"第二季度的规定，""概述""",2026-04-01,闽市监规〔2026〕2号,福建省市场监督管理局,规章和行政规范性文件,登记,2026-04-20 10:00,有效,(正文\/\S+)$/.exec(
        lines[1]!,
      );
    expect(q2Line, lines[1]).not.toBeNull();
    expect(q2Line![2]).toBe(`正文/${q2Line![1]}-1.pdf`);
    expect(lines[2]).toMatch(/^FJAMR-01-2026-\d{5},六月底的规定,.*,（无电子文本）$/);
    // 条例 Art. 25 / measures Art. 28: the electronic texts travel with the catalogue, the one the public saw.
    expect([...files.keys()]).toEqual(['目录.csv', '目录.pdf', '移交清单.pdf', q2Line![2]]);
    expect(files.get(q2Line![2]!)!.equals(q2Text)).toBe(true);
    expect(csv).not.toContain('第一季度的规定');
    for (const pdf of ['目录.pdf', '移交清单.pdf']) {
      const bytes = files.get(pdf)!;
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.toString('latin1')).toContain('WenQuanYiMicroHei');
    }
  });

  it('a delivery is recorded with its count; what is not yet delivered is shown per reading room', async () => {
    const token = await h.login('office');
    const before = (await h.app.inject({ method: 'GET', url: '/api/disclosure/archive-deliveries', headers: bearer(token) })).json();
    expect(before.pending).toEqual([
      { archive: 'library', archiveName: '福建省图书馆政府信息公开查阅点', undelivered: 3, earliestUndelivered: '2026-03-10' },
      { archive: 'archive', archiveName: '福建省档案馆政府信息公开查阅点', undelivered: 3, earliestUndelivered: '2026-03-10' },
    ]);
    const post = (body: object) =>
      h.app.inject({ method: 'POST', url: '/api/disclosure/archive-deliveries', headers: bearer(token), payload: body });
    const neither = await post({
      archive: 'library',
      from: '2026-01-01',
      to: '2026-03-31',
      paper: false,
      electronic: false,
      deliveredOn: '2026-04-03',
    });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.fields['body.paper']).toBe('请至少选择纸质或电子一种方式');
    const q1 = await post({
      archive: 'library',
      from: '2026-01-01',
      to: '2026-03-31',
      paper: true,
      electronic: true,
      deliveredOn: '2026-04-03',
    });
    expect(q1.statusCode, q1.body).toBe(201);
    expect(q1.json()).toMatchObject({ archiveName: '福建省图书馆政府信息公开查阅点', entryCount: 1 });
    const after = (await h.app.inject({ method: 'GET', url: '/api/disclosure/archive-deliveries', headers: bearer(token) })).json();
    expect(after.pending).toEqual([
      expect.objectContaining({ archive: 'library', undelivered: 2, earliestUndelivered: '2026-04-20' }),
      expect.objectContaining({ archive: 'archive', undelivered: 3, earliestUndelivered: '2026-03-10' }),
    ]);
    expect(after.deliveries).toHaveLength(1);
  });

  it('only the office sends them; a reversed period is a 400', async () => {
    const center = await h.login('center');
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/disclosure/archive-package?from=2026-01-01&to=2026-12-31', headers: bearer(center) }))
        .statusCode,
    ).toBe(403);
    const reversed = await h.app.inject({
      method: 'GET',
      url: '/api/disclosure/archive-package?from=2026-12-31&to=2026-01-01',
      headers: bearer(await h.login('office')),
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields['querystring.to']).toBe('结束日期不能早于开始日期');
  });
});
