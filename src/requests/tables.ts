import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from '../auth/tables.js';
import { departments } from '../departments/tables.js';
import { CHANNELS, CLOCK_EVENT_KINDS, CLOCK_STATES, CONSULTED_PARTIES } from './clock-rules.js';
import { DELIVERY_METHODS } from './delivery-rules.js';
import type { FeeCalculation, FeeMethod } from './fee-rules.js';
import { APPLICANT_TYPES, REQUEST_OUTCOMES } from './outcomes.js';
import { HANDLING_STEPS } from './routing-rules.js';
import { ID_DOCUMENT_TYPES, RECEIVE_WAYS, REQUEST_STATUSES, REQUESTED_FORMS } from './rules.js';

export const requestChannel = pgEnum('request_channel', CHANNELS);
export const requestStatus = pgEnum('request_status', REQUEST_STATUSES);
export const requestClockState = pgEnum('request_clock_state', CLOCK_STATES);
export const applicantType = pgEnum('request_applicant_type', APPLICANT_TYPES);
export const idDocumentType = pgEnum('request_id_document_type', ID_DOCUMENT_TYPES);
export const requestedForm = pgEnum('request_form', REQUESTED_FORMS);
export const receiveWay = pgEnum('request_receive_way', RECEIVE_WAYS);
export const requestOutcome = pgEnum('request_outcome', REQUEST_OUTCOMES);
export const requestEventKind = pgEnum('request_event_kind', CLOCK_EVENT_KINDS);
export const consultedParty = pgEnum('request_consulted_party', CONSULTED_PARTIES);
export const handlingStep = pgEnum('request_handling_step', HANDLING_STEPS);
export const deliveryMethod = pgEnum('request_delivery_method', DELIVERY_METHODS);

/** How, where and when the applicant gets the information (条例 Art. 36(一)(二)), as the letter prints it. */
export interface LetterAccess {
  form: string;
  place: string;
  time: string;
}
/** The agency responsible for information this office does not hold (Art. 36(五)). */
export interface ResponsibleAgency {
  name: string;
  contact: string;
}
/** A fee notice's calculation (109号) with what it was computed from. */
export interface StoredFee {
  method: FeeMethod;
  /** The pieces or pages of this request. */
  quantity: number;
  calculation: FeeCalculation;
}

/** A disclosure request (依申请公开, issue 17): the applicant, what is sought, the receipt by channel, the outcome. */
export const disclosureRequests = pgTable(
  'disclosure_requests',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** Shown to the applicant with the access code, e.g. 261203-K7Q3M (src/mailbox/codes.ts). */
    number: text().notNull().unique(),
    accessCodeHash: text().notNull(),
    channel: requestChannel().notNull(),
    status: requestStatus().notNull(),
    /** The channel facts receipt is decided by (clock-rules.ts receiptOf). */
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    signedForAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    mailReceivedAt: timestamp({ withTimezone: true }),
    /** Set once the receipt is established; null while awaiting confirmation. */
    receivedAt: timestamp({ withTimezone: true }),
    receivedOn: date({ mode: 'string' }),
    startOn: date({ mode: 'string' }),
    receiptBasis: text(),
    applicantType: applicantType().notNull(),
    applicantName: text().notNull(),
    idDocumentType: idDocumentType().notNull(),
    idDocumentNumber: text().notNull(),
    phone: text().notNull().default(''),
    email: text().notNull().default(''),
    address: text().notNull().default(''),
    /** An organisation's legal representative (负责人) and contact person; '' for a natural person. */
    legalRepresentative: text().notNull().default(''),
    contactPerson: text().notNull().default(''),
    infoTitle: text().notNull().default(''),
    infoDocNumber: text().notNull().default(''),
    infoDescription: text().notNull().default(''),
    form: requestedForm().notNull(),
    receiveWay: receiveWay().notNull(),
    outcome: requestOutcome(),
    concludedOn: date({ mode: 'string' }),
    /** The clock as last computed, for lists and the digest; the events are the truth. */
    clockState: requestClockState(),
    deadline: date({ mode: 'string' }),
    /** The deadline the office was last reminded of, and the one it was last told had passed (once each). */
    remindedFor: date({ mode: 'string' }),
    overdueFor: date({ mode: 'string' }),
    enteredBy: integer().references(() => staff.id),
    /** The handling route (routing-rules.ts): the step, the day it began, the holding department, the draft. */
    handlingStep: handlingStep(),
    stepSince: date({ mode: 'string' }),
    holdingDepartmentId: integer().references(() => departments.id),
    draft: text().notNull().default(''),
    signedBy: integer().references(() => staff.id),
    signedAt: timestamp({ withTimezone: true }),
    /** What the conclusion states for the letter (answer-letter.ts): reasons, access, responsible agency. */
    reasons: text().notNull().default(''),
    access: jsonb().$type<LetterAccess>(),
    responsibleAgency: jsonb().$type<ResponsibleAgency>(),
    /** The delivery of the answer (delivery-rules.ts, 235号): the day that counts and whether it met the deadline. */
    deliveryMethod: deliveryMethod(),
    deliveryPostedOn: date({ mode: 'string' }),
    deliverySignedOn: date({ mode: 'string' }),
    deliveryCountsOn: date({ mode: 'string' }),
    deliveryDeadline: date({ mode: 'string' }),
    deliveryInTime: boolean(),
    /** The public form's Idempotency-Key (SHA-256), the body's fingerprint and the access code sealed with the key (mailbox codes.ts). */
    idempotencyKey: text().unique(),
    idempotencyFingerprint: text(),
    accessCodeSealed: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The outbox to the request's workflow: a change bumps changeSeq; the sweeper signals until synced. */
    changeSeq: integer().notNull().default(1),
    syncedSeq: integer().notNull().default(0),
  },
  (t) => [
    index('disclosure_requests_status_idx').on(t.status, t.deadline),
    index('disclosure_requests_unsynced_idx')
      .on(t.id)
      .where(sql`change_seq > synced_seq`),
  ],
);

/** The clock events of a request, append-only, with who recorded them and when. */
export const disclosureRequestEvents = pgTable(
  'disclosure_request_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    requestId: bigint({ mode: 'number' })
      .notNull()
      .references(() => disclosureRequests.id),
    kind: requestEventKind().notNull(),
    /** The China date the event takes effect. */
    on: date({ mode: 'string' }).notNull(),
    /** 补正 and fee periods, extension days (working days). */
    days: integer(),
    party: consultedParty(),
    /** For consultation_closed: the consultation_opened event it closes. */
    consultationEventId: bigint({ mode: 'number' }),
    laterDate: date({ mode: 'string' }),
    outcome: requestOutcome(),
    /** The 补正 points, the consulted party's name, the reason of an extension: what the notice said. */
    detail: text().notNull().default(''),
    /** A fee notice's calculation (fee_notified). */
    fee: jsonb().$type<StoredFee>(),
    actorId: integer().references(() => staff.id),
    actorUsername: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('disclosure_request_events_request_idx').on(t.requestId, t.id)],
);
