import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letters } from '../../src/mailbox/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { waitFor } from '../support/wait.js';

// Cross-site request forgery against the JSON API: a state-changing /api call authenticated by the
// session cookie must prove it comes from this site (Origin or Sec-Fetch-Site); Bearer clients are
// unaffected. Real PostgreSQL and Temporal, so an allowed answer really answers the case.

let h: Harness;
let token: string;
let ipSeq = 0;
const EVIL = 'https://evil.example';
/** What app.inject's requests see as their own origin (Host: localhost:80, plain HTTP). */
const SELF = 'http://localhost';

beforeAll(async () => {
  h = await startHarness({ temporal: true });
  token = await h.login('h-registration');
});
afterAll(async () => h?.close());

const rowOf = async (trackingNo: string) => (await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo)))[0]!;
const statusOf = async (trackingNo: string) => (await rowOf(trackingNo)).status;

async function startedLetter() {
  const headers = { 'x-forwarded-for': `10.8.0.${++ipSeq}` };
  const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), headers });
  expect(res.statusCode, res.body).toBe(201);
  const trackingNo = res.json().trackingNo as string;
  await h.startPending();
  await waitFor(async () => (await rowOf(trackingNo)).workflowStartedAt, 'workflow start');
  return trackingNo;
}

/** The probe's form post: urlencoded, carrying only the session cookie and whatever headers are given. */
const formAnswer = (trackingNo: string, headers: Record<string, string>, auth: 'cookie' | 'bearer' = 'cookie') =>
  h.app.inject({
    method: 'POST',
    url: `/api/cases/${trackingNo}/answer`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth === 'bearer' ? bearer(token) : {}), ...headers },
    ...(auth === 'cookie' ? { cookies: { amr_session: token } } : {}),
    payload: 'content=%E5%B7%B2%E5%A4%84%E7%90%86',
  });

describe('cookie-authenticated state-changing API calls need proof of same origin', () => {
  it('the probe: a cross-site urlencoded answer with only the cookie is 403 and the case stays open', async () => {
    const no = await startedLetter();
    const res = await formAnswer(no, { origin: EVIL });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'csrf_failed', message: expect.stringMatching(/[\u4e00-\u9fff]/) } });
    expect(await statusOf(no)).toBe('processing');
  });

  it('no Origin and no Sec-Fetch-Site is 403; Sec-Fetch-Site: cross-site is 403 too', async () => {
    const no = await startedLetter();
    expect((await formAnswer(no, {})).statusCode).toBe(403);
    expect((await formAnswer(no, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await formAnswer(no, { origin: 'null' })).statusCode).toBe(403);
    expect(await statusOf(no)).toBe('processing');
  });

  it("the site's own Origin is allowed (the answer closes the case)", async () => {
    const no = await startedLetter();
    const res = await formAnswer(no, { origin: SELF });
    expect(res.statusCode, res.body).toBe(200);
    expect(await statusOf(no)).toBe('answered');
  });

  it('Sec-Fetch-Site: same-origin without Origin is allowed', async () => {
    const no = await startedLetter();
    expect((await formAnswer(no, { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it("behind a trusted proxy the forwarded scheme and host are the site's origin", async () => {
    const no = await startedLetter();
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'amr.example.gov.cn' };
    expect((await formAnswer(no, { ...proxied, origin: 'http://localhost' })).statusCode).toBe(403);
    expect((await formAnswer(no, { ...proxied, origin: 'https://amr.example.gov.cn' })).statusCode).toBe(200);
  });

  it('a Bearer client is unaffected, whatever its Origin', async () => {
    const no = await startedLetter();
    const res = await formAnswer(no, { origin: EVIL }, 'bearer');
    expect(res.statusCode, res.body).toBe(200);
    expect(await statusOf(no)).toBe('answered');
  });

  it('safe methods with the cookie need no proof', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { amr_session: token }, headers: { origin: EVIL } });
    expect(res.statusCode).toBe(200);
  });

  it('on a public route a cross-site cookie is not used: a forged logout leaves the session alive', async () => {
    const own = await h.login('h-credit');
    const logout = (origin: string) =>
      h.app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { amr_session: own }, headers: { origin } });
    const forged = await logout(EVIL);
    expect(forged.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(own) })).statusCode).toBe(200);
    const real = await logout(SELF);
    expect(real.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(own) })).statusCode).toBe(401);
  });
});
