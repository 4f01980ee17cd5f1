// Items the system publishes on the office's approval, without the 审核单 chain (issue 18 point 4): the annual
// disclosure report, which the general office compiles and publishes itself (measures Art. 29; 条例 Art. 49). Its
// review is the report's own chain (the office head's approval in src/annual-report, after every check passed), so
// Art. 20's "nothing unreviewed" holds; this function only puts that approved text on the site. It creates the
// item and its one version in the column, published, stamped with the system's clock (发布时间, never an input),
// with an audit row naming the approving office user. Nothing else is bypassed: the public site reads it like any
// other published item, and a takedown works as for any item.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, staffOf, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { generalOffice } from '../../departments/service.js';
import { conflict } from '../../server/errors.js';
import { SYSTEM_PUBLISHERS } from '../rules.js';
import { ANNUAL_REPORT_COLUMN } from '../seed.js';
import { siteAttachmentChunks, siteAttachments, siteColumns, siteItems, siteItemVersions } from '../tables.js';
import { ATTACHMENT_CHUNK_BYTES } from './attachment-records.js';

/** The columns a system-published item may go to, by name (each declared once in seed.ts). */
const SYSTEM_COLUMNS = { annualReport: ANNUAL_REPORT_COLUMN } as const;
export type SystemColumn = keyof typeof SYSTEM_COLUMNS;

export interface SystemItemInput {
  column: SystemColumn;
  title: string;
  summary: string;
  /** Markdown, rendered like every body (raw HTML off). */
  body: string;
  /** A PDF of the same text, attached to the item's version (checked by content: it must be a PDF). */
  pdf?: { filename: string; data: Buffer };
  /** Who approved the text (its review), named in the audit row; the publisher is the audit row's actor. */
  approvedBy: { staffId: number; name: string };
}

export interface SystemItemPublished {
  itemId: number;
  columnSlug: string;
  publishedAt: Date;
}

/** The column, created on first use under its group (inserted if missing; an existing one is kept as it is). */
async function ensureColumn(tx: Executor, key: SystemColumn): Promise<number> {
  const c = SYSTEM_COLUMNS[key];
  const [parent] = await tx.select({ id: siteColumns.id }).from(siteColumns).where(eq(siteColumns.slug, c.parent));
  await tx
    .insert(siteColumns)
    .values({ slug: c.slug, name: c.name, section: c.section, parentId: parent?.id ?? null, contentTypes: ['article'] })
    .onConflictDoNothing({ target: siteColumns.slug });
  const [row] = await tx.select({ id: siteColumns.id }).from(siteColumns).where(eq(siteColumns.slug, c.slug));
  return row!.id;
}

/** The PDF as an attachment of version 1, in chunks like an upload (service/attachments.ts). */
async function storePdf(tx: Executor, itemId: number, pdf: { filename: string; data: Buffer }, uploadedBy: number) {
  if (pdf.data.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('publishSystemItem: the attachment is not a PDF');
  const sha256 = createHash('sha256').update(pdf.data).digest('hex');
  const [row] = await tx
    .insert(siteAttachments)
    .values({
      itemId,
      fromVersion: 1,
      filename: pdf.filename,
      kind: 'document',
      mimeType: 'application/pdf',
      size: pdf.data.length,
      sha256,
      uploadedBy,
    })
    .returning({ id: siteAttachments.id });
  for (let seq = 0, at = 0; at < pdf.data.length; seq++, at += ATTACHMENT_CHUNK_BYTES)
    await tx.insert(siteAttachmentChunks).values({ attachmentId: row!.id, seq, data: pdf.data.subarray(at, at + ATTACHMENT_CHUNK_BYTES) });
  return { id: row!.id, filename: pdf.filename, size: pdf.data.length, sha256 };
}

/**
 * Publishes an approved text as a new item of its column, now. Run inside the caller's transaction, so the item
 * exists exactly when the caller's record says it was published. Only the general office (SYSTEM_PUBLISHERS).
 */
export async function publishSystemItem(
  tx: Executor,
  viewer: Viewer,
  input: SystemItemInput,
  now = new Date(),
): Promise<SystemItemPublished> {
  demand(viewer, viewerHolds(viewer, SYSTEM_PUBLISHERS));
  const me = staffOf(viewer);
  const office = await generalOffice(tx);
  const departmentId = office?.id ?? me.departmentId;
  if (departmentId == null) throw conflict('未设置办公室（综合处室），不能发布');
  const columnId = await ensureColumn(tx, input.column);
  const [item] = await tx
    .insert(siteItems)
    .values({
      columnId,
      departmentId,
      drafterId: me.id,
      contentType: 'article',
      state: 'published',
      latestVersion: 1,
      publishedVersion: 1,
      firstPublishedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: siteItems.id });
  await tx.insert(siteItemVersions).values({
    itemId: item!.id,
    version: 1,
    title: input.title,
    summary: input.summary,
    body: input.body,
    authorId: me.id,
    createdAt: now,
  });
  const attachment = input.pdf ? await storePdf(tx, item!.id, input.pdf, me.id) : null;
  await recordAudit(tx, actorFor(viewer, SYSTEM_PUBLISHERS), {
    action: 'item.publish_system',
    recordType: 'site_item',
    recordId: item!.id,
    after: {
      column: SYSTEM_COLUMNS[input.column].slug,
      publishedVersion: 1,
      publishedAt: now.toISOString(),
      approvedBy: input.approvedBy,
      attachment,
    },
  });
  return { itemId: item!.id, columnSlug: SYSTEM_COLUMNS[input.column].slug, publishedAt: now };
}
