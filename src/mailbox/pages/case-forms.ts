import type { z } from 'zod';
import type { StaffIdentity } from '../../auth/sessions.js';
import type { departmentNames } from '../../departments/service.js';
import { choiceGroup, csrfField, selectField, textArea, type FormState, type Option } from '../../web/fields.js';
import { html, raw, type SafeHtml } from '../../web/html.js';
import { parsed } from '../../web/outcome.js';
import { intOrUndefined, ints, str, type Query } from '../../web/request.js';
import type { CaseAction, CaseActionKind, CaseState } from '../case-rules.js';
import { actionBodies, type caseDetail, type caseSummary } from '../schemas.js';
import { countdown, REJECT_REASONS, statusLabel, TRANSFER_REASONS, TYPE_LABELS } from './labels.js';

// The case page's action forms: what each offers, and how its strings become the action the service takes.

type CaseSummary = z.infer<typeof caseSummary>;
type CaseDetail = z.infer<typeof caseDetail>;
export type Dept = Awaited<ReturnType<typeof departmentNames>>[number];

/** The case actions (the API's path segment) in the order the case page offers them. */
export const ACTIONS = ['answer', 'opinions', 'transfer', 'dispute', 'escalate', 'reclassify', 'reject', 'arbitrate'] as const;
export type ActionPath = (typeof ACTIONS)[number];

export const ACTION_TITLES: Record<ActionPath, string> = {
  answer: '答复来信',
  opinions: '提交协办意见',
  transfer: '转办',
  dispute: '对转办提出异议',
  escalate: '提请办公室协调',
  reclassify: '更改信件类型',
  reject: '不予受理',
  arbitrate: '协调确定承办处室',
};
export const DONE: Record<ActionPath, string> = {
  answer: '已答复，信件已办结。',
  opinions: '协办意见已提交。',
  transfer: '已转办。',
  dispute: '已提出异议，信件提交办公室协调。',
  escalate: '已提请办公室协调。',
  reclassify: '信件类型已更改，答复期限已重新计算。',
  reject: '不予受理已提交。',
  arbitrate: '已确定承办处室。',
};

/** A representative action of each kind, to ask case-rules whether the viewer may take it now. */
export const PROBE: Record<ActionPath, CaseAction> = {
  answer: { kind: 'answer', content: '-' },
  opinions: { kind: 'opinion', content: '-' },
  transfer: { kind: 'transfer', toDepartmentId: -1, reasonCode: '-', reason: '-' },
  dispute: { kind: 'dispute', reason: '-' },
  escalate: { kind: 'escalate', reason: '-', departmentIds: [] },
  reclassify: { kind: 'reclassify', type: 'complaint', convenienceItemId: null, reason: '-' },
  reject: { kind: 'reject', reasonCode: '-', reason: '-' },
  arbitrate: { kind: 'arbitrate', leadDepartmentId: -1, assistingDepartmentIds: [], note: '-' },
};

/** The page form's strings → the JSON body of POST /api/cases/:no/<action>; missing choices are reported here. */
export function actionBody(action: ActionPath, v: Query): { body: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const need = (name: string, message: string) => {
    const n = intOrUndefined(v[name]);
    if (n === undefined) errors[name] = message;
    return n;
  };
  const text = (name: string) => str(v[name], 20_000);
  const code = (name: string) => str(v[name]) || undefined;
  switch (action) {
    case 'answer':
    case 'opinions':
      return { body: { content: text('content') }, errors };
    case 'transfer':
      return {
        body: { toDepartmentId: need('toDepartmentId', '请选择转办处室'), reasonCode: code('reasonCode'), reason: text('reason') },
        errors,
      };
    case 'dispute':
      return { body: { reason: text('reason') }, errors };
    case 'escalate':
      return { body: { reason: text('reason'), departmentIds: ints(v.departmentIds) }, errors };
    case 'arbitrate':
      return {
        body: {
          leadDepartmentId: need('leadDepartmentId', '请选择牵头处室'),
          assistingDepartmentIds: ints(v.assistingDepartmentIds),
          note: text('note'),
        },
        errors,
      };
    case 'reclassify':
      return {
        body: { type: code('type'), convenienceItemId: intOrUndefined(v.convenienceItemId) ?? null, reason: text('reason') },
        errors,
      };
    case 'reject':
      return { body: { reasonCode: code('reasonCode'), reason: text('reason') }, errors };
  }
}

/** Each page action's case action kind (the API's path segment → the workflow's kind). */
const KINDS = {
  answer: 'answer',
  opinions: 'opinion',
  transfer: 'transfer',
  dispute: 'dispute',
  escalate: 'escalate',
  reclassify: 'reclassify',
  reject: 'reject',
  arbitrate: 'arbitrate',
} as const satisfies Record<ActionPath, CaseActionKind>;

export const kindOf = (action: ActionPath): CaseActionKind => KINDS[action];

/** The page's body checked by the API route's schema (400 with the same field keys), as the action the service takes. */
export const caseActionOf = (action: ActionPath, body: Record<string, unknown>): CaseAction =>
  ({ kind: KINDS[action], ...parsed(actionBodies[action], body, 'body') }) as CaseAction;

export interface Failure {
  action: ActionPath;
  message: string;
  state: FormState;
}

export function badge(c: Pick<CaseSummary, 'status' | 'remainingWorkingDays' | 'overdue'>): SafeHtml {
  if (c.status !== 'processing' && c.status !== 'in_arbitration')
    return html`<span class="badge badge-closed">${statusLabel(c.status)}</span>`;
  const d = countdown(c.remainingWorkingDays, c.overdue);
  return html`<span class="badge badge-${d.tone}">${d.text}</span>`;
}

export const deptOptions = (depts: Dept[], except?: number): Option[] =>
  depts.filter((d) => d.active && d.id !== except).map((d) => ({ value: String(d.id), label: d.name }));
export const codeOptions = (codes: Record<string, string>): Option[] => Object.entries(codes).map(([value, label]) => ({ value, label }));

export interface ActionContext {
  trackingNo: string;
  c: CaseDetail;
  caseState: CaseState;
  staff: StaffIdentity;
  depts: Dept[];
  items: { id: number; name: string }[];
  requested: number[];
  /** TRANSFER_EXPECTED_WORKING_DAYS: the form says by when a transfer is on time (Art. 22 "立即转交"). */
  transferExpectedWorkingDays: number;
  state: FormState;
  message?: string;
  csrf: string;
}

/** Fragments one per line, as a template with a line break between them would emit them. */
const lines = (...parts: SafeHtml[]): SafeHtml => raw(parts.map(String).join('\n'));

export function arbitrateFields(state: FormState, depts: Dept[], scope: string, requested: number[]): SafeHtml {
  const requestedNames = requested
    .map((id) => depts.find((d) => d.id === id)?.name)
    .filter(Boolean)
    .join('、');
  const hint = requestedNames ? `涉及处室：${requestedNames}` : undefined;
  return lines(
    selectField({
      name: 'leadDepartmentId',
      label: '牵头处室',
      required: true,
      state,
      scope,
      placeholder: '请选择',
      options: deptOptions(depts),
      hint,
    }),
    choiceGroup({
      name: 'assistingDepartmentIds',
      label: '协办处室',
      kind: 'checkbox',
      state,
      scope,
      options: deptOptions(depts),
      extraClass: 'scroll',
    }),
    textArea({ name: 'note', label: '协调意见', required: true, state, scope, rows: 3, maxlength: 2000 }),
  );
}

/** The fields of one action's form, its title and its button (the office confirms a rejection others request). */
function actionFields(a: ActionPath, x: ActionContext): { fields: SafeHtml; title?: string; submit?: string } {
  const s = x.state;
  const scope = a;
  const office = x.staff.roles.includes('office');
  const reasonArea = (label: string, state: FormState, hint?: string) =>
    textArea({ name: 'reason', label, required: true, state, scope, rows: 3, maxlength: 2000, hint });
  switch (a) {
    case 'answer': {
      const hint = '答复将在来信人查询时显示，信件随即办结。';
      const fields = textArea({
        name: 'content',
        label: '答复内容',
        required: true,
        state: s,
        scope,
        rows: 8,
        maxlength: 5000,
        counter: true,
        hint,
      });
      return { fields, submit: '答复并办结' };
    }
    case 'opinions': {
      const hint = '供牵头处室答复时参考，来信人看不到。';
      return { fields: textArea({ name: 'content', label: '协办意见', required: true, state: s, scope, rows: 5, maxlength: 5000, hint }) };
    }
    case 'transfer': {
      const options = deptOptions(x.depts, x.caseState.departmentId);
      const inTime = `收信后 ${x.transferExpectedWorkingDays} 个工作日内`;
      const back = x.caseState.transferredFromDepartmentId === null ? '' : '转回已经办过该信的处室，视为转办存在争议，由办公室协调。';
      const hint = `不属于本处室职责的，应在${inTime}转办，逾期转办记为超时转办。${back}`;
      return {
        fields: lines(
          selectField({ name: 'toDepartmentId', label: '转至处室', required: true, state: s, scope, placeholder: '请选择', options, hint }),
          selectField({
            name: 'reasonCode',
            label: '转办理由',
            required: true,
            state: s,
            scope,
            placeholder: '请选择',
            options: codeOptions(TRANSFER_REASONS),
          }),
          reasonArea('转办说明', s, '来信人查询时可以看到转办说明。'),
        ),
      };
    }
    case 'dispute': {
      const from = x.depts.find((d) => d.id === x.caseState.transferredFromDepartmentId)?.name ?? '其他处室';
      return { fields: reasonArea('异议理由', s, `该信由${from}转来，提出异议后由办公室协调确定承办处室。`) };
    }
    case 'escalate': {
      const options = deptOptions(x.depts);
      return {
        fields: lines(
          reasonArea('提请协调的理由', s),
          choiceGroup({
            name: 'departmentIds',
            label: '建议参与办理的处室',
            kind: 'checkbox',
            state: s,
            scope,
            options,
            extraClass: 'scroll',
          }),
        ),
      };
    }
    case 'reclassify': {
      const current = { type: x.c.type, convenienceItemId: x.c.convenienceItemId === null ? '' : String(x.c.convenienceItemId) };
      const st: FormState = s.values.type === undefined ? { values: current, errors: s.errors } : s;
      const items = x.items.map((i) => ({ value: String(i.id), label: i.name }));
      const typeHint = '答复期限将按新类型从收信时重新计算。';
      return {
        fields: lines(
          selectField({
            name: 'type',
            label: '信件类型',
            required: true,
            state: st,
            scope,
            options: codeOptions(TYPE_LABELS),
            hint: typeHint,
          }),
          selectField({
            name: 'convenienceItemId',
            label: '便民服务事项',
            state: st,
            scope,
            placeholder: '不涉及',
            options: items,
            hint: '仅投诉可选。',
          }),
          reasonArea('更改理由', st),
        ),
      };
    }
    case 'reject': {
      const pending = x.c.pendingRejection;
      const proposed = pending && { values: { reasonCode: pending.reasonCode, reason: pending.reason }, errors: s.errors };
      const st: FormState = office && proposed && s.values.reasonCode === undefined ? proposed : s;
      const options = codeOptions(REJECT_REASONS);
      return {
        title: office ? (pending ? '确认不予受理' : '不予受理') : '申请不予受理',
        submit: office ? '确定不予受理' : '提交申请（由办公室确认）',
        fields: lines(
          selectField({ name: 'reasonCode', label: '不予受理理由', required: true, state: st, scope, placeholder: '请选择', options }),
          reasonArea('不予受理说明', st, '来信人查询时可以看到该说明。'),
        ),
      };
    }
    case 'arbitrate':
      return { fields: arbitrateFields(s, x.depts, scope, x.requested), submit: '确定承办处室' };
  }
}

export function actionForm(a: ActionPath, x: ActionContext): SafeHtml {
  const { fields, title = ACTION_TITLES[a], submit = title } = actionFields(a, x);
  const open = x.message || Object.keys(x.state.errors).length > 0 ? raw(' open') : '';
  const primary = a === 'answer' || a === 'arbitrate' ? html` class="primary"` : '';
  return html`<details class="block action" id="act-${a}"${open}><summary>${title}</summary>
<form method="post" action="/staff/cases/${x.trackingNo}/${a}" class="action-form">
${csrfField(x.csrf)}
${x.message && html`<p class="form-error" role="alert">${x.message}</p>`}
${fields}
<div class="actions"><button type="submit"${primary}>${submit}</button></div>
</form></details>`;
}
