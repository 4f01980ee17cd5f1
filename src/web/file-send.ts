import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

// Sending a stored file (the site's attachments, the disclosure section's electronic texts): shared so
// that every module's download answers ETag, ranges and names alike.

export interface StoredFile {
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/**
 * The headers of a download: its checked type (never sniffed by the browser), shown `inline` or saved,
 * the UTF-8 name in `filename*` (RFC 6266) with an ASCII fallback, and its digest as the ETag (the
 * bytes of a stored file never change).
 */
export function fileHeaders(file: StoredFile, inline: boolean) {
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(file.filename)?.[0] ?? '';
  return {
    'content-type': file.mimeType,
    'content-length': String(file.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="attachment${ext}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    'x-content-type-options': 'nosniff',
    etag: `"${file.sha256}"`,
  };
}

/**
 * The one byte range a `Range: bytes=…` header asks for, inclusive; 'unsatisfiable' when it lies past the
 * end; undefined for no header or one this server answers with the whole file (several ranges, other units).
 */
export function requestedRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export interface FileDownload {
  file: StoredFile;
  pieces: AsyncGenerator<Buffer>;
  range: (start: number, end: number) => AsyncGenerator<Buffer>;
}

/**
 * Sends a stored file as a browser wants it: 304 when its ETag is known, one byte range (206) when asked
 * (a video player seeking; 416 past the end), else the whole file, piece by piece.
 */
export async function sendFile(
  req: FastifyRequest,
  reply: FastifyReply,
  download: FileDownload,
  opts: { cacheControl: string; inline: boolean },
) {
  const headers = fileHeaders(download.file, opts.inline);
  void reply.headers(headers).header('cache-control', opts.cacheControl).header('accept-ranges', 'bytes');
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
