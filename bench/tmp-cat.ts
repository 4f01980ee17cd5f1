import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { catalogueFacets, publicCatalogue } from '../src/disclosure/service/public-catalogue.js';
import { runMain, startPostgres } from './lib/infra.js';
import { seedDepartmentsAndStaff } from './lib/dataset.js';
await runMain(async () => {
  const pg = await startPostgres('amr_tmpcat');
  await seedDepartmentsAndStaff(pg.url);
  const { db, close } = createDatabase(pg.url, { max: 4 });
  await db.execute(sql`insert into disclosure_documents (title, doc_number, department_id, category, subject, summary, formed_on, decision, index_no, registered_by) select '关于商品的通知'||g, 'x'||g, 5, 'other', 's'||(g%10), '', date '2020-01-01' + g % 2000, 'proactive', 'i'||g, 1 from generate_series(1,20000) g`);
  await db.execute(sql`insert into catalogue_entries (document_id, round, status, starts_on, due_on, due_at, department_id, index_no, name, generated_on, doc_number, publisher, category, subject, published_at, published_by) select id, 1, 'published', formed_on, formed_on, now(), 5, index_no, title, formed_on, doc_number, 'p', category, subject, now(), 1 from disclosure_documents`);
  await db.execute(sql`vacuum analyze catalogue_entries`);
  const t = async (label: string, f: () => Promise<unknown>) => { await f(); const s = performance.now(); for (let i = 0; i < 5; i++) await f(); console.log(label, ((performance.now() - s) / 5).toFixed(1), 'ms'); };
  await t('facets', () => catalogueFacets({ db }));
  await t('catalogue p1', () => publicCatalogue({ db }, { page: 1 }));
  await t('count only', () => db.execute(sql`select count(*) from catalogue_entries e where status='published' and not exists (select 1 from catalogue_entries l where l.document_id=e.document_id and l.status='published' and l.round>e.round)`));
  console.log((await db.execute(sql`explain analyze select * from catalogue_entries e where status='published' and not exists (select 1 from catalogue_entries l where l.document_id=e.document_id and l.status='published' and l.round>e.round) order by generated_on desc, id desc limit 20`)).map((r: any) => r['QUERY PLAN']).join('\n'));
  await close();
});
