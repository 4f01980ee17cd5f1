import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { catalogueEntries } from '../../src/disclosure/tables.js';
import { publishCatalogueEntry } from '../../src/disclosure/service/catalogue.js';
import { decideDisclosure } from '../../src/disclosure/service/decisions.js';
import { registerDocument } from '../../src/disclosure/service/documents.js';
import { supervisionEntries } from '../../src/disclosure/service/supervision.js';
import { startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Issue 16 point 7: the export for the province's 政务公开电子监察系统 (measures Arts. 31, 33), format v1
// (docs/supervision-export.md): each catalogue round with when it was formed, due (20 working days, 条例
// Art. 26), published, and how many working days late, behind the collector's bearer token. Dates on the
// bundled 2026 calendar: 中秋 25–27 September and 国庆 1–7 October off, Saturday 10 October worked.

const TOKEN = 'collector-token-0123456789abcdef0123456789';
let h: Harness;
const as = staffViewers(() => h, 'supervision-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const at = (china: string) => parseChinaInstant(china)!;
const ids: Record<string, number> = {};

async function proactive(key: string, title: string, formedOn: string) {
  const now = at(`${formedOn} 10:00`);
  const doc = await registerDocument(
    deps(),
    await as('h-registration'),
    {
      title,
      docNumber: `闽市监规〔2026〕${Object.keys(ids).length + 20}号`,
      departmentId: 5,
      category: 'regulation',
      subject: '',
      summary: '',
      formedOn,
    },
    now,
  );
  await decideDisclosure(
    deps(),
    await as('office'),
    doc.id,
    { decision: 'proactive', legalBasis: null, reason: '', reReviewOn: null },
    now,
  );
  ids[key] = doc.id;
}
const entryIdOf = async (documentId: number) => (await h.db.select().from(catalogueEntries)).find((e) => e.documentId === documentId)!.id;
const publish = async (key: string, china: string) =>
  publishCatalogueEntry(
    deps(),
    await as('center'),
    await entryIdOf(ids[key]!),
    { name: key, summary: '概述', publisher: '福建省市场监督管理局', subject: '' },
    at(china),
  );

beforeAll(async () => {
  h = await startHarness({ env: { SUPERVISION_EXPORT_TOKEN: TOKEN } });
  await proactive('onTime', '按时公开的规定', '2026-09-25'); // due 29 October
  await proactive('late', '逾期公开的规定', '2026-09-30'); // due 3 November
  await proactive('open', '尚未公开的规定', '2026-10-09'); // due 5 November
  await proactive('outside', '期外的规定', '2026-12-01');
  await publish('onTime', '2026-10-29 17:00'); // day 20
  await publish('late', '2026-11-05 09:00'); // 4 and 5 November: 2 working days late
});
afterAll(async () => {
  await h?.close();
});

describe('the electronic supervision export, format v1 (measures Arts. 31, 33)', () => {
  it('each round of the period with formed, due, published and working days late; an open one counted to the day asked', async () => {
    const out = await supervisionEntries(deps(), `Bearer ${TOKEN}`, { from: '2026-09-01', to: '2026-11-30' }, at('2026-11-10 12:00'));
    expect(out).toMatchObject({
      format: 'fj-amr-disclosure-supervision',
      version: 1,
      period: { from: '2026-09-01', to: '2026-11-30' },
      asOf: '2026-11-10',
      nextAfter: null,
    });
    const byName = Object.fromEntries(out.entries.map((e) => [e.name!, e]));
    expect(Object.keys(byName).sort()).toEqual(['late', 'onTime', '尚未公开的规定'].sort());
    expect(byName.onTime).toMatchObject({
      formedOrChangedOn: '2026-09-25',
      dueOn: '2026-10-29',
      status: 'published',
      onTime: true,
      overdueWorkingDays: 0,
      categoryLabel: '规章和行政规范性文件',
      issuingDepartment: '登记注册局',
    });
    expect(byName.onTime!.indexNo).toMatch(/^FJAMR-01-2026-\d{5}$/);
    expect(byName.late).toMatchObject({ dueOn: '2026-11-03', onTime: false, overdueWorkingDays: 2 });
    expect(byName.late!.publishedAt).toMatch(/^2026-11-05T09:00/);
    // Due Thursday 5 November, still open on Tuesday 10 November: 6, 9, 10 November.
    expect(byName['尚未公开的规定']).toMatchObject({
      dueOn: '2026-11-05',
      status: 'open',
      publishedAt: null,
      onTime: null,
      overdueWorkingDays: 3,
      indexNo: null,
    });
  });

  it('pages by id with nextAfter', async () => {
    const first = await supervisionEntries(
      deps(),
      `Bearer ${TOKEN}`,
      { from: '2026-09-01', to: '2026-12-31', limit: 2 },
      at('2026-12-03 12:00'),
    );
    expect(first.entries).toHaveLength(2);
    const second = await supervisionEntries(
      deps(),
      `Bearer ${TOKEN}`,
      { from: '2026-09-01', to: '2026-12-31', limit: 2, after: first.nextAfter! },
      at('2026-12-03 12:00'),
    );
    expect(second.entries).toHaveLength(2);
    expect(second.nextAfter).toBeNull();
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(4);
  });

  it('over HTTP: 401 without the token or with another, 400 for a reversed period, 200 with the documented shape', async () => {
    const get = (auth?: string, q = 'from=2026-09-01&to=2026-11-30') =>
      h.app.inject({ method: 'GET', url: `/api/disclosure/supervision/v1/entries?${q}`, headers: auth ? { authorization: auth } : {} });
    expect((await get()).statusCode).toBe(401);
    expect((await get('Bearer wrong-token-0123456789abcdef0123456789')).json().error.message).toBe('电子监察数据接口的令牌无效');
    const reversed = await get(`Bearer ${TOKEN}`, 'from=2026-11-30&to=2026-09-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields['querystring.to']).toBe('结束日期不能早于开始日期');
    const ok = await get(`Bearer ${TOKEN}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().entries).toHaveLength(3);
  });

  it('unconfigured (no SUPERVISION_EXPORT_TOKEN): 503, whatever is sent', async () => {
    const without = { ...deps(), env: { ...h.env, SUPERVISION_EXPORT_TOKEN: undefined } };
    await expect(supervisionEntries(without, `Bearer ${TOKEN}`, { from: '2026-09-01', to: '2026-11-30' })).rejects.toMatchObject({
      statusCode: 503,
    });
  });
});
