import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { RandomAccess } from './attachment-types.js';

// Reading an item's attachment upload (the API's multipart body and the staff page's form alike): each
// file is spooled to a folder as it arrives, hashed on the way, so a 200 MB video costs the API process
// a few small buffers. The folder is the caller's (src/mailbox/uploads.ts `uploadFolder`), removed afterwards.

/** The multipart field the files come in. */
export const FILES_FIELD = 'files';

/** A file as received: spooled to `path`; `truncated` when it passed the largest size allowed and was cut. */
export interface UploadedFile {
  filename: string;
  path: string;
  size: number;
  sha256: string;
  truncated: boolean;
}

export interface UploadRead {
  files: UploadedFile[];
  /** Problems of the upload itself (too many files, a body that did not arrive whole), by field. */
  problems: Record<string, string>;
}

async function spool(stream: NodeJS.ReadableStream & { truncated?: boolean }, file: string, filename: string): Promise<UploadedFile> {
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(stream, measure, fs.createWriteStream(file));
  return { filename, path: file, size, sha256: hash.digest('hex'), truncated: stream.truncated === true };
}

type Parts = AsyncIterator<Multipart>;

/** The body's parts, each file cut at `maxBytes` + 1 (busboy marks it truncated). */
export const uploadParts = (req: FastifyRequest, maxBytes: number): Parts =>
  req.parts({ limits: { fileSize: maxBytes + 1, files: 100, fields: 20, fieldSize: 10_000 } })[Symbol.asyncIterator]();

/**
 * Reads the multipart body: the files of field `files` (each cut at `maxBytes` + 1, at most `maxFiles` + 1
 * kept so that "too many" can be told). `parts`: the rest of a body whose first part the caller read
 * (the page's CSRF token, checked before any file is read).
 */
export async function readUpload(
  req: FastifyRequest,
  dir: string,
  opts: { maxFiles: number; maxBytes: number; parts?: Parts },
): Promise<UploadRead> {
  const files: UploadedFile[] = [];
  const problems: Record<string, string> = {};
  if (!req.isMultipart()) return { files, problems: { [`body.${FILES_FIELD}`]: '请以 multipart/form-data 上传文件' } };
  try {
    const parts = opts.parts ?? uploadParts(req, opts.maxBytes);
    for await (const part of { [Symbol.asyncIterator]: () => parts }) {
      if (part.type === 'field') continue;
      if (part.fieldname !== FILES_FIELD || files.length > opts.maxFiles) {
        part.file.resume();
        continue;
      }
      if (!part.filename) {
        part.file.resume(); // the empty file input of a form sent without a file
        continue;
      }
      const name = part.filename.replace(/[\\/]/g, '_').slice(0, 200);
      files.push(await spool(part.file, path.join(dir, `${files.length}.part`), name));
    }
  } catch (err) {
    req.log.warn({ err }, 'attachment upload: multipart body could not be read completely');
    problems[`body.${FILES_FIELD}`] = '上传的内容不完整或过大，请检查后重新上传';
  }
  return { files, problems };
}

/** A spooled file as the type check reads it. */
export async function withRandomAccess<T>(file: UploadedFile, use: (ra: RandomAccess) => Promise<T>): Promise<T> {
  const handle = await fs.promises.open(file.path, 'r');
  try {
    return await use({
      size: file.size,
      read: async (offset, length) => {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, file.size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}
