// Issue #20 point 11, over every page the app has (test/support/role-matrix.ts PAGE_MATRIX, which the
// role-matrix test keeps complete): the security headers on every page response, HSTS exactly when
// COOKIE_SECURE, every cookie-authenticated form refused without its CSRF token or from another site,
// and a new session id at every login (no session fixation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { PAGE_MATRIX, ROLE_ACCOUNTS, prepareMatrix, sessionFor, type MatrixFixtures, type PageRow } from '../support/role-matrix.js';

let h: Harness;
let secure: Harness;
let fixtures: MatrixFixtures;
let ip = 0;

beforeAll(async () => {
  h = await startHarness();
  ({ fixtures } = await prepareMatrix(h));
  secure = await startHarness({ env: { COOKIE_SECURE: 'true' } });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await secure?.close();
});

/** A role the row lets in (its status is not 403), or none for a public page. */
const allowedRole = (row: PageRow): Role | undefined => ROLES.find((r) => row.expect[r] !== 403 && row.expect[r] !== 303);

async function csrfPair(app: Harness) {
  const res = await app.app.inject({ method: 'GET', url: '/staff/login', headers: { 'x-forwarded-for': `10.88.0.${++ip % 250}` } });
  const cookie = res.cookies.find((c) => c.name === 'amr_csrf')!;
  return { cookie: `amr_csrf=${cookie.value}`, token: /name="_csrf" value="([^"]+)"/.exec(res.body)![1]! };
}

/** The row called as a browser would, with the given CSRF token ('' = none) and extra headers. */
async function call(app: Harness, row: PageRow, opts: { session?: string; token?: string } = {}) {
  const pair = await csrfPair(app);
  const token = opts.token ?? pair.token;
  const cookie = [pair.cookie, ...(opts.session ? [`amr_session=${opts.session}`] : [])].join('; ');
  const headers = { cookie, 'x-forwarded-for': `10.88.1.${++ip % 250}` };
  const url = row.url ? row.url(fixtures) : row.route;
  if (row.method === 'GET') return app.app.inject({ method: 'GET', url, headers });
  const fields = { ...(token ? { _csrf: token } : {}), ...(row.form ?? row.multipart ?? {}) };
  if (row.multipart) {
    const b = 'sec-boundary';
    const body = Object.entries(fields)
      .map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
    return app.app.inject({
      method: 'POST',
      url,
      payload: `${body}--${b}--\r\n`,
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${b}` },
    });
  }
  return app.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const sessions = new Map<string, string>();
async function sessionOf(app: Harness, row: PageRow) {
  const role = allowedRole(row);
  if (!role) return undefined;
  if (row.freshSession) return sessionFor(app, ROLE_ACCOUNTS[role]);
  const key = `${app === secure ? 's' : 'p'}:${role}`;
  if (!sessions.has(key)) sessions.set(key, await sessionFor(app, ROLE_ACCOUNTS[role]));
  return sessions.get(key)!;
}

/**
 * Forms that act without a session; a CSRF token would protect nothing there. The writer's result-page
 * forms (rating, withdrawing consent) are proven by their form token instead, an HMAC keyed with the
 * access code's hash (src/mailbox/codes.ts) that another site cannot know: it does what a CSRF token does.
 */
const PUBLIC_FORMS = [
  '/letter',
  '/letter/validate',
  '/lookup',
  '/lookup/rating',
  '/lookup/withdraw-consent',
  // The disclosure request's public forms (src/requests/pages): filing needs no session; the lookup, the
  // withdrawal and the answer letter act only with the request's number and access code, which another site
  // cannot know (and a wrong code counts against the number's limit).
  '/xxgk/request',
  '/xxgk/request/lookup',
  '/xxgk/request/withdraw',
  '/xxgk/request/letter',
  '/xxgk/request/letter.pdf',
];
const rowName = (row: PageRow) => `${row.method} ${row.route}`;
const withAsset = (row: PageRow) => row.route === '/assets/:name';

describe.each(PAGE_MATRIX.map((row) => [rowName(row), row] as const))('page security: %s', (_name, row) => {
  it('answers with the security headers (CSP, nosniff, frame-ancestors, no HSTS over plain HTTP)', async () => {
    const res = await call(h, row, { session: await sessionOf(h, row) });
    const role = allowedRole(row);
    expect(res.statusCode).toBe(role ? row.expect[role] : row.anonymous);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    if (!withAsset(row)) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('sends HSTS when COOKIE_SECURE (the site is served over HTTPS)', async () => {
    const res = await call(secure, row, { session: await sessionOf(secure, row) });
    expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=31536000/);
  });

  // The public forms act without a session (anyone may write a letter or look one up), so a forged
  // request gains nothing (the result page's forms need the page's form token); every form that acts
  // with the staff session cookie, and the login and logout forms (login CSRF), take a token bound to
  // the browser's own CSRF cookie.
  if (row.method === 'POST' && !PUBLIC_FORMS.includes(row.route)) {
    it('is refused without its CSRF token, with a made-up one, and with a real token of another browser', async () => {
      const session = await sessionOf(h, row);
      const otherBrowsers = (await csrfPair(h)).token;
      const codes = [
        (await call(h, row, { session, token: '' })).statusCode,
        (await call(h, row, { session, token: 'made-up-token' })).statusCode,
        (await call(h, row, { session, token: otherBrowsers })).statusCode,
      ];
      expect(codes).toEqual([403, 403, 403]);
    });
  }
});

describe('session ids at login (no session fixation)', () => {
  async function pageLogin(planted?: string) {
    const pair = await csrfPair(h);
    const res = await h.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: {
        cookie: [pair.cookie, ...(planted ? [`amr_session=${planted}`] : [])].join('; '),
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': `10.88.2.${++ip % 250}`,
      },
      payload: new URLSearchParams({ _csrf: pair.token, username: 'office', password: DEMO_PASSWORD }).toString(),
    });
    expect(res.statusCode).toBe(303);
    return res.cookies.find((c) => c.name === 'amr_session')!.value;
  }

  it('a login issues a new session id, never the one the browser brought, and never the same twice', async () => {
    const existing = await sessionFor(h, 'office');
    const first = await pageLogin(existing);
    const second = await pageLogin('attacker-chosen-session-id');
    expect(first).not.toBe(existing);
    expect(second).not.toBe('attacker-chosen-session-id');
    expect(new Set([existing, first, second]).size).toBe(3);
    const page = await h.app.inject({ method: 'GET', url: '/staff/cases', headers: { cookie: 'amr_session=attacker-chosen-session-id' } });
    expect(page.statusCode).toBe(303);
  });
});
