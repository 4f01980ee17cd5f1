// The disclosure-request record's facts, declared once (pgEnum, zod, TypeScript): status, identity
// documents, the form wanted and how to receive it, and who may do what. The outcomes and applicant
// types are in outcomes.ts, the clock events and channels in clock-rules.ts.
import { DEPARTMENT_STAFF, type Role } from '../auth/roles.js';
import type { ClockEventKind } from './clock-rules.js';

/**
 * awaiting_confirmation: an online (or unsigned posted) request the office has not yet confirmed with the
 * applicant, so it has no receipt date (条例 Art. 31). There is no "refused at intake" (国办公开办函〔2017〕19号).
 */
export const REQUEST_STATUSES = ['awaiting_confirmation', 'in_progress', 'concluded', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  awaiting_confirmation: '待确认收到',
  in_progress: '办理中',
  concluded: '已办结',
  withdrawn: '已撤回',
};

/** 条例 Art. 29(一) 身份证明. */
export const ID_DOCUMENT_TYPES = [
  'resident_id',
  'passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_permanent_residence',
  'unified_credit_code',
  'other',
] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];
export const ID_DOCUMENT_LABELS: Record<IdDocumentType, string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  foreign_permanent_residence: '外国人永久居留身份证',
  unified_credit_code: '统一社会信用代码证明',
  other: '其他身份证明',
};

/** 条例 Art. 29(三) and Art. 40: the form wanted. */
export const REQUESTED_FORMS = ['paper', 'electronic', 'email', 'on_site_reading'] as const;
export type RequestedForm = (typeof REQUESTED_FORMS)[number];
export const REQUESTED_FORM_LABELS: Record<RequestedForm, string> = {
  paper: '纸质文本',
  electronic: '电子数据',
  email: '电子邮件',
  on_site_reading: '当场阅读、抄录',
};

/** How the applicant receives it. */
export const RECEIVE_WAYS = ['post', 'pick_up', 'email', 'online'] as const;
export type ReceiveWay = (typeof RECEIVE_WAYS)[number];
export const RECEIVE_WAY_LABELS: Record<ReceiveWay, string> = {
  post: '邮寄',
  pick_up: '自行领取',
  email: '电子邮件',
  online: '网上获取',
};

/** Channels staff enter (measures Art. 32: the service centre enters a letter the day it arrives). */
export const STAFF_CHANNELS = ['post', 'in_person', 'fax', 'email'] as const;

/** Who enters requests that did not come online, and confirms online ones: the service centre and the office. */
export const REQUEST_INTAKE = ['service_center', 'office'] as const satisfies readonly Role[];
/** Who reads the requests: the intake roles, the bureau leaders and administrators. */
export const REQUEST_READERS = ['service_center', 'office', 'bureau_leader', 'admin'] as const satisfies readonly Role[];
/** Who opens the staff list and a request's page: the readers (all) and department staff (those routed to their department). */
export const REQUEST_LIST_VIEWERS = [...REQUEST_READERS, ...DEPARTMENT_STAFF] as const satisfies readonly Role[];
/** Who records clock events: the office; the service centre also the arrival of a supplement. */
export const REQUEST_EVENT_ACTORS = ['office', 'service_center'] as const satisfies readonly Role[];

/**
 * The role each clock event needs. An extension needs the head of the disclosure office (条例 Art. 33(2)):
 * the role office. Withdrawal is the applicant's, with the access code.
 */
export const EVENT_ROLES: Record<Exclude<ClockEventKind, 'withdrawn'>, readonly Role[]> = {
  correction_requested: ['office'],
  supplement_received: ['office', 'service_center'],
  consultation_opened: ['office'],
  consultation_closed: ['office'],
  fee_notified: ['office'],
  fee_paid: ['office', 'service_center'],
  extended: ['office'],
  later_date_set: ['office'],
  concluded: ['office'],
  // The delivery of the signed answer (235号): the office, or the service centre handing it over.
  delivered: ['office', 'service_center'],
};

/** Reminders go to the office this many working days before the answer deadline. */
export const REMINDER_WORKING_DAYS_BEFORE = 3;
