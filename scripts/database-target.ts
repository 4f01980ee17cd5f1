// The database npm run backup / restore work on: DATABASE_URL when set, else the embedded PostgreSQL of
// DATA_DIR. Backup reads the running system's (its supervisor holds DATA_DIR) or starts it for the
// backup; restore starts a new one, and refuses a DATA_DIR that already holds a database.
import fs from 'node:fs';
import path from 'node:path';
import { loadEnv } from '../src/config/env.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { claimDataDir, DataDirInUseError } from '../src/infra/stale-processes.js';

export async function withDatabase<T>(opts: { create: boolean }, run: (url: string) => Promise<T>): Promise<T> {
  const env = loadEnv(process.env);
  if (env.DATABASE_URL) return run(env.DATABASE_URL);
  const dir = path.join(env.dataDir, 'postgres');
  if (opts.create && fs.existsSync(dir)) throw new Error(`${dir} already holds a database: restore into a new DATA_DIR`);
  if (!opts.create && !fs.existsSync(dir)) throw new Error(`${dir} holds no database: nothing to back up`);
  let claim: ReturnType<typeof claimDataDir>;
  try {
    claim = claimDataDir(env.dataDir);
  } catch (err) {
    // The system runs on DATA_DIR: back up its PostgreSQL while it serves.
    if (err instanceof DataDirInUseError && !opts.create) return run(`postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/amr`);
    throw err;
  }
  let ok = false;
  try {
    const pg = await startEmbeddedPostgres({ dir, port: env.EMBEDDED_PG_PORT, database: 'amr' });
    try {
      const result = await run(pg.url);
      ok = true;
      return result;
    } finally {
      await pg.stop();
    }
  } finally {
    // A failed restore leaves no half-made database behind: the next try starts from nothing again.
    if (opts.create && !ok) fs.rmSync(dir, { recursive: true, force: true });
    claim.release();
  }
}
