// The clocks of a disclosure request (条例 Arts. 30–35, 109号; national-rules.md §1.4, §1.7, §6): expected
// dates written out from the State Council calendar — 中秋 2026-09-25..27 (Sun 9/20 worked), 国庆 10/1–7
// (Sat 10/10 worked) — and the test 春节 2027 fixture (2/4–2/10, Sat 2/20 worked).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayToIso, parseChinaInstant, parseIsoDate } from '../../src/calendar/china-time.js';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import type { YearSchedule } from '../../src/calendar/data/types.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';
import {
  computeClock,
  receiptOf,
  refuseEvent,
  type ClockEvent,
  type ClockInput,
  type ConsultedParty,
  type RequestClock,
} from '../../src/requests/clock-rules.js';
import { NOTICE_2027 } from '../support/time-skipping.js';

const fixture2027: YearSchedule = { year: 2027, amendments: [], ...NOTICE_2027 };
const schedules = [...bundledSchedules, fixture2027];
const cal = new WorkingDayCalendar(schedules);
const byDay = { afterHoursNextDay: false, officeEndMinute: 17 * 60 + 30 };
const afterHours = { afterHoursNextDay: true, officeEndMinute: 17 * 60 + 30 };

const clockOf = (receivedOn: string, events: ClockEvent[], today: string): RequestClock =>
  computeClock(cal, { receivedOn, startOn: receivedOn, receiptBasis: '测试', events, today });

/** Applies events one by one as the service does: each checked against the clock on its day. */
function applyAll(receivedOn: string, events: ClockEvent[]): { accepted: ClockEvent[]; refusals: string[] } {
  const accepted: ClockEvent[] = [];
  const refusals: string[] = [];
  for (const e of events) {
    const why = refuseEvent(clockOf(receivedOn, accepted, e.on), e);
    if (why) refusals.push(why);
    else accepted.push(e);
  }
  return { accepted, refusals };
}

describe('条例 Art. 33: 20 working days from the day after receipt', () => {
  it('received Wed 2026-09-30, the last working day before 国庆: due Tue 2026-11-03 (10/8, 9, Sat 10/10 … 11/2, 11/3)', () => {
    const c = clockOf('2026-09-30', [], '2026-10-08');
    expect(c.state).toBe('running');
    expect(c.deadline).toBe('2026-11-03');
  });

  it('条例 Art. 30: the 补正 notice is due within 7 working days: 10/8, 9, Sat 10, 12, 13, 14, 15 → 2026-10-15', () => {
    expect(clockOf('2026-09-30', [], '2026-10-08').correctionNoticeDue).toBe('2026-10-15');
  });

  it('春节 2027: received Mon 2027-01-25 → due Fri 2027-02-26 (2/3 is the 7th, 2/11 the 8th, Sat 2/20 the 15th)', () => {
    const c = clockOf('2027-01-25', [], '2027-01-26');
    expect(c.deadline).toBe('2027-02-26');
    expect(c.explanation.map((l) => l.text)).toContain('答复期限：2027-02-26（当日24时前）');
  });
});

describe('条例 Art. 31: receipt by channel', () => {
  it('a posted letter signed for on make-up working Saturday 2026-10-10: received that day, due Fri 2026-11-06', () => {
    const r = receiptOf(cal, byDay, 'post', { signedForAt: parseChinaInstant('2026-10-10 10:00')! })!;
    expect(r).toMatchObject({ receivedOn: '2026-10-10', startOn: '2026-10-10' });
    expect(r.basis).toContain('签收之日');
    expect(clockOf(r.receivedOn, [], '2026-10-12').deadline).toBe('2026-11-06');
    // The mailbox's after-hours setting: a Saturday that is worked counts as a working day; only after 17:30 is it moved.
    expect(receiptOf(cal, afterHours, 'post', { signedForAt: parseChinaInstant('2026-10-10 10:00')! })!.startOn).toBe('2026-10-10');
    const late = receiptOf(cal, afterHours, 'post', { signedForAt: parseChinaInstant('2026-10-10 18:00')! })!;
    expect(late).toMatchObject({ receivedOn: '2026-10-10', startOn: '2026-10-12' });
    expect(computeClock(cal, { ...late, receiptBasis: late.basis, events: [], today: '2026-10-12' }).deadline).toBe('2026-11-09');
  });

  it('an ordinary (unsigned) letter counts from the office confirming with the applicant; online and fax from both sides confirming; e-mail from the mail system', () => {
    const at = parseChinaInstant('2026-10-12 09:00')!;
    const confirmed = parseChinaInstant('2026-10-13 09:00')!;
    expect(receiptOf(cal, byDay, 'post', { confirmedAt: confirmed })!.receivedOn).toBe('2026-10-13');
    expect(receiptOf(cal, byDay, 'online', { submittedAt: at })).toBeUndefined();
    expect(receiptOf(cal, byDay, 'online', { confirmedAt: confirmed })!.basis).toContain('双方确认');
    expect(receiptOf(cal, byDay, 'fax', { confirmedAt: confirmed })!.receivedOn).toBe('2026-10-13');
    expect(receiptOf(cal, byDay, 'email', { mailReceivedAt: at })!.basis).toContain('207号');
    expect(receiptOf(cal, byDay, 'in_person', { submittedAt: at })!.receivedOn).toBe('2026-10-12');
  });
});

describe('条例 Art. 30: 补正', () => {
  const notice: ClockEvent = { kind: 'correction_requested', on: '2026-10-15', periodDays: 15 };

  it('notice on day 7 (2026-10-15), period 15 working days → 2026-11-05; the clock waits', () => {
    const c = clockOf('2026-09-30', [notice], '2026-10-20');
    expect(c).toMatchObject({ state: 'waiting_for_supplement', supplementDue: '2026-11-05', deadline: null });
  });

  it('supplement 10 working days later (2026-10-29): 20 working days again from it → Thu 2026-11-26', () => {
    const c = clockOf('2026-09-30', [notice, { kind: 'supplement_received', on: '2026-10-29' }], '2026-10-30');
    expect(c).toMatchObject({ state: 'running', startOn: '2026-10-29', deadline: '2026-11-26', correctionNoticeDue: '2026-11-09' });
    expect(c.explanation.find((l) => l.kind === 'restart')!.text).toBe('2026-10-29收到补正，答复期限自该日重新起算（条例第三十条）');
  });

  it('a notice after the 7th working day is refused', () => {
    const late: ClockEvent = { kind: 'correction_requested', on: '2026-10-16', periodDays: 10 };
    expect(refuseEvent(clockOf('2026-09-30', [], '2026-10-16'), late)).toContain('7个工作日内');
  });

  it('no supplement by the end of the period (2026-10-15 for a notice of 10/9 with 5 working days): abandoned from 10/16', () => {
    const events: ClockEvent[] = [{ kind: 'correction_requested', on: '2026-10-09', periodDays: 5 }];
    expect(clockOf('2026-09-30', events, '2026-10-15')).toMatchObject({ state: 'waiting_for_supplement', supplementDue: '2026-10-15' });
    const c = clockOf('2026-09-30', events, '2026-10-16');
    expect(c).toMatchObject({ state: 'abandoned', abandonment: 'other_no_correction', deadline: null });
    // A supplement arriving after the period does not revive it.
    expect(refuseEvent(c, { kind: 'supplement_received', on: '2026-10-16' })).toBe('该申请已办结，不能再登记计时事项');
  });
});

describe('条例 Arts. 32–34: consultations pause the clock', () => {
  it('third party 10/12 (unanswered, closed at its 15th working day 11/2) and an overlapping agency 10/20–11/6: paused once, due 2026-11-30', () => {
    const events: ClockEvent[] = [
      { kind: 'consultation_opened', on: '2026-10-12', ref: 1, party: 'third_party' },
      { kind: 'consultation_opened', on: '2026-10-20', ref: 2, party: 'agency' },
      { kind: 'consultation_closed', on: '2026-11-02', ref: 1 },
      { kind: 'consultation_closed', on: '2026-11-06', ref: 2 },
    ];
    const during = clockOf('2026-09-30', events.slice(0, 2), '2026-10-21');
    expect(during.state).toBe('paused');
    expect(during.openConsultations).toEqual([
      { ref: 1, party: 'third_party', openedOn: '2026-10-12', windowEnd: '2026-11-02' },
      { ref: 2, party: 'agency', openedOn: '2026-10-20', windowEnd: '2026-11-10' },
    ]);
    const c = clockOf('2026-09-30', events, '2026-11-09');
    // Counted: 10/8, 9, 10, 12 (4); paused 10/13–11/6 (19 working days; 15 + 13 separately); then 11/9 … 11/30 (16).
    expect(c).toMatchObject({ state: 'running', deadline: '2026-11-30', pausedWorkingDays: 19 });
    const texts = c.explanation.map((l) => l.text);
    expect(texts).toContain('征求第三方意见：2026-10-12次日至2026-11-02暂停，共15个工作日不计算（条例第三十三条第三款）');
    expect(texts).toContain('征求其他机关意见：2026-10-20次日至2026-11-06暂停，共13个工作日不计算（条例第三十三条第三款）');
    expect(texts).toContain('合计暂停19个工作日（重叠的日期只计一次）');
  });

  it('an agency that stays silent: the pause ends with its 15 working days (Art. 34, silence = consent) → due 2026-11-24', () => {
    const c = clockOf('2026-09-30', [{ kind: 'consultation_opened', on: '2026-10-12', ref: 1, party: 'agency' }], '2026-11-03');
    expect(c).toMatchObject({ state: 'running', deadline: '2026-11-24', pausedWorkingDays: 15 });
  });
});

describe('条例 Art. 33(2): extension', () => {
  it('approved on day 19 (2026-11-02) for 20 working days → 2026-12-01', () => {
    const { accepted, refusals } = applyAll('2026-09-30', [{ kind: 'extended', on: '2026-11-02', days: 20 }]);
    expect(refusals).toEqual([]);
    expect(clockOf('2026-09-30', accepted, '2026-11-03').deadline).toBe('2026-12-01');
  });

  it('attempted on day 21 (2026-11-04), after the deadline of 11/3: refused', () => {
    const { refusals } = applyAll('2026-09-30', [{ kind: 'extended', on: '2026-11-04', days: 5 }]);
    expect(refusals).toEqual(['答复期限已于2026-11-03届满，不能再延长（条例第三十三条第二款）']);
  });

  it('beyond 20 working days in all: refused', () => {
    const { refusals } = applyAll('2026-09-30', [
      { kind: 'extended', on: '2026-10-12', days: 15 },
      { kind: 'extended', on: '2026-10-13', days: 6 },
    ]);
    expect(refusals).toEqual(['延长的期限最长不得超过20个工作日（已延长15个工作日）（条例第三十三条第二款）']);
  });
});

describe('109号: a fee notice pauses until payment', () => {
  const notified: ClockEvent = { kind: 'fee_notified', on: '2026-10-12', periodDays: 20 };

  it('paid on 2026-10-22: 4 days counted before, 16 after → 2026-11-13', () => {
    const c = clockOf('2026-09-30', [notified, { kind: 'fee_paid', on: '2026-10-22' }], '2026-10-23');
    expect(c).toMatchObject({ state: 'running', deadline: '2026-11-13', pausedWorkingDays: 8, feeDue: null });
  });

  it('unpaid: paused with no deadline until 2026-11-09, then abandoned as other_fee_unpaid', () => {
    expect(clockOf('2026-09-30', [notified], '2026-11-09')).toMatchObject({ state: 'paused', deadline: null, feeDue: '2026-11-09' });
    expect(clockOf('2026-09-30', [notified], '2026-11-10')).toMatchObject({ state: 'abandoned', abandonment: 'other_fee_unpaid' });
  });
});

describe('条例 Art. 35 and the end of the clock', () => {
  it('a later answer date set by the office replaces the deadline; withdrawal ends the clock', () => {
    const later: ClockEvent = { kind: 'later_date_set', on: '2026-10-20', date: '2026-12-18' };
    expect(clockOf('2026-09-30', [later], '2026-10-21').deadline).toBe('2026-12-18');
    const c = clockOf('2026-09-30', [later, { kind: 'withdrawn', on: '2026-10-22' }], '2026-10-23');
    expect(c).toMatchObject({ state: 'done', deadline: null });
  });
});

// ---- the property: the rules' span arithmetic equals a plain day-by-day count ----

const offDays = new Set(schedules.flatMap((s) => s.holidays.flatMap((h) => h.dates)));
const onDays = new Set(schedules.flatMap((s) => s.adjustedWorkdays.flatMap((h) => h.dates)));
const isoOf = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
function naiveWorking(d: number) {
  const s = isoOf(d);
  if (onDays.has(s)) return true;
  if (offDays.has(s)) return false;
  const wd = new Date(d * 86_400_000).getUTCDay();
  return wd !== 0 && wd !== 6;
}
const naiveAdd = (from: number, n: number) => {
  let d = from;
  for (let k = 0; k < n;) if (naiveWorking(++d)) k++;
  return d;
};

/** Straight from the events: start day, paused spans (first day excluded, last included), extension days; count one day at a time. */
function naiveDeadline(receivedOn: string, events: ClockEvent[]): string | null {
  let start = parseIsoDate(receivedOn)!;
  let extension = 0;
  let waiting = false;
  let spans: { from: number; to: number | null; ref?: number; fee?: boolean }[] = [];
  let later: number | null = null;
  for (const e of events) {
    const on = parseIsoDate(e.on)!;
    if (e.kind === 'correction_requested') waiting = true;
    if (e.kind === 'supplement_received') {
      waiting = false;
      start = on;
      extension = 0;
      later = null;
      spans = spans.filter((s) => s.ref !== undefined && s.to! > on);
    }
    if (e.kind === 'consultation_opened') spans.push({ from: on, to: naiveAdd(on, 15), ref: e.ref });
    if (e.kind === 'consultation_closed') {
      const s = spans.find((x) => x.ref === e.ref && !('closed' in x));
      if (s && s.to! > on) s.to = on;
      if (s) Object.assign(s, { closed: true });
    }
    if (e.kind === 'fee_notified') spans.push({ from: on, to: null, fee: true });
    if (e.kind === 'fee_paid') spans.find((x) => x.fee && x.to === null)!.to = on;
    if (e.kind === 'extended') extension += e.days;
    if (e.kind === 'later_date_set') later = parseIsoDate(e.date)!;
  }
  if (waiting) return null;
  if (later !== null) return dayToIso(later);
  let d = start;
  for (let counted = 0; counted < 20 + extension;) {
    d++;
    if (d > start + 800) return null;
    if (!naiveWorking(d)) continue;
    if (spans.some((s) => d > s.from && (s.to === null || d <= s.to))) continue;
    counted++;
  }
  return dayToIso(d);
}

type Op =
  { op: 'open'; party: ConsultedParty } | { op: 'close'; pick: number } | { op: 'fee' } | { op: 'pay' } | { op: 'extend'; days: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), party: fc.constantFrom<ConsultedParty>('third_party', 'agency') }),
  fc.record({ op: fc.constant('close' as const), pick: fc.nat(3) }),
  fc.record({ op: fc.constant('fee' as const) }),
  fc.record({ op: fc.constant('pay' as const) }),
  fc.record({ op: fc.constant('extend' as const), days: fc.integer({ min: 1, max: 20 }) }),
);

describe('property: the deadline equals a plain day-by-day count over the same events', () => {
  it('random 补正, consultations, extensions and fee notices from 2026-09 to 2027-01', () => {
    const first = parseIsoDate('2026-09-01')!;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150 }),
        fc.option(fc.record({ at: fc.integer({ min: 0, max: 7 }), after: fc.integer({ min: 1, max: 10 }) })),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 8 }), op: opArb }), { maxLength: 12 }),
        (offset, correction, ops) => {
          const receivedOn = dayToIso(first + offset);
          const received = first + offset;
          const events: ClockEvent[] = [];
          let today = received;
          if (correction) {
            const noticeOn = correction.at === 0 ? received : cal.addWorkingDays(received, correction.at);
            events.push({ kind: 'correction_requested', on: dayToIso(noticeOn), periodDays: 15 });
            today = cal.addWorkingDays(noticeOn, correction.after);
            events.push({ kind: 'supplement_received', on: dayToIso(today) });
          }
          let ref = 0;
          const openRefs: number[] = [];
          for (const { gap, op } of ops) {
            today += gap;
            const on = dayToIso(today);
            const e: ClockEvent =
              op.op === 'open'
                ? { kind: 'consultation_opened', on, ref: ++ref, party: op.party }
                : op.op === 'close'
                  ? { kind: 'consultation_closed', on, ref: openRefs[op.pick % Math.max(1, openRefs.length)] ?? 0 }
                  : op.op === 'fee'
                    ? { kind: 'fee_notified', on, periodDays: 20 }
                    : op.op === 'pay'
                      ? { kind: 'fee_paid', on }
                      : { kind: 'extended', on, days: op.days };
            const input: ClockInput = { receivedOn, startOn: receivedOn, receiptBasis: '', events, today: on };
            if (refuseEvent(computeClock(cal, input), e)) continue;
            events.push(e);
            if (e.kind === 'consultation_opened') openRefs.push(e.ref);
            if (e.kind === 'consultation_closed') openRefs.splice(openRefs.indexOf(e.ref), 1);
          }
          // Read on the last event's day, so no period has lapsed in between (lapses are tested above).
          const c = computeClock(cal, { receivedOn, startOn: receivedOn, receiptBasis: '', events, today: dayToIso(today) });
          if (c.state === 'abandoned') return;
          expect(c.deadline).toBe(naiveDeadline(receivedOn, events));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
