// The staff page's action forms (POST /staff/requests/:id/<action>): who is offered each, when, its
// fields, and how its strings become the body of the API route it stands for, judged by that route's own
// schema. Offering follows the declared rules (rules.ts EVENT_ROLES, routing-rules.ts NEXT_STEP); the
// service decides (a form offered a moment too early answers the service's 409 on the page again).
import type { Role } from '../../auth/roles.js';
import { DEPARTMENT_STAFF } from '../../auth/roles.js';
import { choiceGroup, csrfField, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html, raw, type SafeHtml } from '../../web/html.js';
import { cnDate } from '../../web/labels.js';
import { str, type Query } from '../../web/request.js';
import { CONSULTED_PARTIES, CONSULTED_PARTY_LABELS, DEFAULT_FEE_PERIOD_WORKING_DAYS, type ClockEventKind } from '../clock-rules.js';
import { OUTCOME_FACTS, OUTCOME_GROUP_LABELS, outcomesOf, type OutcomeGroup } from '../outcomes.js';
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
};

/** Who may take each action (the route's access: the office routes and signs, the holding department drafts). */
const ACTION_ROLES: Record<RequestAction, readonly Role[]> = {
  confirm: REQUEST_INTAKE,
  route: ['office'],
  draft: DEPARTMENT_STAFF,
  sign: ['office'],
  ...(Object.fromEntries(Object.entries(EVENT_OF).map(([a, kind]) => [a, EVENT_ROLES[kind]])) as Record<
    Exclude<RequestAction, 'confirm' | 'route' | 'draft' | 'sign'>,
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
      return { kind: 'fee_notified', on, periodDays: int(v.periodDays), detail: str(v.detail, 2000) };
    case 'extend':
      return { kind: 'extended', on, days: int(v.days), reason: str(v.reason, 1000) };
    case 'later-date':
      return { kind: 'later_date_set', on, date: opt(v.date), reason: str(v.reason, 1000) };
    case 'conclude':
      return { kind: 'concluded', on, outcome: opt(v.outcome) };
    case 'supplement':
      return { kind: 'supplement_received', on };
    case 'fee-paid':
      return { kind: 'fee_paid', on };
  }
}

export interface ActionContext {
  id: number;
  view: StaffRequestView;
  departments: { id: number; name: string }[];
  state: FormState;
  message?: string;
  csrf: string;
}

const GROUPS = Object.keys(OUTCOME_GROUP_LABELS) as OutcomeGroup[];
const outcomeOptions = () =>
  GROUPS.flatMap((g) =>
    outcomesOf(g).map((o) => ({
      value: o,
      label: `${OUTCOME_GROUP_LABELS[g].replace(/（区分处理.*）$/, '')} ${OUTCOME_FACTS[o].label}`,
    })),
  );

function fieldsOf(a: RequestAction, x: ActionContext): SafeHtml {
  const s = x.state;
  const scope = a;
  const onField = EVENT_OF[a]
    ? textField({ name: 'on', label: '日期', state: s, scope, type: 'date', hint: '不填为今天；不能早于上一计时事项。' })
    : '';
  const reason = (label: string) => textArea({ name: 'reason', label, required: true, state: s, scope, rows: 3, maxlength: 500 });
  const days = (name: string, label: string, hint: string) =>
    textField({ name, label, required: true, state: s, scope, type: 'number', inputmode: 'numeric', maxlength: 3, hint });
  switch (a) {
    case 'confirm':
      return textField({
        name: 'confirmedAt',
        label: '确认时间',
        state: s,
        scope,
        maxlength: 40,
        hint: '与申请人确认的时间，格式 2026-10-10T09:30（北京时间）；不填为现在。该日为收到申请之日（条例第三十一条）。',
      });
    case 'route':
      return selectField({
        name: 'departmentId',
        label: '承办处室',
        required: true,
        state: s,
        scope,
        placeholder: '请选择掌握该信息的处室',
        options: x.departments.map((d) => ({ value: String(d.id), label: d.name })),
      });
    case 'draft':
      return textArea({ name: 'draft', label: '拟办答复意见', required: true, state: s, scope, rows: 6, maxlength: 5000 });
    case 'sign':
      return html`<p>签发后，申请人可以在查询页面看到答复书。${x.view.handling.draft ? '' : '（尚无拟办意见）'}</p>`;
    case 'correction':
      return html`${onField}${days('periodDays', '补正期限（工作日）', '申请人应在该期限内补正。')}${textArea({
        name: 'points',
        label: '需要补正的事项',
        required: true,
        state: s,
        scope,
        rows: 4,
        maxlength: 5000,
        hint: `一行一项，一次性列出全部事项；补正告知应在 ${cnDate(x.view.clock.correctionNoticeDue ?? '')} 前作出（条例第三十条）。`,
      })}`;
    case 'consultation-open':
      return html`${onField}${choiceGroup({
        name: 'party',
        label: '征求意见的对象',
        kind: 'radio',
        required: true,
        state: s,
        scope,
        options: CONSULTED_PARTIES.map((p) => ({ value: p, label: CONSULTED_PARTY_LABELS[p] })),
      })}${textField({ name: 'addressee', label: '对象名称', required: true, state: s, scope, maxlength: 200 })}`;
    case 'consultation-close':
      return html`${onField}${selectField({
        name: 'consultationId',
        label: '结束的征求意见',
        required: true,
        state: s,
        scope,
        placeholder: '请选择',
        options: x.view.clock.openConsultations.map((c) => ({
          value: String(c.ref),
          label: `${CONSULTED_PARTY_LABELS[c.party]}（${cnDate(c.openedOn)}起，至迟 ${cnDate(c.windowEnd)}）`,
        })),
      })}`;
    case 'fee-notice':
      return html`${onField}${days('periodDays', '缴费期限（工作日）', `默认 ${DEFAULT_FEE_PERIOD_WORKING_DAYS} 个工作日。`)}${textArea({
        name: 'detail',
        label: '收费说明',
        state: s,
        scope,
        rows: 3,
        maxlength: 1000,
      })}`;
    case 'extend':
      return html`${onField}${days('days', '延长的工作日数', '合计最长 20 个工作日，须在答复期限届满前，经政府信息公开工作机构负责人同意。')}${reason('延长理由')}`;
    case 'later-date':
      return html`${onField}${textField({ name: 'date', label: '答复日期', required: true, state: s, scope, type: 'date' })}${reason('延迟答复的理由')}`;
    case 'conclude':
      return html`${onField}${selectField({
        name: 'outcome',
        label: '答复类型',
        required: true,
        state: s,
        scope,
        placeholder: '请选择',
        options: outcomeOptions(),
      })}`;
    case 'supplement':
    case 'fee-paid':
      return html`${onField}`;
  }
}

export function actionForm(a: RequestAction, x: ActionContext): SafeHtml {
  const open = x.message || Object.keys(x.state.errors).length > 0 ? raw(' open') : '';
  const primary = ['confirm', 'route', 'draft', 'sign', 'conclude'].includes(a) ? html` class="primary"` : '';
  return html`<details class="block action" id="act-${a}"${open}><summary>${ACTION_TITLES[a]}</summary>
<form method="post" action="/staff/requests/${x.id}/${a}" class="action-form stack">
${csrfField(x.csrf)}
${x.message && html`<p class="form-error" role="alert">${x.message}</p>`}
${fieldsOf(a, x)}
<div class="actions"><button type="submit"${primary}>${ACTION_TITLES[a].replace(/（.*）$/, '').replace(/：.*$/, '')}</button></div>
</form></details>`;
}
