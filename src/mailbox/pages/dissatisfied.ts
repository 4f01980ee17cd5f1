import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { departmentNames } from '../../departments/service.js';
import { csrfField, emptyForm, errorSummary, selectField, textArea, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { TRACKING_NO_PATTERN } from '../codes.js';
import { DISSATISFACTION_DECIDERS } from '../rating-rules.js';
import { closeDissatisfiedBody, reopenBody } from '../rating-schemas.js';
import { closeDissatisfied, listDissatisfied, reopenLetter } from '../service/reopen.js';
import { deptOptions } from './case-forms.js';
import { typeLabel } from './labels.js';

type Decision = 'reopen' | 'close';
interface Failure {
  trackingNo: string;
  decision: Decision;
  state: FormState;
  message: string;
}

const DONE: Record<Decision, string> = { reopen: '已重新交办信件', close: '已作出说明并办结信件' };

/**
 * The general office's queue of answers the writer rated 不满意 (issue 14 point 6), like the arbitration
 * queue: each letter with its two decisions, reopen to a department or close with an explanation.
 */
export const dissatisfiedPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env };
  const csrf = app.csrfProtection.bind(app);
  const config = { access: DISSATISFACTION_DECIDERS };

  async function queuePage(req: FastifyRequest, reply: FastifyReply, status: number, flash: Flash | null, failure?: Failure) {
    const { items } = await listDissatisfied(deps, viewerOf(req));
    const depts = await departmentNames(db);
    const token = reply.generateCsrf();
    const stateOf = (no: string, d: Decision) => (failure?.trackingNo === no && failure.decision === d ? failure.state : emptyForm());
    const entries: SafeHtml[] = items.map((c) => {
      const reopen = stateOf(c.trackingNo, 'reopen');
      const close = stateOf(c.trackingNo, 'close');
      const failed = failure?.trackingNo === c.trackingNo && html`<p class="form-error" role="alert">${failure.message}</p>`;
      return html`<li class="case-card" id="dis-${c.trackingNo}">
<div class="case-head"><a class="case-title" href="/staff/cases/${c.trackingNo}">${c.subject}</a></div>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · 第 ${c.round} 次答复：${c.departmentName}</p>
<div class="why-box"><p class="what">来信人评价“不满意”，${shortTime(c.ratedAt)}</p>${c.comment && html`<div class="text">${c.comment}</div>`}</div>
${c.answer && html`<details><summary>答复内容（${shortTime(c.answeredAt)}）</summary><div class="text">${c.answer}</div></details>`}
${failed}
<form method="post" action="/staff/dissatisfied/${c.trackingNo}/reopen" class="action-form">
${csrfField(token)}
<h3>重新交办</h3>
${errorSummary(reopen.errors, ['departmentId', 'reason'], `re-${c.trackingNo}`)}
${selectField({ name: 'departmentId', label: '承办处室', required: true, state: reopen, scope: `re-${c.trackingNo}`, placeholder: '请选择', options: deptOptions(depts) })}
${textArea({ name: 'reason', label: '重新交办理由', required: true, state: reopen, scope: `re-${c.trackingNo}`, rows: 3, maxlength: 2000 })}
<div class="actions"><button type="submit" class="primary">重新交办</button></div>
</form>
<form method="post" action="/staff/dissatisfied/${c.trackingNo}/close" class="action-form">
${csrfField(token)}
<h3>作出说明并办结</h3>
${errorSummary(close.errors, ['explanation'], `cl-${c.trackingNo}`)}
${textArea({ name: 'explanation', label: '办结说明（来信人可见）', required: true, state: close, scope: `cl-${c.trackingNo}`, rows: 3, maxlength: 2000 })}
<div class="actions"><button type="submit">办结</button></div>
</form>
</li>`;
    });
    const list =
      entries.length === 0
        ? html`<p class="count" role="status">目前没有待处理的不满意评价。</p>`
        : html`<ol class="cases">${entries}</ol>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '不满意评价', current: 'dissatisfied', flash },
      html`<h1>来信人不满意的答复</h1>
<p>来信人评价为“不满意”的答复，由办公室重新交办（新的答复期限自重新交办起按信件类型计算），或作出说明后办结（来信人可在查询页看到说明）。</p>
${list}`,
    );
  }

  app.get('/dissatisfied', { config, schema: hide }, async (req, reply) => {
    const done = str((req.query as Query).done);
    const decision = str((req.query as Query).decision) as Decision;
    const flash: Flash | null =
      TRACKING_NO_PATTERN.test(done) && decision in DONE
        ? { kind: 'ok', text: html`${DONE[decision]} <a href="/staff/cases/${done}">${done}</a>。` }
        : null;
    return queuePage(req, reply, 200, flash);
  });

  app.post('/dissatisfied/:trackingNo/:decision', { config, schema: hide, preHandler: csrf }, async (req, reply) => {
    const { trackingNo, decision } = req.params as { trackingNo: string; decision: string };
    if (!TRACKING_NO_PATTERN.test(trackingNo) || (decision !== 'reopen' && decision !== 'close')) return staffNotFound(req, reply);
    const form = (req.body ?? {}) as Query;
    const values =
      decision === 'reopen'
        ? { departmentId: str(form.departmentId, 12), reason: str(form.reason, 10_000) }
        : { explanation: str(form.explanation, 10_000) };
    const viewer = viewerOf(req);
    const res = await attempt(() => {
      if (decision === 'reopen') {
        const body = parsed(
          reopenBody,
          { departmentId: /^\d{1,9}$/.test(values.departmentId ?? '') ? Number(values.departmentId) : undefined, reason: values.reason },
          'body',
        );
        return reopenLetter({ ...deps, temporal, log: req.log }, viewer, trackingNo, body);
      }
      return closeDissatisfied(deps, viewer, trackingNo, parsed(closeDissatisfiedBody, { explanation: values.explanation }, 'body'));
    });
    if (res.ok) return reply.redirect(`/staff/dissatisfied?done=${trackingNo}&decision=${decision}`, 303);
    if (res.status === 404) return staffNotFound(req, reply);
    const failure = {
      trackingNo,
      decision,
      state: { values, errors: formFieldsOf(res.error.fields) },
      message: res.error.message,
    } as const;
    return queuePage(req, reply, res.status, { kind: 'error', text: res.error.message }, failure);
  });
};
