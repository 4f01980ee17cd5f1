import fs from 'node:fs';
import { and, eq, isNull } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Env } from '../../config/env.js';
import type { Executor } from '../../db/client.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { ATTACHMENT_KIND_LABELS, detectAttachmentType, type AttachmentKind } from '../attachment-types.js';
import { FILES_FIELD, withRandomAccess, type UploadedFile, type UploadRead } from '../attachment-uploads.js';
import { siteAttachmentChunks, siteAttachments, siteItems } from '../tables.js';
import {
  ATTACHMENT_CHUNK_BYTES,
  attachmentPieces,
  attachmentRange,
  attachmentView,
  exactPieces,
  versionAttachments,
  type AttachmentView,
} from './attachment-records.js';
import { commitChange, editorOf } from './items.js';
import { itemVisibleTo, type PublishingDeps } from './records.js';

const MB = 1024 * 1024;
const INVALID = '提交的内容有误，请检查标注的字段';

/** The limits of the settings: the largest file per kind, and how many attachments one item holds. */
export function attachmentLimits(env: Env) {
  const bytes: Record<AttachmentKind, number> = {
    document: env.SITE_ATTACHMENT_DOCUMENT_MB * MB,
    image: env.SITE_ATTACHMENT_IMAGE_MB * MB,
    video: env.SITE_ATTACHMENT_VIDEO_MB * MB,
  };
  return { bytes, largest: Math.max(...Object.values(bytes)), perItem: env.SITE_ATTACHMENTS_PER_ITEM };
}

const tooLarge = (kind: AttachmentKind, bytes: number) => `${ATTACHMENT_KIND_LABELS[kind]}不能超过 ${bytes / MB} MB`;
const tooMany = (n: number) => `每条信息最多 ${n} 个附件`;

interface Checked extends UploadedFile {
  kind: AttachmentKind;
  mime: string;
}

/** Each file's type by content and its size against its kind's limit; field → message for the bad ones. */
async function checkFiles(env: Env, files: UploadedFile[]) {
  const limits = attachmentLimits(env);
  const ok: Checked[] = [];
  const problems: Record<string, string> = {};
  for (const [i, file] of files.entries()) {
    const key = `body.${FILES_FIELD}.${i}`;
    const type = await withRandomAccess(file, (ra) => detectAttachmentType(ra, file.filename));
    if (!type.ok) problems[key] = `${file.filename}：${type.message}`;
    else if (file.truncated || file.size > limits.bytes[type.kind])
      problems[key] = `${file.filename}：${tooLarge(type.kind, limits.bytes[type.kind])}`;
    else ok.push({ ...file, kind: type.kind, mime: type.mime });
  }
  return { ok, problems };
}

/** Writes each file's pieces in order, one statement (and at most one piece in memory) at a time. */
async function storeFile(tx: Executor, itemId: number, version: number, file: Checked, uploadedBy: number) {
  const [row] = await tx
    .insert(siteAttachments)
    .values({
      itemId,
      fromVersion: version,
      filename: file.filename,
      kind: file.kind,
      mimeType: file.mime,
      size: file.size,
      sha256: file.sha256,
      uploadedBy,
    })
    .returning();
  let seq = 0;
  for await (const piece of exactPieces(fs.createReadStream(file.path, { highWaterMark: ATTACHMENT_CHUNK_BYTES }))) {
    await tx.insert(siteAttachmentChunks).values({ attachmentId: row!.id, seq: seq++, data: piece });
  }
  return row!;
}

/**
 * The drafter adds attachments: a change of the item (commitChange: a new version, the forms under way
 * voided). Who may is checked before the upload is read; every file is checked (type by content, size
 * per kind, the count per item) before anything is stored, and nothing is stored unless all pass.
 */
export async function addAttachments(
  deps: PublishingDeps,
  viewer: Viewer,
  itemId: number,
  read: (maxFiles: number, maxBytes: number) => Promise<UploadRead>,
) {
  const { item, p } = await editorOf(deps.db, viewer, itemId);
  const limits = attachmentLimits(deps.env);
  const { files, problems: uploadProblems } = await read(limits.perItem, limits.largest);
  const { ok, problems } = await checkFiles(deps.env, files);
  Object.assign(problems, uploadProblems);
  if (files.length === 0 && Object.keys(problems).length === 0) problems[`body.${FILES_FIELD}`] = '请选择要上传的文件';
  const countProblem = async (db: Executor) => {
    const now = (await versionAttachments(db, itemId, (await latestOf(db, itemId)) ?? item.latestVersion)).length;
    return now + files.length > limits.perItem ? tooMany(limits.perItem) : undefined;
  };
  const many = await countProblem(deps.db);
  if (many) problems[`body.${FILES_FIELD}`] = many;
  if (Object.keys(problems).length > 0) throw badRequest(INVALID, problems);
  return commitChange(deps, viewer, itemId, {
    action: 'item.attachments_add',
    apply: async (tx, version) => {
      // Under the item's lock: another upload may have been committed meanwhile.
      const stillMany = await countProblem(tx);
      if (stillMany) throw badRequest(INVALID, { [`body.${FILES_FIELD}`]: stillMany });
      const added = [];
      for (const file of ok) added.push(await storeFile(tx, itemId, version, file, p.staffId));
      return { attachmentsAdded: added.map((a) => ({ id: a.id, filename: a.filename, size: a.size, mime: a.mimeType })) };
    },
  });
}

async function latestOf(db: Executor, itemId: number) {
  const [row] = await db.select({ v: siteItems.latestVersion }).from(siteItems).where(eq(siteItems.id, itemId));
  return row?.v;
}

/** The drafter removes an attachment of the newest version: a new version without it (the older ones keep it). */
export async function removeAttachment(deps: PublishingDeps, viewer: Viewer, itemId: number, attachmentId: number) {
  await editorOf(deps.db, viewer, itemId);
  return commitChange(deps, viewer, itemId, {
    action: 'item.attachment_remove',
    apply: async (tx, version) => {
      const [gone] = await tx
        .update(siteAttachments)
        .set({ untilVersion: version })
        .where(and(eq(siteAttachments.id, attachmentId), eq(siteAttachments.itemId, itemId), isNull(siteAttachments.untilVersion)))
        .returning();
      if (!gone) throw notFound('未找到该附件');
      return { attachmentRemoved: { id: gone.id, filename: gone.filename } };
    },
  });
}

/** The newest version's attachments for the staff page, with what the viewer may do (404 outside their scope). */
export async function itemAttachments(deps: PublishingDeps, viewer: Viewer, itemId: number) {
  const { item, p } = await itemVisibleTo(deps.db, viewer, itemId);
  const attachments = (await versionAttachments(deps.db, itemId, item.latestVersion)).map(attachmentView);
  const limits = attachmentLimits(deps.env);
  return { item, attachments, limits, mayChange: p.staffId === item.drafterId && item.state !== 'taken_down' };
}

/** Staff download: an attachment of any version of an item the viewer may see. */
export async function staffAttachmentDownload(deps: Pick<PublishingDeps, 'db'>, viewer: Viewer, itemId: number, attachmentId: number) {
  await itemVisibleTo(deps.db, viewer, itemId);
  const [file] = await deps.db
    .select()
    .from(siteAttachments)
    .where(and(eq(siteAttachments.id, attachmentId), eq(siteAttachments.itemId, itemId)));
  if (!file) throw notFound('未找到该附件');
  return {
    file,
    pieces: attachmentPieces(deps.db, file.id),
    range: (start: number, end: number) => attachmentRange(deps.db, file.id, start, end),
  };
}

/** The published version's attachments for the public item page; none unless the item is published. */
export async function publishedAttachments(deps: { db: Executor }, itemId: number): Promise<AttachmentView[]> {
  const [item] = await deps.db.select().from(siteItems).where(eq(siteItems.id, itemId));
  if (!item || item.state !== 'published' || item.publishedVersion === null) return [];
  return (await versionAttachments(deps.db, itemId, item.publishedVersion)).map(attachmentView);
}

export const gone = () => new AppError(410, 'gone', '该信息已撤下');

/**
 * Public download: only an attachment of the published version of a published item; 404 otherwise
 * (a draft's, an older version's), 410 once the item is taken down.
 */
export async function publicAttachmentDownload(deps: { db: Executor }, itemId: number, attachmentId: number) {
  const [item] = await deps.db.select().from(siteItems).where(eq(siteItems.id, itemId));
  if (item?.state === 'taken_down' && item.publishedVersion !== null) {
    const was = await versionAttachments(deps.db, itemId, item.publishedVersion);
    if (was.some((a) => a.id === attachmentId)) throw gone();
  }
  if (!item || item.state !== 'published' || item.publishedVersion === null) throw notFound('未找到该附件');
  const file = (await versionAttachments(deps.db, itemId, item.publishedVersion)).find((a) => a.id === attachmentId);
  if (!file) throw notFound('未找到该附件');
  return {
    file,
    pieces: attachmentPieces(deps.db, file.id),
    range: (start: number, end: number) => attachmentRange(deps.db, file.id, start, end),
  };
}
