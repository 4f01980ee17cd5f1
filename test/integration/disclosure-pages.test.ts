import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueEntries, disclosureDocuments } from '../../src/disclosure/tables.js';
import { startHarness, type Harness } from '../support/harness.js';
import { fieldError, PageBrowser } from '../support/page-browser.js';

// Issue 16 through the staff pages: a department registers a document, the general office decides 主动公开
// (measures Art. 30), the service centre completes and publishes the catalogue entry (measures Art. 31);
// the refusals come back on the page with their status and Chinese field messages. Temporal is
// unreachable here (the decision is a PostgreSQL transaction; the clock waits in the outbox).

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const browser = async (username: string) => new PageBrowser(() => h).login(username);

describe('the register, the decision and the catalogue through the pages', () => {
  let documentId = 0;

  it('a handler registers a document of their department; a missing 文号 for a 规范性文件 is a 400 with the field message', async () => {
    const handler = await browser('h-registration');
    const form = {
      title: '关于规范企业名称登记管理的通知',
      category: 'regulation',
      departmentId: '5',
      formedOn: '2026-11-30',
      docNumber: '',
    };
    const bad = await handler.submit('/staff/disclosure/documents/new', '/staff/disclosure/documents/new', form);
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'f-docNumber')).toBe('规章和行政规范性文件须填写文号');
    expect(bad.body).toContain('value="关于规范企业名称登记管理的通知"'); // what was typed is kept
    expect(await h.db.select().from(disclosureDocuments)).toHaveLength(0);
    const ok = await handler.submit('/staff/disclosure/documents/new', '/staff/disclosure/documents/new', {
      ...form,
      docNumber: '闽市监规〔2026〕11号',
    });
    expect(ok.statusCode).toBe(303);
    documentId = Number(/\/staff\/disclosure\/documents\/(\d+)\?done=registered/.exec(ok.headers.location as string)![1]);
    const page = await handler.get(`/staff/disclosure/documents/${documentId}`);
    expect(page.body).toContain('待办公室认定');
    expect(page.body).not.toContain('公开属性认定（办公室）'); // the decision form is the office's
  });

  it('the office decides: 不予公开 without a basis is refused on the page; 主动公开 opens the catalogue round', async () => {
    const office = await browser('office');
    const url = `/staff/disclosure/documents/${documentId}`;
    const bad = await office.submit(url, `${url}/decision`, { decision: 'withheld', legalBasis: '', reReviewOn: '', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'f-decision-legalBasis')).toBe('依申请公开或不予公开须选择法律依据');
    const ok = await office.submit(url, `${url}/decision`, { decision: 'proactive', legalBasis: '', reReviewOn: '', reason: '' });
    expect(ok.statusCode).toBe(303);
    const page = await office.get(url);
    // Formed Monday 2026-11-30 → 20 working days: 1–4, 7–11, 14–18, 21–25, 28 December.
    expect(page.body).toContain('应于 <strong>2026-12-28</strong>（含当日）前公开');
    const handler = await browser('h-registration');
    expect((await handler.post(`${url}/decision`, { decision: 'proactive' })).statusCode).toBe(403);
  });

  it('the service centre completes the entry: a missing 内容概述 is a 400; then published with a 索引号 and the system time', async () => {
    const center = await browser('center');
    const [entry] = await h.db.select().from(catalogueEntries).where(eq(catalogueEntries.documentId, documentId));
    const tasks = await center.get('/staff/disclosure/catalogue');
    expect(tasks.body).toContain('关于规范企业名称登记管理的通知');
    const publish = `/staff/disclosure/catalogue/${entry!.id}/publish`;
    const bad = await center.submit('/staff/disclosure/catalogue', publish, {
      name: '关于规范企业名称登记管理的通知',
      summary: '',
      publisher: '福建省市场监督管理局',
      subject: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, `f-entry-${entry!.id}-summary`)).toBe('请填写内容概述');
    const ok = await center.submit('/staff/disclosure/catalogue', publish, {
      name: '关于规范企业名称登记管理的通知',
      summary: '规范企业名称申报、核准和使用。',
      publisher: '福建省市场监督管理局',
      subject: '市场主体登记',
    });
    expect(ok.statusCode).toBe(303);
    const [done] = await h.db.select().from(catalogueEntries).where(eq(catalogueEntries.id, entry!.id));
    expect(done).toMatchObject({ status: 'published', indexNo: 'FJAMR-01-2026-00001', summary: '规范企业名称申报、核准和使用。' });
    expect(Date.now() - done!.publishedAt!.getTime()).toBeLessThan(60_000);
    const office = await browser('office');
    expect((await office.post(publish, { name: 'x' })).statusCode).toBe(403);
    expect((await office.get(`/staff/disclosure/documents/${documentId}`)).body).toContain('索引号 FJAMR-01-2026-00001');
  });
});
