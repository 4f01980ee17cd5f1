import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { siteGroups } from '../../publishing/service/site.js';
import { AppError } from '../../server/errors.js';
import { errorSummary, hidden, textField, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { cnDate } from '../../web/labels.js';
import { attempt, parsed } from '../../web/outcome.js';
import { hide, sendPage, str } from '../../web/request.js';
import { sitePage } from '../../web/site-page.js';
import { CHANNEL_LABELS } from '../clock-rules.js';
import { lookupQuery, requestBody } from '../schemas.js';
import { chinaToday } from '../service/clock.js';
import { submitOnline } from '../service/intake.js';
import { lookUpForApplicant, type ApplicantPageView } from '../service/page-reads.js';
import { withdrawRequest } from '../service/reads.js';
import { deadlineSection, eventList } from './labels.js';
import { FORM_ID, RECEIPT_NOTICE, requestErrors, requestFormHtml, requestInput, requestValues } from './request-form.js';

const newFormId = () => randomBytes(18).toString('base64url');
/**
 * The online form's Idempotency-Key (as POST /api/disclosure-requests takes it): the page's one-time id and a
 * digest of what was sent, so a reload of the receipt page (the browser posts again) shows the same number
 * and code instead of filing a second request, while a different request from the same page is a new one.
 */
const idempotencyKeyOf = (formId: string | undefined, body: unknown) =>
  formId && FORM_ID.test(formId)
    ? `web-request:${formId}:${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}`
    : undefined;

// The applicant's pages in the public 政府信息公开 section (issue 17 points 1, 2 and 8): the online form
// (plain HTML, checked on the server by the API's schema), the receipt with the number and the access code,
// and the lookup with the status, the deadline and its explanation, the events, withdrawal and, once the
// answer is signed, the answer letter (POST /xxgk/request/letter, .pdf: the number and the code as hidden
// fields). Personal data and codes: never cached (the web plugin's no-store).

const crumbs = (here: string) =>
  html`<nav class="crumbs" aria-label="当前位置"><a href="/">首页</a> › <a href="/xxgk">政府信息公开</a> › <a href="/xxgk/apply">依申请公开</a> › <span aria-current="page">${here}</span></nav>`;

export const requestPublicPages: FastifyPluginAsync = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };
  const send = async (reply: FastifyReply, status: number, title: string, main: SafeHtml) =>
    sendPage(reply, status, sitePage(await siteGroups({ db }), { title, current: 'xxgk' }, html`${crumbs(title)}${main}`));

  const formPage = (reply: FastifyReply, status: number, state: FormState, formError?: string) =>
    send(
      reply,
      status,
      '在线申请政府信息公开',
      html`<h1>在线申请政府信息公开</h1>
<p class="notice" id="receipt-notice">${RECEIPT_NOTICE}</p>
<p>已提交过申请的，请<a href="/xxgk/request/lookup">查询办理进度</a>。申请前可先查阅<a href="/xxgk/catalogue">政府信息公开目录</a>和<a href="/xxgk/guide">政府信息公开指南</a>。</p>
${requestFormHtml({ state, action: '/xxgk/request', formError, submitLabel: '提交申请', formId: typeof state.values.formId === 'string' ? state.values.formId : newFormId() })}`,
    );

  const lookupPage = (reply: FastifyReply, status: number, state: FormState, message?: string) =>
    send(
      reply,
      status,
      '查询申请办理进度',
      html`<h1>查询申请办理进度</h1>
<p>请输入提交申请时得到的申请编号和查询码。</p>
<form method="post" action="/xxgk/request/lookup" class="lookup-form" novalidate>
${errorSummary(state.errors, ['number', 'accessCode'])}
${message && html`<p class="form-error" role="alert">${message}</p>`}
${textField({ name: 'number', label: '申请编号', required: true, state, maxlength: 40, autocomplete: 'off', hint: '如 261203-K7Q3M' })}
${textField({ name: 'accessCode', label: '查询码', required: true, state, maxlength: 40, autocomplete: 'off', keepValue: false })}
<div class="actions"><button type="submit" class="primary">查询</button></div>
</form>`,
    );

  const resultPage = (reply: FastifyReply, status: number, v: ApplicantPageView, accessCode: string, flash?: string, error?: string) => {
    const proof = html`${hidden('number', v.number)}${hidden('accessCode', accessCode)}`;
    const open = v.status === 'awaiting_confirmation' || v.status === 'in_progress';
    return send(
      reply,
      status,
      '申请办理进度',
      html`<h1>申请办理进度</h1>
${flash && html`<div class="flash flash-ok" role="status">${flash}</div>`}
${error && html`<p class="form-error" role="alert">${error}</p>`}
<dl class="facts">
<dt>申请编号</dt><dd class="code" id="request-number">${v.number}</dd>
<dt>申请渠道</dt><dd>${CHANNEL_LABELS[v.channel]}</dd>
<dt>办理状态</dt><dd><strong class="status status-${v.status}" id="request-status">${v.statusLabel}</strong></dd>
${v.outcomeLabel && html`<dt>答复类型</dt><dd id="request-outcome">${v.outcomeLabel}</dd>`}
</dl>
${deadlineSection(v.clock)}
<section aria-labelledby="events-h">
<h2 id="events-h">办理过程</h2>
${eventList(v.events)}
</section>
${
  v.signed &&
  html`<section aria-labelledby="letter-h" id="answer-letter">
<h2 id="letter-h">答复书</h2>
<p>本局已签发对您申请的答复。</p>
<form method="post" action="/xxgk/request/letter" class="inline">${proof}<button type="submit" class="primary">查看答复书</button></form>
<form method="post" action="/xxgk/request/letter.pdf" class="inline">${proof}<button type="submit">下载答复书（PDF）</button></form>
</section>`
}
${
  open &&
  html`<section aria-labelledby="withdraw-h" id="withdraw">
<h2 id="withdraw-h">撤回申请</h2>
<p>撤回后本局不再办理该申请，答复期限随之结束。</p>
<form method="post" action="/xxgk/request/withdraw" class="stack">${proof}
<div class="field choices"><div class="choice"><input type="checkbox" id="f-confirm" name="confirm" value="yes" required>
<label for="f-confirm">我确认撤回该申请</label></div></div>
<div class="actions"><button type="submit">撤回申请</button></div>
</form>
</section>`
}
<p><a href="/xxgk/request/lookup">查询其他申请</a> · <a href="/xxgk/request">提交新的申请</a></p>`,
    );
  };

  app.get('/xxgk/request', { config: { access: 'public' }, schema: hide }, async (_req, reply) =>
    formPage(reply, 200, { values: {}, errors: {} }),
  );

  app.post(
    '/xxgk/request',
    { config: { access: 'public', rateLimit: { max: env.RATE_LETTERS_PER_MINUTE, timeWindow: '1 minute' } }, schema: hide },
    async (req, reply) => {
      const values = requestValues(req.body);
      let r: Awaited<ReturnType<typeof submitOnline>>;
      try {
        const body = parsed(requestBody, requestInput(values), 'body');
        r = await submitOnline(deps, viewerOf(req), body, new Date(), { idempotencyKey: idempotencyKeyOf(values.formId, body) });
      } catch (err) {
        // Bad input: the form again with every value kept; anything else (429, 503) is the error page.
        if (!(err instanceof AppError) || err.statusCode !== 400) throw err;
        const { 'form-error': formError, ...errors } = requestErrors(err.fields, values);
        return formPage(reply, 400, { values, errors }, formError ?? (Object.keys(errors).length ? undefined : err.message));
      }
      return send(
        reply,
        200,
        '申请已提交',
        html`<h1>申请已提交</h1>
<div class="receipt" role="status">
<p>本局已收到您在网上提交的政府信息公开申请。请记下以下两项，查询办理进度和答复时需要：</p>
<dl class="codes">
<dt>申请编号</dt><dd><strong class="code" id="request-number">${r.number}</strong></dd>
<dt>查询码</dt><dd><strong class="code" id="access-code">${r.accessCode}</strong></dd>
</dl>
<p class="warning"><strong>查询码只显示这一次，请妥善保存。</strong>请现在抄写或截图保存。本局只保存查询码的加密摘要，无法找回；工作人员也不会向您索要查询码。</p>
</div>
<p class="notice">${RECEIPT_NOTICE}</p>
<p>提交日期：${cnDate(chinaToday(new Date()))}</p>
<p><a href="/xxgk/request/lookup">查询办理进度</a> · <a href="/xxgk">返回政府信息公开</a></p>`,
      );
    },
  );

  app.get('/xxgk/request/lookup', { config: { access: 'public' }, schema: hide }, async (_req, reply) =>
    lookupPage(reply, 200, { values: {}, errors: {} }),
  );

  /** The number and the code of a posted form, checked by the API's lookup schema; field messages for a form again. */
  const proofOf = (body: unknown) => {
    const b = (body ?? {}) as Record<string, unknown>;
    const values = { number: str(b.number, 40).trim().toUpperCase(), accessCode: str(b.accessCode, 40).trim() };
    const checked = lookupQuery.safeParse(values);
    const errors: Record<string, string> = {};
    if (!checked.success) for (const i of checked.error.issues) errors[String(i.path[0])] ??= i.message;
    return { values, errors, proof: checked.success ? checked.data : null };
  };
  const lookupLimit = { access: 'public' as const, rateLimit: { max: env.RATE_LOOKUPS_PER_MINUTE, timeWindow: '1 minute' } };

  app.post('/xxgk/request/lookup', { config: lookupLimit, schema: hide }, async (req, reply) => {
    const { values, errors, proof } = proofOf(req.body);
    // The access code is never echoed back into the form.
    if (!proof) return lookupPage(reply, 400, { values: { number: values.number }, errors });
    const res = await attempt(() => lookUpForApplicant(deps, proof.number, proof.accessCode));
    // A wrong code and an unknown number answer the same, so numbers cannot be probed.
    if (!res.ok) return lookupPage(reply, res.status, { values: { number: values.number }, errors: {} }, res.error.message);
    return resultPage(reply, 200, res.data, proof.accessCode);
  });

  app.post('/xxgk/request/withdraw', { config: lookupLimit, schema: hide }, async (req, reply) => {
    const { values, errors, proof } = proofOf(req.body);
    if (!proof) return lookupPage(reply, 400, { values: { number: values.number }, errors });
    const view = await attempt(() => lookUpForApplicant(deps, proof.number, proof.accessCode));
    if (!view.ok) return lookupPage(reply, view.status, { values: { number: values.number }, errors: {} }, view.error.message);
    if (str((req.body as Record<string, unknown>).confirm, 10) !== 'yes')
      return resultPage(reply, 400, view.data, proof.accessCode, undefined, '请勾选“我确认撤回该申请”后再撤回');
    const res = await attempt(() => withdrawRequest(deps, viewerOf(req), proof.number, proof.accessCode));
    if (!res.ok) return resultPage(reply, res.status, view.data, proof.accessCode, undefined, res.error.message);
    const after = await lookUpForApplicant(deps, proof.number, proof.accessCode);
    return resultPage(reply, 200, after, proof.accessCode, '申请已撤回。');
  });
  return Promise.resolve();
};
