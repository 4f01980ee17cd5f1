import type { Viewer } from '../../src/auth/viewer.js';
import { bearer, type Harness } from './harness.js';

/** Services take a Viewer: this logs a demo account in once and gives its Viewer, as a request would. */
export function staffViewers(h: () => Harness, requestId = 'test') {
  const viewers: Record<string, Viewer> = {};
  return async function as(username: string): Promise<Viewer> {
    if (viewers[username]) return viewers[username];
    const me = await h().app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await h().login(username)) });
    return (viewers[username] = { staff: me.json(), ip: '127.0.0.1', requestId });
  };
}
