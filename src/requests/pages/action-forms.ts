// The staff page's action forms as HTML: the fields of each action (actions.ts says who is offered which).
import { choiceGroup, csrfField, selectField, textArea, textField, type FormState } from '../../web/fields.js';
import { html, raw, type SafeHtml } from '../../web/html.js';
import { cnDate } from '../../web/labels.js';
import { CONSULTED_PARTIES, CONSULTED_PARTY_LABELS, DEFAULT_FEE_PERIOD_WORKING_DAYS } from '../clock-rules.js';
import { DELIVERY_METHOD_LABELS, DELIVERY_METHODS } from '../delivery-rules.js';
import { FEE_METHODS, FEE_SETTINGS } from '../fee-rules.js';
import { OUTCOME_FACTS, OUTCOME_GROUP_LABELS, outcomesOf, type OutcomeGroup } from '../outcomes.js';
import type { StaffRequestView } from '../schemas.js';
import { ACTION_TITLES, EVENT_OF, type RequestAction } from './actions.js';

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
      return html`${onField}${choiceGroup({
        name: 'method',
        label: '计费方式（国办函〔2020〕109号第三条）',
        kind: 'radio',
        required: true,
        state: s,
        scope,
        options: FEE_METHODS.map((m) => ({ value: m, label: FEE_SETTINGS[m].label })),
      })}${days('quantity', '件数或页数', '本申请的件数（按件计收）或页数（按量计收）；本月同一申请人此前的件数或页数自动累计。')}${days('periodDays', '缴费期限（工作日）', `默认 ${DEFAULT_FEE_PERIOD_WORKING_DAYS} 个工作日。`)}${textArea(
        {
          name: 'detail',
          label: '收费说明',
          state: s,
          scope,
          rows: 3,
          maxlength: 1000,
        },
      )}`;
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
      })}${textArea({ name: 'reasons', label: '理由', state: s, scope, rows: 4, maxlength: 5000, hint: '不予公开、无法提供、不予处理等须说明理由（条例第三十六条、第三十七条）；写入答复书。' })}
<fieldset class="field"><legend>获取信息的方式、地点和时间（予以公开、部分公开时必填，条例第三十六条第（一）（二）项）</legend>
${textField({ name: 'access.form', label: '获取方式', state: s, scope, maxlength: 200 })}
${textField({ name: 'access.place', label: '获取地点', state: s, scope, maxlength: 200 })}
${textField({ name: 'access.time', label: '获取时间', state: s, scope, maxlength: 200 })}</fieldset>
<fieldset class="field"><legend>负责公开该信息的机关（仅“本机关不掌握相关政府信息”时填写，条例第三十六条第（五）项）</legend>
${textField({ name: 'responsibleAgency.name', label: '机关名称', state: s, scope, maxlength: 200 })}
${textField({ name: 'responsibleAgency.contact', label: '联系方式', state: s, scope, maxlength: 200 })}</fieldset>`;
    case 'delivery':
      return html`${choiceGroup({
        name: 'method',
        label: '送达方式',
        kind: 'radio',
        required: true,
        state: s,
        scope,
        options: DELIVERY_METHODS.map((m) => ({ value: m, label: DELIVERY_METHOD_LABELS[m] })),
      })}${textField({ name: 'postedOn', label: '交邮日期', state: s, scope, type: 'date', hint: '邮寄送达的，以交邮之日判断是否按期答复。' })}${textField({ name: 'signedOn', label: '签收日期', state: s, scope, type: 'date', hint: '直接送达或委托送达的，以签收之日判断。' })}`;
    case 'supplement':
    case 'fee-paid':
      return html`${onField}`;
  }
}

export function actionForm(a: RequestAction, x: ActionContext): SafeHtml {
  const open = x.message || Object.keys(x.state.errors).length > 0 ? raw(' open') : '';
  const primary = ['confirm', 'route', 'draft', 'sign', 'conclude', 'delivery'].includes(a) ? html` class="primary"` : '';
  return html`<details class="block action" id="act-${a}"${open}><summary>${ACTION_TITLES[a]}</summary>
<form method="post" action="/staff/requests/${x.id}/${a}" class="action-form stack">
${csrfField(x.csrf)}
${x.message && html`<p class="form-error" role="alert">${x.message}</p>`}
${fieldsOf(a, x)}
<div class="actions"><button type="submit"${primary}>${ACTION_TITLES[a].replace(/（.*）$/, '').replace(/：.*$/, '')}</button></div>
</form></details>`;
}
