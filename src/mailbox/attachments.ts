import { createHash } from 'node:crypto';

export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The file's real type from its first bytes; the name and the claimed type are not trusted. */
export function sniffType(content: Buffer): 'image/jpeg' | 'image/png' | 'application/pdf' | undefined {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.length >= 8 && content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (content.length >= 5 && content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

export interface CheckedAttachment {
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/** Decodes and checks attachments; returns field → message for the bad ones. */
export function checkAttachments(items: { filename: string; contentBase64: string }[]): { ok: CheckedAttachment[]; problems: Record<string, string> } {
  const ok: CheckedAttachment[] = [];
  const problems: Record<string, string> = {};
  items.forEach((item, i) => {
    const content = Buffer.from(item.contentBase64, 'base64');
    const key = `body.attachments.${i}`;
    if (content.length === 0) problems[key] = '附件为空或编码不正确';
    else if (content.length > MAX_ATTACHMENT_BYTES) problems[key] = '单个附件不能超过 10 MB';
    else {
      const mimeType = sniffType(content);
      if (!mimeType) problems[key] = '附件只能是 JPG、PNG 图片或 PDF 文件';
      else ok.push({ filename: item.filename, mimeType, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content });
    }
  });
  return { ok, problems };
}
