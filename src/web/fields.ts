import { attr, flag, html, verbatim, type HtmlValue, type SafeHtml } from './html.js';

/** What a form shows: the values typed (kept after a failed submission) and an error per field name. */
export interface FormState {
  values: Record<string, string | string[] | undefined>;
  errors: Record<string, string>;
}
export const emptyForm = (): FormState => ({ values: {}, errors: {} });

/** Element ids derive from field names ("writer.phone" → "f-writer-phone"), optionally per form. */
export const fieldId = (name: string, scope = '') => `f-${scope ? `${scope}-` : ''}${name.replace(/[^A-Za-z0-9_]/g, '-')}`;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);

interface Common {
  name: string;
  label: HtmlValue;
  state: FormState;
  scope?: string;
  required?: boolean;
  hint?: HtmlValue;
  /** Mark fields that are not required as （选填）; off for search and filter forms. */
  optionalMark?: boolean;
}

const mark = (o: Common) =>
  o.required
    ? html`<span class="req" aria-hidden="true"> *</span>`
    : o.optionalMark === false
      ? ''
      : html`<span class="optional">（选填）</span>`;

function parts(o: Common) {
  const id = fieldId(o.name, o.scope);
  const error = o.state.errors[o.name];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [o.hint ? hintId : '', errorId].filter(Boolean).join(' ');
  const aria = html` aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : ''}`;
  const label = html`<label for="${id}">${o.label}${mark(o)}</label>`;
  const hint = o.hint ? html`<p class="hint" id="${hintId}">${o.hint}</p>` : '';
  const err = html`<p class="field-error" id="${errorId}" data-error-for="${o.name}"${flag('hidden', !error)}>${error ?? ''}</p>`;
  return { id, error, aria, label, hint, err };
}

const wrap = (o: Common, error: string | undefined, inner: SafeHtml, extraClass = '') =>
  html`<div class="field${error ? ' has-error' : ''}${extraClass ? ` ${extraClass}` : ''}" data-field="${o.name}">${inner}</div>`;

export function textField(
  o: Common & {
    type?: 'text' | 'tel' | 'email' | 'password' | 'date' | 'search' | 'number';
    maxlength?: number;
    autocomplete?: string;
    inputmode?: string;
    extra?: SafeHtml;
    keepValue?: boolean;
  },
): SafeHtml {
  const p = parts(o);
  const value = o.keepValue === false ? '' : one(o.state.values[o.name]);
  const optional = html`${attr('maxlength', o.maxlength)}${attr('autocomplete', o.autocomplete)}${attr('inputmode', o.inputmode)}`;
  const attrs = html`${optional}${flag('required', !!o.required)}${p.aria}${o.extra ?? ''}`;
  return wrap(
    o,
    p.error,
    html`${p.label}${p.hint}${p.err}
<input id="${p.id}" name="${o.name}" type="${o.type ?? 'text'}" value="${verbatim(value)}"${attrs}>`,
  );
}

export function textArea(o: Common & { rows?: number; maxlength?: number; counter?: boolean }): SafeHtml {
  const p = parts(o);
  const value = one(o.state.values[o.name]);
  const counterAttrs = html` id="${p.id}-count" data-counter-for="${p.id}" data-max="${o.maxlength}" aria-live="polite"`;
  const counter = o.counter && o.maxlength ? html`<p class="counter"${counterAttrs}>最多 ${o.maxlength} 字</p>` : '';
  const attrs = html`${attr('maxlength', o.maxlength)}${flag('required', !!o.required)}${p.aria}`;
  return wrap(
    o,
    p.error,
    html`${p.label}${p.hint}${p.err}
<textarea id="${p.id}" name="${o.name}" rows="${o.rows ?? 6}"${attrs}>${verbatim(value)}</textarea>${counter}`,
  );
}

export interface Option {
  value: string;
  label: HtmlValue;
}

export function selectField(o: Common & { options: Option[]; placeholder?: string; extraClass?: string }): SafeHtml {
  const p = parts(o);
  const value = one(o.state.values[o.name]);
  return wrap(
    o,
    p.error,
    html`${p.label}${p.hint}${p.err}
<select id="${p.id}" name="${o.name}"${flag('required', !!o.required)}${p.aria}>
${o.placeholder !== undefined ? html`<option value="">${o.placeholder}</option>` : ''}
${o.options.map((op) => html`<option value="${op.value}"${flag('selected', op.value === value)}>${op.label}</option>`)}
</select>`,
    o.extraClass,
  );
}

/** Radio buttons or checkboxes in a fieldset; the legend names the group. */
export function choiceGroup(
  o: Common & { kind: 'radio' | 'checkbox'; options: (Option & { hint?: HtmlValue })[]; extraClass?: string },
): SafeHtml {
  const id = fieldId(o.name, o.scope);
  const error = o.state.errors[o.name];
  const chosen = many(o.state.values[o.name]);
  const describedBy = [o.hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  const classes = `field choices${error ? ' has-error' : ''}${o.extraClass ? ` ${o.extraClass}` : ''}`;
  const aria = html` aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : ''}`;
  return html`<fieldset class="${classes}" data-field="${o.name}" id="${id}"${aria} tabindex="-1">
<legend>${o.label}${mark(o)}</legend>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
<p class="field-error" id="${id}-error" data-error-for="${o.name}"${flag('hidden', !error)}>${error ?? ''}</p>
<div class="choice-list">${o.options.map((op, i) => {
    const oid = `${id}-${i}`;
    const flags = html`${flag('checked', chosen.includes(op.value))}${flag('required', !!o.required && o.kind === 'radio')}`;
    return html`<div class="choice"><input type="${o.kind}" id="${oid}" name="${o.name}" value="${op.value}"${flags}>
<label for="${oid}">${op.label}${op.hint ? html`<span class="choice-hint">${op.hint}</span>` : ''}</label></div>`;
  })}</div>
</fieldset>`;
}

/** The list of problems at the top of a form, each linking to its field. */
export function errorSummary(
  errors: Record<string, string>,
  order: string[],
  scope = '',
  heading = '提交的内容有误，请修改标注的项目',
): SafeHtml | '' {
  const keys = [...order.filter((k) => errors[k]), ...Object.keys(errors).filter((k) => !order.includes(k))];
  if (keys.length === 0) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1" autofocus id="${fieldId('summary', scope)}">
<h2>${heading}</h2>
<ul>${keys.map((k) => html`<li><a href="#${fieldId(k, scope)}">${errors[k]}</a></li>`)}</ul>
</div>`;
}

export const hidden = (name: string, value: string | number) => html`<input type="hidden" name="${name}" value="${value}">`;
export const csrfField = (token: string) => hidden('_csrf', token);
