import { describe, expect, it } from 'vitest';
import { actionInput, offeredActions } from '../../src/requests/pages/actions.js';
import { requestErrors, requestInput } from '../../src/requests/pages/request-form.js';
import { requestBody, type StaffRequestView } from '../../src/requests/schemas.js';

// The request pages' pure parts: which action forms a viewer is offered (the office routes and signs,
// the holding department drafts — point 9; an extension is the office's, 条例 Art. 33(2); a supplement only
// while one is awaited, Art. 30), and how the form's strings become the API body and its issues come back.

const view = (over: Partial<StaffRequestView> = {}, handling: Partial<StaffRequestView['handling']> = {}): StaffRequestView => ({
  id: 1,
  number: '261203-K7Q3M',
  status: 'in_progress',
  statusLabel: '办理中',
  channel: 'online',
  outcome: null,
  outcomeLabel: null,
  clock: {
    state: 'running',
    stateLabel: '计时中',
    receivedOn: '2026-09-30',
    deadline: '2026-11-03',
    correctionNoticeDue: '2026-10-16',
    supplementDue: null,
    feeDue: null,
    pausedWorkingDays: 0,
    extensionDays: 0,
    openConsultations: [],
    explanation: [],
  },
  applicant: {
    type: 'natural_person',
    name: '林小梅',
    idDocumentType: 'resident_id',
    idDocumentNumber: '350102199001011234',
    phone: '13800000000',
    email: '',
    address: '',
    legalRepresentative: '',
    contactPerson: '',
  },
  information: { title: '抽检计划', docNumber: '', description: '' },
  form: 'electronic',
  receiveWay: 'online',
  receiptBasis: '网上申请',
  handling: {
    step: 'routing',
    stepLabel: '办公室批办',
    since: '2026-09-30',
    dueOn: '2026-10-09',
    holdingDepartmentId: null,
    draft: '',
    signedAt: null,
    ...handling,
  },
  fee: null,
  letterReady: false,
  conclusion: { reasons: '', access: null, responsibleAgency: null },
  delivery: null,
  repeatOf: null,
  events: [],
  ...over,
});
const office = { roles: ['office'] as const, departmentId: 1 };
const center = { roles: ['service_center'] as const, departmentId: 2 };
const registrar = { roles: ['handler'] as const, departmentId: 5 };
const credit = { roles: ['handler'] as const, departmentId: 6 };

describe('offeredActions: the forms a viewer sees now', () => {
  it('awaiting confirmation (条例 Art. 31): only confirming, for the office and the service centre', () => {
    const v = view({ status: 'awaiting_confirmation', clock: { ...view().clock, state: null } }, { step: null });
    expect(offeredActions(v, office)).toEqual(['confirm']);
    expect(offeredActions(v, center)).toEqual(['confirm']);
    expect(offeredActions(v, registrar)).toEqual([]);
  });

  it('routing: the office routes and records clock events; the service centre nothing; department staff nothing', () => {
    expect(offeredActions(view(), office)).toEqual([
      'route',
      'correction',
      'consultation-open',
      'fee-notice',
      'extend',
      'later-date',
      'conclude',
    ]);
    expect(offeredActions(view(), center)).toEqual([]);
    expect(offeredActions(view(), registrar)).toEqual([]);
  });

  it('drafting at 登记注册局: its handler drafts, another department is offered nothing; signing: the office signs', () => {
    const drafting = view({}, { step: 'drafting', holdingDepartmentId: 5 });
    expect(offeredActions(drafting, registrar)).toEqual(['draft']);
    expect(offeredActions(drafting, credit)).toEqual([]);
    expect(offeredActions(view({}, { step: 'signing', holdingDepartmentId: 5 }), office)).toContain('sign');
    expect(offeredActions(view({}, { step: 'signed', holdingDepartmentId: 5 }), office)).not.toContain('sign');
  });

  it('waiting for a supplement (Art. 30): the supplement for the office and the service centre, no extension; a fee notice open: payment', () => {
    const waiting = view({ clock: { ...view().clock, state: 'waiting_for_supplement', deadline: null, supplementDue: '2026-10-23' } });
    expect(offeredActions(waiting, center)).toEqual(['supplement']);
    expect(offeredActions(waiting, office)).not.toContain('extend');
    const fee = view({ clock: { ...view().clock, state: 'paused', feeDue: '2026-11-20' } });
    expect(offeredActions(fee, center)).toEqual(['fee-paid']);
    expect(offeredActions(fee, office)).not.toContain('fee-notice');
  });
});

describe('the form strings → the API body', () => {
  it('a 补正 notice: one point a line, the period as a number; a datetime-local confirmation as China time', () => {
    expect(actionInput('correction', { periodDays: '10', points: '请提供身份证明\r\n\r\n请说明年份 ' })).toEqual({
      kind: 'correction_requested',
      on: undefined,
      periodDays: 10,
      points: ['请提供身份证明', '请说明年份'],
    });
    expect(actionInput('confirm', { confirmedAt: '2026-09-30T10:00' })).toEqual({ confirmedAt: '2026-09-30T10:00:00+08:00' });
  });

  it('an organisation sends its credit code as the identity document; its missing facts come back to the organisation fields', () => {
    const values = {
      'applicant.type': 'research_institution',
      'org.name': '福建某研究院',
      'org.creditCode': '12350000MB0123456Y',
      'applicant.email': 'a@example.cn',
      'information.title': '标准清单',
      form: 'electronic',
      receiveWay: 'email',
    };
    const input = requestInput(values) as { applicant: Record<string, unknown> };
    expect(input.applicant).toMatchObject({ type: 'research_institution', name: '福建某研究院', idDocumentType: 'unified_credit_code' });
    const parsed = requestBody.safeParse(input);
    expect(parsed.success).toBe(false);
    const fields = Object.fromEntries(parsed.error!.issues.map((i) => [`body.${i.path.join('.')}`, i.message]));
    expect(requestErrors(fields, values)).toEqual({
      'org.legalRepresentative': '法人或者其他组织申请的，请填写法定代表人或者负责人',
      'org.contactPerson': '法人或者其他组织申请的，请填写联系人',
    });
  });
});
