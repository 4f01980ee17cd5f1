import { INLINE_MIME_TYPES } from './attachment-types.js';

/**
 * The headers of an attachment download: its checked type (never sniffed by the browser), images and
 * PDFs shown inline and the rest downloaded, the UTF-8 name in `filename*` (RFC 6266) with an ASCII
 * fallback, and its digest as the ETag (the bytes of an attachment never change).
 */
export function attachmentHeaders(file: { filename: string; mimeType: string; size: number; sha256: string }) {
  const disposition = INLINE_MIME_TYPES.includes(file.mimeType) ? 'inline' : 'attachment';
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(file.filename)?.[0] ?? '';
  return {
    'content-type': file.mimeType,
    'content-length': String(file.size),
    'content-disposition': `${disposition}; filename="attachment${ext}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
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
