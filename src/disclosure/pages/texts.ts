import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { uploadFolder } from '../../mailbox/uploads.js';
import { UPLOAD_DEADLINE_MS } from '../../publishing/attachment-routes.js';
import { FILES_FIELD, readUpload, uploadParts } from '../../publishing/attachment-uploads.js';
import { sendFile } from '../../web/file-send.js';
import { checkMultipartCsrf } from '../../web/multipart-csrf.js';
import { csrfField } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { formatSize, shortTime } from '../../web/labels.js';
import { attempt } from '../../web/outcome.js';
import { pathId } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound } from '../../web/request.js';
import { REGISTER_READERS, REGISTRARS } from '../rules.js';
import { staffTextDownload, textLimitBytes, textViewOf, uploadDocumentText } from '../service/texts.js';

// The electronic text on the register's document page (issue 16 point 1): the list of uploaded texts,
// the upload form (multipart; its CSRF token is its first part, checked before the file is read) and
// the staff download.

type TextView = ReturnType<typeof textViewOf>;
const ACCEPT = '.pdf,.doc,.docx,.wps,.xls,.xlsx,.et,.ppt,.pptx,.dps,.ofd';

export function textSection(
  token: string,
  documentId: number,
  texts: TextView[],
  mayUpload: boolean,
  limitMb: number,
  errors: string[] = [],
) {
  const base = `/staff/disclosure/documents/${documentId}`;
  return html`<section aria-labelledby="h-texts" id="texts"><h2 id="h-texts">电子文本</h2>
${
  texts.length === 0
    ? html`<p class="count">尚未上传电子文本。</p>`
    : html`<ul>${texts.map(
        (t, i) =>
          html`<li><a href="${base}/texts/${t.id}">${t.name}</a>（${formatSize(t.size)}，${shortTime(t.uploadedAt)} 上传）${i === 0 ? ' · 当前文本' : ''}</li>`,
      )}</ul>`
}
${
  mayUpload &&
  html`${errors.length > 0 && html`<div class="error-summary" role="alert"><h2>未能上传，文件未保存</h2><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>`}
<form method="post" action="${base}/text" enctype="multipart/form-data">
${csrfField(token)}
<div class="field"><label for="f-text">上传电子文本</label>
<p class="hint" id="f-text-hint">PDF、Word、WPS、OFD 等文档，不超过 ${limitMb} MB，类型按内容识别。已主动公开的文件上传新文本即为文件变更，自今日起重新计算 20 个工作日的公开时限。</p>
<input id="f-text" name="${FILES_FIELD}" type="file" accept="${ACCEPT}" aria-describedby="f-text-hint"></div>
<div class="actions"><button type="submit">上传</button></div>
</form>`
}
</section>`;
}

export const textPages: FastifyPluginAsync = (app) => {
  const { db, calendar, env, temporal } = app.ctx;

  app.post(
    '/disclosure/documents/:id/text',
    { config: { access: REGISTRARS, deadlineMs: UPLOAD_DEADLINE_MS }, schema: hide },
    async (req, reply) => {
      const id = pathId((req.params as { id: string }).id);
      const parts = uploadParts(req, textLimitBytes(env));
      await checkMultipartCsrf(app, req, parts);
      if (id === undefined) return staffNotFound(req, reply);
      const folder = await uploadFolder();
      try {
        const res = await attempt(() =>
          uploadDocumentText({ db, calendar, env, temporal, log: req.log }, viewerOf(req), id, (maxFiles, maxBytes) =>
            readUpload(req, folder.dir, { maxFiles, maxBytes, parts }),
          ),
        );
        if (res.ok) return await reply.redirect(`/staff/disclosure/documents/${id}?done=text`, 303);
        if (res.status === 404) return await staffNotFound(req, reply, res.error.message);
        const messages = Object.values(res.error.fields ?? {});
        return await renderStaff(
          req,
          reply,
          res.status,
          { title: '上传电子文本', current: 'disclosure', flash: { kind: 'error', text: res.error.message } },
          html`<p class="breadcrumb"><a href="/staff/disclosure/documents">文件登记</a> › <a href="/staff/disclosure/documents/${id}">文件 ${id}</a> › 电子文本</p>
<h1>上传电子文本</h1>
${textSection(reply.generateCsrf(), id, [], true, env.DISCLOSURE_TEXT_MB, messages.length ? messages : [res.error.message])}`,
        );
      } finally {
        await folder.remove();
      }
    },
  );

  app.get('/disclosure/documents/:id/texts/:textId', { config: { access: REGISTER_READERS }, schema: hide }, async (req, reply) => {
    const params = req.params as { id: string; textId: string };
    const id = pathId(params.id);
    const textId = pathId(params.textId);
    if (id === undefined || textId === undefined) return staffNotFound(req, reply);
    const res = await attempt(() => staffTextDownload({ db }, viewerOf(req), id, textId));
    if (!res.ok) return staffNotFound(req, reply, '未找到该电子文本，或者您无权查看。');
    return sendFile(req, reply, res.data, { cacheControl: 'private, no-cache', inline: res.data.file.mimeType === 'application/pdf' });
  });
  return Promise.resolve();
};
