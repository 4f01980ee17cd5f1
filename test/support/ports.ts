import net from 'node:net';

// Ports for servers a test starts and STARTS AGAIN on the same number (a crash and a restart). A port
// from listen(0) is in the kernel's ephemeral range (32768–60999 here), so between the first server's
// death and the second's start any other process's bind(0) or outgoing connection may take it; one CI
// run lost the Temporal dev server's restart that way ("exited before listening on port 40209").
// Below the range, only an explicit bind can take a port.
const LOW = 20_000;
const HIGH = 32_000;
const given = new Set<number>();

const canBind = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

/** A free port below the ephemeral range, not given out before in this process. */
export async function stablePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (given.has(port) || !(await canBind(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
