// The statutory clocks of a disclosure request (依申请公开), as pure rules over the request's ordered
// events: 条例 Arts. 30–35 and 国办函〔2020〕109号 (national-rules.md §1.4, §1.7, §6). No I/O: the working-day
// calendar is injected (src/calendar/working-days.ts), the service and the workflow's activity pass the
// current one. Dates are China dates (ISO strings); the start day of every period is not counted (§6.1).
import { dayToIso, parseIsoDate } from '../calendar/china-time.js';
import {
  CONSULTED_PARTY_LABELS,
  type ClockEvent,
  type ClockInput,
  type ClockState,
  type ExplanationLine,
  type OpenConsultation,
  type RequestClock,
} from './clock-facts.js';
import { countWithPauses, pausedDays, type Pause, type WorkingDays } from './clock-spans.js';

// One import for the module's callers: the facts, the span arithmetic's calendar type, the receipt rules.
export * from './clock-facts.js';
export type { WorkingDays };
export { CHANNELS, CHANNEL_LABELS, receiptOf, type Channel, type ReceiptFacts } from './receipt-rules.js';

/** 条例 Art. 33: 20 working days to answer; an extension of at most 20 more. */
export const ANSWER_WORKING_DAYS = 20;
export const MAX_EXTENSION_WORKING_DAYS = 20;
/** 条例 Art. 30: the 补正 notice within 7 working days of receipt. */
export const CORRECTION_NOTICE_WORKING_DAYS = 7;
/** 条例 Arts. 32, 34: a third party or another agency has 15 working days to reply. */
export const CONSULTATION_WORKING_DAYS = 15;
/** 109号 as commonly cited: 20 working days to pay from the day after the fee notice is received. */
export const DEFAULT_FEE_PERIOD_WORKING_DAYS = 20;

// ---- the clock ----

const day = (iso: string) => parseIsoDate(iso)!;
const iso = dayToIso;

interface Count {
  start: number;
  extension: number;
  pauses: Pause[];
  laterDate: number | null;
}

/** Why an event cannot be applied to the clock as it stands (Chinese, for a 409), or undefined. */
export function refuseEvent(clock: RequestClock, e: ClockEvent): string | undefined {
  if (clock.state === 'done' || clock.state === 'abandoned') return '该申请已办结，不能再登记计时事项';
  if (e.on < clock.receivedOn) return '日期不能早于收到申请之日';
  switch (e.kind) {
    case 'correction_requested':
      if (clock.state === 'waiting_for_supplement') return '已发出补正告知，尚未收到补正';
      if (e.on > clock.correctionNoticeDue)
        return `补正告知应当自收到申请之日起7个工作日内一次性作出（至${clock.correctionNoticeDue}）（条例第三十条）`;
      return undefined;
    case 'supplement_received':
      return clock.state === 'waiting_for_supplement' ? undefined : '没有待补正的告知';
    case 'consultation_opened':
      return clock.state === 'waiting_for_supplement' ? '等待补正期间不能征求意见' : undefined;
    case 'consultation_closed':
      return clock.openConsultations.some((c) => c.ref === e.ref) ? undefined : '没有该项正在进行的征求意见';
    case 'fee_notified':
      if (clock.feeDue) return '已有未缴费的收费通知';
      return clock.state === 'waiting_for_supplement' ? '等待补正期间不能发出收费通知' : undefined;
    case 'fee_paid':
      return clock.feeDue ? undefined : '没有待缴费的收费通知';
    case 'extended': {
      if (clock.state === 'waiting_for_supplement') return '等待补正期间不能延长答复期限';
      if (clock.extensionDays + e.days > MAX_EXTENSION_WORKING_DAYS)
        return `延长的期限最长不得超过20个工作日（已延长${clock.extensionDays}个工作日）（条例第三十三条第二款）`;
      if (clock.deadline !== null && e.on > clock.deadline) return `答复期限已于${clock.deadline}届满，不能再延长（条例第三十三条第二款）`;
      return undefined;
    }
    case 'later_date_set':
      return e.date <= e.on ? '延迟答复的日期应当晚于确定之日' : undefined;
    case 'withdrawn':
    case 'concluded':
    case 'delivered':
      return undefined;
  }
}

/**
 * The clock as of `today`: replays the events in order. A 补正 notice stops the count until the
 * supplement, from which the 20 working days start again in full (Art. 30; earlier pauses and extensions
 * belong to the abandoned count); consultations (15 working days each, Arts. 32, 34) and an unpaid fee
 * notice pause it, overlapping spans counted once (Art. 33(3), 109号); an extension adds up to 20 working
 * days (Art. 33(2)); an Art. 35 later date replaces the deadline. Lapsed 补正 or fee periods abandon it.
 */
export function computeClock(cal: WorkingDays, input: ClockInput): RequestClock {
  const today = day(input.today);
  // State 'paused' means a pause is open now (from its first day, though that day itself is still counted).
  const lines: ExplanationLine[] = [
    { kind: 'receipt', text: `收到申请日：${input.receivedOn}。${input.receiptBasis}`, dates: [input.receivedOn] },
  ];
  if (input.startOn !== input.receivedOn) lines.push({ kind: 'receipt', text: `自${input.startOn}次日起计算`, dates: [input.startOn] });
  let count: Count = { start: day(input.startOn), extension: 0, pauses: [], laterDate: null };
  let correction: { due: number } | null = null;
  let fee: { from: number; due: number; pause: Pause } | null = null;
  const open = new Map<number, { c: OpenConsultation; pause: Pause }>();
  let ended: { on: string; how: 'withdrawn' | 'concluded' } | null = null;
  let abandonment: RequestClock['abandonment'] = null;
  let lapsedPeriodEnd: string | null = null;

  const lapse = (until: number) => {
    if (correction && until > correction.due) {
      abandonment = 'other_no_correction';
      lapsedPeriodEnd = iso(correction.due);
      lines.push({
        kind: 'end',
        text: `补正期限${iso(correction.due)}届满未收到补正，视为放弃申请（条例第三十条）`,
        dates: [iso(correction.due)],
      });
      correction = null;
    }
    if (fee && until > fee.due) {
      abandonment = 'other_fee_unpaid';
      lapsedPeriodEnd = iso(fee.due);
      lines.push({ kind: 'end', text: `缴费期限${iso(fee.due)}届满未缴费，不再处理该申请（国办函〔2020〕109号）`, dates: [iso(fee.due)] });
      fee = null;
    }
  };

  for (const e of input.events) {
    const on = day(e.on);
    lapse(on);
    if (abandonment || ended) break;
    switch (e.kind) {
      case 'correction_requested':
        correction = { due: cal.addWorkingDays(on, e.periodDays) };
        lines.push({
          kind: 'correction',
          text: `${e.on}一次性告知补正，补正期限${e.periodDays}个工作日，至${iso(correction.due)}；补正前不计算答复期限`,
          dates: [e.on, iso(correction.due)],
        });
        break;
      case 'supplement_received':
        correction = null;
        // Art. 30: the answer period runs from the supplemented request; what was counted before is dropped,
        // but a consultation still open goes on pausing.
        count = { start: on, extension: 0, pauses: [...open.values()].map((o) => o.pause), laterDate: null };
        lines.push({ kind: 'restart', text: `${e.on}收到补正，答复期限自该日重新起算（条例第三十条）`, dates: [e.on] });
        break;
      case 'consultation_opened': {
        const windowEnd = cal.addWorkingDays(on, CONSULTATION_WORKING_DAYS);
        const pause: Pause = { from: on, to: windowEnd, reason: CONSULTED_PARTY_LABELS[e.party] };
        count.pauses.push(pause);
        open.set(e.ref, { c: { ref: e.ref, party: e.party, openedOn: e.on, windowEnd: iso(windowEnd) }, pause });
        break;
      }
      case 'consultation_closed': {
        const o = open.get(e.ref);
        if (o) {
          o.pause.to = Math.min(o.pause.to!, Math.max(on, o.pause.from));
          open.delete(e.ref);
        }
        break;
      }
      case 'fee_notified': {
        const pause: Pause = { from: on, to: null, reason: '收费通知至缴费' };
        count.pauses.push(pause);
        fee = { from: on, due: cal.addWorkingDays(on, e.periodDays), pause };
        lines.push({ kind: 'fee', text: `${e.on}发出收费通知，缴费期限至${iso(fee.due)}；缴费前暂停计算`, dates: [e.on, iso(fee.due)] });
        break;
      }
      case 'fee_paid':
        if (fee) {
          fee.pause.to = on;
          fee = null;
        }
        break;
      case 'extended':
        count.extension += e.days;
        lines.push({
          kind: 'extension',
          text: `${e.on}经政府信息公开工作机构负责人同意延长答复期限${e.days}个工作日（条例第三十三条第二款）`,
          dates: [e.on],
        });
        break;
      case 'later_date_set':
        count.laterDate = day(e.date);
        lines.push({ kind: 'later_date', text: `${e.on}确定延迟答复的期限至${e.date}（条例第三十五条）`, dates: [e.on, e.date] });
        break;
      case 'withdrawn':
      case 'concluded':
        ended = { on: e.on, how: e.kind };
        break;
    }
  }
  if (!ended && !abandonment) lapse(today);

  const waiting = correction !== null;
  const counted = waiting ? null : countWithPauses(cal, count.start, ANSWER_WORKING_DAYS + count.extension, count.pauses);
  const deadline = count.laterDate ?? counted;
  const shown = deadline ?? today;
  const paused = pausedDays(cal, count.start, Math.max(shown, count.start), count.pauses);

  if (!waiting) {
    const needed = ANSWER_WORKING_DAYS + count.extension;
    lines.push({
      kind: 'counted',
      text:
        counted === null
          ? `自${iso(count.start)}次日起计算${needed}个工作日；暂停期间不计算，恢复计算后再确定答复期限`
          : `自${iso(count.start)}次日起计算${needed}个工作日（${ANSWER_WORKING_DAYS}个工作日${count.extension ? `，延长${count.extension}个工作日` : ''}），第${needed}个计入的工作日为${iso(counted)}`,
      dates: counted === null ? [iso(count.start)] : [iso(count.start), iso(counted)],
    });
    for (const p of count.pauses) {
      const to = p.to === null ? null : p.to;
      const n = to !== null && to > Math.max(p.from, count.start) ? cal.countWorkingDays(Math.max(p.from, count.start), to) : 0;
      lines.push({
        kind: 'pause',
        text:
          to === null
            ? `${p.reason}：自${iso(p.from)}次日起暂停，尚未恢复`
            : `${p.reason}：${iso(p.from)}次日至${iso(to)}暂停，共${n}个工作日不计算（条例第三十三条第三款）`,
        dates: to === null ? [iso(p.from)] : [iso(p.from), iso(to)],
      });
    }
    if (count.pauses.length > 1) lines.push({ kind: 'pause_total', text: `合计暂停${paused}个工作日（重叠的日期只计一次）`, dates: [] });
  }
  if (deadline !== null && !ended && !abandonment)
    lines.push({ kind: 'deadline', text: `答复期限：${iso(deadline)}（当日24时前）`, dates: [iso(deadline)] });
  if (ended)
    lines.push({ kind: 'end', text: `${ended.on}${ended.how === 'withdrawn' ? '申请人撤回申请' : '已答复办结'}`, dates: [ended.on] });

  const state: ClockState = ended
    ? 'done'
    : abandonment
      ? 'abandoned'
      : waiting
        ? 'waiting_for_supplement'
        : fee !== null || [...open.values()].some((o) => o.c.windowEnd >= input.today)
          ? 'paused'
          : 'running';
  return {
    state,
    receivedOn: input.receivedOn,
    startOn: iso(count.start),
    correctionNoticeDue: iso(cal.addWorkingDays(count.start, CORRECTION_NOTICE_WORKING_DAYS)),
    supplementDue: correction ? iso(correction.due) : null,
    feeDue: fee ? iso((fee as { due: number } | null)!.due) : null,
    deadline: ended || abandonment ? null : deadline === null ? null : iso(deadline),
    extensionDays: count.extension,
    pausedWorkingDays: paused,
    openConsultations: [...open.values()].map((o) => o.c),
    abandonment,
    lapsedPeriodEnd,
    explanation: lines,
  };
}
