// Issue #20 point 7: two API processes on one PostgreSQL behind one proxy. The per-minute limits
// (README, *Rate limits*), the writer's look-up limits and the login hold are counted in PostgreSQL,
// so a client that spreads its requests over both processes gets what it would get from one.
// Real processes (test/support/api-process.ts), real HTTP, one database.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { letters } from '../../src/mailbox/tables.js';
import { freshDatabase } from '../support/db.js';
import { DEMO_PASSWORD, sampleLetter } from '../support/harness.js';
import { spawnApi } from '../support/spawn-api.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let apis: Awaited<ReturnType<typeof spawnApi>>[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  await seedDepartments(database.db);
  await seedDemoAccounts(database.db, DEMO_PASSWORD);
  const env = { DATABASE_URL: database.url, RATE_LETTERS_PER_MINUTE: '4', RATE_LOGINS_PER_MINUTE: '8', RATE_LOOKUPS_PER_MINUTE: '5' };
  apis = await Promise.all([spawnApi(env), spawnApi(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(apis.map((a) => a.stop()));
  await database?.close();
});

/** Request i goes to process i % 2, as a round-robin proxy sends it; the client's address comes in X-Forwarded-For. */
const roundRobin = (i: number) => apis[i % 2]!.base;
const from = (client: string) => ({ 'content-type': 'application/json', 'x-forwarded-for': client });

async function spread(count: number, send: (base: string) => Promise<Response>) {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push((await send(roundRobin(i))).status);
  return codes;
}

describe('two API processes, one PostgreSQL (issue #20 point 7)', () => {
  it('RATE_LETTERS_PER_MINUTE=4 holds across both: the 5th letter from one client is a 429 whichever process takes it', async () => {
    const send = (base: string, client = '203.0.113.7') =>
      fetch(`${base}/api/letters`, { method: 'POST', headers: from(client), body: JSON.stringify(sampleLetter()) });
    expect(await spread(6, send)).toEqual([201, 201, 201, 201, 429, 429]);
    // Another client is unaffected; stored: the first client's four and the other's one.
    expect((await send(roundRobin(1), '203.0.113.70')).status).toBe(201);
    const [{ n }] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(letters)) as [{ n: number }];
    expect(n).toBe(5);
  });

  it('RATE_LOGINS_PER_MINUTE=8 holds across both processes', async () => {
    const send = (base: string) =>
      fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: from('203.0.113.8'),
        body: JSON.stringify({ username: `nobody${Math.random().toString(36).slice(2, 8)}`, password: 'Wrong-Passw0rd!' }),
      });
    const codes = await spread(10, send);
    expect(codes.slice(0, 8).every((c) => c === 401)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
  });

  it('the login hold (5 wrong passwords from one address) holds that address back on both processes', async () => {
    const login = (base: string, password: string, client: string) =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers: from(client), body: JSON.stringify({ username: 'h-credit', password }) });
    for (let i = 0; i < 5; i++) expect((await login(roundRobin(i), 'Wrong-Passw0rd!', '203.0.113.20')).status).toBe(401);
    // The right password from that address is now held back by either process …
    for (const api of apis) {
      const res = await login(api.base, DEMO_PASSWORD, '203.0.113.20');
      expect(res.status).toBe(429);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('login_throttled');
    }
    // … and the account itself still logs in from elsewhere, on either process.
    for (const api of apis) expect((await login(api.base, DEMO_PASSWORD, '203.0.113.21')).status).toBe(200);
  });

  it('RATE_LOOKUPS_PER_MINUTE=5 holds across both processes', async () => {
    const send = (base: string) =>
      fetch(`${base}/api/letters/991201-ABCDE`, { headers: { ...from('203.0.113.9'), 'x-access-code': 'WRONG0X' } });
    expect(await spread(7, send)).toEqual([404, 404, 404, 404, 404, 429, 429]);
  });
});
