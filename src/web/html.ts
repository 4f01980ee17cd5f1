import { escapeHtml, escapeText } from './escape.js';

/** A fragment of HTML that is already safe to emit as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated into `html`: text is escaped, SafeHtml is emitted as is, arrays are concatenated. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeText(String(value));
}

/**
 * Tagged template for HTML: every interpolation is escaped, control characters shown as markers
 * (escape.ts: neutraliseControls), unless it is a SafeHtml (a nested `html`
 * fragment or an explicit `raw`). `false`, `null` and `undefined` render as nothing, so
 * `${cond && html`…`}` works. Attribute values must be quoted with double quotes.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** A form value: escaped but kept as typed (no markers), so a form sent again sends the same text. */
export const verbatim = (value: string) => new SafeHtml(escapeHtml(value));

/** Trusted markup, emitted unescaped. Never pass anything derived from input. */
export const raw = (trusted: string) => new SafeHtml(trusted);

/** A boolean attribute: ` checked`, ` selected`, … when `on`. */
type BooleanAttribute = 'checked' | 'selected' | 'disabled' | 'hidden' | 'required' | 'multiple' | 'autofocus';
export const flag = (name: BooleanAttribute, on: boolean) => new SafeHtml(on ? ` ${name}` : '');
/** ` name="value"` (escaped), or nothing when the value is absent, empty or zero: for optional attributes. */
type ValueAttribute = 'maxlength' | 'autocomplete' | 'inputmode';
export const attr = (name: ValueAttribute, value: string | number | undefined) => (value ? html` ${raw(name)}="${value}"` : html``);
