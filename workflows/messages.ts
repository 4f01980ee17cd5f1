// What src/ may know of the workflows: their names, ids, inputs and results, and the updates and
// signals they accept. src/ imports this file only, never a workflow itself (which would pull
// workflow code into the API process). No I/O; types of the messages come from the pure rules.
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActingStaff, CaseAction, CaseState, LetterStatus } from '../src/mailbox/case-rules.js';

// ---- the letter workflow ----

/** The workflow type of a letter: the name workflows/index.ts exports `letterWorkflow` under. */
export const LETTER_WORKFLOW = 'letterWorkflow';

export interface LetterWorkflowInput {
  letterId: number;
  trackingNo: string;
}

export interface LetterWorkflowResult {
  status: LetterStatus;
}

export type LetterWorkflow = (input: LetterWorkflowInput) => Promise<LetterWorkflowResult>;

/** One workflow per letter, named after its tracking number. */
export const workflowIdOf = (trackingNo: string) => `letter-${trackingNo}`;

/** A staff action on a case: refused by the validator, or persisted; answers the new state. */
export const caseActionUpdate = defineUpdate<CaseState, [CaseAction, ActingStaff]>('caseAction');
/** The calendar gained a year or a notice was corrected: recompute the deadline from the clock's start. */
export const calendarChangedSignal = defineSignal('calendarChanged');

// ---- the daily digest workflow ----

/** The workflow type of the daily digest: the name workflows/index.ts exports `dailyDigestWorkflow` under. */
export const DAILY_DIGEST_WORKFLOW = 'dailyDigestWorkflow';

/** Without `day`, the workflow's own China date (the Schedule's runs). */
export interface DailyDigestInput {
  day?: string;
}

export interface DigestResult {
  day: string;
  skipped: boolean;
  digests: number;
  emailsQueued: number;
}

export type DailyDigestWorkflow = (input?: DailyDigestInput) => Promise<DigestResult>;

/** The start-up catch-up of a missed day's digest (src/digest/catch-up.ts): one id per China day. */
export const digestCatchUpWorkflowId = (day: string) => `daily-digest-catch-up-${day}`;

// ---- the review workflow of a 审核单 (publishing) ----

/** The workflow type of a review form's clock: the name workflows/index.ts exports `reviewWorkflow` under. */
export const REVIEW_WORKFLOW = 'reviewWorkflow';

export interface ReviewWorkflowInput {
  formId: number;
}

export type ReviewWorkflow = (input: ReviewWorkflowInput) => Promise<void>;

/** One workflow per review form. */
export const reviewWorkflowIdOf = (formId: number) => `review-form-${formId}`;

/** The form changed in PostgreSQL (a decision, a publication, a schedule): look at its clock again. */
export const reviewChangedSignal = defineSignal('reviewChanged');

// ---- the clock workflow of a document in the disclosure register ----

/** The workflow type of a document's clocks: the name workflows/index.ts exports `disclosureWorkflow` under. */
export const DISCLOSURE_WORKFLOW = 'disclosureWorkflow';

export interface DisclosureWorkflowInput {
  documentId: number;
}

export type DisclosureWorkflow = (input: DisclosureWorkflowInput) => Promise<void>;

/** One workflow per document. */
export const disclosureWorkflowIdOf = (documentId: number) => `disclosure-document-${documentId}`;

/** The document changed in PostgreSQL (a decision, a change, a published entry): look at its clocks again. */
export const disclosureChangedSignal = defineSignal('disclosureChanged');

// ---- the clock workflow of a disclosure request (依申请公开) ----

/** The workflow type of a request's clocks: the name workflows/index.ts exports `disclosureRequestWorkflow` under. */
export const DISCLOSURE_REQUEST_WORKFLOW = 'disclosureRequestWorkflow';

export interface DisclosureRequestWorkflowInput {
  requestId: number;
}

export type DisclosureRequestWorkflow = (input: DisclosureRequestWorkflowInput) => Promise<void>;

/** One workflow per request. */
export const disclosureRequestWorkflowIdOf = (requestId: number) => `disclosure-request-${requestId}`;

/** The request's events changed in PostgreSQL: look at its clock again. */
export const disclosureRequestChangedSignal = defineSignal('disclosureRequestChanged');
// ---- the clock workflow of an external-link application (外部链接审核表, measures Art. 24) ----

/** The workflow type: the name workflows/index.ts exports `linkApplicationWorkflow` under. */
export const LINK_APPLICATION_WORKFLOW = 'linkApplicationWorkflow';

export interface LinkApplicationWorkflowInput {
  applicationId: number;
}
export type LinkApplicationWorkflow = (input: LinkApplicationWorkflowInput) => Promise<void>;

/** One workflow per application. */
export const linkApplicationWorkflowIdOf = (applicationId: number) => `link-application-${applicationId}`;

/** The application changed in PostgreSQL (a decision): look at its clock again. */
export const linkApplicationChangedSignal = defineSignal('linkApplicationChanged');

// ---- the daily link check (issue 21 point 3), started by the `link-watch` Schedule ----

export const LINK_WATCH_WORKFLOW = 'linkWatchWorkflow';
export type LinkWatchWorkflow = () => Promise<void>;

/** One visit of the home page (issue 21 point 5, 站点无法访问), started by the `home-probe` Schedule. */
export const HOME_PROBE_WORKFLOW = 'homeProbeWorkflow';
export type HomeProbeWorkflow = () => Promise<void>;
