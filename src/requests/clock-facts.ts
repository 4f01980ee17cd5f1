// The facts of a request's clock, declared once (pgEnum, zod, the rules): the events, the states, what
// the rules answer. No logic.

export const CONSULTED_PARTIES = ['third_party', 'agency'] as const;
export type ConsultedParty = (typeof CONSULTED_PARTIES)[number];
export const CONSULTED_PARTY_LABELS: Record<ConsultedParty, string> = {
  third_party: '征求第三方意见',
  agency: '征求其他机关意见',
};

/** The clock events, declared once (pgEnum, zod, the rules). */
export const CLOCK_EVENT_KINDS = [
  'correction_requested',
  'supplement_received',
  'consultation_opened',
  'consultation_closed',
  'fee_notified',
  'fee_paid',
  'extended',
  'later_date_set',
  'withdrawn',
  'concluded',
  /** The answer delivered (235号): after the conclusion; no effect on the clock. */
  'delivered',
] as const;
export type ClockEventKind = (typeof CLOCK_EVENT_KINDS)[number];

export type ClockEvent =
  | { kind: 'correction_requested'; on: string; periodDays: number }
  | { kind: 'supplement_received'; on: string }
  | { kind: 'consultation_opened'; on: string; ref: number; party: ConsultedParty }
  | { kind: 'consultation_closed'; on: string; ref: number }
  | { kind: 'fee_notified'; on: string; periodDays: number }
  | { kind: 'fee_paid'; on: string }
  | { kind: 'extended'; on: string; days: number }
  | { kind: 'later_date_set'; on: string; date: string }
  | { kind: 'withdrawn'; on: string }
  | { kind: 'concluded'; on: string }
  | { kind: 'delivered'; on: string };

export const CLOCK_STATES = ['running', 'paused', 'waiting_for_supplement', 'abandoned', 'done'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];
export const CLOCK_STATE_LABELS: Record<ClockState, string> = {
  running: '计时中',
  paused: '暂停计时',
  waiting_for_supplement: '等待补正',
  abandoned: '视为放弃申请',
  done: '已办结',
};

export interface ExplanationLine {
  kind:
    'receipt' | 'counted' | 'pause' | 'pause_total' | 'restart' | 'correction' | 'fee' | 'extension' | 'later_date' | 'deadline' | 'end';
  text: string;
  dates: string[];
}

export interface OpenConsultation {
  ref: number;
  party: ConsultedParty;
  openedOn: string;
  /** The last day of the party's 15 working days: the pause ends there at the latest. */
  windowEnd: string;
}

export interface RequestClock {
  state: ClockState;
  receivedOn: string;
  /** The day the current count starts after: the receipt (or its next working day after hours), or the supplement. */
  startOn: string;
  /** The last day for a 补正 notice on the current start (Art. 30). */
  correctionNoticeDue: string;
  /** The end of the 补正 period while a notice is open. */
  supplementDue: string | null;
  /** The end of the payment period while a fee notice is unpaid. */
  feeDue: string | null;
  /** The answer deadline (end of that China day); null while stopped (补正 pending, fee unpaid) or ended. */
  deadline: string | null;
  /** The deadline the current count reaches before any extension; for the extension check. */
  extensionDays: number;
  pausedWorkingDays: number;
  openConsultations: OpenConsultation[];
  /** Set when the request is treated as abandoned (条例 Art. 30; 109号). */
  abandonment: 'other_no_correction' | 'other_fee_unpaid' | null;
  /** The last day of the period that lapsed, when abandoned. */
  lapsedPeriodEnd: string | null;
  explanation: ExplanationLine[];
}

export interface ClockInput {
  receivedOn: string;
  startOn: string;
  /** Why the receipt is that day, as the explanation prints it. */
  receiptBasis: string;
  events: ClockEvent[];
  /** The China date the clock is read on: lapsed periods before it are applied. */
  today: string;
}
