import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { attachmentHeaders, requestedRange } from '../attachment-headers.js';

interface Download {
  file: { filename: string; mimeType: string; size: number; sha256: string };
  pieces: AsyncGenerator<Buffer>;
  range: (start: number, end: number) => AsyncGenerator<Buffer>;
}

/**
 * Sends an attachment as a browser wants it: 304 when its ETag is known, one byte range (206) when asked
 * (a video player seeking; 416 past the end), else the whole file, piece by piece.
 */
export async function sendAttachment(
  req: FastifyRequest,
  reply: FastifyReply,
  download: Download,
  cacheControl: string,
  opts: { asDownload?: boolean } = {},
) {
  const headers = attachmentHeaders(download.file);
  // A "download" link of a file the browser would show inline (the disclosure section's texts).
  if (opts.asDownload) headers['content-disposition'] = headers['content-disposition'].replace(/^inline/, 'attachment');
  void reply.headers(headers).header('cache-control', cacheControl).header('accept-ranges', 'bytes');
  const known = String(req.headers['if-none-match'] ?? '').split(/\s*,\s*/);
  if (known.includes(headers.etag) || known.includes('*')) return reply.code(304).removeHeader('content-length').send();
  // If-Range: a range of the version the client has, or the whole file when it names another.
  const ifRange = req.headers['if-range'];
  const range = ifRange === undefined || ifRange === headers.etag ? requestedRange(req.headers.range, download.file.size) : undefined;
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${download.file.size}`).removeHeader('content-length').send();
  }
  if (range) {
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${download.file.size}`)
      .header('content-length', String(range.end - range.start + 1))
      .send(Readable.from(download.range(range.start, range.end)));
  }
  return reply.send(Readable.from(download.pieces));
}
