// The request form (条例 Art. 29) as plain HTML, shared by the public online form and the staff entry of a
// request that came by post, in person, fax or e-mail: its field names, how its strings become the JSON
// body the API takes (requestBody / staffEntryBody judge it), and how the schema's issues come back to
// the fields. A person fills in their name and identity document; an organisation its name, unified
// social credit code, legal representative and contact person.
import { choiceGroup, csrfField, errorSummary, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { CHANNEL_LABELS } from '../clock-rules.js';
import { APPLICANT_TYPE_LABELS, type ApplicantType } from '../outcomes.js';
import {
  ID_DOCUMENT_LABELS,
  ID_DOCUMENT_TYPES,
  RECEIVE_WAY_LABELS,
  RECEIVE_WAYS,
  REQUESTED_FORM_LABELS,
  REQUESTED_FORMS,
  STAFF_CHANNELS,
} from '../rules.js';

/** The form's field names, in the order the error summary lists them. */
export const REQUEST_FIELDS = [
  'channel',
  'submittedAt',
  'signedForAt',
  'confirmedAt',
  'mailReceivedAt',
  'applicant.type',
  'person.name',
  'person.idDocumentType',
  'person.idDocumentNumber',
  'org.name',
  'org.creditCode',
  'org.legalRepresentative',
  'org.contactPerson',
  'applicant.phone',
  'applicant.email',
  'applicant.address',
  'information.title',
  'information.docNumber',
  'information.description',
  'form',
  'receiveWay',
] as const;
const FIELD_SET = new Set<string>(REQUEST_FIELDS);

/** The fields of a posted form, each cut to a sane length; anything else is dropped. */
export function requestValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const s: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
    if (FIELD_SET.has(k) && typeof s === 'string') values[k] = s.slice(0, k === 'information.description' ? 4000 : 400);
    if (k === 'formId' && typeof s === 'string' && FORM_ID.test(s)) values.formId = s;
  }
  return values;
}

const isOrganisation = (type: string | undefined) => !!type && type !== 'natural_person' && Object.hasOwn(APPLICANT_TYPE_LABELS, type);
const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
/** "2026-10-10T09:30" (a datetime-local field, China time) → "2026-10-10T09:30:00+08:00"; other text as typed, for zod to judge. */
const chinaInstant = (v: string | undefined) => {
  const s = blank(v)?.trim();
  if (s === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s) ? `${s}:00+08:00` : s;
};

/** The form's strings as the JSON body of POST /api/disclosure-requests (and, with `staff`, of …/staff-entry). */
export function requestInput(v: Record<string, string | undefined>, staff = false): Record<string, unknown> {
  const type = blank(v['applicant.type']);
  const org = isOrganisation(type);
  const body: Record<string, unknown> = {
    applicant: {
      type,
      // Blank text stays '' (the schema's "请填写…" then does not stop the other checks, so every message shows at once).
      name: (org ? v['org.name'] : v['person.name']) ?? '',
      idDocumentType: org ? 'unified_credit_code' : blank(v['person.idDocumentType']),
      idDocumentNumber: (org ? v['org.creditCode'] : v['person.idDocumentNumber']) ?? '',
      phone: v['applicant.phone'] ?? '',
      email: (v['applicant.email'] ?? '').trim(),
      address: v['applicant.address'] ?? '',
      ...(org ? { legalRepresentative: v['org.legalRepresentative'] ?? '', contactPerson: v['org.contactPerson'] ?? '' } : {}),
    },
    information: {
      title: v['information.title'] ?? '',
      docNumber: v['information.docNumber'] ?? '',
      description: v['information.description'] ?? '',
    },
    form: blank(v.form),
    receiveWay: blank(v.receiveWay),
  };
  if (staff) {
    body.channel = blank(v.channel);
    for (const k of ['submittedAt', 'signedForAt', 'confirmedAt', 'mailReceivedAt'] as const) {
      const at = chinaInstant(v[k]);
      if (at !== undefined) body[k] = at;
    }
  }
  return body;
}

/** An issue's key ("body.applicant.name" or "applicant.name") → the form field that shows it. */
export function requestFieldOf(key: string, values: Record<string, string | undefined>): string {
  const path = key.replace(/^body\./, '');
  const org = isOrganisation(values['applicant.type']);
  switch (path) {
    case 'applicant.name':
      return org ? 'org.name' : 'person.name';
    case 'applicant.idDocumentType':
      return org ? 'org.creditCode' : 'person.idDocumentType';
    case 'applicant.idDocumentNumber':
      return org ? 'org.creditCode' : 'person.idDocumentNumber';
    case 'applicant.legalRepresentative':
      return 'org.legalRepresentative';
    case 'applicant.contactPerson':
      return 'org.contactPerson';
    default:
      return FIELD_SET.has(path) ? path : 'form-error';
  }
}

/** A refusal's field messages keyed by form field; one not tied to a field goes under 'form-error'. */
export function requestErrors(fields: Record<string, string> | undefined, values: Record<string, string | undefined>) {
  const errors: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields ?? {})) errors[requestFieldOf(key, values)] ??= message;
  return errors;
}

const PERSON_ID_TYPES = ID_DOCUMENT_TYPES.filter((t) => t !== 'unified_credit_code');
const optionsOf = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((k) => ({ value: k, label: labels[k] }));

export const RECEIPT_NOTICE =
  '网上提交的申请，以本局政府信息公开工作机构与您双方确认之日为收到申请之日（《中华人民共和国政府信息公开条例》第三十一条第（三）项）。' +
  '提交后您会得到申请编号和查询码；本局确认后即开始计算答复期限，您可以随时凭编号和查询码查询办理进度、答复期限及其计算依据。';

/** The staff entry's channel and the fact its receipt date is decided by (条例 Art. 31). */
function channelFields(s: FormState): SafeHtml {
  const at = (name: string, label: string, hint: string) =>
    textField({ name, label, state: s, type: 'text', hint: `${hint}格式：2026-10-10T09:30（北京时间）`, maxlength: 40 });
  return html`<h2>申请渠道</h2>
${choiceGroup({
  name: 'channel',
  label: '申请渠道',
  kind: 'radio',
  required: true,
  state: s,
  options: STAFF_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] })),
})}
${at('submittedAt', '当面提交时间', '当面提交的，以提交之日为收到申请之日；不填为现在。')}
${at('signedForAt', '签收时间', '邮寄的，以签收之日为收到申请之日；平常信件不填，待与申请人确认。')}
${at('confirmedAt', '确认时间', '传真、平常信件：与申请人确认的时间；未确认的不填，之后在申请页面确认。')}
${at('mailReceivedAt', '邮件系统接收时间', '电子邮件申请必填：以电子邮件系统接收之日为收到申请之日。')}`;
}

export interface RequestFormView {
  state: FormState;
  action: string;
  /** The staff entry: the channel and receipt facts come first. */
  staff?: boolean;
  formError?: string;
  submitLabel: string;
  /** Staff pages: the form's CSRF token. */
  csrf?: string;
  /** The public form's one-time id: with a digest of what was sent it is the Idempotency-Key (a reload files nothing twice). */
  formId?: string;
}

/** A form id as the page hands it out (and the only shape it takes back). */
export const FORM_ID = /^[A-Za-z0-9_-]{16,64}$/;

export function requestFormHtml(v: RequestFormView): SafeHtml {
  const s = v.state;
  const applicantTypes = (Object.keys(APPLICANT_TYPE_LABELS) as ApplicantType[]).map((t) => ({
    value: t,
    label: t === 'natural_person' ? APPLICANT_TYPE_LABELS[t] : `法人或者其他组织：${APPLICANT_TYPE_LABELS[t]}`,
  }));
  return html`<form method="post" action="${v.action}" class="stack request-form" id="request-form" novalidate>
${v.csrf && csrfField(v.csrf)}
${v.formId && html`<input type="hidden" name="formId" value="${v.formId}">`}
${errorSummary(s.errors, [...REQUEST_FIELDS])}
${v.formError && html`<p class="form-error" role="alert">${v.formError}</p>`}
<p class="hint">带 <span class="req">*</span> 的为必填项。</p>
${v.staff && channelFields(s)}
<h2>申请人信息</h2>
${choiceGroup({ name: 'applicant.type', label: '申请人类型', kind: 'radio', required: true, state: s, options: applicantTypes })}
<fieldset class="field-group" id="person-fields">
<legend>申请人是自然人的，填写以下各项</legend>
${textField({ name: 'person.name', label: '姓名', state: s, maxlength: 100, autocomplete: 'name', optionalMark: false })}
${selectField({
  name: 'person.idDocumentType',
  label: '身份证明类型',
  state: s,
  placeholder: '请选择',
  options: optionsOf(PERSON_ID_TYPES, ID_DOCUMENT_LABELS),
  optionalMark: false,
})}
${textField({ name: 'person.idDocumentNumber', label: '身份证明号码', state: s, maxlength: 50, autocomplete: 'off', optionalMark: false })}
</fieldset>
<fieldset class="field-group" id="org-fields">
<legend>申请人是法人或者其他组织的，填写以下各项</legend>
${textField({ name: 'org.name', label: '名称', state: s, maxlength: 100, autocomplete: 'organization', optionalMark: false })}
${textField({ name: 'org.creditCode', label: '统一社会信用代码', state: s, maxlength: 50, autocomplete: 'off', optionalMark: false })}
${textField({ name: 'org.legalRepresentative', label: '法定代表人或者负责人', state: s, maxlength: 50, optionalMark: false })}
${textField({ name: 'org.contactPerson', label: '联系人', state: s, maxlength: 50, optionalMark: false })}
</fieldset>
<p class="hint">联系电话、电子邮箱和通信地址至少填写一项；选择邮寄的须填写通信地址，选择电子邮件的须填写电子邮箱。</p>
${textField({ name: 'applicant.phone', label: '联系电话', state: s, type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 30 })}
${textField({ name: 'applicant.email', label: '电子邮箱', state: s, type: 'email', autocomplete: 'email', maxlength: 200 })}
${textField({ name: 'applicant.address', label: '通信地址', state: s, autocomplete: 'street-address', maxlength: 200 })}
<h2>所需政府信息</h2>
<p class="hint">信息名称、文号、特征性描述至少填写一项（条例第二十九条第二款第（二）项）。</p>
${textField({ name: 'information.title', label: '信息名称', state: s, maxlength: 200 })}
${textField({ name: 'information.docNumber', label: '文号', state: s, maxlength: 100, hint: '如 闽市监规〔2026〕7号' })}
${textArea({
  name: 'information.description',
  label: '便于查询的特征性描述',
  state: s,
  rows: 5,
  maxlength: 2000,
  hint: '如信息的形成时间、发布机关、涉及的事项等。',
})}
${choiceGroup({
  name: 'form',
  label: '所需信息的形式',
  kind: 'radio',
  required: true,
  state: s,
  options: optionsOf(REQUESTED_FORMS, REQUESTED_FORM_LABELS),
})}
${choiceGroup({
  name: 'receiveWay',
  label: '获取信息的方式',
  kind: 'radio',
  required: true,
  state: s,
  options: optionsOf(RECEIVE_WAYS, RECEIVE_WAY_LABELS),
})}
<div class="actions"><button type="submit" class="primary">${v.submitLabel}</button></div>
</form>`;
}
