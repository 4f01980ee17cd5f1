// Issue 16 point 6: the package for the two reading rooms (两馆) of a year of 20,000 catalogue entries
// streams in under 60 s without holding it in memory. Seeds the entries in SQL (embedded PostgreSQL),
// each with an electronic text (TEXT_KB, default 100 KB: two stored pieces), then streams archivePackage
// (目录.csv, 目录.pdf, 移交清单.pdf and the texts under 正文/, in one ZIP) into a counting sink and reports
// the time, the bytes and this process's peak RSS, with a baseline in the same process: the package of a
// period with no entry (the fixed cost). Run: npx tsx bench/archives.ts (BENCH_ARCHIVE_ENTRIES to change the count).
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.js';
import { archivePackage } from '../src/disclosure/service/archives.js';
import { seedDepartmentsAndStaff } from './lib/dataset.js';
import { memoryOf, rssSampler, runMain, startPostgres } from './lib/infra.js';
import { table } from './lib/stats.js';

const ENTRIES = Number(process.env.BENCH_ARCHIVE_ENTRIES ?? 20_000);
/** The size of each entry's electronic text; 0 for none (the package without texts). */
const TEXT_KB = Number(process.env.BENCH_ARCHIVE_TEXT_KB ?? 100);

await runMain(async () => {
  const pg = await startPostgres('amr_archives');
  await seedDepartmentsAndStaff(pg.url);
  const { db, close } = createDatabase(pg.url, { max: 2 });
  const t0 = Date.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    const [{ id: staffId }] = (await tx.execute<{ id: number }>(sql`select id from staff order by id limit 1`)) as unknown as [
      { id: number },
    ];
    await tx.execute(sql`
      insert into disclosure_documents (title, doc_number, department_id, category, subject, summary, formed_on, decision, index_no, registered_by)
      select '关于加强市场监管领域第' || g || '项工作的通知', '闽市监规〔2026〕' || g || '号', 5, 'regulation', '市场监管',
        '为进一步规范市场秩序，保护消费者合法权益，现就有关事项通知如下。', date '2026-01-01' + (g % 360), 'proactive',
        'FJAMR-01-2026-' || lpad(g::text, 5, '0'), ${staffId}
      from generate_series(1, ${ENTRIES}) g`);
    await tx.execute(sql`
      insert into catalogue_entries (document_id, round, status, starts_on, due_on, due_at, department_id, index_no, name, summary,
        generated_on, doc_number, publisher, category, subject, published_at, published_by)
      select id, 1, 'published', formed_on, formed_on + 28, (formed_on + 29)::timestamptz, 5, index_no, title, summary,
        formed_on, doc_number, '福建省市场监督管理局', 'regulation', subject, (formed_on + 10)::timestamptz + interval '2 hours', ${staffId}
      from disclosure_documents`);
    if (TEXT_KB > 0) {
      // Uploaded on the day formed, before the publication: the text the public saw. Pieces of 64 KiB.
      await tx.execute(sql`
        insert into disclosure_texts (document_id, filename, mime_type, size, sha256, uploaded_by, uploaded_at)
        select id, title || '.pdf', 'application/pdf', ${TEXT_KB * 1024}, md5(title), ${staffId}, formed_on::timestamptz
        from disclosure_documents`);
      // Random bytes, as incompressible as a real PDF's streams (PostgreSQL stores them uncompressed too).
      const noise = randomBytes(65536);
      await tx.execute(sql`
        insert into disclosure_text_chunks (text_id, seq, data)
        select t.id, p.seq, substring(${noise}::bytea from 1 for least(65536, ${TEXT_KB * 1024} - p.seq * 65536))
        from disclosure_texts t, generate_series(0, ${Math.ceil((TEXT_KB * 1024) / 65536) - 1}) as p(seq)`);
    }
  });
  console.log(`seeded ${ENTRIES} published entries, each with a ${TEXT_KB} KB text, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const office = {
    staff: { id: 1, username: 'office', displayName: '办公室', roles: ['office'], departmentId: 1 },
    ip: '127.0.0.1',
    requestId: 'bench',
  } as never;

  const run = async (label: string, from: string, to: string) => {
    const before = memoryOf(process.pid).rssKb;
    const sampler = rssSampler(process.pid, 50);
    let bytes = 0;
    const start = performance.now();
    const { stream } = archivePackage({ db }, office, { from, to });
    await pipeline(
      stream,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done();
        },
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const peak = sampler.stop();
    return { label, seconds, bytes, before, peak };
  };
  const baseline = await run('baseline: a period with no entry', '2030-01-01', '2030-12-31');
  const year = await run(`the year 2026 (${ENTRIES} entries)`, '2026-01-01', '2026-12-31');
  console.log(
    table([
      ['package', 'time', 'size', 'RSS before', 'RSS peak (sampled)', 'time / baseline'],
      ...[baseline, year].map((r) => [
        r.label,
        `${r.seconds.toFixed(2)} s`,
        `${(r.bytes / 1024 / 1024).toFixed(1)} MB`,
        `${(r.before / 1024).toFixed(0)} MB`,
        `${(r.peak / 1024).toFixed(0)} MB`,
        `${(r.seconds / baseline.seconds).toFixed(1)}×`,
      ]),
    ]),
  );
  console.log(`goal: the year's package in under 60 s: ${year.seconds < 60 ? 'MET' : 'MISSED'}`);
  await close();
});
