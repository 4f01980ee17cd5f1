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
