import { choiceGroup, csrfField, errorSummary, fieldId, textArea, textField, type FormState } from '../../web/fields.js';
import { flag, html, raw, verbatim, type SafeHtml } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import { renderBody } from '../body.js';
import {
  ART19_LABELS,
  ART19_POINTS,
  FORM_STATUS_LABELS,
  REVIEW_STEP_LABELS,
  SECRECY_CONCLUSIONS,
  SECRECY_LABELS,
  STEP_DECISION_LABELS,
  type StepDecision,
} from '../rules.js';
import type { FormView } from '../service/records.js';
import type { FormActions, FormWithText } from '../service/review-pages.js';

// The parts of the review form's page: its record, the text it covers, and the forms of whoever may act
// now (decideStep's and publishForm's bodies, nothing more).

export const dueMark = (f: Pick<FormView, 'stepDueDate' | 'stepOverdue'>) =>
  f.stepDueDate &&
  html` <span class="badge ${f.stepOverdue ? 'badge-late' : 'badge-soon'}">${f.stepOverdue ? '已超期' : '期限'} ${cnDate(f.stepDueDate)}</span>`;

export function formFacts(f: FormView): SafeHtml {
  return html`<dl class="facts">
<dt>状态</dt><dd><strong>${FORM_STATUS_LABELS[f.status]}</strong>${f.step && html`：${REVIEW_STEP_LABELS[f.step]}${dueMark(f)}`}</dd>
<dt>信息</dt><dd><a href="/staff/site/items/${f.itemId}">信息 ${f.itemId}</a>（第 ${f.version} 版）</dd>
<dt>栏目</dt><dd>${f.column}</dd>
<dt>提供处室</dt><dd>${f.department}</dd>
<dt>起草人</dt><dd>${f.drafter}</dd>
<dt>送审时间</dt><dd>${shortTime(f.submittedAt)}</dd>
<dt>第十九条</dt><dd><ul>${ART19_POINTS.map((p) => html`<li>${ART19_LABELS[p]}：${f.art19[p] ? '已确认' : '未确认'}</li>`)}</ul></dd>
<dt>保密审查</dt><dd>起草人结论：${SECRECY_LABELS[f.drafterSecrecy]}</dd>
${f.scheduledFor && html`<dt>定时发布</dt><dd>${shortTime(f.scheduledFor)}</dd>`}
${f.publishedAt && html`<dt>发布时间</dt><dd>${shortTime(f.publishedAt)}（系统记录）</dd>`}
</dl>`;
}

export function decisionList(f: FormView): SafeHtml {
  if (f.decisions.length === 0) return html`<p class="count">尚无审核意见。</p>`;
  return html`<ol class="timeline">${f.decisions.map(
    (d) => html`<li><p class="when">${shortTime(d.decidedAt)}${d.late && html` <span class="badge badge-late">超期办理</span>`}</p>
<p class="what">${REVIEW_STEP_LABELS[d.step]}：<strong>${STEP_DECISION_LABELS[d.decision]}</strong></p>
<p class="who">${d.decider}</p>
${d.secrecy && html`<p>保密审查：${SECRECY_LABELS[d.secrecy]}</p>`}
${d.opinion && html`<p class="text">${d.opinion}</p>`}</li>`,
  )}</ol>`;
}

export function formText({ text }: FormWithText): SafeHtml {
  return html`<div class="item-preview">
<h3>${text.title}</h3>
${text.summary && html`<p class="meta">${text.summary}</p>`}
${raw(renderBody(text.body))}
${text.qaPairs.length > 0 && html`<dl>${text.qaPairs.map((p) => html`<dt>问：${p.question}</dt><dd>答：${p.answer}</dd>`)}</dl>`}
</div>`;
}

/** The reviewer's form at the current step: the department leader records the secrecy review, the publicity office may edit. */
export function decisionForm(token: string, data: FormWithText, actions: FormActions, state: FormState): SafeHtml {
  const f = data.form;
  const step = f.step!;
  const decisions: StepDecision[] = actions.reject ? ['approved', 'returned', 'rejected'] : ['approved', 'returned'];
  const label = (d: StepDecision) => (d === 'approved' && step === 'publicity' ? '同意（选用）' : STEP_DECISION_LABELS[d]);
  const editing = step === 'publicity';
  const edit = editing
    ? { values: { 'edits.title': data.text.title, 'edits.body': data.text.body, ...state.values }, errors: state.errors }
    : state;
  return html`<form method="post" action="/staff/review-forms/${f.id}/decision" class="action-form" id="decide" novalidate>
${csrfField(token)}
<h3>${REVIEW_STEP_LABELS[step]}</h3>
${errorSummary(state.errors, ['decision', 'secrecy', 'opinion', 'edits.title', 'edits.body'], 'dec')}
${choiceGroup({ kind: 'radio', name: 'decision', label: '审核结论', required: true, state, scope: 'dec', options: decisions.map((d) => ({ value: d, label: label(d) })) })}
${
  step === 'dept_leader' &&
  choiceGroup({
    kind: 'radio',
    name: 'secrecy',
    label: '保密审查',
    // Needed to approve, not to return: no asterisk (a required radio would block a return), the hint says it.
    optionalMark: false,
    state,
    scope: 'dec',
    options: SECRECY_CONCLUSIONS.map((s) => ({ value: s, label: SECRECY_LABELS[s] })),
    hint: '结论为“不涉及国家秘密”才能同意；涉密或需报保密部门审查的，请退回',
  })
}
${textArea({ name: 'opinion', label: '审核意见', state, scope: 'dec', rows: 3, maxlength: 1000, hint: '退回修改或不予采用时必填' })}
${
  editing &&
  html`<fieldset class="field"><legend>修改后采用<span class="optional">（选填：改动标题或正文后同意，即以修改后的文本作为新版本发布）</span></legend>
${textField({ name: 'edits.title', label: '标题', state: edit, scope: 'dec', maxlength: 200 })}
${textArea({ name: 'edits.body', label: '正文', state: edit, scope: 'dec', rows: 10 })}
</fieldset>`
}
<div class="actions"><button type="submit" class="primary">提交审核意见</button></div>
</form>`;
}

/** Publish now or at a later time; the publication time itself is the system's (never typed). */
export function publishForm(token: string, f: FormView, state: FormState): SafeHtml {
  const id = fieldId('at', 'pub');
  const error = state.errors.at;
  const value = typeof state.values.at === 'string' ? state.values.at : '';
  return html`<form method="post" action="/staff/review-forms/${f.id}/publish" class="action-form" id="publish" novalidate>
${csrfField(token)}
<h3>发布</h3>
${errorSummary(state.errors, ['at'], 'pub')}
<div class="field${error ? ' has-error' : ''}" data-field="at">
<label for="${id}">定时发布时间<span class="optional">（选填）</span></label>
<p class="hint" id="${id}-hint">北京时间；留空则立即发布。发布时间由系统在发布的那一刻记录，不能填写或修改。</p>
<p class="field-error" id="${id}-error" data-error-for="at"${flag('hidden', !error)}>${error ?? ''}</p>
<input id="${id}" name="at" type="datetime-local" value="${verbatim(value)}" aria-describedby="${id}-hint ${id}-error"${error ? html` aria-invalid="true"` : ''}>
</div>
<div class="actions"><button type="submit" class="primary">发布</button></div>
</form>`;
}

/** "2026-12-03T15:00" (a datetime-local value, China time) → an ISO time with the offset, as publishBody takes it. */
export function chinaLocalToIso(value: string): string | undefined {
  if (value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00+08:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) return `${value}+08:00`;
  return value;
}
