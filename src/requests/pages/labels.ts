// What the request pages print for the module's facts: event names and the deadline explanation list,
// shared by the applicant's lookup and the staff page. The facts themselves are declared in the rules.
import { html, type SafeHtml } from '../../web/html.js';
import { cnDate } from '../../web/labels.js';
import { CONSULTED_PARTY_LABELS, type ClockEventKind, type ConsultedParty } from '../clock-rules.js';
import { OUTCOME_FACTS, type RequestOutcome } from '../outcomes.js';

export const EVENT_LABELS: Record<ClockEventKind, string> = {
  correction_requested: '告知补正（条例第三十条）',
  supplement_received: '收到补正材料，答复期限重新计算',
  consultation_opened: '征求意见（条例第三十二条、第三十四条），所需时间不计入答复期限',
  consultation_closed: '征求意见结束',
  fee_notified: '发出收费通知（国办函〔2020〕109号），缴费前不计入答复期限',
  fee_paid: '已缴纳信息处理费',
  extended: '延长答复期限（条例第三十三条第二款）',
  later_date_set: '确定延迟答复日期（条例第三十五条）',
  withdrawn: '申请人撤回申请',
  concluded: '办结',
  delivered: '答复已送达（国办公开办函〔2016〕235号）',
};

interface EventFacts {
  kind: ClockEventKind;
  on: string;
  days: number | null;
  party: ConsultedParty | null;
  laterDate: string | null;
  outcome: RequestOutcome | null;
  detail: string;
}

/** One event's line: its name, then what it set (a period, the party, the outcome, the later date). */
export function eventFacts(e: EventFacts): string {
  switch (e.kind) {
    case 'correction_requested':
      return `补正期限 ${e.days ?? ''} 个工作日`;
    case 'consultation_opened':
      return e.party ? CONSULTED_PARTY_LABELS[e.party] : '';
    case 'fee_notified':
      return `缴费期限 ${e.days ?? ''} 个工作日`;
    case 'extended':
      return `延长 ${e.days ?? ''} 个工作日`;
    case 'later_date_set':
      return e.laterDate ? `答复日期 ${cnDate(e.laterDate)}` : '';
    case 'concluded':
      return e.outcome ? `答复类型：${OUTCOME_FACTS[e.outcome].label}` : '';
    default:
      return '';
  }
}

/** The events as a list (oldest first); `extra` adds what staff see (the addressee, who recorded it). */
export function eventList(events: readonly EventFacts[], extra: (i: number) => SafeHtml | '' = () => ''): SafeHtml {
  if (events.length === 0) return html`<p class="empty">暂无计时事项。</p>`;
  return html`<ol class="timeline request-events">${events.map((e, i) => {
    const facts = eventFacts(e);
    return html`<li data-kind="${e.kind}">
<p class="when"><time datetime="${e.on}">${cnDate(e.on)}</time></p>
<p class="what">${EVENT_LABELS[e.kind]}${facts ? html`：${facts}` : ''}</p>
${e.detail && html`<p class="why text">${e.detail}</p>`}
${extra(i)}
</li>`;
  })}</ol>`;
}

interface ClockFacts {
  stateLabel: string;
  receivedOn: string | null;
  deadline: string | null;
  supplementDue: string | null;
  feeDue: string | null;
  explanation: readonly { kind: string; text: string }[];
}

/**
 * The deadline and why it is what it is (issue 17 point 8): the facts, then the explanation lines the
 * clock rules return (receipt day and basis, days counted, each pause, the restart after 补正, the
 * extension, the deadline), in order, so a person can count them by hand.
 */
export function deadlineSection(c: ClockFacts, id = 'deadline'): SafeHtml {
  return html`<section class="request-deadline" aria-labelledby="${id}-h" id="${id}">
<h2 id="${id}-h">答复期限</h2>
<dl class="facts">
<dt>计时状态</dt><dd>${c.stateLabel}</dd>
${c.receivedOn && html`<dt>收到申请之日</dt><dd>${cnDate(c.receivedOn)}</dd>`}
${c.deadline && html`<dt>答复期限</dt><dd><strong id="${id}-date">${cnDate(c.deadline)}</strong>前</dd>`}
${c.supplementDue && html`<dt>补正期限</dt><dd>${cnDate(c.supplementDue)}前</dd>`}
${c.feeDue && html`<dt>缴费期限</dt><dd>${cnDate(c.feeDue)}前</dd>`}
</dl>
${
  c.explanation.length > 0 &&
  html`<h3>期限是怎样计算的</h3>
<ol class="explanation" id="${id}-explanation">${c.explanation.map((l) => html`<li data-kind="${l.kind}">${l.text}</li>`)}</ol>`
}
</section>`;
}
