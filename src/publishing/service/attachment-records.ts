import { and, asc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { siteAttachmentChunks, siteAttachments } from '../tables.js';

export type AttachmentRow = typeof siteAttachments.$inferSelect;

/**
 * Attachments are stored and sent in pieces of this size (site_attachment_chunks), as the mailbox's are:
 * postgres.js sends a bytea as a hex string twice its size, and strings this small stay in V8's young generation.
 */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;

/** The attachments `version` of the item has, in the order they were added. */
export async function versionAttachments(db: Executor, itemId: number, version: number): Promise<AttachmentRow[]> {
  return db
    .select()
    .from(siteAttachments)
    .where(
      and(
        eq(siteAttachments.itemId, itemId),
        lte(siteAttachments.fromVersion, version),
        or(isNull(siteAttachments.untilVersion), gt(siteAttachments.untilVersion, version)),
      ),
    )
    .orderBy(asc(siteAttachments.id));
}

/** An attachment as the API and the item pages list it; `href` is its public address (it answers once published). */
export const attachmentView = (a: AttachmentRow) => ({
  id: a.id,
  name: a.filename,
  size: a.size,
  mime: a.mimeType,
  kind: a.kind,
  href: `/items/${a.itemId}/attachments/${a.id}`,
});
export type AttachmentView = ReturnType<typeof attachmentView>;

/** An attachment's bytes, one stored piece at a time (a download never holds the whole file). */
export async function* attachmentPieces(db: Executor, attachmentId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const [piece] = await db
      .select({ data: siteAttachmentChunks.data })
      .from(siteAttachmentChunks)
      .where(and(eq(siteAttachmentChunks.attachmentId, attachmentId), eq(siteAttachmentChunks.seq, seq)));
    if (!piece) return;
    yield piece.data;
  }
}

/**
 * Bytes `start`..`end` (inclusive) of an attachment, for a Range request (a video player seeking): every
 * stored piece but the last is exactly ATTACHMENT_CHUNK_BYTES (storeFile makes them so), so the pieces
 * needed are found by arithmetic and only they are read.
 */
export async function* attachmentRange(db: Executor, attachmentId: number, start: number, end: number): AsyncGenerator<Buffer> {
  for (let seq = Math.floor(start / ATTACHMENT_CHUNK_BYTES); seq <= Math.floor(end / ATTACHMENT_CHUNK_BYTES); seq++) {
    const [piece] = await db
      .select({ data: siteAttachmentChunks.data })
      .from(siteAttachmentChunks)
      .where(and(eq(siteAttachmentChunks.attachmentId, attachmentId), eq(siteAttachmentChunks.seq, seq)));
    if (!piece) return;
    const at = seq * ATTACHMENT_CHUNK_BYTES;
    yield piece.data.subarray(Math.max(0, start - at), end - at + 1);
  }
}

/** Re-cuts a stream into pieces of exactly ATTACHMENT_CHUNK_BYTES (the last one shorter), as attachmentRange needs. */
export async function* exactPieces(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of source) {
    pending.push(chunk);
    length += chunk.length;
    while (length >= ATTACHMENT_CHUNK_BYTES) {
      const all = Buffer.concat(pending, length);
      yield all.subarray(0, ATTACHMENT_CHUNK_BYTES);
      pending = [all.subarray(ATTACHMENT_CHUNK_BYTES)];
      length -= ATTACHMENT_CHUNK_BYTES;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}
