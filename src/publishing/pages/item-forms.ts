import { choiceGroup, csrfField, errorSummary, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { str, type Query } from '../../web/request.js';
import { ART19_LABELS, ART19_POINTS, CONTENT_TYPE_LABELS, SECRECY_CONCLUSIONS, SECRECY_LABELS, type ContentType } from '../rules.js';

// The forms of the item pages: the draft (new item or new version), the submission with the 审核单's
// drafter part, and the general office's takedown. Plain HTML forms: no script needed.

/** Fixed question–answer rows for 热点解答 (no script adds rows; empty rows are left out). */
export const QA_ROWS = 5;
const qaNames = Array.from({ length: QA_ROWS }, (_, i) => [`qa.${i}.question`, `qa.${i}.answer`] as const);

export const MARKDOWN_HELP =
  '正文使用 Markdown：空一行分段；“## ”开头为小标题；**文字** 加粗；“- ”开头为列表；[文字](https://…) 为链接。不支持 HTML。';

/** The form's fields as typed (kept on the page after a refusal). */
export function versionValues(form: Query) {
  const values: Record<string, string> = {
    title: str(form.title, 1000),
    summary: str(form.summary, 2000),
    body: str(form.body, 200_000).replace(/\r\n?/g, '\n'),
    related: str(form.related, 500),
  };
  for (const [q, a] of qaNames) {
    values[q] = str(form[q], 2000);
    values[a] = str(form[a], 20_000);
  }
  return values;
}

/** The values as the API's version body, and the form row each question–answer pair came from. */
export function versionInput(values: Record<string, string>) {
  const rows = qaNames
    .map(([q, a], i) => ({ i, question: values[q] ?? '', answer: values[a] ?? '' }))
    .filter((r) => r.question.trim() !== '' || r.answer.trim() !== '');
  const related = (values.related ?? '')
    .split(/[\s,，、]+/)
    .filter(Boolean)
    .map((t) => (/^\d{1,9}$/.test(t) ? Number(t) : Number.NaN));
  return {
    input: {
      title: values.title,
      summary: values.summary,
      body: values.body,
      qaPairs: rows.map(({ question, answer }) => ({ question, answer })),
      relatedItemIds: related,
    },
    qaRows: rows.map((r) => r.i),
  };
}

/** The API's field keys ("body.qaPairs.0.answer") as this form's field names ("qa.3.answer"). */
export function versionErrors(fields: Record<string, string> | undefined, qaRows: number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    const name = key.replace(/^body\./, '');
    const qa = /^qaPairs\.(\d+)\.(question|answer)$/.exec(name);
    const field = qa
      ? `qa.${qaRows[Number(qa[1])] ?? 0}.${qa[2]}`
      : name.startsWith('relatedItemIds')
        ? 'related'
        : name === 'columnId' || name === 'contentType'
          ? 'placement'
          : name.startsWith('qaPairs')
            ? 'qa.0.question'
            : name;
    out[field] ??= message;
  }
  return out;
}

export interface Placement {
  columnId: number;
  column: string;
  contentType: ContentType;
}
export const placementValue = (p: Placement) => `${p.columnId}:${p.contentType}`;

/**
 * The title, summary, body, Q&A rows and related items: shared by the new-item and the edit form. The Q&A
 * rows are folded away (<details>, no script) unless the item is a 热点解答 or some row is filled or wrong.
 */
function versionFields(state: FormState, scope: string, qa: 'shown' | 'folded' | 'none'): SafeHtml {
  const rows = qaNames.map(
    ([q, a], i) => html`<div class="qa-row">
${textField({ name: q, label: `问题 ${i + 1}`, state, scope, maxlength: 500 })}
${textArea({ name: a, label: `解答 ${i + 1}`, state, scope, rows: 3, maxlength: 5000 })}
</div>`,
  );
  const used = qaNames.flat().some((n) => !!state.values[n] || !!state.errors[n]);
  const legend = html`热点解答的问答<span class="optional">（仅“热点解答”类信息填写，空行不保存）</span>`;
  const qaBlock =
    qa === 'none' && !used
      ? ''
      : qa === 'shown' || used
        ? html`<fieldset class="field" id="${scope}-qa"><legend>${legend}</legend>${rows}</fieldset>`
        : html`<details class="field" id="${scope}-qa"><summary>${legend}</summary>${rows}</details>`;
  return html`${textField({ name: 'title', label: '标题', required: true, state, scope, maxlength: 200 })}
${textArea({ name: 'summary', label: '摘要', state, scope, rows: 2, maxlength: 500 })}
${textArea({ name: 'body', label: '正文', state, scope, rows: 12, hint: MARKDOWN_HELP })}
${qaBlock}
${textField({ name: 'related', label: '相关信息', state, scope, maxlength: 200, hint: '填写相关信息的编号（如政策解读所解读的政策文件），多个用逗号分隔' })}`;
}

const VERSION_ORDER = ['placement', 'title', 'summary', 'body', ...qaNames.flat(), 'related'];

export function newItemForm(token: string, placements: Placement[], state: FormState): SafeHtml {
  const options = placements.map((p) => ({ value: placementValue(p), label: `${p.column} · ${CONTENT_TYPE_LABELS[p.contentType]}` }));
  return html`<form method="post" action="/staff/site/items/new" class="action-form" novalidate>
${csrfField(token)}
${errorSummary(state.errors, VERSION_ORDER, 'new')}
${selectField({ name: 'placement', label: '栏目与内容类型', required: true, state, scope: 'new', placeholder: '请选择', options, hint: '只列出本处室可以提供信息的栏目' })}
${versionFields(state, 'new', 'folded')}
<div class="actions"><button type="submit" class="primary">保存草稿</button></div>
</form>`;
}

export function editForm(token: string, itemId: number, isQa: boolean, state: FormState): SafeHtml {
  return html`<form method="post" action="/staff/site/items/${itemId}/save" class="action-form" id="edit" novalidate>
${csrfField(token)}
<h3>修改</h3>
<p class="hint">每次保存生成一个新版本；正在审核或已审核待发布的审核单随之作废，修改后的版本需要重新送审。</p>
${errorSummary(state.errors, VERSION_ORDER, 'edit')}
${versionFields(state, 'edit', isQa ? 'shown' : 'none')}
<div class="actions"><button type="submit">保存为新版本</button></div>
</form>`;
}

/** The drafter's part of the 审核单 (Art. 20(一)): each Art. 19 point confirmed, and the secrecy conclusion. */
export function submitForm(token: string, itemId: number, version: number, state: FormState): SafeHtml {
  return html`<form method="post" action="/staff/site/items/${itemId}/submit" class="action-form" id="submit" novalidate>
${csrfField(token)}
<h3>填写审核单并送审（第 ${version} 版）</h3>
${errorSummary(state.errors, ['art19', 'secrecy'], 'submit')}
${choiceGroup({
  kind: 'checkbox',
  name: 'art19',
  label: '起草人逐项确认（第十九条）',
  required: true,
  state,
  scope: 'submit',
  options: ART19_POINTS.map((p) => ({ value: p, label: ART19_LABELS[p] })),
})}
${choiceGroup({
  kind: 'radio',
  name: 'secrecy',
  label: '保密审查结论',
  required: true,
  state,
  scope: 'submit',
  options: SECRECY_CONCLUSIONS.map((s) => ({ value: s, label: SECRECY_LABELS[s] })),
  hint: '涉及国家秘密的不予发布；需报保密部门审查的，审查后再送审',
})}
<p class="hint">送审后由本处室负责人审核（含保密审查），再送分管局领导签发（新闻类送应急宣传处复审）。定时发布在审核通过后、发布时选择。</p>
<div class="actions"><button type="submit" class="primary">送审</button></div>
</form>`;
}

export function takeDownForm(token: string, itemId: number, state: FormState): SafeHtml {
  return html`<form method="post" action="/staff/site/items/${itemId}/take-down" class="action-form" id="take-down" novalidate>
${csrfField(token)}
<h3>撤下（办公室）</h3>
${errorSummary(state.errors, ['reason'], 'down')}
${textArea({ name: 'reason', label: '撤下原因', required: true, state, scope: 'down', rows: 3, maxlength: 500, hint: '撤下后公开页面不再显示该信息，信息及其审核单仍留存；提供处室会收到通知' })}
<div class="actions"><button type="submit">撤下</button></div>
</form>`;
}

/** A form posted back to the item page that had it: withdraw the live review form. */
export function withdrawForm(token: string, formId: number): SafeHtml {
  return html`<form method="post" action="/staff/review-forms/${formId}/withdraw" class="inline">${csrfField(token)}
<button type="submit">撤回送审</button></form>`;
}
