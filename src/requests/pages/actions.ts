// The staff page's actions (POST /staff/requests/:id/<action>): who is offered each, when, its
// fields, and how its strings become the body of the API route it stands for, judged by that route's own
// schema. Offering follows the declared rules (rules.ts EVENT_ROLES, routing-rules.ts NEXT_STEP); the
// service decides (a form offered a moment too early answers the service's 409 on the page again).
import type { Role } from '../../auth/roles.js';
import { DEPARTMENT_STAFF } from '../../auth/roles.js';
import { str, type Query } from '../../web/request.js';
import type { ClockEventKind } from '../clock-rules.js';
import { NEXT_STEP } from '../routing-rules.js';
import { EVENT_ROLES, REQUEST_INTAKE } from '../rules.js';
import type { StaffRequestView } from '../schemas.js';

export const REQUEST_ACTIONS = [
  'confirm',
  'route',
  'draft',
  'sign',
  'correction',
  'supplement',
  'consultation-open',
  'consultation-close',
  'fee-notice',
  'fee-paid',
  'extend',
  'later-date',
  'conclude',
  'delivery',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** The clock event each event action records (POST /api/disclosure-requests/:id/events). */
export const EVENT_OF: Partial<Record<RequestAction, Exclude<ClockEventKind, 'withdrawn'>>> = {
  correction: 'correction_requested',
  supplement: 'supplement_received',
  'consultation-open': 'consultation_opened',
  'consultation-close': 'consultation_closed',
  'fee-notice': 'fee_notified',
  'fee-paid': 'fee_paid',
  extend: 'extended',
  'later-date': 'later_date_set',
  conclude: 'concluded',
};

export const ACTION_TITLES: Record<RequestAction, string> = {
  confirm: '确认收到申请（确定收到申请之日）',
  route: '批办：交承办处室',
  draft: '提交拟办答复意见',
  sign: '签发答复',
  correction: '告知补正',
  supplement: '登记收到补正材料',
  'consultation-open': '征求第三方或其他机关意见',
  'consultation-close': '征求意见结束',
  'fee-notice': '发出收费通知',
  'fee-paid': '登记已缴费',
  extend: '延长答复期限',
  'later-date': '确定延迟答复日期（条例第三十五条）',
  conclude: '办结（登记答复类型）',
  delivery: '登记送达（国办公开办函〔2016〕235号）',
};

export const ACTION_DONE: Record<RequestAction, string> = {
  confirm: '已确认收到申请，答复期限开始计算。',
  route: '已交承办处室办理。',
  draft: '拟办答复意见已提交，等待办公室负责人签发。',
  sign: '答复已签发。',
  correction: '已登记补正告知，等待补正期间答复期限暂停计算。',
  supplement: '已登记收到补正材料，答复期限自今日重新计算。',
  'consultation-open': '已登记征求意见。',
  'consultation-close': '已登记征求意见结束。',
  'fee-notice': '已登记收费通知。',
  'fee-paid': '已登记缴费。',
  extend: '答复期限已延长。',
  'later-date': '已登记延迟答复日期。',
  conclude: '申请已办结。',
  delivery: '已登记送达。',
};

/** Who may take each action (the route's access: the office routes and signs, the holding department drafts). */
const ACTION_ROLES: Record<RequestAction, readonly Role[]> = {
  confirm: REQUEST_INTAKE,
  route: ['office'],
  draft: DEPARTMENT_STAFF,
  sign: ['office'],
  delivery: EVENT_ROLES.delivered,
  ...(Object.fromEntries(Object.entries(EVENT_OF).map(([a, kind]) => [a, EVENT_ROLES[kind]])) as Record<
    Exclude<RequestAction, 'confirm' | 'route' | 'draft' | 'sign' | 'delivery'>,
    readonly Role[]
  >),
};
/** Every role that may take some action: the POST route's access. */
export const REQUEST_ACTORS = [...new Set(Object.values(ACTION_ROLES).flat())] as Role[];

interface Viewing {
  roles: readonly Role[];
  departmentId: number | null;
}

/** The actions offered to this viewer on this request now. */
export function offeredActions(v: StaffRequestView, who: Viewing): RequestAction[] {
  const step = v.handling.step;
  const c = v.clock;
  const running = v.status === 'in_progress';
  const waiting = c.state === 'waiting_for_supplement';
  const now: Record<RequestAction, boolean> = {
    confirm: v.status === 'awaiting_confirmation',
    route: running && !!step && NEXT_STEP.route.from.includes(step),
    draft:
      running &&
      !!step &&
      NEXT_STEP.draft.from.includes(step) &&
      who.departmentId !== null &&
      v.handling.holdingDepartmentId === who.departmentId,
    sign: running && !!step && NEXT_STEP.sign.from.includes(step),
    correction: running && !waiting,
    supplement: running && waiting,
    'consultation-open': running && !waiting,
    'consultation-close': running && c.openConsultations.length > 0,
    'fee-notice': running && !waiting && !c.feeDue,
    'fee-paid': running && !!c.feeDue,
    extend: running && !waiting,
    'later-date': running,
    conclude: running,
    // The signed answer delivered (235号): once concluded with a letter, recorded once.
    delivery: v.status === 'concluded' && v.letterReady && !v.delivery,
  };
  return REQUEST_ACTIONS.filter((a) => now[a] && who.roles.some((r) => ACTION_ROLES[a].includes(r)));
}

const int = (v: unknown) => {
  const s = str(v).trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : s === '' ? undefined : s;
};
const opt = (v: unknown) => {
  const s = str(v, 20_000).trim();
  return s === '' ? undefined : s;
};
const instant = (v: unknown) => {
  const s = opt(v);
  return s && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s) ? `${s}:00+08:00` : s;
};

/** The form's strings → the JSON body of the API route the action stands for (confirm, route, draft, events). */
export function actionInput(a: RequestAction, v: Query): unknown {
  const on = opt(v.on);
  switch (a) {
    case 'confirm':
      return { confirmedAt: instant(v.confirmedAt) };
    case 'route':
      return { departmentId: int(v.departmentId) };
    case 'draft':
      return { draft: str(v.draft, 20_000) };
    case 'sign':
      return {};
    case 'correction':
      return {
        kind: 'correction_requested',
        on,
        periodDays: int(v.periodDays),
        points: str(v.points, 20_000)
          .split(/\r?\n/)
          .map((p) => p.trim())
          .filter(Boolean),
      };
    case 'consultation-open':
      return { kind: 'consultation_opened', on, party: opt(v.party), addressee: str(v.addressee, 1000) };
    case 'consultation-close':
      return { kind: 'consultation_closed', on, consultationId: int(v.consultationId) };
    case 'fee-notice':
      return {
        kind: 'fee_notified',
        on,
        periodDays: int(v.periodDays),
        method: opt(v.method),
        quantity: int(v.quantity),
        detail: str(v.detail, 2000),
      };
    case 'extend':
      return { kind: 'extended', on, days: int(v.days), reason: str(v.reason, 1000) };
    case 'later-date':
      return { kind: 'later_date_set', on, date: opt(v.date), reason: str(v.reason, 1000) };
    case 'conclude': {
      // An access or agency block left wholly blank is absent (the schema then says whether it is needed).
      const access = {
        form: str(v['access.form'], 300).trim(),
        place: str(v['access.place'], 300).trim(),
        time: str(v['access.time'], 300).trim(),
      };
      const agency = { name: str(v['responsibleAgency.name'], 300).trim(), contact: str(v['responsibleAgency.contact'], 300).trim() };
      return {
        kind: 'concluded',
        on,
        outcome: opt(v.outcome),
        reasons: opt(v.reasons),
        access: access.form || access.place || access.time ? access : undefined,
        responsibleAgency: agency.name || agency.contact ? { name: agency.name, contact: agency.contact || undefined } : undefined,
      };
    }
    case 'delivery':
      return { method: opt(v.method), postedOn: opt(v.postedOn), signedOn: opt(v.signedOn) };
    case 'supplement':
      return { kind: 'supplement_received', on };
    case 'fee-paid':
      return { kind: 'fee_paid', on };
  }
}
