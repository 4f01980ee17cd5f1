import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, LookupFunction } from 'node:net';

/**
 * A local web site on 127.0.0.1 for the link watcher's tests (issue 21 point 4: loopback only, never the
 * real network): 200 pages with a title the test can change, 404, 500, a page that never answers, a
 * redirect loop, a redirect to another domain, a page that refuses HEAD. It records every request's
 * user agent and the most requests it had in flight at once.
 */
export async function startLinkSite() {
  const state = {
    title: '福建省人民政府',
    hosts: new Set<string>(),
    missingFixed: false,
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    userAgents: new Set<string>(),
    slowMs: 0,
  };
  let port = 0;
  const server = http.createServer((req, res) => {
    state.requests++;
    state.hosts.add(String(req.headers.host).split(':')[0]!);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    // The user agent's bytes are UTF-8 (Node reads header bytes as latin1).
    state.userAgents.add(Buffer.from(String(req.headers['user-agent']), 'latin1').toString('utf8'));
    res.on('close', () => state.inFlight--);
    const path = (req.url ?? '/').split('?')[0]!;
    const page = (title: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `<!doctype html><html><head><title>${title}</title></head><body>ok</body></html>`);
    };
    const answer = () => {
      if (path === '/ok' || path.startsWith('/page/')) return page(state.title);
      if (path === '/missing') return state.missingFixed ? page('已恢复') : res.writeHead(404).end();
      if (path === '/error') return res.writeHead(500).end();
      if (path === '/hang') return; // never answers: the checker's timeout
      if (path === '/loop-a') return res.writeHead(302, { location: '/loop-b' }).end();
      if (path === '/loop-b') return res.writeHead(302, { location: '/loop-a' }).end();
      if (path === '/moved') return res.writeHead(301, { location: '/ok' }).end();
      if (path === '/away') return res.writeHead(302, { location: `http://parked-domains.example:${port}/ok` }).end();
      if (path === '/no-head') {
        if (req.method === 'HEAD') return res.writeHead(405).end();
        return page('只接受 GET');
      }
      if (path === '/file.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end();
      return res.writeHead(404).end();
    };
    if (state.slowMs > 0 && path.startsWith('/page/')) setTimeout(answer, state.slowMs);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  // An "https" site that speaks garbage: the TLS handshake fails as against a broken certificate.
  const sockets = new Set<net.Socket>();
  const garbage = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end('HTTP/1.1 200 OK\r\n\r\nnot tls');
  });
  await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
  const tlsPort = (garbage.address() as AddressInfo).port;
  return {
    state,
    port,
    tlsPort,
    url: (host: string, path: string) => `http://${host}:${port}${path}`,
    async close() {
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => garbage.close(r))]);
    },
  };
}

/** Resolves every name to 127.0.0.1 (the test's hosts: www.fujian.gov.cn, parked-domains.example…), never real DNS. */
export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all)
    (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};
