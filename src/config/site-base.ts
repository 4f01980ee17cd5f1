import type { Env } from './env.js';

/** The API process's own address as this machine reaches it: the site the link watcher and the home-page probe visit. */
export function ownSiteBase(env: Pick<Env, 'HOST' | 'PORT'>): URL {
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return new URL(`http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}/`);
}
