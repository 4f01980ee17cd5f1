import { createHash } from 'node:crypto';
import { hasNul, NUL_MESSAGE } from '../server/schema-types.js';

export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/**
 * All of a letter's attachments together. Intake holds a JSON letter's base64 text in memory while it
 * parses it, so this bounds what one letter costs the API process (docs/performance.md §6).
 */
export const MAX_TOTAL_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/**
 * Attachments are stored and sent in pieces of this size (letter_attachment_chunks): postgres.js sends
 * a bytea as a hex string twice its size, and strings this small stay in V8's young generation.
 */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
/**
 * Body limit of `POST /api/letters`: the base64 of the largest allowed attachments plus room for the
 * text fields (5,000 characters of content at up to 3 bytes each, JSON escapes, file names).
 */
export const LETTER_JSON_BODY_LIMIT = Math.ceil(MAX_TOTAL_ATTACHMENT_BYTES / 3) * 4 + 256 * 1024;

const MB = (bytes: number) => `${bytes / 1024 / 1024} MB`;
export const ATTACHMENT_MESSAGES = {
  tooMany: `附件最多 ${MAX_ATTACHMENTS} 个`,
  tooLarge: `单个附件不能超过 ${MB(MAX_ATTACHMENT_BYTES)}`,
  tooLargeTogether: `附件合计不能超过 ${MB(MAX_TOTAL_ATTACHMENT_BYTES)}`,
  empty: '附件为空或编码不正确',
  wrongType: '附件只能是 JPG、PNG 图片或 PDF 文件',
} as const;

/** The file's real type from its first bytes; the name and the claimed type are not trusted. */
export function sniffType(content: Buffer): 'image/jpeg' | 'image/png' | 'application/pdf' | undefined {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.length >= 8 && content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (content.length >= 5 && content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

/**
 * An uploaded file before it is stored: its size, digest and first bytes are known, and its content
 * can be read (again) in pieces, from memory (a JSON letter) or from a spooled file (the form).
 */
export interface StagedAttachment {
  filename: string;
  size: number;
  sha256: string;
  /** The first bytes, for the type check. */
  head: Buffer;
  /** Cut off while being received: larger than MAX_ATTACHMENT_BYTES. */
  truncated?: boolean;
  chunks(): AsyncIterable<Buffer>;
}

export interface CheckedAttachment extends StagedAttachment {
  mimeType: string;
}

/** A JSON letter's attachment, decoded once; the pieces are views of that one buffer. */
export function stageBase64(filename: string, contentBase64: string): StagedAttachment {
  const content = Buffer.from(contentBase64, 'base64');
  return {
    filename,
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    head: content.subarray(0, 16),
    async *chunks() {
      for (let at = 0; at < content.length; at += ATTACHMENT_CHUNK_BYTES) yield content.subarray(at, at + ATTACHMENT_CHUNK_BYTES);
    },
  };
}

/** Checks staged attachments; returns field → message for the bad ones (keys as `keyOf` names them). */
export function checkAttachments(
  items: StagedAttachment[],
  keyOf: (i: number) => string = (i) => `body.attachments.${i}`,
  listKey = 'body.attachments',
): { ok: CheckedAttachment[]; problems: Record<string, string> } {
  const ok: CheckedAttachment[] = [];
  const problems: Record<string, string> = {};
  if (items.length > MAX_ATTACHMENTS) problems[listKey] = ATTACHMENT_MESSAGES.tooMany;
  items.forEach((item, i) => {
    const key = keyOf(i);
    if (hasNul(item.filename)) problems[key] = `文件名${NUL_MESSAGE}`;
    else if (item.size === 0) problems[key] = ATTACHMENT_MESSAGES.empty;
    else if (item.truncated || item.size > MAX_ATTACHMENT_BYTES) problems[key] = ATTACHMENT_MESSAGES.tooLarge;
    else {
      const mimeType = sniffType(item.head);
      if (!mimeType) problems[key] = ATTACHMENT_MESSAGES.wrongType;
      else ok.push({ ...item, mimeType });
    }
  });
  const total = items.reduce((sum, item) => sum + item.size, 0);
  if (total > MAX_TOTAL_ATTACHMENT_BYTES && !problems[listKey]) problems[listKey] = ATTACHMENT_MESSAGES.tooLargeTogether;
  return { ok, problems };
}
