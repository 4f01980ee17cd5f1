import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendFile, type FileDownload } from '../../web/file-send.js';
import { INLINE_MIME_TYPES } from '../attachment-types.js';

/** Sends an attachment (src/web/file-send.ts): images and PDFs inline, the rest as a download. */
export const sendAttachment = (req: FastifyRequest, reply: FastifyReply, download: FileDownload, cacheControl: string) =>
  sendFile(req, reply, download, { cacheControl, inline: INLINE_MIME_TYPES.includes(download.file.mimeType) });
