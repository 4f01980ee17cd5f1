import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { csrfField, errorSummary, textArea, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, renderStaff, str, type Query } from '../../web/request.js';
import { DECIDERS } from '../rules.js';
import { guideBody } from '../schemas.js';
import { currentGuide, saveGuide } from '../service/guide.js';

// The general office edits the 政府信息公开指南 (条例 Art. 12) shown at /xxgk/guide, in Markdown.

export const guidePages: FastifyPluginAsync = (app) => {
  const { db } = app.ctx;
  const csrf = app.csrfProtection.bind(app);

  async function editPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState | null, flash: Flash | null) {
    const guide = await currentGuide({ db });
    const form = state ?? { values: { body: guide.body }, errors: {} };
    return renderStaff(
      req,
      reply,
      status,
      { title: '政府信息公开指南', current: 'disclosure', flash },
      html`<p class="breadcrumb"><a href="/staff/disclosure/documents">文件登记</a> › 政府信息公开指南</p>
<h1>政府信息公开指南</h1>
<p>公众在 <a href="/xxgk/guide">/xxgk/guide</a> 看到本指南。请按《条例》第十二条写明公开的类别、申请方式，以及政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真和电子邮箱；方括号内为待填写的内容。${guide.updatedAtText ? ` 最近保存：${guide.updatedAtText.slice(0, 16).replace('T', ' ')}。` : ' 当前为系统初始文本，尚未保存过。'}</p>
<form method="post" action="/staff/disclosure/guide" novalidate class="stack">
${csrfField(reply.generateCsrf())}
${errorSummary(form.errors, ['body'])}
${textArea({ name: 'body', label: '指南内容（Markdown）', state: form, required: true, rows: 24, maxlength: 50000 })}
<div class="actions"><button type="submit" class="primary">保存</button></div>
</form>`,
    );
  }

  app.get('/disclosure/guide', { config: { access: DECIDERS }, schema: hide }, async (req, reply) =>
    editPage(req, reply, 200, null, str((req.query as Query).done) === 'saved' ? { kind: 'ok', text: '指南已保存。' } : null),
  );

  app.post('/disclosure/guide', { config: { access: DECIDERS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const values = { body: str(((req.body ?? {}) as Query).body, 60_000) };
    const res = await attempt(async () => saveGuide({ db }, viewerOf(req), parsed(guideBody, values, 'body').body));
    if (res.ok) return reply.redirect('/staff/disclosure/guide?done=saved', 303);
    return editPage(req, reply, res.status, { values, errors: formFieldsOf(res.error.fields) }, { kind: 'error', text: res.error.message });
  });
  return Promise.resolve();
};
