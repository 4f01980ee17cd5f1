import { describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { bundledSchedules } from '../../src/calendar/data/index.js';
import { computeDeadline, parseClock } from '../../src/calendar/deadline.js';
import { WorkingDayCalendar } from '../../src/calendar/working-days.js';
import { transferLateness } from '../../src/mailbox/rules.js';
import {
  isOpen,
  isPingPong,
  refusal,
  withoutTransferLimits,
  type ActingStaff,
  type CaseAction,
  type CaseState,
  type LetterStatus,
} from '../../src/mailbox/case-rules.js';

// Departments as seeded: 1 office, 5 registration, 6 credit, 7 enforcement, 8 food-safety.
const state = (over: Partial<CaseState> = {}): CaseState => ({
  status: 'processing',
  departmentId: 5,
  assistingDepartmentIds: [],
  visitedDepartmentIds: [5],
  transferredFromDepartmentId: null,
  arbitrated: false,
  onwardTransferAllowed: false,
  pendingRejection: null,
  dueSoonAt: 0,
  dueAt: 0,
  dueSoon: false,
  overdue: false,
  ...over,
});

const staff = (roles: string[], departmentId: number | null, id = 1): ActingStaff => ({
  staffId: id,
  username: `u${id}`,
  roles,
  departmentId,
});
const handler5 = staff(['handler'], 5);
const leader5 = staff(['dept_leader'], 5);
const handler7 = staff(['handler'], 7);
const handler6 = staff(['handler'], 6);
const office = staff(['office'], 1);
const center = staff(['service_center'], 2);
const admin = staff(['admin'], null);
const noDept = staff(['handler'], null);

const A = {
  answer: { kind: 'answer', content: '答复' },
  transferTo7: { kind: 'transfer', toDepartmentId: 7, reasonCode: 'not_in_remit', reason: '不属于本处' },
  transferTo5: { kind: 'transfer', toDepartmentId: 5, reasonCode: 'not_in_remit', reason: '转回' },
  dispute: { kind: 'dispute', reason: '不是我们的' },
  escalate: { kind: 'escalate', reason: '涉及多个处室', departmentIds: [6, 7] },
  arbitrate: { kind: 'arbitrate', leadDepartmentId: 7, assistingDepartmentIds: [6], note: '由执法稽查局牵头' },
  opinion: { kind: 'opinion', content: '协办意见' },
  reclassify: { kind: 'reclassify', type: 'inquiry', convenienceItemId: null, reason: '实为咨询' },
  reject: { kind: 'reject', reasonCode: 'duplicate', reason: '重复来信' },
} satisfies Record<string, CaseAction>;

const allActions = Object.values(A) as CaseAction[];
const everyone = [handler5, leader5, handler7, handler6, office, center, admin, noDept];

describe('isOpen', () => {
  it.each<[LetterStatus, boolean]>([
    ['processing', true],
    ['in_arbitration', true],
    ['answered', false],
    ['rejected', false],
  ])('%s → %s', (status, open) => expect(isOpen({ status })).toBe(open));
});

describe('closed letters refuse every action from everyone', () => {
  for (const [status, reason] of [
    ['answered', '该信件已答复办结'],
    ['rejected', '该信件已不予受理'],
  ] as const) {
    it(status, () => {
      for (const a of everyone) for (const action of allActions) expect(refusal(state({ status }), a, action)).toBe(reason);
    });
  }
});

describe('answer', () => {
  it('the handling department (handler or leader) may answer while processing', () => {
    expect(refusal(state(), handler5, A.answer)).toBeNull();
    expect(refusal(state(), leader5, A.answer)).toBeNull();
    // Due soon or overdue does not stop an answer: a late answer is still recorded.
    expect(refusal(state({ dueSoon: true, overdue: true }), handler5, A.answer)).toBeNull();
  });
  it('other departments, assisting departments, the office and oversight roles may not', () => {
    expect(refusal(state(), handler7, A.answer)).toBe('只有当前承办处室可以答复');
    expect(refusal(state({ assistingDepartmentIds: [6] }), handler6, A.answer)).toBe('只有当前承办处室可以答复');
    expect(refusal(state(), office, A.answer)).toBe('只有当前承办处室可以答复');
    expect(refusal(state(), center, A.answer)).toBe('只有当前承办处室可以答复');
    expect(refusal(state(), admin, A.answer)).toBe('只有当前承办处室可以答复');
    expect(refusal(state(), staff(['service_center'], 5), A.answer)).toBe('只有当前承办处室可以答复');
  });
  it('not while the office coordinates', () => {
    expect(refusal(state({ status: 'in_arbitration' }), handler5, A.answer)).toBe('信件正由办公室协调，暂不能答复');
  });
  it('not while a rejection request waits for the office', () => {
    const pending = { reasonCode: 'duplicate', reason: '重复', byDepartmentId: 5 };
    expect(refusal(state({ pendingRejection: pending }), handler5, A.answer)).toBe('不予受理申请待办公室确认');
  });
});

describe('transfer', () => {
  it('the handling department may transfer to another department', () => {
    expect(refusal(state(), handler5, A.transferTo7)).toBeNull();
    expect(refusal(state(), leader5, A.transferTo7)).toBeNull();
  });
  it('not to itself', () => {
    expect(refusal(state(), handler5, A.transferTo5)).toBe('不能转给本处室');
  });
  it('not by anyone else', () => {
    expect(refusal(state(), handler7, A.transferTo5)).toBe('只有当前承办处室可以转办');
    expect(refusal(state(), office, A.transferTo7)).toBe('只有当前承办处室可以转办');
    expect(refusal(state({ assistingDepartmentIds: [6] }), handler6, A.transferTo7)).toBe('只有当前承办处室可以转办');
  });
  it('not during coordination', () => {
    expect(refusal(state({ status: 'in_arbitration' }), handler5, A.transferTo7)).toBe('信件正由办公室协调，暂不能转办');
  });
  it('a transfer back to a department the letter already left is a ping-pong', () => {
    const s = state({ departmentId: 7, visitedDepartmentIds: [5, 7], transferredFromDepartmentId: 5 });
    expect(refusal(s, handler7, A.transferTo5)).toBeNull(); // allowed: the workflow sends it to the office
    expect(isPingPong(s, 5)).toBe(true);
    expect(isPingPong(s, 6)).toBe(false);
    expect(isPingPong(state(), 7)).toBe(false);
  });
});

describe('Art. 22: only the first department transfers; the office decides disputes', () => {
  // 5 (the department the writer chose) transferred to 7.
  const received = state({ departmentId: 7, visitedDepartmentIds: [5, 7], transferredFromDepartmentId: 5 });
  const arbitrated = state({ departmentId: 7, visitedDepartmentIds: [5, 7], arbitrated: true });
  const ONWARD = '转办来的信件不能再转给其他处室：请答复，或对转办提出异议，由办公室协调';
  const DECIDED = '办公室已协调确定承办处室，不能再转办；如有异议，可再次提请办公室协调';

  it('Art. 22: the first department transfers what is outside its remit', () => {
    expect(refusal(state(), handler5, A.transferTo7)).toBeNull();
  });
  it('Art. 22: the receiving department does not pass the letter on to a third department', () => {
    const toCredit = { ...A.transferTo7, toDepartmentId: 6 };
    expect(refusal(received, handler7, toCredit)).toBe(ONWARD);
    expect(refusal(received, staff(['dept_leader'], 7), toCredit)).toBe(ONWARD);
    // What it may do instead: answer, or dispute (the office decides).
    expect(refusal(received, handler7, A.answer)).toBeNull();
    expect(refusal(received, handler7, A.dispute)).toBeNull();
  });
  it('Art. 22: sending it back to the department it came from is a disputed transfer, still allowed (the office decides)', () => {
    expect(refusal(received, handler7, A.transferTo5)).toBeNull();
    expect(isPingPong(received, 5)).toBe(true);
  });
  it('Art. 22, ALLOW_ONWARD_TRANSFER: with the setting on, the receiving department may pass it on', () => {
    expect(refusal({ ...received, onwardTransferAllowed: true }, handler7, { ...A.transferTo7, toDepartmentId: 6 })).toBeNull();
  });
  it("Art. 22: after the office's decision the lead department answers or escalates again, it does not transfer", () => {
    expect(refusal(arbitrated, handler7, { ...A.transferTo7, toDepartmentId: 6 })).toBe(DECIDED);
    expect(refusal(arbitrated, handler7, A.transferTo5)).toBe(DECIDED);
    // Also with onward transfers allowed: the setting is about receiving departments, not the office's decision.
    expect(refusal({ ...arbitrated, onwardTransferAllowed: true }, handler7, A.transferTo5)).toBe(DECIDED);
    // A lead department that is also the first department is bound by the decision too.
    expect(refusal(state({ arbitrated: true }), handler5, A.transferTo7)).toBe(DECIDED);
    expect(refusal(arbitrated, handler7, A.escalate)).toBeNull();
    expect(refusal(arbitrated, handler7, A.answer)).toBeNull();
  });
  it('Art. 22: a state cached from activities older than the limits (no new fields) reads as not arbitrated, no onward transfers', () => {
    const { arbitrated: _a, onwardTransferAllowed: _o, ...old } = received;
    const cached = old as CaseState;
    expect(refusal(cached, handler7, { ...A.transferTo7, toDepartmentId: 6 })).toBe(ONWARD);
    expect(refusal({ ...state(), arbitrated: undefined } as unknown as CaseState, handler5, A.transferTo7)).toBeNull();
  });
  it('Art. 22 replay: withoutTransferLimits gives the earlier rules (any handling department transfers), nothing else changes', () => {
    expect(refusal(withoutTransferLimits(received), handler7, { ...A.transferTo7, toDepartmentId: 6 })).toBeNull();
    expect(refusal(withoutTransferLimits(arbitrated), handler7, { ...A.transferTo7, toDepartmentId: 6 })).toBeNull();
    for (const s of [state(), received, arbitrated, state({ status: 'in_arbitration' })])
      for (const a of everyone)
        for (const action of allActions.filter((x) => x.kind !== 'transfer'))
          expect(refusal(withoutTransferLimits(s), a, action)).toBe(refusal(s, a, action));
  });
});

describe('Art. 22 "立即转交": a transfer is on time until the end of the N-th working day after receipt (China time)', () => {
  const cal = new WorkingDayCalendar(bundledSchedules);
  const off = { afterHoursNextDay: false, officeEndMinute: parseClock('17:30') };
  const deadline = (at: Date, n: number) => computeDeadline(cal, at, n, off);
  const at = (text: string) => parseChinaInstant(text)!;
  const check = (received: string, n: number, transferred: string) => transferLateness(deadline, at(received), n, at(transferred));

  // 2026 National Day (国办发明电〔2025〕7号): 1–7 October off; Sunday 20 September and Saturday 10 October worked.
  it('received Wednesday 30 September, N = 1: the holiday is skipped, on time until Thursday 8 October 24:00', () => {
    expect(check('2026-09-30T10:00', 1, '2026-10-08T23:59:59').expectedBy.toISOString()).toBe(at('2026-10-08T23:59:59.999').toISOString());
    expect(check('2026-09-30T10:00', 1, '2026-10-05T09:00').late).toBe(false);
    expect(check('2026-09-30T10:00', 1, '2026-10-08T23:59:59').late).toBe(false);
    expect(check('2026-09-30T10:00', 1, '2026-10-09T00:00:01').late).toBe(true);
  });
  it('received Friday 9 October, N = 1: the make-up Saturday 10 October is the working day; Sunday 11 October is late', () => {
    expect(check('2026-10-09T16:00', 1, '2026-10-10T22:00').late).toBe(false);
    expect(check('2026-10-09T16:00', 1, '2026-10-11T08:00').late).toBe(true);
  });
  it('received on a rest day (Saturday 19 September), N = 1: due by the end of the make-up Sunday 20 September', () => {
    expect(check('2026-09-19T11:00', 1, '2026-09-20T23:00').late).toBe(false);
    expect(check('2026-09-19T11:00', 1, '2026-09-21T00:00:01').late).toBe(true);
  });
  it('the receipt day is not counted: received Monday 14 September, on time on Tuesday evening, late on Wednesday', () => {
    expect(check('2026-09-14T09:00', 1, '2026-09-15T21:00').late).toBe(false);
    expect(check('2026-09-14T09:00', 1, '2026-09-16T00:00:01').late).toBe(true);
  });
  it('N = 2 over the year end: received 31 December 2025, due by Monday 5 January (1–3 January off, Sunday 4 January worked)', () => {
    expect(check('2025-12-31T15:00', 2, '2026-01-05T23:59').late).toBe(false);
    expect(check('2025-12-31T15:00', 2, '2026-01-06T00:00:01').late).toBe(true);
  });
});

describe('dispute', () => {
  const transferred = state({ departmentId: 7, visitedDepartmentIds: [5, 7], transferredFromDepartmentId: 5 });
  it('the receiving department may dispute a transfer', () => {
    expect(refusal(transferred, handler7, A.dispute)).toBeNull();
    expect(refusal(transferred, staff(['dept_leader'], 7), A.dispute)).toBeNull();
  });
  it('a letter that was not transferred cannot be disputed', () => {
    expect(refusal(state(), handler5, A.dispute)).toBe('该信件不是转办来的，无需提出异议');
  });
  it('the sending department, the office and others cannot dispute', () => {
    expect(refusal(transferred, handler5, A.dispute)).toBe('只有接收转办的处室可以提出异议');
    expect(refusal(transferred, office, A.dispute)).toBe('只有接收转办的处室可以提出异议');
  });
  it('not twice (already with the office)', () => {
    expect(refusal({ ...transferred, status: 'in_arbitration' }, handler7, A.dispute)).toBe('信件已在办公室协调中');
  });
});

describe('escalate', () => {
  it('the handling department may ask the office to coordinate', () => {
    expect(refusal(state(), handler5, A.escalate)).toBeNull();
  });
  it('nobody else', () => {
    expect(refusal(state(), handler6, A.escalate)).toBe('只有当前承办处室可以提请办公室协调');
    expect(refusal(state(), office, A.escalate)).toBe('只有当前承办处室可以提请办公室协调');
  });
  it('not while already coordinating', () => {
    expect(refusal(state({ status: 'in_arbitration' }), handler5, A.escalate)).toBe('信件已在办公室协调中');
  });
});

describe('arbitrate', () => {
  it('only the office, only while coordinating', () => {
    const s = state({ status: 'in_arbitration' });
    expect(refusal(s, office, A.arbitrate)).toBeNull();
    expect(refusal(s, handler5, A.arbitrate)).toBe('只有办公室可以协调确定承办处室');
    expect(refusal(s, admin, A.arbitrate)).toBe('只有办公室可以协调确定承办处室');
    expect(refusal(state(), office, A.arbitrate)).toBe('信件不在协调中');
  });
});

describe('opinion', () => {
  it('assisting departments give opinions while processing', () => {
    const s = state({ assistingDepartmentIds: [6, 8] });
    expect(refusal(s, handler6, A.opinion)).toBeNull();
    expect(refusal(s, staff(['dept_leader'], 8), A.opinion)).toBeNull();
  });
  it('the lead department, the office, other departments and staff without a department do not', () => {
    const s = state({ assistingDepartmentIds: [6] });
    expect(refusal(s, handler5, A.opinion)).toBe('只有协办处室可以提交协办意见');
    expect(refusal(s, office, A.opinion)).toBe('只有协办处室可以提交协办意见');
    expect(refusal(s, handler7, A.opinion)).toBe('只有协办处室可以提交协办意见');
    expect(refusal(s, noDept, A.opinion)).toBe('只有协办处室可以提交协办意见');
  });
  it('not while coordinating', () => {
    expect(refusal(state({ status: 'in_arbitration', assistingDepartmentIds: [6] }), handler6, A.opinion)).toBe('信件正由办公室协调');
  });
});

describe('reclassify', () => {
  it('the handling department or the office, also while coordinating', () => {
    expect(refusal(state(), handler5, A.reclassify)).toBeNull();
    expect(refusal(state(), office, A.reclassify)).toBeNull();
    expect(refusal(state({ status: 'in_arbitration' }), office, A.reclassify)).toBeNull();
    expect(refusal(state({ status: 'in_arbitration' }), handler5, A.reclassify)).toBeNull();
  });
  it('nobody else', () => {
    expect(refusal(state(), handler7, A.reclassify)).toBe('只有当前承办处室或办公室可以更改信件类型');
    expect(refusal(state({ assistingDepartmentIds: [6] }), handler6, A.reclassify)).toBe('只有当前承办处室或办公室可以更改信件类型');
    expect(refusal(state(), admin, A.reclassify)).toBe('只有当前承办处室或办公室可以更改信件类型');
  });
});

describe('reject', () => {
  const pending = { reasonCode: 'duplicate', reason: '重复', byDepartmentId: 5 };
  it('the handling department requests it', () => {
    expect(refusal(state(), handler5, A.reject)).toBeNull();
    expect(refusal(state(), handler7, A.reject)).toBe('只有当前承办处室可以申请不予受理');
  });
  it('a department cannot request twice, nor while coordinating', () => {
    expect(refusal(state({ pendingRejection: pending }), handler5, A.reject)).toBe('不予受理申请已提交，待办公室确认');
    expect(refusal(state({ status: 'in_arbitration', pendingRejection: pending }), handler5, A.reject)).toBe('信件正由办公室协调');
  });
  it('the office confirms a request, or decides itself, in either open state', () => {
    expect(refusal(state({ status: 'in_arbitration', pendingRejection: pending }), office, A.reject)).toBeNull();
    expect(refusal(state(), office, A.reject)).toBeNull();
  });
});

describe('the whole matrix: every open state × actor × action has a decision', () => {
  const states: CaseState[] = [
    state(),
    state({ status: 'in_arbitration' }),
    state({ departmentId: 7, visitedDepartmentIds: [5, 7], transferredFromDepartmentId: 5 }),
    state({ assistingDepartmentIds: [6] }),
    state({ departmentId: 7, visitedDepartmentIds: [5, 7], arbitrated: true }),
  ];
  it('refusals are null or a non-empty Chinese reason, and only listed actors are ever allowed', () => {
    for (const s of states) {
      for (const a of everyone) {
        for (const action of allActions) {
          const why = refusal(s, a, action);
          if (why !== null) expect(why).toMatch(/[\u4e00-\u9fff]/);
          else {
            // Allowed: the actor is the office, or a handler/leader of the handling or assisting department.
            const inDept =
              a.departmentId === s.departmentId || (a.departmentId !== null && s.assistingDepartmentIds.includes(a.departmentId));
            expect(a.roles.includes('office') || (inDept && a.roles.some((r) => r === 'handler' || r === 'dept_leader'))).toBe(true);
          }
        }
      }
    }
  });
  it('oversight roles (service centre, admin) are never allowed to act', () => {
    for (const s of states)
      for (const action of allActions) {
        expect(refusal(s, center, action)).not.toBeNull();
        expect(refusal(s, admin, action)).not.toBeNull();
      }
  });
});
