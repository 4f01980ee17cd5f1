import fs from 'node:fs';
import { and, asc, desc, eq, gte, inArray, lt, lte } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Env } from '../../config/env.js';
import type { Executor } from '../../db/client.js';
import { badRequest, notFound } from '../../server/errors.js';
import { detectAttachmentType } from '../../publishing/attachment-types.js';
import { FILES_FIELD, withRandomAccess, type UploadRead } from '../../publishing/attachment-uploads.js';
import { ATTACHMENT_CHUNK_BYTES, exactPieces } from '../../publishing/service/attachment-records.js';
import { REGISTRARS } from '../rules.js';
import { catalogueEntries, disclosureDocuments, disclosureTextChunks, disclosureTexts } from '../tables.js';
import { bumpDocument, openCatalogueRound } from './catalogue.js';
import { demandDepartment, type DisclosureDeps } from './deps.js';
import { syncDisclosureWorkflow } from './sync.js';

// A document's electronic text (issue 16 point 1): typed by content with the site attachments' check
// (src/publishing/attachment-types.ts; documents only: PDF, Office, WPS, OFD), stored in pieces as they
// are, so upload and download never hold the whole file.

const MB = 1024 * 1024;
const BAD = '提交的内容有误，请检查标注的字段';
const FIELD = `body.${FILES_FIELD}`;

export type TextRow = typeof disclosureTexts.$inferSelect;
export const textLimitBytes = (env: Pick<Env, 'DISCLOSURE_TEXT_MB'>) => env.DISCLOSURE_TEXT_MB * MB;

export const textViewOf = (t: TextRow) => ({
  id: t.id,
  name: t.filename,
  mime: t.mimeType,
  size: t.size,
  uploadedAt: t.uploadedAt.toISOString(),
});

/** The texts of a document, newest first. */
export const documentTexts = async (db: Executor, documentId: number) =>
  db.select().from(disclosureTexts).where(eq(disclosureTexts.documentId, documentId)).orderBy(desc(disclosureTexts.id));

/**
 * The registrar uploads the document's electronic text (one file). A new text of a 主动公开 document
 * whose entry the public already sees is a change of the document (as changeDocument): a new catalogue
 * round due 20 working days from today (条例 Art. 26). Nothing is stored unless the file passes.
 */
export async function uploadDocumentText(
  deps: DisclosureDeps & { env: Pick<Env, 'DISCLOSURE_TEXT_MB' | 'CATALOGUE_INDEX_PATTERN'> },
  viewer: Viewer,
  documentId: number,
  read: (maxFiles: number, maxBytes: number) => Promise<UploadRead>,
  now = new Date(),
) {
  const [doc] = await deps.db.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId));
  if (!doc) throw notFound('未找到该文件');
  demandDepartment(viewer, doc.departmentId, 'register');
  const actor = actorFor(viewer, REGISTRARS);
  const limit = textLimitBytes(deps.env);
  const { files, problems } = await read(1, limit);
  if (Object.keys(problems).length > 0) throw badRequest(BAD, problems);
  if (files.length === 0) throw badRequest(BAD, { [FIELD]: '请选择电子文本文件' });
  if (files.length > 1) throw badRequest(BAD, { [FIELD]: '每次只能上传一个电子文本' });
  const file = files[0]!;
  const type = await withRandomAccess(file, (ra) => detectAttachmentType(ra, file.filename));
  if (!type.ok) throw badRequest(BAD, { [FIELD]: `${file.filename}：${type.message}` });
  if (type.kind !== 'document') throw badRequest(BAD, { [FIELD]: `${file.filename}：电子文本只能是 PDF、Word、WPS、OFD 等文档` });
  if (file.truncated || file.size > limit)
    throw badRequest(BAD, { [FIELD]: `${file.filename}：电子文本不能超过 ${deps.env.DISCLOSURE_TEXT_MB} MB` });
  const today = dayToIso(chinaDayOf(now));
  const changed = await deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId)).for('update');
    const [published] = await tx
      .select({ id: catalogueEntries.id })
      .from(catalogueEntries)
      .where(and(eq(catalogueEntries.documentId, documentId), eq(catalogueEntries.status, 'published')))
      .limit(1);
    const [row] = await tx
      .insert(disclosureTexts)
      .values({
        documentId,
        filename: file.filename,
        mimeType: type.mime,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: actor.staffId!,
        uploadedAt: now,
      })
      .returning();
    let seq = 0;
    for await (const piece of exactPieces(fs.createReadStream(file.path, { highWaterMark: ATTACHMENT_CHUNK_BYTES }))) {
      await tx.insert(disclosureTextChunks).values({ textId: row!.id, seq: seq++, data: piece });
    }
    const isChange = locked!.decision === 'proactive' && !!published;
    if (isChange) {
      const [after] = await tx
        .update(disclosureDocuments)
        .set({ ...bumpDocument, changedOn: today })
        .where(eq(disclosureDocuments.id, documentId))
        .returning();
      await openCatalogueRound(tx, deps, after!, today);
    }
    await recordAudit(tx, actor, {
      action: 'disclosure.text_uploaded',
      recordType: 'disclosure_document',
      recordId: documentId,
      after: { textId: row!.id, filename: file.filename, size: file.size, mime: type.mime, change: isChange },
    });
    return isChange;
  });
  if (changed) await syncDisclosureWorkflow(deps, documentId);
  return (await documentTexts(deps.db, documentId)).map(textViewOf);
}

/**
 * A text's bytes, `perQuery` stored pieces per statement (a download reads one at a time; the archive
 * package, which reads thousands of texts in a row, fewer round trips of more pieces).
 */
export async function* textPieces(db: Executor, textId: number, perQuery = 1): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq += perQuery) {
    const pieces = await db
      .select({ data: disclosureTextChunks.data })
      .from(disclosureTextChunks)
      .where(and(eq(disclosureTextChunks.textId, textId), gte(disclosureTextChunks.seq, seq), lt(disclosureTextChunks.seq, seq + perQuery)))
      .orderBy(asc(disclosureTextChunks.seq));
    for (const piece of pieces) yield piece.data;
    if (pieces.length < perQuery) return;
  }
}

/** Bytes `start`..`end` (inclusive): every piece but the last is ATTACHMENT_CHUNK_BYTES, so only the needed ones are read. */
export async function* textRange(db: Executor, textId: number, start: number, end: number): AsyncGenerator<Buffer> {
  for (let seq = Math.floor(start / ATTACHMENT_CHUNK_BYTES); seq <= Math.floor(end / ATTACHMENT_CHUNK_BYTES); seq++) {
    const [piece] = await db
      .select({ data: disclosureTextChunks.data })
      .from(disclosureTextChunks)
      .where(and(eq(disclosureTextChunks.textId, textId), eq(disclosureTextChunks.seq, seq)));
    if (!piece) return;
    const at = seq * ATTACHMENT_CHUNK_BYTES;
    yield piece.data.subarray(Math.max(0, start - at), end - at + 1);
  }
}

/** A text as sendAttachment (src/publishing/pages/attachment-send.ts) sends it. */
export const textDownload = (db: Executor, t: TextRow) => ({
  file: { filename: t.filename, mimeType: t.mimeType, size: t.size, sha256: t.sha256 },
  pieces: textPieces(db, t.id),
  range: (start: number, end: number) => textRange(db, t.id, start, end),
});

/** The text the public sees with an entry published at `publishedAt`: the newest uploaded by then. */
export async function textAsOf(db: Executor, documentId: number, publishedAt: Date) {
  const [row] = await db
    .select()
    .from(disclosureTexts)
    .where(and(eq(disclosureTexts.documentId, documentId), lte(disclosureTexts.uploadedAt, publishedAt)))
    .orderBy(desc(disclosureTexts.uploadedAt), desc(disclosureTexts.id))
    .limit(1);
  return row;
}

/** textAsOf for a page of entries, in one statement: each entry's text, or undefined. */
export async function textsAsOf(
  db: Executor,
  entries: { documentId: number; publishedAt: Date | null }[],
): Promise<(TextRow | undefined)[]> {
  if (entries.length === 0) return [];
  const all = await db
    .select()
    .from(disclosureTexts)
    .where(inArray(disclosureTexts.documentId, [...new Set(entries.map((e) => e.documentId))]))
    .orderBy(desc(disclosureTexts.uploadedAt), desc(disclosureTexts.id));
  return entries.map((e) => all.find((t) => t.documentId === e.documentId && e.publishedAt !== null && t.uploadedAt <= e.publishedAt));
}

/** Staff download of any text of a document the viewer may read. */
export async function staffTextDownload(deps: Pick<DisclosureDeps, 'db'>, viewer: Viewer, documentId: number, textId: number) {
  const [doc] = await deps.db.select().from(disclosureDocuments).where(eq(disclosureDocuments.id, documentId));
  if (!doc) throw notFound('未找到该文件');
  demandDepartment(viewer, doc.departmentId, 'read');
  const [t] = await deps.db
    .select()
    .from(disclosureTexts)
    .where(and(eq(disclosureTexts.id, textId), eq(disclosureTexts.documentId, documentId)))
    .orderBy(asc(disclosureTexts.id));
  if (!t) throw notFound('未找到该电子文本');
  return textDownload(deps.db, t);
}
