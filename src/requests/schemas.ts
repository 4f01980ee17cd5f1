import { z } from 'zod';
import { TRACKING_NO_PATTERN } from '../mailbox/codes.js';
import { id32, idParam, isoDate, requiredText, safeString } from '../server/schema-types.js';
import {
  CHANNELS,
  CLOCK_EVENT_KINDS,
  CLOCK_STATES,
  CONSULTED_PARTIES,
  DEFAULT_FEE_PERIOD_WORKING_DAYS,
  MAX_EXTENSION_WORKING_DAYS,
} from './clock-rules.js';
import { accessRequired, reasonsRequired } from './answer-letter.js';
import { DELIVERY_METHODS } from './delivery-rules.js';
import { FEE_METHODS, FEE_SETTINGS } from './fee-rules.js';
import { APPLICANT_TYPE_LABELS, APPLICANT_TYPES, REQUEST_OUTCOMES } from './outcomes.js';
import { HANDLING_STEPS } from './routing-rules.js';
import { ID_DOCUMENT_LABELS, ID_DOCUMENT_TYPES, RECEIVE_WAYS, REQUEST_STATUSES, REQUESTED_FORMS, STAFF_CHANNELS } from './rules.js';

const optionalText = (label: string, max: number) => safeString().trim().max(max, `${label}不能超过 ${max} 个字`).default('');
const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label}格式不正确，应为带时区的时间，如 2026-10-10T09:30:00+08:00` });

/** The applicant object as sent names an organisation type (whatever else in it failed). */
const isOrganisationPayload = (p: { value: unknown }) => {
  const type = (p.value as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' && type !== 'natural_person' && (APPLICANT_TYPES as readonly string[]).includes(type);
};

/** 条例 Art. 29(一): name, proof of identity, contact. */
const applicant = z
  .object({
    type: z.enum(APPLICANT_TYPES, { error: `请选择申请人类型：${Object.values(APPLICANT_TYPE_LABELS).join('、')}` }),
    name: requiredText('姓名或者名称', 100),
    idDocumentType: z.enum(ID_DOCUMENT_TYPES, { error: `请选择身份证明类型：${Object.values(ID_DOCUMENT_LABELS).join('、')}` }),
    idDocumentNumber: requiredText('身份证明号码', 50),
    phone: optionalText('联系电话', 30),
    email: z.union([z.literal(''), z.email('电子邮箱格式不正确').max(200, '电子邮箱不能超过 200 个字')]).default(''),
    address: optionalText('通信地址', 200),
    /** An organisation's 法定代表人（负责人） and 联系人 (the national application form's rows). */
    // Optional in the output type too, so callers that predate them (services, tests) need not name them.
    legalRepresentative: safeString().trim().max(50, '法定代表人不能超过 50 个字').optional(),
    contactPerson: safeString().trim().max(50, '联系人不能超过 50 个字').optional(),
  })
  // An organisation's two facts are checked even when another field failed (`when`), so a form shows every message at once.
  .refine((a) => a.type === 'natural_person' || !!a.legalRepresentative, {
    path: ['legalRepresentative'],
    message: '法人或者其他组织申请的，请填写法定代表人或者负责人',
    when: isOrganisationPayload,
  })
  .refine((a) => a.type === 'natural_person' || !!a.contactPerson, {
    path: ['contactPerson'],
    message: '法人或者其他组织申请的，请填写联系人',
    when: isOrganisationPayload,
  })
  .superRefine((a, ctx) => {
    if (!a.phone && !a.email && !a.address)
      ctx.addIssue({ code: 'custom', path: ['phone'], message: '请至少填写一种联系方式（电话、电子邮箱或通信地址）' });
  });

/** 条例 Art. 29(二): the title, the 文号 or a description — at least one. */
const information = z
  .object({
    title: optionalText('信息名称', 200),
    docNumber: optionalText('文号', 100),
    description: optionalText('特征性描述', 2000),
  })
  .superRefine((i, ctx) => {
    if (!i.title && !i.docNumber && !i.description)
      ctx.addIssue({ code: 'custom', path: ['description'], message: '请至少填写所需信息的名称、文号或便于查询的特征性描述之一' });
  });

const requestFields = {
  applicant,
  information,
  form: z.enum(REQUESTED_FORMS, { error: '请选择所需信息的形式：纸质文本、电子数据、电子邮件或当场阅读、抄录' }),
  receiveWay: z.enum(RECEIVE_WAYS, { error: '请选择获取信息的方式：邮寄、自行领取、电子邮件或网上获取' }),
};

const receiveWayNeeds = (b: { applicant: { email: string; address: string }; receiveWay: string }, ctx: z.RefinementCtx) => {
  if (b.receiveWay === 'post' && !b.applicant.address)
    ctx.addIssue({ code: 'custom', path: ['applicant', 'address'], message: '选择邮寄的，请填写通信地址' });
  if (b.receiveWay === 'email' && !b.applicant.email)
    ctx.addIssue({ code: 'custom', path: ['applicant', 'email'], message: '选择电子邮件的，请填写电子邮箱' });
};

/** The public online form. */
export const requestBody = z.object(requestFields).superRefine(receiveWayNeeds);

/** A request staff enter: its channel and the fact its receipt is decided by (条例 Art. 31). */
export const staffEntryBody = z
  .object({
    ...requestFields,
    channel: z.enum(STAFF_CHANNELS, { error: '请选择申请渠道：邮寄、当面提交、传真或电子邮件' }),
    submittedAt: instant('提交时间').optional(),
    signedForAt: instant('签收时间').optional(),
    confirmedAt: instant('确认时间').optional(),
    mailReceivedAt: instant('邮件系统接收时间').optional(),
  })
  .superRefine(receiveWayNeeds);

export const requestParams = z.object({ id: idParam('申请编号应为正整数') });
export const numberParams = z.object({
  number: z.string({ error: '请填写申请编号' }).trim().toUpperCase().regex(TRACKING_NO_PATTERN, '申请编号格式不正确'),
});
export const lookupQuery = z.object({
  number: z.string({ error: '请填写申请编号' }).trim().toUpperCase().regex(TRACKING_NO_PATTERN, '申请编号格式不正确'),
  accessCode: requiredText('查询码', 20),
});
export const withdrawBody = z.object({ accessCode: requiredText('查询码', 20) });
export const confirmBody = z.object({ confirmedAt: instant('确认时间').optional() });

const days = (label: string, max: number) =>
  z
    .number({ error: `${label}应为 1 到 ${max} 的整数` })
    .int(`${label}应为整数`)
    .min(1, `${label}至少 1 个工作日`)
    .max(max, `${label}最长不得超过 ${max} 个工作日`);
const on = isoDate.optional();

/** A clock event the office (or the service centre) records; `on` defaults to today (China time). */
export const eventBody = z
  .discriminatedUnion(
    'kind',
    [
      z.object({
        kind: z.literal('correction_requested'),
        on,
        periodDays: days('补正期限', 60),
        points: z.array(requiredText('补正事项', 500), { error: '请列出需要补正的事项' }).min(1, '请一次性列出需要补正的全部事项').max(20),
      }),
      z.object({ kind: z.literal('supplement_received'), on }),
      z.object({
        kind: z.literal('consultation_opened'),
        on,
        party: z.enum(CONSULTED_PARTIES, { error: '请选择征求意见的对象：第三方或其他机关' }),
        addressee: requiredText('征求意见对象名称', 200),
      }),
      z.object({ kind: z.literal('consultation_closed'), on, consultationId: id32('征求意见编号应为正整数') }),
      z.object({
        kind: z.literal('fee_notified'),
        on,
        periodDays: days('缴费期限', 60).default(DEFAULT_FEE_PERIOD_WORKING_DAYS),
        /** 109号 Art. 3: one method per request; the fee is computed from FEE_SETTINGS (fee-rules.ts). */
        method: z.enum(FEE_METHODS, {
          error: `请选择计费方式：${FEE_METHODS.map((m) => FEE_SETTINGS[m].label).join('或')}（国办函〔2020〕109号第三条）`,
        }),
        quantity: z
          .number({ error: '请填写本申请的件数或页数（正整数）' })
          .int('件数或页数应为整数')
          .min(1, '件数或页数至少为 1')
          .max(100_000, '件数或页数不能超过 100000'),
        detail: optionalText('收费说明', 1000),
      }),
      z.object({ kind: z.literal('fee_paid'), on }),
      z.object({
        kind: z.literal('extended'),
        on,
        days: days('延长的期限', MAX_EXTENSION_WORKING_DAYS),
        reason: requiredText('延长理由', 500),
      }),
      z.object({ kind: z.literal('later_date_set'), on, date: isoDate, reason: requiredText('延迟答复的理由', 500) }),
      z.object({
        kind: z.literal('concluded'),
        on,
        outcome: z.enum(REQUEST_OUTCOMES, { error: '请从答复类型中选择一项' }),
        /** What the answer letter states (answer-letter.ts): reasons, access, the responsible agency. */
        reasons: optionalText('理由', 5000),
        access: z
          .object({
            form: requiredText('获取方式', 200),
            place: requiredText('获取地点', 200),
            time: requiredText('获取时间', 200),
          })
          .optional(),
        responsibleAgency: z.object({ name: requiredText('负责公开的机关名称', 200), contact: optionalText('联系方式', 200) }).optional(),
      }),
    ],
    { error: '请选择计时事项类型' },
  )
  .superRefine((b, ctx) => {
    if (b.kind !== 'concluded') return;
    // 条例 Art. 36(三), Art. 37: reasons for every refusal or non-provision; Art. 36(一)(二): how, where, when.
    if (reasonsRequired(b.outcome) && !b.reasons)
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: '该处理结果须说明理由（条例第三十六条、第三十七条）' });
    if (accessRequired(b.outcome) && !b.access)
      ctx.addIssue({
        code: 'custom',
        path: ['access'],
        message: '予以公开或者部分公开的，须写明获取信息的方式、地点和时间（条例第三十六条第（一）项、第（二）项）',
      });
    if (b.responsibleAgency && b.outcome !== 'cannot_not_held')
      ctx.addIssue({
        code: 'custom',
        path: ['responsibleAgency'],
        message: '只有“本机关不掌握相关政府信息”的答复才写明负责公开的机关（条例第三十六条第（五）项）',
      });
  });
export type EventBody = z.infer<typeof eventBody>;

const explanationLine = z.object({ kind: z.string(), text: z.string(), dates: z.array(z.string()) });
const clockView = z.object({
  state: z.enum(CLOCK_STATES).nullable(),
  stateLabel: z.string(),
  receivedOn: z.string().nullable(),
  deadline: z.string().nullable(),
  correctionNoticeDue: z.string().nullable(),
  supplementDue: z.string().nullable(),
  feeDue: z.string().nullable(),
  pausedWorkingDays: z.number(),
  extensionDays: z.number(),
  openConsultations: z.array(z.object({ ref: z.number(), party: z.enum(CONSULTED_PARTIES), openedOn: z.string(), windowEnd: z.string() })),
  explanation: z.array(explanationLine),
});

export const createdRequest = z.object({ id: z.number(), number: z.string(), accessCode: z.string(), status: z.enum(REQUEST_STATUSES) });

/** The fee of the latest fee notice with the calculation shown to the applicant (109号). */
const feeView = z.object({
  method: z.enum(FEE_METHODS),
  quantity: z.number(),
  amountYuan: z.number(),
  notifiedOn: z.string(),
  /** The end of the payment period; null once paid. */
  dueOn: z.string().nullable(),
  paid: z.boolean(),
  lines: z.array(z.string()),
});

export const applicantView = z.object({
  number: z.string(),
  status: z.enum(REQUEST_STATUSES),
  statusLabel: z.string(),
  channel: z.enum(CHANNELS),
  outcome: z.enum(REQUEST_OUTCOMES).nullable(),
  outcomeLabel: z.string().nullable(),
  clock: clockView,
  fee: feeView.nullable(),
  /** Whether the answer letter can be fetched (concluded and signed). */
  letterReady: z.boolean(),
});

export const requestEventView = z.object({
  id: z.number(),
  kind: z.enum(CLOCK_EVENT_KINDS),
  on: z.string(),
  days: z.number().nullable(),
  party: z.enum(CONSULTED_PARTIES).nullable(),
  consultationEventId: z.number().nullable(),
  laterDate: z.string().nullable(),
  outcome: z.enum(REQUEST_OUTCOMES).nullable(),
  detail: z.string(),
  actor: z.string(),
  createdAt: z.string(),
});

export const staffRequestView = applicantView.extend({
  id: z.number(),
  applicant: z.object({
    type: z.enum(APPLICANT_TYPES),
    name: z.string(),
    idDocumentType: z.enum(ID_DOCUMENT_TYPES),
    idDocumentNumber: z.string(),
    phone: z.string(),
    email: z.string(),
    address: z.string(),
    legalRepresentative: z.string(),
    contactPerson: z.string(),
  }),
  information: z.object({ title: z.string(), docNumber: z.string(), description: z.string() }),
  form: z.enum(REQUESTED_FORMS),
  receiveWay: z.enum(RECEIVE_WAYS),
  receiptBasis: z.string().nullable(),
  handling: z.object({
    step: z.enum(HANDLING_STEPS).nullable(),
    stepLabel: z.string().nullable(),
    since: z.string().nullable(),
    /** The step's working-day limit (routing-rules.ts). */
    dueOn: z.string().nullable(),
    holdingDepartmentId: z.number().nullable(),
    draft: z.string(),
    signedAt: z.string().nullable(),
  }),
  conclusion: z.object({
    reasons: z.string(),
    access: z.object({ form: z.string(), place: z.string(), time: z.string() }).nullable(),
    responsibleAgency: z.object({ name: z.string(), contact: z.string() }).nullable(),
  }),
  delivery: z
    .object({
      method: z.enum(DELIVERY_METHODS),
      methodLabel: z.string(),
      postedOn: z.string().nullable(),
      signedOn: z.string().nullable(),
      countsOn: z.string(),
      countsAs: z.string(),
      deadline: z.string(),
      inTime: z.boolean(),
      daysLate: z.number(),
      explanation: z.string(),
    })
    .nullable(),
  /** An earlier answered request of the same applicant for the same information (条例 Art. 36(六)): offered, not decided. */
  repeatOf: z.object({ number: z.string(), answeredOn: z.string(), by: z.enum(['document_number', 'title']) }).nullable(),
  events: z.array(requestEventView),
});
export type StaffRequestView = z.infer<typeof staffRequestView>;

export const requestListItem = z.object({
  id: z.number(),
  number: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(REQUEST_STATUSES),
  applicantName: z.string(),
  receivedOn: z.string().nullable(),
  deadline: z.string().nullable(),
  clockState: z.enum(CLOCK_STATES).nullable(),
});
export const requestList = z.object({ items: z.array(requestListItem) });

export const routeBody = z.object({ departmentId: id32('请选择承办处室') });
export const draftBody = z.object({ draft: requiredText('拟办答复意见', 5000) });

/** The public form's Idempotency-Key (as POST /api/letters takes it). */
export const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8, 'Idempotency-Key 至少 8 个字符').max(200).optional() });
