// The load generator: a separate process (bench/intake.ts forks it), so the server under test never
// shares its event loop or its CPU time accounting with the client. Plain node:http with keep-alive.
//
// Two modes:
// - `rate`: open loop. Request i is due at t0 + i/rate and is sent then whether or not earlier ones
//   have answered; its latency counts from when it was due, so a stalled server is not hidden by a
//   client that waited for it (no coordinated omission).
// - `max`: closed loop. `connections` clients each send the next request as soon as the last answered:
//   the server's maximum throughput at that concurrency.
//
// Every request carries its own X-Forwarded-For address (the API rate-limits POST /api/letters to 10
// a minute per client address, and trusts X-Forwarded-For from loopback: TRUST_PROXY=loopback).
import http from 'node:http';

export interface LoadRequest {
  mode: 'rate' | 'max';
  url: string;
  /** Requests per second (rate mode). */
  rate?: number;
  durationMs: number;
  /** Sockets (max mode: concurrent clients; rate mode: the most in flight). */
  connections: number;
  /** JSON bodies, used round-robin. */
  bodies: string[];
  /** First X-Forwarded-For number: distinct per run so no address repeats within the rate-limit window. */
  addressBase: number;
}

export interface LoadResult {
  sent: number;
  completed: number;
  statuses: Record<string, number>;
  errors: number;
  elapsedMs: number;
  /** Latency of each 2xx answer, ms. */
  latencies: number[];
  /** trackingNo (or id) of each 2xx answer and the wall-clock time (epoch ms) its response ended. */
  accepted: [string, number][];
  firstError?: string;
}

const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

export async function runLoad(req: LoadRequest): Promise<LoadResult> {
  const url = new URL(req.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: req.connections });
  const bodies = req.bodies.map((b) => Buffer.from(b));
  const res: LoadResult = { sent: 0, completed: 0, statuses: {}, errors: 0, elapsedMs: 0, latencies: [], accepted: [] };
  let seq = 0;

  const send = (startedAt: number) =>
    new Promise<void>((resolve) => {
      const n = seq++;
      const body = bodies[n % bodies.length]!;
      res.sent++;
      const r = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-forwarded-for': addressOf(req.addressBase + n) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const end = performance.now();
            const doneAt = Date.now();
            const status = response.statusCode ?? 0;
            res.statuses[status] = (res.statuses[status] ?? 0) + 1;
            res.completed++;
            if (status >= 200 && status < 300) {
              res.latencies.push(end - startedAt);
              try {
                const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { trackingNo?: string; id?: number };
                res.accepted.push([String(parsed.trackingNo ?? parsed.id), doneAt]);
              } catch {
                /* counted by status */
              }
            } else if (!res.firstError) res.firstError = `${status} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
            resolve();
          });
        },
      );
      r.on('error', (err) => {
        res.errors++;
        res.firstError ??= err.message;
        resolve();
      });
      r.end(body);
    });

  const t0 = performance.now();
  if (req.mode === 'max') {
    const end = t0 + req.durationMs;
    await Promise.all(
      Array.from({ length: req.connections }, async () => {
        while (performance.now() < end) await send(performance.now());
      }),
    );
  } else {
    const rate = req.rate!;
    const total = Math.round((rate * req.durationMs) / 1000);
    const inflight: Promise<void>[] = [];
    let i = 0;
    while (i < total) {
      const now = performance.now();
      while (i < total && t0 + (i * 1000) / rate <= now) {
        inflight.push(send(t0 + (i * 1000) / rate));
        i++;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(inflight);
  }
  res.elapsedMs = performance.now() - t0;
  agent.destroy();
  return res;
}

// As a forked child: one LoadRequest per message, one LoadResult back.
if (process.send) {
  process.on('message', (msg: LoadRequest | 'exit') => {
    if (msg === 'exit') process.exit(0);
    void runLoad(msg).then((r) => process.send!(r));
  });
  process.send('ready');
}
