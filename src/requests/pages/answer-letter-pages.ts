import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DEPARTMENT_STAFF } from '../../auth/roles.js';
import { viewerOf } from '../../auth/viewer.js';
import { html } from '../../web/html.js';
import { messagePage, page } from '../../web/layout.js';
import { attempt } from '../../web/outcome.js';
import { attachmentDisposition } from '../../web/pdf.js';
import { hide, sendPage, staffNotFound, str } from '../../web/request.js';
import type { AnswerLetter } from '../answer-letter.js';
import { answerLetterArticle, answerLetterPage } from '../answer-letter-html.js';
import { answerLetterPdf } from '../answer-letter-pdf.js';
import { REQUEST_READERS } from '../rules.js';
import { applicantLetter, answerLetterOf } from '../service/letter.js';

// The answer letter (答复书 / 告知书) as pages: the staff preview and print with its PDF, and the
// applicant's copy behind the number and access code (POST, so the code is never in a URL or a log line;
// limited per number with the lookup, src/requests/service/lookup-guard.ts). Public POST forms carry no
// CSRF token here, as the mailbox lookup: they act on no session.

const pathId = (s: string) => (/^\d{1,9}$/.test(s) ? Number(s) : undefined);

async function sendPdf(req: FastifyRequest, reply: FastifyReply, letter: AnswerLetter, number: string, area: 'public' | 'staff') {
  const pdf = await answerLetterPdf(letter);
  if (!pdf.ok) {
    req.log.error({ number }, 'the CJK font for the answer-letter PDF is missing (install fonts-wqy-microhei)');
    return sendPage(
      reply,
      503,
      messagePage({
        title: '暂时无法生成 PDF',
        heading: '暂时无法生成 PDF',
        text: '服务器缺少中文字体，暂时无法生成 PDF。请使用打印页面打印答复书。',
        area,
        ...(area === 'staff' ? { staff: req.staff, csrf: reply.generateCsrf() } : {}),
      }),
    );
  }
  return reply
    .type('application/pdf')
    .header('content-disposition', attachmentDisposition(`answer-letter-${number}.pdf`, `${letter.title}-${number}.pdf`))
    .send(pdf.pdf);
}

/** Staff: GET /staff/requests/:id/answer-letter (print page) and …/answer-letter.pdf. */
export const answerLetterStaffPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };
  const config = { access: [...REQUEST_READERS, ...DEPARTMENT_STAFF] };
  const letterOf = async (req: FastifyRequest) => {
    const id = pathId((req.params as { id: string }).id);
    return id === undefined ? null : { id, res: await attempt(() => answerLetterOf(deps, viewerOf(req), id)) };
  };
  const refused = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    status === 404 || status === 403
      ? staffNotFound(req, reply, '未找到该申请，或者您无权查看。')
      : sendPage(
          reply,
          status,
          messagePage({
            title: '暂无答复书',
            heading: '暂无答复书',
            text: message,
            area: 'staff',
            staff: req.staff,
            csrf: reply.generateCsrf(),
          }),
        );

  app.get('/requests/:id/answer-letter', { config, schema: hide }, async (req, reply) => {
    const got = await letterOf(req);
    if (!got) return staffNotFound(req, reply, '未找到该申请，或者您无权查看。');
    if (!got.res.ok) return refused(req, reply, got.res.status, got.res.error.message);
    return sendPage(reply, 200, answerLetterPage(got.res.data, { area: 'staff', pdfHref: `/staff/requests/${got.id}/answer-letter.pdf` }));
  });
  app.get('/requests/:id/answer-letter.pdf', { config, schema: hide }, async (req, reply) => {
    const got = await letterOf(req);
    if (!got) return staffNotFound(req, reply, '未找到该申请，或者您无权查看。');
    if (!got.res.ok) return refused(req, reply, got.res.status, got.res.error.message);
    return sendPdf(req, reply, got.res.data, String(got.id), 'staff');
  });
};

/** The applicant: POST /xxgk/request/letter and /xxgk/request/letter.pdf with `number` and `accessCode`. */
export const answerLetterPublicPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };
  const config = { access: 'public' as const };
  const back = { href: '/xxgk', label: '返回政府信息公开' };
  const fetchLetter = async (req: FastifyRequest, reply: FastifyReply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const number = str(form.number, 40).trim().toUpperCase();
    const accessCode = str(form.accessCode, 40).trim();
    if (!number || !accessCode) {
      sendPage(reply, 400, messagePage({ title: '请求有误', heading: '请求有误', text: '请填写申请编号和查询码。', area: 'public', back }));
      return undefined;
    }
    const res = await attempt(() => applicantLetter(deps, number, accessCode));
    if (res.ok) return { ...res.data, accessCode };
    for (const [k, v] of Object.entries(res.headers)) reply.header(k, v);
    const title = res.status === 429 ? '请求过于频繁' : res.status === 404 ? '未找到' : '暂无答复书';
    sendPage(reply, res.status, messagePage({ title, heading: title, text: res.error.message, area: 'public', back }));
    return undefined;
  };

  app.post('/xxgk/request/letter', { config, schema: hide }, async (req, reply) => {
    const got = await fetchLetter(req, reply);
    if (!got) return reply;
    return sendPage(
      reply,
      200,
      page(
        { title: `${got.letter.title} ${got.letter.letterNumber}`, area: 'public', print: true },
        html`<p class="no-print hint">请使用浏览器的“打印”功能打印本页（打印时不显示导航）。</p>
<form method="post" action="/xxgk/request/letter.pdf" class="no-print">
<input type="hidden" name="number" value="${got.number}"><input type="hidden" name="accessCode" value="${got.accessCode}">
<button type="submit">下载 PDF</button>
</form>
${answerLetterArticle(got.letter)}`,
      ),
    );
  });
  app.post('/xxgk/request/letter.pdf', { config, schema: hide }, async (req, reply) => {
    const got = await fetchLetter(req, reply);
    if (!got) return reply;
    return sendPdf(req, reply, got.letter, got.number, 'public');
  });
};
