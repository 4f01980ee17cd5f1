import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDatabase } from '../../src/db/client.js';

/** A fresh database for one test file, cloned from the migrated template. */
export const freshDatabase = () => createFrom('template');

/** A database with no tables at all (not even migrated), e.g. to restore a backup into. */
export const emptyDatabase = () => createFrom('template0');

async function createFrom(source: 'template' | 'template0') {
  const templateUrl = inject('templateUrl');
  const url = new URL(templateUrl);
  const template = source === 'template0' ? 'template0' : url.pathname.slice(1);
  const name = `t_${randomBytes(6).toString('hex')}`;
  url.pathname = '/postgres';
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; serialise clones.
  await admin`select pg_advisory_lock(4242)`;
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin`select pg_advisory_unlock(4242)`;
    await admin.end();
  }
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const handle = createDatabase(dbUrl, { max: 5 });
  return { url: dbUrl, ...handle };
}
