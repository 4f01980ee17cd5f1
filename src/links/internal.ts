// The site's own pages answered without the network: through fastify's inject (tests, or an API process
// checking its own site). The worker process, which has no app, reaches the API over loopback HTTP instead.
import type { Answer, CheckOptions } from './checker.js';

interface Injector {
  inject(opts: { method: 'HEAD' | 'GET'; url: string; headers: Record<string, string> }): Promise<{
    statusCode: number;
    headers: Record<string, unknown>;
    body: string;
  }>;
}

/** An `internal` option for the checker: URLs on `base`'s origin are answered by the app. */
export function injectedSite(app: Injector, base: URL): NonNullable<CheckOptions['internal']> {
  return {
    claims: (url) => url.origin === base.origin,
    async fetch(url, method): Promise<Answer> {
      const res = await app.inject({ method, url: url.pathname + url.search, headers: { 'user-agent': 'link-check' } });
      const header = (k: string) => (typeof res.headers[k] === 'string' ? res.headers[k] : null);
      return {
        status: res.statusCode,
        location: header('location'),
        contentType: header('content-type'),
        body: method === 'GET' ? res.body.slice(0, 64 * 1024) : '',
      };
    },
  };
}
