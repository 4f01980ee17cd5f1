// Issue #20 point 12: every rate limit is a setting (README, *Rate limits*). Each limit is set low here
// and must refuse exactly the request after it, per client address; another address is unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLetter, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: {
      RATE_LETTERS_PER_MINUTE: '3',
      RATE_FORM_CHECKS_PER_MINUTE: '4',
      RATE_LOGINS_PER_MINUTE: '2',
      RATE_LOOKUPS_PER_MINUTE: '5',
    },
  });
});
afterAll(async () => {
  await h?.close();
});

let nextIp = 10;
const freshIp = () => `198.18.0.${nextIp++}`;

/** Sends `count` requests from one address and returns their status codes. */
async function statuses(count: number, send: (ip: string) => Promise<{ statusCode: number }>, ip = freshIp()) {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push((await send(ip)).statusCode);
  return codes;
}

describe('rate limits follow their settings', () => {
  it('RATE_LETTERS_PER_MINUTE=3: the API takes 3 letters a minute from one address, the 4th is a 429', async () => {
    const ip = freshIp();
    const send = (from: string) => h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), remoteAddress: from });
    expect(await statuses(4, send, ip)).toEqual([201, 201, 201, 429]);
    expect((await send(freshIp())).statusCode).toBe(201);
  });

  it('RATE_LETTERS_PER_MINUTE=3 also limits the form page POST /letter, counted apart from the API', async () => {
    const ip = freshIp();
    // An empty form is refused with 400 by the page, but it is counted before it is read.
    const send = (from: string) => h.app.inject({ method: 'POST', url: '/letter', payload: {}, remoteAddress: from });
    const codes = await statuses(4, send, ip);
    expect(codes.slice(0, 3).every((c) => c !== 429)).toBe(true);
    expect(codes[3]).toBe(429);
  });

  it('RATE_FORM_CHECKS_PER_MINUTE=4 limits the as-you-type check POST /letter/validate', async () => {
    const send = (from: string) => h.app.inject({ method: 'POST', url: '/letter/validate', payload: {}, remoteAddress: from });
    const codes = await statuses(5, send);
    expect(codes.slice(0, 4).every((c) => c !== 429)).toBe(true);
    expect(codes[4]).toBe(429);
  });

  it('RATE_LOGINS_PER_MINUTE=2 limits the login API and the login page, each on its own', async () => {
    const ip = freshIp();
    const api = (from: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody', password: 'Wrong-Passw0rd!' },
        remoteAddress: from,
      });
    const apiCodes = await statuses(3, api, ip);
    expect(apiCodes.slice(0, 2).every((c) => c !== 429)).toBe(true);
    expect(apiCodes[2]).toBe(429);
    const page = (from: string) => h.app.inject({ method: 'POST', url: '/staff/login', payload: {}, remoteAddress: from });
    const pageCodes = await statuses(3, page, ip);
    expect(pageCodes.slice(0, 2).every((c) => c !== 429)).toBe(true);
    expect(pageCodes[2]).toBe(429);
  });

  it('RATE_LOOKUPS_PER_MINUTE=5: the 6th look-up from one address is a 429 with Retry-After', async () => {
    const send = (from: string) =>
      h.app.inject({ method: 'GET', url: '/api/letters/991201-ABCDE', headers: { 'x-access-code': 'WRONG0X' }, remoteAddress: from });
    const ip = freshIp();
    expect(await statuses(5, send, ip)).toEqual([404, 404, 404, 404, 404]);
    const refused = await send(ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
