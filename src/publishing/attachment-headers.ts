import { fileHeaders, type StoredFile } from '../web/file-send.js';
import { INLINE_MIME_TYPES } from './attachment-types.js';

export { requestedRange } from '../web/file-send.js';

/** The headers of an attachment download (src/web/file-send.ts): images and PDFs shown inline, the rest downloaded. */
export const attachmentHeaders = (file: StoredFile) => fileHeaders(file, INLINE_MIME_TYPES.includes(file.mimeType));
