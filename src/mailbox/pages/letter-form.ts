import type { FastifyRequest } from 'fastify';
import { MAX_ATTACHMENTS, MAX_TOTAL_ATTACHMENT_BYTES, type StagedAttachment } from '../attachments.js';
import { fingerprintOf } from '../service/intake.js';
import { spoolUpload } from '../uploads.js';
import { letterBody, type LetterBody } from '../schemas.js';
import { choiceGroup, errorSummary, fieldId, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html, raw, type SafeHtml } from '../../web/html.js';

/** The form's field names: the paths of letterBody, so zod's issue paths name the fields directly. */
export const LETTER_FIELDS = [
  'type',
  'convenienceItemId',
  'departmentId',
  'subject',
  'content',
  'attachments',
  'writer.name',
  'writer.phone',
  'writer.email',
  'allowPublication',
  'website',
] as const;
const TEXT_FIELDS = new Set<string>([...LETTER_FIELDS.filter((f) => f !== 'attachments'), 'formId']);

export interface LetterForm {
  values: Record<string, string>;
  /** The files as spooled to `folder`; checked (type, sizes) by intake like a JSON letter's. */
  attachments: StagedAttachment[];
  /** Problems found while reading the upload itself (too many files, a body that did not arrive whole). */
  uploadErrors: Record<string, string>;
}

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
const intOrRaw = (v: string | undefined) => {
  const s = blankToUndefined(v)?.trim();
  return s === undefined ? undefined : /^\d{1,9}$/.test(s) ? Number(s) : s;
};

/** The form's strings as the JSON body POST /api/letters takes, for letterBody to judge. */
export function letterInput(values: Record<string, string | undefined>): Record<string, unknown> {
  const email = blankToUndefined(values['writer.email'])?.trim();
  const convenienceItemId = intOrRaw(values.convenienceItemId);
  const publication = values.allowPublication;
  return {
    writer: {
      name: blankToUndefined(values['writer.name']),
      phone: blankToUndefined(values['writer.phone']),
      ...(email ? { email } : {}),
    },
    type: blankToUndefined(values.type),
    ...(convenienceItemId !== undefined ? { convenienceItemId } : {}),
    departmentId: intOrRaw(values.departmentId),
    subject: blankToUndefined(values.subject),
    content: blankToUndefined(values.content),
    allowPublication: publication === 'yes' ? true : publication === 'no' ? false : undefined,
    ...(values.website ? { website: values.website } : {}),
  };
}

/** zod issue path → form field name. */
export function fieldOfPath(path: readonly PropertyKey[]): string {
  if (path[0] === 'attachments') return 'attachments';
  return path.map(String).join('.') || 'form';
}

/**
 * Validates the text fields with the API's own schema (letterBody); the errors are keyed by form
 * field name. The files are checked by intake (checkAttachments), as a JSON letter's are.
 */
export function validateLetter(
  values: Record<string, string | undefined>,
): { body: LetterBody; errors: null } | { body: null; errors: Record<string, string> } {
  const parsed = letterBody.safeParse(letterInput(values));
  if (parsed.success) return { body: parsed.data, errors: null };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[fieldOfPath(issue.path)] ??= issue.message;
  return { body: null, errors };
}

/**
 * Reads the no-JavaScript multipart post (or an urlencoded one). Files are spooled to `dir` as they
 * arrive (busboy cuts each at MAX_ATTACHMENT_BYTES + 1 and marks it truncated); only the first
 * MAX_ATTACHMENTS + 1 are kept, so that "too many" can be reported, and the rest are drained.
 */
export async function readLetterForm(req: FastifyRequest, dir: string): Promise<LetterForm> {
  const values: Record<string, string> = {};
  const attachments: StagedAttachment[] = [];
  const uploadErrors: Record<string, string> = {};
  if (!req.isMultipart()) {
    for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
      if (TEXT_FIELDS.has(k)) values[k] = String(Array.isArray(v) ? v[0] : v);
    }
    return { values, attachments, uploadErrors };
  }
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'attachments' || attachments.length > MAX_ATTACHMENTS) {
          part.file.resume();
          continue;
        }
        const file = await spoolUpload(part.file, dir, (part.filename || '附件').slice(0, 200));
        if (!part.filename && file.size === 0) continue; // the empty file input of a form sent without files
        attachments.push(file);
      } else if (TEXT_FIELDS.has(part.fieldname) && values[part.fieldname] === undefined) {
        values[part.fieldname] = typeof part.value === 'string' ? part.value : '';
      }
    }
  } catch (err) {
    req.log.warn({ err }, 'letter form: multipart body could not be read completely');
    uploadErrors.form = '提交的内容不完整或过大，请检查后重新提交';
  }
  return { values, attachments, uploadErrors };
}

/**
 * An Idempotency-Key for receiveLetter: the form's one-time id plus a digest of what was sent, so
 * reloading the confirmation page (the browser posts again) shows the same letter and code instead
 * of filing a duplicate, while a different letter sent from the same page is a new letter.
 */
export function idempotencyKeyOf(formId: string | undefined, body: LetterBody, files: StagedAttachment[]): string | undefined {
  if (!formId || !/^[A-Za-z0-9_-]{16,64}$/.test(formId)) return undefined;
  const digest = fingerprintOf(body, files);
  return `web-letter:${formId}:${digest}`;
}

export interface LetterFormView {
  state: FormState;
  formId: string;
  departments: { id: number; name: string }[];
  convenienceItems: { id: number; name: string; departmentName: string }[];
  limits: { suggestion: number; report: number };
  /** A problem not tied to one field (e.g. the letter could not be stored). */
  formError?: string;
  /** Attachments were sent and must be chosen again (browsers cannot refill a file input). */
  attachmentsDropped?: boolean;
}

const ATTACHMENT_ACCEPT = '.jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf';
const PRIVACY_NOTE =
  '您填写的姓名、联系电话和电子邮箱仅用于办理、答复您的来信和必要的联系核实，' + '本局依法予以保护，不会对外公开，也不会用于其他用途。';

export function letterFormHtml(v: LetterFormView): SafeHtml {
  const s = v.state;
  const formAttributes = raw('method="post" action="/letter" enctype="multipart/form-data" class="letter-form" id="letter-form"');
  return html`<form ${formAttributes} data-validate-url="/letter/validate">
${errorSummary(s.errors, [...LETTER_FIELDS])}
${v.formError && html`<p class="form-error" role="alert">${v.formError}</p>`}
<input type="hidden" name="formId" value="${v.formId}">
<div class="hp" aria-hidden="true">
  <label for="${fieldId('website')}">网址（请勿填写此项）</label>
  <input id="${fieldId('website')}" name="website" type="text" value="" tabindex="-1" autocomplete="off">
</div>
<p class="hint">带 <span class="req">*</span> 的为必填项。</p>
${choiceGroup({
  name: 'type',
  label: '来信类型',
  kind: 'radio',
  required: true,
  state: s,
  options: [
    { value: 'complaint', label: '投诉', hint: '10 个工作日内答复；投诉便民服务事项的，3 个工作日内答复' },
    { value: 'inquiry', label: '咨询', hint: '2 个工作日内答复' },
    { value: 'suggestion', label: '建言献策', hint: `${v.limits.suggestion} 个工作日内答复` },
    { value: 'report', label: '情况反映', hint: `${v.limits.report} 个工作日内答复` },
  ],
})}
${selectField({
  name: 'convenienceItemId',
  label: '投诉的便民服务事项',
  state: s,
  placeholder: '不涉及便民服务事项',
  hint: '仅投诉时选择。投诉事项属于本局便民服务事项清单的，3 个工作日内答复。',
  options: v.convenienceItems.map((i) => ({ value: String(i.id), label: `${i.name}（${i.departmentName}）` })),
  extraClass: 'complaint-only',
})}
${selectField({
  name: 'departmentId',
  label: '来信涉及的处室',
  required: true,
  state: s,
  placeholder: '请选择处室',
  hint: '不确定时请选择最接近的处室，本局会转交责任处室办理。',
  options: v.departments.map((d) => ({ value: String(d.id), label: d.name })),
})}
${textField({ name: 'subject', label: '标题', required: true, state: s, maxlength: 100, hint: '不超过 100 字' })}
${textArea({
  name: 'content',
  label: '来信内容',
  required: true,
  state: s,
  rows: 10,
  maxlength: 5000,
  counter: true,
  hint: '请写明事情经过、涉及的经营者名称和地址、您的诉求，不超过 5000 字。',
})}
<div class="field${s.errors.attachments ? ' has-error' : ''}" data-field="attachments">
  <label for="${fieldId('attachments')}">附件<span class="optional">（选填）</span></label>
  <p class="hint" id="${fieldId('attachments')}-hint">最多 ${MAX_ATTACHMENTS} 个，合计不超过 ${
    MAX_TOTAL_ATTACHMENT_BYTES / 1024 / 1024
  } MB，仅限 JPG、PNG 图片或 PDF 文件。${v.attachmentsDropped ? '出于安全原因，之前选择的附件需要重新选择。' : ''}</p>
  <p class="field-error" id="${fieldId('attachments')}-error" data-error-for="attachments"${
    s.errors.attachments ? '' : raw(' hidden')
  }>${s.errors.attachments ?? ''}</p>
  <input id="${fieldId('attachments')}" name="attachments" type="file" multiple accept="${ATTACHMENT_ACCEPT}" aria-describedby="${fieldId(
    'attachments',
  )}-hint ${fieldId('attachments')}-error"${s.errors.attachments ? raw(' aria-invalid="true"') : ''}>
</div>
<h3>来信人信息</h3>
<p class="privacy" id="privacy-note"><strong>个人信息保护：</strong>${PRIVACY_NOTE}</p>
${textField({ name: 'writer.name', label: '姓名', required: true, state: s, maxlength: 50, autocomplete: 'name' })}
${textField({
  name: 'writer.phone',
  label: '联系电话',
  required: true,
  state: s,
  type: 'tel',
  autocomplete: 'tel',
  inputmode: 'tel',
  maxlength: 30,
  hint: '手机号码或固定电话（如 0591-87612345），用于办理中联系您。',
})}
${textField({ name: 'writer.email', label: '电子邮箱', state: s, type: 'email', autocomplete: 'email', maxlength: 200 })}
${choiceGroup({
  name: 'allowPublication',
  label: '是否同意公开来信和答复',
  kind: 'radio',
  required: true,
  state: s,
  hint: '本局可能在网站选登部分来信及答复，公开时不包含您的姓名、电话等个人信息。是否同意公开不影响办理。',
  options: [
    { value: 'yes', label: '同意公开' },
    { value: 'no', label: '不同意公开' },
  ],
})}
<div class="actions"><button type="submit" class="primary">提交来信</button></div>
</form>`;
}
