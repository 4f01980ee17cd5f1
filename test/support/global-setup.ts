import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../src/infra/embedded-postgres.js';
import { runMigrations } from '../../src/db/migrate.js';

// One throw-away PostgreSQL for the whole run, with a migrated template database; each test file
// clones the template (test/support/db.ts) so files never see each other's rows.
let pg: EmbeddedPg | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    await runMigrations(process.env.TEST_DATABASE_URL);
    project.provide('templateUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-test-pg-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pgdata'), port, database: 'template_amr' });
  await runMigrations(pg.url);
  project.provide('templateUrl', pg.url);
}

export async function teardown() {
  await pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateUrl: string;
  }
}
