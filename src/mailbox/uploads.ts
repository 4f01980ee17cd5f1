import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ATTACHMENT_CHUNK_BYTES, type StagedAttachment } from './attachments.js';

/** Each process's spool folders are named after it, so one process's leftovers can be told from another's. */
export const uploadSpoolPrefix = () => `amr-upload-${process.pid}-`;

/**
 * A folder for one request's uploads, removed by `remove()` whatever happened. Files are spooled
 * here as they arrive, so a form with 10 MB of files costs the API process a few small buffers,
 * not 50 MB of memory.
 */
export async function uploadFolder(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), uploadSpoolPrefix()));
  return { dir, remove: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes an upload stream to a file in `dir`, hashing it on the way. `truncated` is the stream's own
 * flag (busboy sets it when the file passed the size limit it was given).
 */
export async function spoolUpload(stream: Readable & { truncated?: boolean }, dir: string, filename: string): Promise<StagedAttachment> {
  const file = path.join(dir, `${fs.readdirSync(dir).length}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const heads: Buffer[] = [];
  let headBytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      if (headBytes < 16) {
        heads.push(chunk.subarray(0, 16 - headBytes));
        headBytes += Math.min(chunk.length, 16 - headBytes);
      }
      done(null, chunk);
    },
  });
  await pipeline(stream, measure, fs.createWriteStream(file));
  return {
    filename,
    size,
    sha256: hash.digest('hex'),
    head: Buffer.concat(heads),
    truncated: stream.truncated === true,
    chunks: () => fs.createReadStream(file, { highWaterMark: ATTACHMENT_CHUNK_BYTES }),
  };
}
