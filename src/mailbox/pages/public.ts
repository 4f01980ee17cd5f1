import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { departmentNames, listActiveDepartments } from '../../departments/service.js';
import { AppError } from '../../server/errors.js';
import { emptyForm, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { page } from '../../web/layout.js';
import { attempt, formFieldsOf } from '../../web/outcome.js';
import { hide, sendPage } from '../../web/request.js';
import { checkAttachments } from '../attachments.js';
import { activeConvenienceItems } from '../service/convenience-items.js';
import { submitLetter } from '../service/intake.js';
import { TRACKING_NO_PATTERN, writerFormToken } from '../codes.js';
import { ratingBody } from '../rating-schemas.js';
import { authenticateWriter, lookUpLetter, NOT_FOUND_MESSAGE } from '../service/lookup.js';
import { rateAuthenticated } from '../service/rating.js';
import { withdrawConsentByFormToken } from '../service/consent.js';
import { writerViewOf } from '../service/writer-view.js';
import { confirmationPage, FORM_EXPIRED, lookupPage, lookupResultPage } from './writer-pages.js';
import { uploadFolder } from '../uploads.js';
import { LIMIT_WORDS } from './labels.js';
import { idempotencyKeyOf, LETTER_FIELDS, letterFormHtml, readLetterForm, validateLetter } from './letter-form.js';

const newFormId = () => randomBytes(18).toString('base64url');

/** The public side: the mailbox page with the letter form, the confirmation, the writer's lookup. */
export const publicPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const deps = { db, calendar, env };

  /** The form's choices, as GET /api/departments and GET /api/convenience-items list them. */
  async function formChoices() {
    const depts = (await listActiveDepartments(db)).map(({ id, name }) => ({ id, name }));
    const names = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
    const items = (await activeConvenienceItems(deps))
      .filter((i) => names.has(i.departmentId))
      .map((i) => ({ id: i.id, name: i.name, departmentName: names.get(i.departmentId)! }));
    return { departments: depts, convenienceItems: items };
  }

  async function mailboxPage(state: FormState, opts: { formId?: string; formError?: string; attachmentsDropped?: boolean } = {}) {
    const choices = await formChoices();
    const form = letterFormHtml({
      state,
      formId: opts.formId ?? newFormId(),
      ...choices,
      limits: { suggestion: env.LIMIT_SUGGESTION_DAYS, report: env.LIMIT_REPORT_DAYS },
      formError: opts.formError,
      attachmentsDropped: opts.attachmentsDropped,
    });
    const limits: [string, string][] = LIMIT_WORDS.map(([k, v]) => [
      k,
      k === '建言献策' ? `${env.LIMIT_SUGGESTION_DAYS} 个工作日` : k === '情况反映' ? `${env.LIMIT_REPORT_DAYS} 个工作日` : v,
    ]);
    return page(
      { title: '局长信箱', area: 'public', current: 'write' },
      html`<h1>局长信箱</h1>
<section class="intro" aria-labelledby="what">
<h2 id="what">局长信箱受理什么</h2>
<p>局长信箱是本局听取群众意见的渠道，受理对市场监管工作的<strong>投诉、咨询、建言献策和情况反映</strong>。来信由本局相关处室办理，在规定时限内答复。</p>
<h2 id="elsewhere">以下事项请通过其他渠道办理</h2>
<ul>
<li><strong>政府信息公开申请：</strong>申请获取政府信息的，请按照《中华人民共和国政府信息公开条例》通过本局政府信息公开申请渠道正式提出。局长信箱来信不作为政府信息公开申请处理。</li>
<li><strong>信访事项：</strong>请按照《信访工作条例》通过信访渠道（书信、走访、网上信访）提出，局长信箱来信不作为信访事项办理。</li>
<li><strong>消费投诉、举报：</strong>也可拨打 12315 或登录全国12315平台；遇到紧急情况请拨打 110。</li>
</ul>
<h2 id="limits">多久答复</h2>
<p>从收到来信的次日起，按工作日计算（周末和法定节假日不计，调休上班日计入）：</p>
<ul class="limits">${limits.map(([k, v]) => html`<li><span>${k}</span><strong>${v}</strong></li>`)}</ul>
<p>提交后您会得到<strong>受理编号</strong>和<strong>查询码</strong>，凭这两项可以<a href="/lookup">查询办理进度和答复</a>。</p>
</section>
<section aria-labelledby="write">
<h2 id="write">写信</h2>
${form}
</section>`,
    );
  }

  app.get('/mailbox', { config: { access: 'public' }, schema: hide }, async (_req, reply) =>
    sendPage(reply, 200, await mailboxPage({ values: {}, errors: {} })),
  );

  app.post(
    '/letter',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_LETTERS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: hide,
    },
    async (req, reply) => {
      const uploads = await uploadFolder();
      try {
        return await postLetter(req, reply, uploads.dir);
      } finally {
        await uploads.remove();
      }
    },
  );

  async function postLetter(req: FastifyRequest, reply: FastifyReply, dir: string) {
    const form = await readLetterForm(req, dir);
    const checked = validateLetter(form.values);
    let errors: Record<string, string> = {
      ...(checked.errors ?? {}),
      ...formFieldsOf(checkAttachments(form.attachments).problems, ['attachments']),
      ...form.uploadErrors,
    };
    if (checked.body && Object.keys(errors).length === 0) {
      try {
        const idempotencyKey = idempotencyKeyOf(form.values.formId, checked.body, form.attachments);
        const { letter } = await submitLetter(deps, viewerOf(req), checked.body, { idempotencyKey, staged: form.attachments });
        const dept = (await departmentNames(db)).find((d) => d.id === letter.departmentId);
        return sendPage(reply, 200, confirmationPage(letter, dept?.name ?? ''));
      } catch (err) {
        if (!(err instanceof AppError) || err.statusCode !== 400) throw err;
        errors = formFieldsOf(err.fields, ['attachments']);
        if (Object.keys(errors).length === 0) errors.form = err.message;
      }
    }
    const { form: formError, ...fieldErrors } = errors;
    const formId = /^[A-Za-z0-9_-]{16,64}$/.test(form.values.formId ?? '') ? form.values.formId : undefined;
    const values = { ...form.values, website: '' };
    return sendPage(
      reply,
      400,
      await mailboxPage({ values, errors: fieldErrors }, { formId, formError, attachmentsDropped: form.attachments.length > 0 }),
    );
  }

  // Validation as the writer types (progressive enhancement): the same schema, no files, nothing stored.
  app.post(
    '/letter/validate',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_FORM_CHECKS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: hide,
    },
    async (req) => {
      const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
      const values: Record<string, string> = {};
      for (const name of LETTER_FIELDS) if (typeof body[name] === 'string') values[name] = body[name].slice(0, 10_000);
      return { errors: validateLetter(values).errors ?? {} };
    },
  );

  app.get('/lookup', { config: { access: 'public' }, schema: hide }, async (_req, reply) =>
    sendPage(reply, 200, lookupPage({ values: {}, errors: {} })),
  );

  // Limited together with GET /api/letters/{trackingNo} (src/mailbox/service/lookup.ts), not by the rate-limit plugin.
  app.post(
    '/lookup',
    {
      config: { access: 'public' },
      schema: hide,
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const str = (k: string) => (typeof body[k] === 'string' ? body[k].trim().slice(0, 40) : '');
      const trackingNo = str('trackingNo').toUpperCase();
      const accessCode = str('accessCode');
      const errors: Record<string, string> = {};
      if (!trackingNo) errors.trackingNo = '请填写受理编号';
      if (!accessCode) errors.accessCode = '请填写查询码';
      // The access code is never echoed back into the page.
      if (Object.keys(errors).length > 0) return sendPage(reply, 400, lookupPage({ values: { trackingNo }, errors }));
      const outcome = await lookUpLetter(deps, viewerOf(req), trackingNo, accessCode);
      if (outcome.kind === 'throttled') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        return sendPage(reply, 429, lookupPage({ values: { trackingNo }, errors: {} }, `${outcome.message}。`));
      }
      // A wrong code and an unknown number answer the same, so numbers cannot be probed.
      if (outcome.kind === 'not_found') {
        return sendPage(reply, 404, lookupPage({ values: { trackingNo }, errors: {} }, `${NOT_FOUND_MESSAGE}。`));
      }
      return sendPage(reply, 200, lookupResultPage(outcome.view, { formToken: outcome.formToken, state: emptyForm() }));
    },
  );

  // The rating form of the result page: proven by its form token (never the access code), throttled like the lookup.
  app.post('/lookup/rating', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string, max: number) => (typeof body[k] === 'string' ? body[k].slice(0, max) : '');
    const trackingNo = text('trackingNo', 40).trim().toUpperCase();
    // A number of the wrong shape was never on a result page: nothing to count against the limits.
    if (!TRACKING_NO_PATTERN.test(trackingNo)) return sendPage(reply, 404, lookupPage({ values: {}, errors: {} }, FORM_EXPIRED));
    const viewer = viewerOf(req);
    const auth = await authenticateWriter(deps, viewer, trackingNo, { formToken: text('formToken', 100) });
    if (auth.kind === 'throttled') {
      reply.header('retry-after', String(auth.retryAfterSeconds));
      return sendPage(reply, 429, lookupPage({ values: { trackingNo }, errors: {} }, `${auth.message}。`));
    }
    if (auth.kind === 'not_found') return sendPage(reply, 404, lookupPage({ values: { trackingNo }, errors: {} }, FORM_EXPIRED));
    const values = { rating: text('rating', 40), comment: text('comment', 10_000) };
    const checked = ratingBody.safeParse({ rating: values.rating || undefined, comment: values.comment });
    const again = async (status: number, state: FormState, message?: string) =>
      sendPage(
        reply,
        status,
        lookupResultPage(await writerViewOf(deps, auth.row), { formToken: writerFormToken(auth.row, new Date()), state, message }),
      );
    if (!checked.success) return again(400, { values, errors: formFieldsOf(parsedFields(checked.error)) });
    const res = await attempt(() => rateAuthenticated(deps, viewer, auth.row, checked.data));
    if (!res.ok) return again(res.status, { values, errors: {} }, res.error.message);
    return sendPage(reply, 200, lookupResultPage(res.data.view, { formToken: res.data.formToken, state: emptyForm(), rated: true }));
  });
  // Withdrawing consent to publication from the result page: proven by its form token like the rating form.
  app.post('/lookup/withdraw-consent', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string, max: number) => (typeof body[k] === 'string' ? body[k].slice(0, max) : '');
    const trackingNo = text('trackingNo', 40).trim().toUpperCase();
    if (!TRACKING_NO_PATTERN.test(trackingNo)) return sendPage(reply, 404, lookupPage({ values: {}, errors: {} }, FORM_EXPIRED));
    const viewer = viewerOf(req);
    const formToken = text('formToken', 100);
    const confirmed = text('confirm', 10) === 'yes';
    // Unconfirmed: the same page again (after the same proof), with the box to tick.
    const outcome = confirmed
      ? await withdrawConsentByFormToken(deps, viewer, trackingNo, formToken)
      : await authenticateWriter(deps, viewer, trackingNo, { formToken });
    if (outcome.kind === 'throttled') {
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      return sendPage(reply, 429, lookupPage({ values: { trackingNo }, errors: {} }, `${outcome.message}。`));
    }
    if (outcome.kind === 'not_found') return sendPage(reply, 404, lookupPage({ values: { trackingNo }, errors: {} }, FORM_EXPIRED));
    if ('view' in outcome)
      return sendPage(
        reply,
        200,
        lookupResultPage(outcome.view, { formToken: outcome.formToken, state: emptyForm() }, { withdrawn: true }),
      );
    const state = { values: {}, errors: { confirm: '请勾选确认后再撤回公开同意' } };
    const page = lookupResultPage(
      await writerViewOf(deps, outcome.row),
      { formToken: writerFormToken(outcome.row, new Date()), state: emptyForm() },
      { state },
    );
    return sendPage(reply, 400, page);
  });
};

/** Zod's issues as the field messages a form shows (the first per field). */
function parsedFields(error: { issues: { path: PropertyKey[]; message: string }[] }): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.map(String).join('.')] ??= issue.message;
  return fields;
}
