import multipart from '@fastify/multipart';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { uploadFolder } from '../mailbox/uploads.js';
import { errorBody } from '../server/errors.js';
import { ATTACHMENT_MIME_TYPES } from './attachment-types.js';
import { FILES_FIELD, readUpload } from './attachment-uploads.js';
import { DRAFTERS, REVIEW_PARTICIPANTS } from './rules.js';
import { attachmentParams, itemDetail, itemParams } from './schemas.js';
import { addAttachments, removeAttachment, staffAttachmentDownload } from './service/attachments.js';
import { attachmentHeaders } from './attachment-headers.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const tags = ['publishing'];
/** A 200 MB video over a slow line takes minutes: the upload has its own deadline, not the 15 s of the API. */
export const UPLOAD_DEADLINE_MS = 15 * 60 * 1000;

/** The multipart body as the document describes it (the files are read from the stream, not validated as JSON). */
const uploadBody = z
  .object({ [FILES_FIELD]: z.array(z.string().meta({ format: 'binary' })).meta({ description: 'One or more files' }) })
  .nullish();
const fileContent = z.any().meta({ type: 'string', format: 'binary' });

/** Attachments of site items (issue 15 point 2): upload, remove, and the staff download of any version's file. */
export const attachmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };
  // This scope's own multipart parser: the web plugin's is for the pages.
  await app.register(multipart, { throwFileSizeLimit: false });

  app.post(
    '/site/items/:id/attachments',
    {
      config: { access: DRAFTERS, deadlineMs: UPLOAD_DEADLINE_MS },
      schema: {
        tags,
        summary:
          'Add attachments (multipart, field `files`): PDF, Office, WPS, OFD, JPG/PNG/GIF/WebP, MP4, typed by content; a new version of the item, voiding the review forms under way',
        consumes: ['multipart/form-data'],
        params: itemParams,
        body: uploadBody,
        response: { 201: itemDetail, ...errors },
      },
    },
    async (req, reply) => {
      const folder = await uploadFolder();
      try {
        const item = await addAttachments(deps, viewerOf(req), req.params.id, (maxFiles, maxBytes) =>
          readUpload(req, folder.dir, { maxFiles, maxBytes }),
        );
        return await reply.status(201).send(item);
      } finally {
        await folder.remove();
      }
    },
  );
  app.delete(
    '/site/items/:id/attachments/:attachmentId',
    {
      config: { access: DRAFTERS },
      schema: {
        tags,
        summary: 'Remove an attachment from the item: a new version without it (older versions keep it); voids the review forms under way',
        params: attachmentParams,
        response: { 200: itemDetail, ...errors },
      },
    },
    async (req) => removeAttachment(deps, viewerOf(req), req.params.id, req.params.attachmentId),
  );
  app.get(
    '/site/items/:id/attachments/:attachmentId',
    {
      config: { access: REVIEW_PARTICIPANTS },
      schema: {
        tags,
        summary: 'Download an attachment of any version of an item the caller may see (for review before publication)',
        params: attachmentParams,
        response: {
          200: { description: 'The file', content: Object.fromEntries(ATTACHMENT_MIME_TYPES.map((t) => [t, { schema: fileContent }])) },
          404: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { file, pieces } = await staffAttachmentDownload(deps, viewerOf(req), req.params.id, req.params.attachmentId);
      for (const [name, value] of Object.entries(attachmentHeaders(file))) void reply.header(name, value);
      return reply.type(file.mimeType).send(Readable.from(pieces));
    },
  );
};
