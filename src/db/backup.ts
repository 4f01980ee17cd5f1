// A logical backup of the whole database, and its restore into an empty one (issue #20 point 9).
//
// Not pg_dump: no pg_dump of PostgreSQL 18 (the embedded server's major version; pg_dump refuses a newer
// server) can be installed here — the embedded-postgres npm binaries and Maven's zonky binaries ship
// initdb, pg_ctl and postgres only, Debian bookworm's client is 15, PyPI's pgserver bundles 16 (README,
// *Backup and restore*). So the data is copied with PostgreSQL's own COPY, in one REPEATABLE READ
// snapshot, and the schema comes from our migrations: a restore runs the migrations of the code that
// made the backup (checked by their hashes), then loads every table in foreign-key order.
//
// File: gzip of lines. `#amr-backup {header}`, then per table `#table {"name","columns"}`, its rows in
// COPY text format (a row per line: COPY escapes newlines and backslashes, so the `\.` line that ends
// a table is never data), and last `#end {sequences, rows}` — a file without it is truncated and refused.
import fs from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import postgres from 'postgres';
import { runMigrations } from './migrate.js';

export const BACKUP_FORMAT = 'amr-portal-backup/1';
const END_OF_TABLE = '\\.';

export interface BackupSummary {
  tables: number;
  rows: number;
  migrations: number;
}

interface Header {
  format: string;
  createdAt: string;
  serverVersion: string;
  /** Hashes of the applied migrations, in order (drizzle's journal). */
  migrations: string[];
}

interface Trailer {
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  rows: number;
  tables: number;
}

type Sql = postgres.Sql | postgres.TransactionSql;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The public tables, parents before children (a table's foreign keys point at tables listed earlier). */
async function tablesInLoadOrder(sql: Sql): Promise<{ name: string; columns: string[] }[]> {
  const tables = await sql<{ name: string; columns: string[] }[]>`
    select c.relname as name,
           array_agg(a.attname order by a.attnum) as columns
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
     where c.relkind in ('r', 'p')
     group by c.relname
     order by c.relname`;
  const edges = await sql<{ child: string; parent: string }[]>`
    select cc.relname as child, pc.relname as parent
      from pg_constraint k
      join pg_class cc on cc.oid = k.conrelid
      join pg_class pc on pc.oid = k.confrelid
      join pg_namespace n on n.oid = cc.relnamespace and n.nspname = 'public'
     where k.contype = 'f' and k.conrelid <> k.confrelid`;
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: { name: string; columns: string[] }[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t.name) && [...parents.get(t.name)!].every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error('the foreign keys between the tables form a cycle: no load order exists');
    for (const t of ready) {
      placed.add(t.name);
      ordered.push(t);
    }
  }
  return ordered;
}

async function appliedMigrations(sql: Sql): Promise<string[]> {
  const rows = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations order by id`;
  return rows.map((r) => r.hash);
}

/** Writes a consistent backup of the database at `url` to `file` (gzip), through a temporary file. */
export async function writeBackup(url: string, file: string): Promise<BackupSummary> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
  const partial = `${file}.partial`;
  const out = new PassThrough();
  const gzip = zlib.createGzip();
  const written = pipeline(out, gzip, fs.createWriteStream(partial));
  const put = async (chunk: string | Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    const summary = await sql.begin('isolation level repeatable read read only', async (tx) => {
      const [{ version }] = (await tx`select current_setting('server_version') as version`) as unknown as [{ version: string }];
      const header: Header = {
        format: BACKUP_FORMAT,
        createdAt: new Date().toISOString(),
        serverVersion: version,
        migrations: await appliedMigrations(tx),
      };
      await put(`#amr-backup ${JSON.stringify(header)}\n`);
      const tables = await tablesInLoadOrder(tx);
      let rows = 0;
      for (const t of tables) {
        await put(`#table ${JSON.stringify(t)}\n`);
        const cols = t.columns.map(quoteIdent).join(', ');
        const stream = await tx.unsafe(`copy ${quoteIdent(t.name)} (${cols}) to stdout`).readable();
        let tail = '';
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          const text = chunk.toString('utf8');
          rows += (text.match(/\n/g) ?? []).length;
          tail = text.slice(-1) || tail;
          await put(chunk);
        }
        await put(tail === '\n' || tail === '' ? `${END_OF_TABLE}\n` : `\n${END_OF_TABLE}\n`);
      }
      // Sequences are not part of the snapshot: read after the rows, they are at least as high as any id copied.
      const sequences = await sequenceValues(tx);
      const trailer: Trailer = { sequences, rows, tables: tables.length };
      await put(`#end ${JSON.stringify(trailer)}\n`);
      return { tables: tables.length, rows, migrations: header.migrations.length };
    });
    out.end();
    await written;
    fs.renameSync(partial, file);
    return summary;
  } catch (err) {
    out.destroy();
    await written.catch(() => undefined);
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Each public sequence's state (`last_value`, `is_called`), for setval at restore. */
async function sequenceValues(sql: Sql) {
  const names = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public' where c.relkind = 'S'`;
  const values: Trailer['sequences'] = [];
  for (const { name } of names) {
    const [row] = await sql.unsafe<{ last_value: string; is_called: boolean }[]>(
      `select last_value::text, is_called from ${quoteIdent(name)}`,
    );
    values.push({ name, lastValue: row!.last_value, isCalled: row!.is_called });
  }
  return values;
}

/**
 * Loads a backup into the database at `url`, which must be empty: runs the migrations, checks they are
 * the ones the backup was made under, copies every table in, sets the sequences. One transaction: a
 * failed restore leaves the migrated, empty database, never half the data.
 */
export async function restoreBackup(url: string, file: string): Promise<BackupSummary> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    return r.done ? undefined : r.value;
  };
  const first = await next();
  if (!first?.startsWith('#amr-backup ')) throw new Error(`${file} is not an amr-portal backup`);
  const header = JSON.parse(first.slice('#amr-backup '.length)) as Header;
  if (header.format !== BACKUP_FORMAT) throw new Error(`backup format ${header.format} is not ${BACKUP_FORMAT}`);

  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
  try {
    await refuseNonEmpty(sql);
    await runMigrations(url);
    const ours = await appliedMigrations(sql);
    if (ours.join() !== header.migrations.join()) {
      throw new Error(
        `the backup was made under ${header.migrations.length} migrations, this code has ${ours.length} (or others): ` +
          'restore with the version that made the backup, then upgrade',
      );
    }
    return await sql.begin(async (tx) => {
      let rows = 0;
      let tables = 0;
      for (let line = await next(); ; line = await next()) {
        if (line === undefined) throw new Error(`${file} is truncated: it has no end marker`);
        if (line.startsWith('#end ')) {
          const trailer = JSON.parse(line.slice('#end '.length)) as Trailer;
          if (trailer.rows !== rows || trailer.tables !== tables) {
            throw new Error(`${file} holds ${rows} rows in ${tables} tables, its end marker says ${trailer.rows} in ${trailer.tables}`);
          }
          for (const s of trailer.sequences) {
            await tx`select setval(${quoteIdent(s.name)}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`;
          }
          return { tables, rows, migrations: ours.length };
        }
        if (!line.startsWith('#table ')) throw new Error(`${file}: expected a table, found ${line.slice(0, 40)}`);
        const t = JSON.parse(line.slice('#table '.length)) as { name: string; columns: string[] };
        const cols = t.columns.map(quoteIdent).join(', ');
        const sink = await tx.unsafe(`copy ${quoteIdent(t.name)} (${cols}) from stdin`).writable();
        for (let row = await next(); row !== END_OF_TABLE; row = await next()) {
          if (row === undefined) throw new Error(`${file} is truncated inside table ${t.name}`);
          rows++;
          if (!sink.write(`${row}\n`)) await once(sink, 'drain');
        }
        sink.end();
        await once(sink, 'finish');
        tables++;
      }
    });
  } finally {
    lines.close();
    await sql.end({ timeout: 5 });
  }
}

/** A restore goes into a fresh database only: it never merges into, or overwrites, a live record. */
async function refuseNonEmpty(sql: Sql) {
  const [{ n }] = (await sql`
    select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')`) as unknown as [{ n: number }];
  if (n > 0) throw new Error('the target database already has tables: restore into a fresh, empty database');
}
