import { choiceGroup, csrfField, errorSummary, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import {
  DECISION_LABELS,
  DOCUMENT_CATEGORIES,
  DOCUMENT_CATEGORY_FACTS,
  LEGAL_BASES,
  LEGAL_BASIS_LABELS,
  VALIDITIES,
  VALIDITY_LABELS,
} from '../rules.js';

// The forms of the register's pages: a new document, the office's decision, a change of the document,
// and the service centre's catalogue entry. Plain HTML forms: no script needed.

const categoryOptions = DOCUMENT_CATEGORIES.map((c) => ({ value: c, label: DOCUMENT_CATEGORY_FACTS[c].label }));

export function documentForm(token: string, departments: { id: number; name: string }[], state: FormState) {
  const order = ['title', 'docNumber', 'departmentId', 'category', 'subject', 'summary', 'formedOn'];
  return html`<form method="post" action="/staff/disclosure/documents/new" novalidate class="stack">
${csrfField(token)}
${errorSummary(state.errors, order)}
${textField({ name: 'title', label: '文件标题', state, required: true, maxlength: 200 })}
${selectField({ name: 'category', label: '信息类别（条例第二十条）', state, required: true, options: categoryOptions, placeholder: '请选择' })}
${textField({ name: 'docNumber', label: '文号', state, maxlength: 100, hint: '如 闽市监规〔2026〕3号；规章和行政规范性文件、行政处罚和行政强制类须填写' })}
${selectField({ name: 'departmentId', label: '发文处室', state, required: true, options: departments.map((d) => ({ value: String(d.id), label: d.name })), placeholder: '请选择' })}
${textField({ name: 'subject', label: '主题分类', state, maxlength: 50 })}
${textArea({ name: 'summary', label: '内容概述', state, maxlength: 1000, rows: 3 })}
${textField({ name: 'formedOn', label: '成文日期', type: 'date', state, required: true, hint: '主动公开的，应自成文之日起 20 个工作日内公开（条例第二十六条）' })}
<div class="actions"><button type="submit">登记</button></div>
</form>`;
}

export function decisionForm(token: string, documentId: number, state: FormState) {
  const order = ['decision', 'legalBasis', 'reReviewOn', 'reason'];
  return html`<form method="post" action="/staff/disclosure/documents/${documentId}/decision" novalidate class="stack" id="decision">
${csrfField(token)}
<h2>公开属性认定（办公室）</h2>
${errorSummary(state.errors, order, 'decision')}
${choiceGroup({
  name: 'decision',
  label: '公开属性',
  kind: 'radio',
  state,
  required: true,
  scope: 'decision',
  options: Object.entries(DECISION_LABELS).map(([value, label]) => ({ value, label })),
})}
${selectField({
  name: 'legalBasis',
  label: '不公开的法律依据',
  state,
  scope: 'decision',
  hint: '依申请公开或不予公开时必选（条例第十四条至第十六条）',
  options: LEGAL_BASES.map((b) => ({ value: b, label: LEGAL_BASIS_LABELS[b] })),
  placeholder: '（主动公开无需选择）',
})}
${textField({ name: 'reReviewOn', label: '复核日期', type: 'date', state, scope: 'decision', hint: '不予公开时必填：到期提醒办公室复核（条例第十八条）' })}
${textArea({ name: 'reason', label: '说明', state, scope: 'decision', maxlength: 1000, rows: 2 })}
<div class="actions"><button type="submit">保存认定</button></div>
</form>`;
}

export function changeForm(token: string, documentId: number, state: FormState) {
  const order = ['changedOn', 'validity', 'changedByDocumentId', 'title'];
  return html`<form method="post" action="/staff/disclosure/documents/${documentId}/changes" novalidate class="stack" id="change">
${csrfField(token)}
<h2>登记变更（修订、修改、废止、失效）</h2>
<p class="hint">主动公开的文件变更后，应自变更之日起 20 个工作日内更新公开目录（条例第二十六条）。</p>
${errorSummary(state.errors, order, 'change')}
${textField({ name: 'changedOn', label: '变更日期', type: 'date', state, required: true, scope: 'change' })}
${selectField({ name: 'validity', label: '效力状态', state, required: true, scope: 'change', options: VALIDITIES.map((v) => ({ value: v, label: VALIDITY_LABELS[v] })) })}
${textField({ name: 'changedByDocumentId', label: '变更依据文件的登记编号', state, scope: 'change', inputmode: 'numeric', maxlength: 9 })}
${textField({ name: 'title', label: '新标题', state, scope: 'change', maxlength: 200, hint: '标题未变的不填' })}
<div class="actions"><button type="submit">登记变更</button></div>
</form>`;
}

export function entryForm(token: string, entryId: number, state: FormState) {
  return html`<form method="post" action="/staff/disclosure/catalogue/${entryId}/publish" novalidate class="stack">
${csrfField(token)}
${errorSummary(state.errors, ['name', 'summary', 'publisher', 'subject'], `entry-${entryId}`)}
${textField({ name: 'name', label: '名称', state, required: true, scope: `entry-${entryId}`, maxlength: 200 })}
${textArea({ name: 'summary', label: '内容概述', state, required: true, scope: `entry-${entryId}`, maxlength: 1000, rows: 3 })}
${textField({ name: 'publisher', label: '发布机构', state, required: true, scope: `entry-${entryId}`, maxlength: 100 })}
${textField({ name: 'subject', label: '主题分类', state, scope: `entry-${entryId}`, maxlength: 50 })}
<div class="actions"><button type="submit">录入目录并公开</button></div>
</form>`;
}
