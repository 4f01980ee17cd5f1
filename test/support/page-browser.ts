import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { DEMO_PASSWORD, type Harness } from './harness.js';

// A browser for page tests through app.inject: its own cookie jar (the staff session and the CSRF
// cookie) and its own client address (so the login limits of one test do not hold back another).

type Form = Record<string, string> | [string, string][];
let ipSeq = 0;

export const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
/** The message of a field's error paragraph on a page (fields.ts renders `<p class="field-error" id="<id>-error">`). */
export const fieldError = (page: string, id: string) =>
  new RegExp(`<p class="field-error" id="${id}-error"[^>]*>([^<]*)</p>`).exec(page)?.[1];

export class PageBrowser {
  cookies = new Map<string, string>();
  private readonly address: string;
  constructor(private readonly h: () => Harness) {
    ++ipSeq;
    this.address = `10.16.${Math.floor(ipSeq / 250)}.${ipSeq % 250}`;
  }
  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  private get headers() {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': this.address };
  }
  async get(url: string) {
    return this.remember(await this.h().app.inject({ method: 'GET', url, headers: this.headers }));
  }
  async post(url: string, form: Form) {
    return this.remember(
      await this.h().app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(form).toString(),
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
  /** Posts a form of the page at `from` with that page's CSRF token. */
  async submit(from: string, url: string, form: Form = {}) {
    const page = await this.get(from);
    const fields = Array.isArray(form) ? form : Object.entries(form);
    return this.post(url, [['_csrf', csrfOf(page.body)], ...fields]);
  }
  async login(username: string) {
    const page = await this.get('/staff/login');
    const res = await this.post('/staff/login', { _csrf: csrfOf(page.body), username, password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
    return this;
  }
}
