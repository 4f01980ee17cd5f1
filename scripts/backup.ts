#!/usr/bin/env node
// `npm run backup -- [FILE]`: a consistent backup of the whole database (src/db/backup.ts) to FILE
// (default backups/amr-<UTC time>.backup.gz). With DATABASE_URL, of that database; otherwise of the
// embedded one in DATA_DIR — the running system's, or started for the backup when the system is down.
// Exit codes: 0 written, 1 failed.
import fs from 'node:fs';
import path from 'node:path';
import { writeBackup } from '../src/db/backup.js';
import { withDatabase } from './database-target.js';

const file = path.resolve(process.argv[2] ?? path.join('backups', `amr-${new Date().toISOString().replace(/[:.]/g, '-')}.backup.gz`));
fs.mkdirSync(path.dirname(file), { recursive: true });
try {
  const summary = await withDatabase({ create: false }, (url) => writeBackup(url, file));
  console.log(`backup written: ${file} (${summary.rows} rows in ${summary.tables} tables, ${summary.migrations} migrations)`);
} catch (err) {
  console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
