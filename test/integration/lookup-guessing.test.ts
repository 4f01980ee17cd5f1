import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUMBER_WINDOW_MINUTES, WRONG_CODES_PER_NUMBER } from '../../src/mailbox/service/lookup.js';
import { sampleLetter, startHarness, type Harness } from '../support/harness.js';

// Guessing access codes of the writer's lookup (issue #19 point 9): the API and the form page share
// one budget per client address, and each tracking number takes a limited number of wrong codes from
// all addresses together, whether or not a letter has that number.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

let ipSeq = 0;
const freshIp = () => `10.60.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
let numberSeq = 0;
/** A well-formed tracking number no letter has. */
const unknownNumber = () => {
  let n = ++numberSeq;
  let tail = '';
  for (let i = 0; i < 5; i++, n = Math.floor(n / ALPHABET.length)) tail += ALPHABET[n % ALPHABET.length];
  return `991231-${tail}`;
};

const apiLookup = (trackingNo: string, accessCode: string, ip = freshIp()) =>
  h.app.inject({ method: 'GET', url: `/api/letters/${trackingNo}`, headers: { 'x-forwarded-for': ip, 'x-access-code': accessCode } });
const formLookup = (trackingNo: string, accessCode: string, ip = freshIp()) =>
  h.app.inject({
    method: 'POST',
    url: '/lookup',
    payload: new URLSearchParams({ trackingNo, accessCode }).toString(),
    headers: { 'x-forwarded-for': ip, 'content-type': 'application/x-www-form-urlencoded' },
  });

async function newLetter() {
  const headers = { 'x-forwarded-for': freshIp() };
  const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { trackingNo: string; accessCode: string };
}

/** Wrong codes from a new address each, then the right code: what a distributed guesser and the writer see. */
async function guessFromManyAddresses(trackingNo: string, rightCode: string) {
  const seen: { status: number; body: string; retryAfter: string | undefined }[] = [];
  const note = (r: LightMyRequestResponse) => seen.push({ status: r.statusCode, body: r.body, retryAfter: r.headers['retry-after'] });
  for (let i = 0; i < WRONG_CODES_PER_NUMBER + 2; i++) note(await apiLookup(trackingNo, `WRONG${i}X`));
  note(await apiLookup(trackingNo, rightCode));
  return seen;
}

describe('issue #19 point 9: wrong access codes are limited per tracking number', () => {
  it(`after ${WRONG_CODES_PER_NUMBER} wrong codes from different addresses the number answers 429, even with the right code`, async () => {
    const letter = await newLetter();
    const seen = await guessFromManyAddresses(letter.trackingNo, letter.accessCode);
    expect(seen.slice(0, WRONG_CODES_PER_NUMBER).map((s) => s.status)).toEqual(Array(WRONG_CODES_PER_NUMBER).fill(404));
    for (const refused of seen.slice(WRONG_CODES_PER_NUMBER)) {
      expect(refused.status).toBe(429);
      const error = JSON.parse(refused.body).error;
      expect(error).toMatchObject({ code: 'lookup_throttled', message: expect.stringMatching(/查询.*次数过多.*分钟后再试/) });
      expect(Number(refused.retryAfter)).toBeGreaterThan((NUMBER_WINDOW_MINUTES - 1) * 60);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(NUMBER_WINDOW_MINUTES * 60);
    }
    // The form page is refused too, with the right code, and says why in Chinese.
    const form = await formLookup(letter.trackingNo, letter.accessCode);
    expect(form.statusCode).toBe(429);
    expect(Number(form.headers['retry-after'])).toBeGreaterThan(0);
    expect(form.body).toMatch(/查询.*次数过多.*分钟后再试/);
    expect(form.body).not.toContain(letter.accessCode);
    // Other numbers are not affected.
    const other = await newLetter();
    expect((await apiLookup(other.trackingNo, other.accessCode)).statusCode).toBe(200);

    // Once the window has passed, the right code works again.
    await h.sql`update lookup_counters set window_ends_at = now() - interval '1 second' where key = ${`number:${letter.trackingNo}`}`;
    expect((await apiLookup(letter.trackingNo, letter.accessCode)).statusCode).toBe(200);
    expect((await formLookup(letter.trackingNo, letter.accessCode)).statusCode).toBe(200);
  });

  it("an unknown number answers exactly like a letter's number over the same sequence", async () => {
    const letter = await newLetter();
    const known = await guessFromManyAddresses(letter.trackingNo, letter.accessCode);
    const unknown = await guessFromManyAddresses(unknownNumber(), letter.accessCode);
    expect(unknown.map((s) => [s.status, s.body])).toEqual(known.map((s) => [s.status, s.body]));
    expect(unknown.map((s) => s.retryAfter === undefined)).toEqual(known.map((s) => s.retryAfter === undefined));
    expect(known.at(-1)!.status).toBe(429);
  });

  it("right codes do not use up the number's budget, and the counter is shared by the API and the form page", async () => {
    const letter = await newLetter();
    for (let i = 0; i < WRONG_CODES_PER_NUMBER + 2; i++) {
      expect((await apiLookup(letter.trackingNo, letter.accessCode)).statusCode).toBe(200);
    }
    for (let i = 0; i < WRONG_CODES_PER_NUMBER; i++) {
      const res = i % 2 === 0 ? await apiLookup(letter.trackingNo, `WRONG${i}X`) : await formLookup(letter.trackingNo, `WRONG${i}X`);
      expect(res.statusCode).toBe(404);
    }
    expect((await formLookup(letter.trackingNo, letter.accessCode)).statusCode).toBe(429);
  });

  it('expired counter rows are pruned as new ones are written', async () => {
    await h.sql`insert into lookup_counters (key, count, window_ends_at)
      select 'number:STALE-' || i, 3, now() - interval '2 hours' from generate_series(1, 5) i`;
    await apiLookup(unknownNumber(), 'WRONG0X');
    const [left] = await h.sql`select count(*)::int as n from lookup_counters where key like 'number:STALE-%'`;
    expect(left!.n).toBe(0);
  });
});

describe('issue #19 point 9: one per-address budget for the API and the form page', () => {
  it('RATE_LOOKUPS_PER_MINUTE (default 30) look-ups a minute from one address in all, whichever way they come', async () => {
    const perMinute = h.env.RATE_LOOKUPS_PER_MINUTE;
    expect(perMinute).toBe(30); // the README's documented default
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < perMinute; i++) {
      const res = i % 2 === 0 ? await apiLookup(unknownNumber(), 'WRONG0X', ip) : await formLookup(unknownNumber(), 'WRONG0X', ip);
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual(Array(perMinute).fill(404));
    const api = await apiLookup(unknownNumber(), 'WRONG0X', ip);
    expect(api.statusCode).toBe(429);
    expect(api.json().error).toEqual({ code: 'rate_limited', message: '请求过于频繁，请稍后再试' });
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(api.headers['retry-after'])).toBeLessThanOrEqual(60);
    const form = await formLookup(unknownNumber(), 'WRONG0X', ip);
    expect(form.statusCode).toBe(429);
    expect(form.body).toContain('请求过于频繁，请稍后再试');
    // Another address has its own budget.
    expect((await formLookup(unknownNumber(), 'WRONG0X')).statusCode).toBe(404);
  });
});
