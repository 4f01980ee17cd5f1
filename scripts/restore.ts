#!/usr/bin/env node
// `npm run restore -- FILE`: loads a backup (npm run backup) into a fresh database — DATABASE_URL, which
// must be empty, or a new embedded one in DATA_DIR, which must not hold one yet — and puts every open
// letter back into the workflow outbox, so the next `npm start` (on an empty Temporal too) starts a
// workflow for each, with its deadline unchanged (README, *Backup and restore*).
//   DATA_DIR=./data-restored npm run restore -- backups/amr-….backup.gz && DATA_DIR=./data-restored npm start
// Exit codes: 0 restored, 1 failed, 2 usage.
import fs from 'node:fs';
import { restoreBackup } from '../src/db/backup.js';
import { createDatabase } from '../src/db/client.js';
import { requeueOpenLetters } from '../src/mailbox/service/requeue.js';
import { withDatabase } from './database-target.js';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run restore -- FILE   (into DATABASE_URL, or a new embedded database in DATA_DIR)');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`restore failed: ${file} does not exist`);
  process.exit(1);
}
try {
  const { summary, requeued } = await withDatabase({ create: true }, async (url) => {
    const summary = await restoreBackup(url, file);
    const { db, close } = createDatabase(url, { max: 1 });
    try {
      return { summary, requeued: await requeueOpenLetters(db) };
    } finally {
      await close();
    }
  });
  console.log(
    `restored ${summary.rows} rows in ${summary.tables} tables; ${requeued} open letters will get their workflow at the next start`,
  );
} catch (err) {
  console.error(`restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
