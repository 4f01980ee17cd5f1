import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { viewerOf } from '../auth/viewer.js';
import { uploadFolder } from '../mailbox/uploads.js';
import { UPLOAD_DEADLINE_MS } from '../publishing/attachment-routes.js';
import { FILES_FIELD, readUpload } from '../publishing/attachment-uploads.js';
import { errorBody } from '../server/errors.js';
import { REGISTRARS } from './rules.js';
import { documentParams, textList } from './schemas.js';
import { uploadDocumentText } from './service/texts.js';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const uploadBody = z
  .object({ [FILES_FIELD]: z.string().meta({ format: 'binary', description: 'The electronic text (one file)' }) })
  .nullish();

/** A registered document's electronic text (issue 16 point 1), multipart like the site attachments. */
export const disclosureTextRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };
  await app.register(multipart, { throwFileSizeLimit: false });

  app.post(
    '/disclosure/documents/:id/text',
    {
      config: { access: REGISTRARS, deadlineMs: UPLOAD_DEADLINE_MS },
      schema: {
        tags: ['disclosure'],
        summary:
          "Upload the document's electronic text (multipart, field `files`: PDF, Office, WPS or OFD, typed by content, at most DISCLOSURE_TEXT_MB); for a 主动公开 document already in the catalogue it is a change: a new 20-working-day round",
        consumes: ['multipart/form-data'],
        params: documentParams,
        body: uploadBody,
        response: { 201: textList, ...errors },
      },
    },
    async (req, reply) => {
      const folder = await uploadFolder();
      try {
        const items = await uploadDocumentText(deps, viewerOf(req), req.params.id, (maxFiles, maxBytes) =>
          readUpload(req, folder.dir, { maxFiles, maxBytes }),
        );
        return await reply.status(201).send({ items });
      } finally {
        await folder.remove();
      }
    },
  );
};
