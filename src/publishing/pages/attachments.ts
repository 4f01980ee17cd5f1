import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkMultipartCsrf } from '../../web/multipart-csrf.js';
import { viewerOf } from '../../auth/viewer.js';
import { uploadFolder } from '../../mailbox/uploads.js';
import { csrfField, hidden } from '../../web/fields.js';
import { html, raw } from '../../web/html.js';
import { formatSize } from '../../web/labels.js';
import { messagePage, type Flash } from '../../web/layout.js';
import { attempt } from '../../web/outcome.js';
import { hide, renderStaff, sendPage, staffNotFound, str, type Query } from '../../web/request.js';
import { sendAttachment } from './attachment-send.js';
import { ATTACHMENT_ACCEPT, ATTACHMENT_KIND_LABELS } from '../attachment-types.js';
import { FILES_FIELD, readUpload, uploadParts } from '../attachment-uploads.js';
import { UPLOAD_DEADLINE_MS } from '../attachment-routes.js';
import { DRAFTERS, REVIEW_PARTICIPANTS } from '../rules.js';
import { attachmentParams, itemParams } from '../schemas.js';
import {
  addAttachments,
  attachmentLimits,
  itemAttachments,
  publicAttachmentDownload,
  removeAttachment,
  staffAttachmentDownload,
} from '../service/attachments.js';

const MB = 1024 * 1024;
/** Staff: the attachments of an item (list, upload, remove) and their download; the public download of a published one. */
export const attachmentStaffPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };
  const csrf = app.csrfProtection.bind(app);
  const idOf = (req: FastifyRequest) => {
    const p = itemParams.safeParse(req.params);
    return p.success ? p.data.id : undefined;
  };

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    flash?: Flash | null,
    errors: string[] = [],
  ) {
    const res = await attempt(() => itemAttachments(deps, viewerOf(req), id));
    if (!res.ok) return staffNotFound(req, reply, '未找到该信息，或者您无权查看。');
    const { attachments, limits, mayChange } = res.data;
    const token = reply.generateCsrf();
    const base = `/staff/site/items/${id}/attachments`;
    const row = (a: (typeof attachments)[number]) =>
      html`<tr><th scope="row"><a href="${base}/${a.id}">${a.name}</a></th><td>${ATTACHMENT_KIND_LABELS[a.kind]}</td><td>${formatSize(a.size)}</td>
<td>${
        mayChange &&
        html`<form method="post" action="${base}" class="inline">${csrfField(token)}${hidden('remove', a.id)}<button type="submit">删除</button></form>`
      }</td></tr>`;
    const upload =
      mayChange &&
      html`<section aria-labelledby="h-upload"><h2 id="h-upload">上传附件</h2>
${errors.length > 0 && html`<div class="error-summary" role="alert"><h2>未能上传，文件均未保存</h2><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>`}
<form method="post" action="${base}" enctype="multipart/form-data">
${csrfField(token)}
<div class="field"><label for="f-files">选择文件</label>
<p class="hint" id="f-files-hint">可上传 PDF、Word、Excel、PowerPoint、WPS、OFD 文档（每个不超过 ${limits.bytes.document / MB} MB），
JPG、PNG、GIF、WebP 图片（每个不超过 ${limits.bytes.image / MB} MB），MP4 视频（每个不超过 ${limits.bytes.video / MB} MB）；
每条信息最多 ${limits.perItem} 个附件。文件类型按内容识别，扩展名须与内容一致。</p>
<input id="f-files" name="${FILES_FIELD}" type="file" multiple accept="${ATTACHMENT_ACCEPT}" aria-describedby="f-files-hint"></div>
<div class="actions"><button type="submit" class="primary">上传</button></div>
</form></section>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: `附件 - 信息 ${res.data.item.id}`, current: 'site-items', flash },
      html`<p class="breadcrumb"><a href="/staff/site/items">网站信息</a> › <a href="/staff/site/items/${id}">信息 ${id}</a> › 附件</p>
<h1>附件</h1>
<p>添加或删除附件即修改信息：生成新版本，正在审核或已审核待发布的审核单作废，需重新送审。公众只能下载已发布版本的附件。</p>
${
  attachments.length > 0
    ? html`<table class="items"><thead><tr><th scope="col">文件</th><th scope="col">类型</th><th scope="col">大小</th><th scope="col">${raw('<span class="visually-hidden">操作</span>')}</th></tr></thead>
<tbody>${attachments.map(row)}</tbody></table>`
    : html`<p>当前版本没有附件。</p>`
}
${upload}`,
    );
  }

  app.get('/site/items/:id/attachments', { config: { access: REVIEW_PARTICIPANTS }, schema: hide }, async (req, reply) => {
    const id = idOf(req);
    if (id === undefined) return staffNotFound(req, reply);
    const q = req.query as Query;
    const flash: Flash | null = q.added ? { kind: 'ok', text: '已上传附件。' } : q.removed ? { kind: 'ok', text: '已删除附件。' } : null;
    return listPage(req, reply, id, 200, flash);
  });

  // The upload form is multipart (its CSRF token is checked as its first part); the remove buttons post urlencoded.
  const csrfUnlessMultipart = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
    req.isMultipart() ? done() : csrf(req, reply, done);

  app.post(
    '/site/items/:id/attachments',
    { config: { access: DRAFTERS, deadlineMs: UPLOAD_DEADLINE_MS }, schema: hide, preHandler: csrfUnlessMultipart },
    async (req, reply) => {
      const id = idOf(req);
      if (!req.isMultipart()) {
        const removeId = Number(str((req.body as Query | undefined)?.remove, 12));
        if (id === undefined || !Number.isSafeInteger(removeId) || removeId < 1) return staffNotFound(req, reply);
        const res = await attempt(() => removeAttachment(deps, viewerOf(req), id, removeId));
        if (res.ok) return reply.redirect(`/staff/site/items/${id}/attachments?removed=1`, 303);
        if (res.status === 404) return staffNotFound(req, reply, res.error.message);
        return listPage(req, reply, id, res.status, { kind: 'error', text: res.error.message });
      }
      const parts = uploadParts(req, attachmentLimits(env).largest);
      await checkMultipartCsrf(app, req, parts);
      if (id === undefined) return staffNotFound(req, reply);
      const folder = await uploadFolder();
      try {
        const res = await attempt(() =>
          addAttachments(deps, viewerOf(req), id, (maxFiles, maxBytes) => readUpload(req, folder.dir, { maxFiles, maxBytes, parts })),
        );
        if (res.ok) return await reply.redirect(`/staff/site/items/${id}/attachments?added=1`, 303);
        if (res.status === 404) return await staffNotFound(req, reply, res.error.message);
        const messages = Object.values(res.error.fields ?? {});
        return await listPage(req, reply, id, res.status, { kind: 'error', text: res.error.message }, messages);
      } finally {
        await folder.remove();
      }
    },
  );

  app.get('/site/items/:id/attachments/:attachmentId', { config: { access: REVIEW_PARTICIPANTS }, schema: hide }, async (req, reply) => {
    const p = attachmentParams.safeParse(req.params);
    if (!p.success) return staffNotFound(req, reply);
    const res = await attempt(() => staffAttachmentDownload(deps, viewerOf(req), p.data.id, p.data.attachmentId));
    if (!res.ok) return staffNotFound(req, reply, '未找到该附件，或者您无权查看。');
    return sendAttachment(req, reply, res.data, 'private, no-cache');
  });
};

/** The public download of an attachment of a published item (src/publishing/service/attachments.ts says when). */
export const attachmentPublicPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  app.get('/items/:id/attachments/:attachmentId', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    const p = attachmentParams.safeParse(req.params);
    const res = p.success ? await attempt(() => publicAttachmentDownload({ db }, p.data.id, p.data.attachmentId)) : undefined;
    if (!res?.ok) {
      const goneNow = res?.status === 410;
      const title = goneNow ? '信息已撤下' : '未找到';
      const text = goneNow ? '该信息已撤下，附件不再提供下载。' : '未找到该附件。';
      return sendPage(
        reply,
        goneNow ? 410 : 404,
        messagePage({ title, area: 'public', heading: title, text, back: { href: '/', label: '返回首页' } }),
      );
    }
    // The bytes of an attachment never change; whether it may still be served does: revalidate every time.
    return sendAttachment(req, reply, res.data, 'public, no-cache');
  });
};
