import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * A cap on the request bodies one route holds in memory at once, by their declared length. A JSON
 * body is read whole, then parsed (about twice its size on the V8 heap while both exist), so a few
 * large ones at once could otherwise pass the heap cap and end the process for everyone. A body that
 * does not fit while others are in flight is refused at once with 503 and Retry-After, before it is
 * read; one that fits alone is always admitted when nothing else is in flight.
 */
export class BodyBudget {
  private inFlight = 0;

  constructor(
    readonly limitBytes: number,
    readonly freeBelowBytes = 256 * 1024,
  ) {}

  get bytesInFlight() {
    return this.inFlight;
  }

  /** An onRequest hook: admits the request or throws 503; the bytes are released when the response ends. */
  readonly admit = async (request: FastifyRequest, reply: FastifyReply) => {
    const declared = Number(request.headers['content-length']);
    // Chunked bodies declare nothing: count them as the route's limit, what they may grow to.
    const bytes = Number.isFinite(declared) && declared >= 0 ? declared : (request.routeOptions.bodyLimit ?? this.limitBytes);
    if (bytes < this.freeBelowBytes) return;
    if (this.inFlight > 0 && this.inFlight + bytes > this.limitBytes) {
      reply.header('retry-after', '10');
      throw new AppError(503, 'busy', '当前提交的内容较多，请稍后重新提交');
    }
    this.inFlight += bytes;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight -= bytes;
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
  };
}
