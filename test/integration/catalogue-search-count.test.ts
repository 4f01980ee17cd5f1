import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicCatalogue } from '../../src/disclosure/service/public-catalogue.js';
import { startHarness, type Harness } from '../support/harness.js';

// The public catalogue's search counts and deep pages (issue 16 point 5; docs/performance.md): a search's count
// stops at 1,000 (shown as "1,000+"), a word found in more than 500 entries is read by the newest-first walk and
// its count comes from the same look, a filter with it is counted again; a page past the 200th entry is read
// as ids first. 1,300 entries: 词甲 in all, 词乙 in 700, 词丙 in 30; a tenth of 词乙's are in category penalty.

let h: Harness;
const N = 1300;

beforeAll(async () => {
  h = await startHarness();
  const staff = (await h.db.execute<{ id: number }>(sql`select id from staff order by id limit 1`)) as unknown as [{ id: number }];
  const dept = (await h.db.execute<{ id: number }>(sql`select id from departments order by id limit 1`)) as unknown as [{ id: number }];
  await h.db.execute(sql`
    insert into disclosure_documents (title, doc_number, department_id, category, subject, summary, formed_on, decision, index_no, registered_by)
    select '词甲' || case when g <= 700 then '词乙' else '' end || case when g % 43 = 0 then '词丙' else '' end || '第' || g || '号',
      '闽市监〔2026〕' || g || '号', ${dept[0].id},
      (case when g % 10 = 0 then 'penalty' else 'statistics' end)::document_category, '其他', '',
      date '2026-01-01' + (g * 7919) % 330, 'proactive', 'TEST-2026-' || lpad(g::text, 6, '0'), ${staff[0].id}
    from generate_series(1, ${N}) g`);
  await h.db.execute(sql`
    insert into catalogue_entries (document_id, round, status, starts_on, due_on, due_at, department_id, index_no, name, summary,
      generated_on, doc_number, publisher, category, subject, published_at, published_by, is_current)
    select id, 1, 'published', formed_on, formed_on + 28, (formed_on + 29)::timestamptz, department_id, index_no, title, '',
      formed_on, doc_number, '福建省市场监督管理局', category, subject, formed_on::timestamptz + interval '2 hours', ${staff[0].id}, true
    from disclosure_documents where index_no like 'TEST-%'`);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const count = async (where: ReturnType<typeof sql>) =>
  (
    (await h.db.execute<{ n: number }>(sql`select count(*)::int n from catalogue_entries where is_current and ${where}`)) as unknown as [
      { n: number },
    ]
  )[0].n;
const search = (q: string, extra: Record<string, unknown> = {}) => publicCatalogue({ db: h.db }, { q, page: 1, ...extra } as never);

describe('issue 16 point 5: search counts', () => {
  it('a word in all 1,300 entries counts as 1,000, capped', async () => {
    expect(await search('词甲')).toMatchObject({ total: 1000, totalCapped: true });
  });
  it('a word in 700 entries (more than 500: the newest-first walk) counts exactly 700, and its first page is its 20 newest', async () => {
    const r = await search('词乙');
    expect(await count(sql`strpos(name, '词乙') > 0`)).toBe(700);
    expect(r).toMatchObject({ total: 700, totalCapped: false });
    expect(r.items).toHaveLength(20);
    expect(r.items.every((e) => e.name.includes('词乙'))).toBe(true);
  });
  it('with a category the count is taken again: 70 of 词乙 in penalty', async () => {
    const expected = await count(sql`strpos(name, '词乙') > 0 and category = 'penalty'`);
    expect(expected).toBe(70);
    expect(await search('词乙', { category: 'penalty' })).toMatchObject({ total: 70, totalCapped: false });
  });
  it('a rare word (30 entries, read by id) counts 30; a whole 文号 counts 1', async () => {
    expect(await search('词丙')).toMatchObject({ total: 30, totalCapped: false });
    expect(await search('闽市监〔2026〕77号')).toMatchObject({ total: 1 });
  });
});

describe('issue 16 point 5: a deep page is the same page', () => {
  it('page 15 (entries 281–300, read as ids first) is what one ordered query gives', async () => {
    const r = await publicCatalogue({ db: h.db }, { page: 15 } as never);
    const ref = (await h.db.execute<{ document_id: number }>(
      sql`select document_id from catalogue_entries where is_current order by generated_on desc nulls last, id desc nulls last offset 280 limit 20`,
    )) as unknown as { document_id: number }[];
    expect(r.items.map((e) => e.documentId)).toEqual(ref.map((x) => Number(x.document_id)));
    expect(r.items).toHaveLength(20);
    // Past the end: an empty page, not an error.
    expect((await publicCatalogue({ db: h.db }, { page: 66 } as never)).items).toEqual([]);
  });
});
