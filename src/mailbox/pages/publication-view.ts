import { csrfField, emptyForm, errorSummary, textArea, textField, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import type { MaskSpan, PiiKind, Unsure } from '../masking/index.js';
import type { PublicationStatus } from '../publication-rules.js';
import { MASKED_FIELDS, unsureOpen, type MaskedFieldName } from '../service/publication-copy.js';
import type { getPublicationForStaff } from '../service/publication.js';

// The review of one publication as the office's page shows it: the original and the masked copy side by
// side per field (the masker's replacements in <mark>, its unsure places marked in the original and
// listed with their reasons) and the forms the copy's status allows.

export type StaffView = Awaited<ReturnType<typeof getPublicationForStaff>>;
export const ACTIONS = ['edit', 'confirm-unsure', 'approve', 'take-down'] as const;
export type Action = (typeof ACTIONS)[number];

export const STATUS_TEXT: Record<PublicationStatus, string> = { draft: '待审核', published: '已发布', taken_down: '已撤下' };
const FIELD_LABELS: Record<MaskedFieldName, string> = { subject: '标题', content: '来信内容', answer: '答复' };
const FIELD_MAX: Record<MaskedFieldName, number> = { subject: 100, content: 5000, answer: 10000 };
const KIND_LABELS: Record<PiiKind, string> = {
  name: '姓名',
  phone: '电话号码',
  id_number: '身份证号码',
  email: '电子邮箱',
  bank_card: '银行卡号',
  plate: '车牌号',
  address: '地址',
  work_unit: '工作单位',
};
interface Range {
  start: number;
  end: number;
  open: SafeHtml;
  close: SafeHtml;
}

/** The text with the ranges wrapped (ranges overlapping an earlier one in the list are left out; out-of-bounds ones too). */
function highlighted(text: string, ranges: Range[]): SafeHtml {
  const kept: Range[] = [];
  for (const r of ranges) {
    if (!(r.start >= 0 && r.end > r.start && r.end <= text.length)) continue;
    if (kept.some((k) => r.start < k.end && k.start < r.end)) continue;
    kept.push(r);
  }
  kept.sort((a, b) => a.start - b.start);
  const parts: SafeHtml[] = [];
  let at = 0;
  for (const r of kept) {
    parts.push(html`${text.slice(at, r.start)}${r.open}${text.slice(r.start, r.end)}${r.close}`);
    at = r.end;
  }
  parts.push(html`${text.slice(at)}`);
  return html`${parts}`;
}

const unsureId = (f: MaskedFieldName, i: number) => `unsure-${f}-${i + 1}`;

/** The original: the masker's unsure places marked and numbered, what it masked underlined. */
function originalText(f: MaskedFieldName, original: string, spans: MaskSpan[], unsure: Unsure[]): SafeHtml {
  const ranges: Range[] = [
    ...unsure.map((u, i) => ({
      start: u.start,
      end: u.end,
      open: html`<mark class="unsure" title="${u.reason}">`,
      close: html`</mark><sup><a href="#${unsureId(f, i)}">${FIELD_LABELS[f]} ${i + 1}</a></sup>`,
    })),
    ...spans.map((s) => ({
      start: s.start,
      end: s.end,
      open: html`<span class="pii" title="${KIND_LABELS[s.kind]}">`,
      close: html`</span>`,
    })),
  ];
  return highlighted(original, ranges);
}

/** The masked copy: each replacement in a <mark>, while the field is still the masker's text. */
function maskedText(masked: string, spans: MaskSpan[]): SafeHtml {
  return highlighted(
    masked,
    spans.map((s) => ({
      start: s.maskedStart,
      end: s.maskedEnd,
      open: html`<mark class="masked" data-kind="${s.kind}" title="已遮蔽：${KIND_LABELS[s.kind]}">`,
      close: html`</mark>`,
    })),
  );
}

export function compare(p: StaffView): SafeHtml {
  return html`${MASKED_FIELDS.map((f) => {
    const m = p.masking[f];
    const current = p[f];
    const unchanged = current === m.masked;
    const copy = unchanged ? maskedText(m.masked, m.spans) : html`${current}`;
    return html`<section class="compare" aria-labelledby="h-${f}">
<h2 id="h-${f}">${FIELD_LABELS[f]}</h2>
<div class="compare-cols">
<div class="compare-col compare-original"><h3>原文（不公开）</h3><div class="text" id="original-${f}">${originalText(f, m.original, m.spans, m.unsure)}</div></div>
<div class="compare-col compare-masked"><h3>公开稿${unchanged ? '（系统遮蔽）' : '（已人工修改）'}</h3><div class="text" id="masked-${f}">${copy}</div>
${!unchanged && html`<p class="hint">此项已人工修改，不再显示系统遮蔽标记。</p>`}</div>
</div>
</section>`;
  })}`;
}

export function unsureSection(p: StaffView, token: string, message?: string): SafeHtml | '' {
  if (p.unsureCount === 0) return '';
  const open = unsureOpen(p.masking, p);
  const items = MASKED_FIELDS.flatMap((f) =>
    p.masking[f].unsure.map(
      (u, i) =>
        html`<li id="${unsureId(f, i)}"><strong>${FIELD_LABELS[f]} ${i + 1}</strong>：<q>${p.masking[f].original.slice(u.start, u.end)}</q> · ${u.reason}${
          p[f] !== p.masking[f].masked ? html` <span class="tag">该项已人工修改</span>` : ''
        }</li>`,
    ),
  );
  const state = p.unsureConfirmed
    ? html`<p class="flash flash-ok">已确认核对。</p>`
    : open === 0
      ? html`<p>所在各项均已人工修改。</p>`
      : html`<p class="notice">尚有 ${open} 处待核对：请修改所在项，或逐处核对后确认，方可批准发布。</p>`;
  const confirm =
    p.status === 'draft' &&
    !p.unsureConfirmed &&
    html`<form method="post" action="/staff/publications/${p.id}/confirm-unsure" class="action-form">
${csrfField(token)}
${message && html`<p class="form-error" role="alert">${message}</p>`}
<p class="hint">已逐处核对以上内容，确认无需遮蔽或已处理。</p>
<div class="actions"><button type="submit">确认已检查</button></div>
</form>`;
  return html`<section class="why-box unsure-list" aria-labelledby="h-unsure">
<h2 id="h-unsure">待人工核对（${p.unsureCount} 处）</h2>
<ol>${items}</ol>
${state}
${confirm}
</section>`;
}

export interface Failure {
  action: Action;
  message: string;
  state: FormState;
}

export function actionForms(p: StaffView, token: string, failure?: Failure): SafeHtml {
  const stateOf = (a: Action) => (failure?.action === a ? failure.state : emptyForm());
  const messageOf = (a: Action) => failure?.action === a && html`<p class="form-error" role="alert">${failure.message}</p>`;
  const forms: SafeHtml[] = [];
  if (p.status === 'draft') {
    const edit = stateOf('edit');
    const values = failure?.action === 'edit' ? edit : { values: { subject: p.subject, content: p.content, answer: p.answer }, errors: {} };
    forms.push(html`<form method="post" action="/staff/publications/${p.id}/edit" class="action-form" id="act-edit">
${csrfField(token)}
<h3>人工修改公开稿</h3>
${errorSummary(edit.errors, ['subject', 'content', 'answer'], 'edit')}
${messageOf('edit')}
<p class="hint">只保存改动的项。批准时系统仍会检查写信人的姓名、电话、电子邮箱和身份证号码是否出现在公开稿中。</p>
${textField({ name: 'subject', label: '标题', required: true, state: values, scope: 'edit', maxlength: FIELD_MAX.subject })}
${textArea({ name: 'content', label: '来信内容', required: true, state: values, scope: 'edit', rows: 8, maxlength: FIELD_MAX.content })}
${textArea({ name: 'answer', label: '答复', required: true, state: values, scope: 'edit', rows: 8, maxlength: FIELD_MAX.answer })}
<div class="actions"><button type="submit">保存修改</button></div>
</form>`);
    forms.push(html`<form method="post" action="/staff/publications/${p.id}/approve" class="action-form" id="act-approve">
${csrfField(token)}
<h3>批准发布</h3>
${messageOf('approve')}
<p class="hint">批准后立即在网站“信件公开”栏目发布，发布时间由系统记录。</p>
<div class="actions"><button type="submit" class="primary">批准发布</button></div>
</form>`);
  }
  if (p.status !== 'taken_down') {
    const takeDown = stateOf('take-down');
    const title = p.status === 'published' ? '撤下' : '不予公开';
    forms.push(html`<form method="post" action="/staff/publications/${p.id}/take-down" class="action-form" id="act-take-down">
${csrfField(token)}
<h3>${title}</h3>
${errorSummary(takeDown.errors, ['reason'], 'down')}
${messageOf('take-down')}
${textArea({ name: 'reason', label: '撤下原因', required: true, state: takeDown, scope: 'down', rows: 3, maxlength: 500 })}
<div class="actions"><button type="submit">${title}</button></div>
</form>`);
  }
  return html`${forms}`;
}
