import type { z } from 'zod';
import { csrfField, hidden } from '../../web/fields.js';
import { html, type HtmlValue, type SafeHtml } from '../../web/html.js';
import { cnDate, formatSize, shortTime } from '../../web/labels.js';
import type { caseDetail } from '../schemas.js';
import { badge, type Dept } from './case-forms.js';
import { eventLabel, reasonLabel, statusLabel, typeLabel } from './labels.js';

type CaseDetail = z.infer<typeof caseDetail>;
type TimelineEntry = CaseDetail['timeline'][number];
type DeptName = (id: number | null | undefined) => string;

export interface CaseView {
  c: CaseDetail;
  depts: Dept[];
  forms: SafeHtml[];
  resetDeadlineOnTransfer: boolean;
  /** The 举报 mark: its state, and its form for who may change it. */
  reports?: SafeHtml;
}

/**
 * Whether the letter reports a person or business (举报, 投诉举报处理暂行办法 Art. 33): such a letter is never
 * published. The department that has it and the office mark or unmark it (markReportsPerson).
 */
export function reportsPersonSection(o: {
  trackingNo: string;
  type: string;
  reportsPerson: boolean;
  /** The CSRF token when the viewer may change the mark, else null. */
  csrf: string | null;
}): SafeHtml {
  const heading = html`<h2 id="h-reports">举报标记</h2>`;
  if (o.type === 'report') return html`<section aria-labelledby="h-reports">${heading}<p>举报类来信，不予公开。</p></section>`;
  const state = o.reportsPerson
    ? html`<p id="reports-state"><strong>已标记为举报</strong>：该信件不会被选入信件公开。</p>`
    : html`<p id="reports-state">未标记。来信如举报具体的个人或企业，请标记为举报：标记后不会被选入信件公开，已公开的立即撤下。</p>`;
  const form =
    o.csrf &&
    html`<form method="post" action="/staff/cases/${o.trackingNo}/reports-person" class="inline" id="act-reports-person">
${csrfField(o.csrf)}${hidden('reportsPerson', o.reportsPerson ? 'false' : 'true')}
<button type="submit">${o.reportsPerson ? '取消举报标记' : '标记为举报'}</button>
</form>`;
  return html`<section aria-labelledby="h-reports">${heading}${state}${form}</section>`;
}

const deptNamer =
  (depts: Dept[]): DeptName =>
  (id) =>
    id == null ? '' : (depts.find((d) => d.id === id)?.name ?? `处室 ${id}`);

function timelineEntry(e: TimelineEntry, deptName: DeptName): SafeHtml {
  const data = (e.data ?? {}) as { assistingDepartmentIds?: number[]; departmentIds?: number[]; type?: string };
  const details: HtmlValue[] = [];
  const names = (ids: number[]) => ids.map(deptName).join('、');
  if (e.kind === 'transferred' || e.kind === 'transfer_disputed') {
    details.push(html`<p>${deptName(e.departmentId)} → ${deptName(e.toDepartmentId)}</p>`);
  }
  if (e.kind === 'disputed') details.push(html`<p>${deptName(e.departmentId)} 对 ${deptName(e.toDepartmentId)} 的转办提出异议</p>`);
  if (e.kind === 'arbitrated') {
    const assisting = data.assistingDepartmentIds?.length ? html`；协办处室：${names(data.assistingDepartmentIds)}` : '';
    details.push(html`<p>牵头处室：${deptName(e.toDepartmentId)}${assisting}</p>`);
  }
  if (e.kind === 'escalated' && data.departmentIds?.length) details.push(html`<p>建议参与：${names(data.departmentIds)}</p>`);
  if (e.kind === 'reclassified' && data.type) details.push(html`<p>改为：${typeLabel(data.type)}</p>`);
  if (e.kind === 'opinion') details.push(html`<p>提交处室：${deptName(e.departmentId)}</p>`);
  const tag = e.isPublic ? html`<span class="tag">来信人可见</span>` : html`<span class="tag tag-internal">内部</span>`;
  return html`<li class="${e.isPublic ? 'public' : 'internal'}">
<p class="when"><time datetime="${e.at}">${shortTime(e.at)}</time> ${tag}</p>
<p class="what">${eventLabel(e.kind)}${e.late ? '（超时转办）' : ''}${e.actor ? html`<span class="who">（${e.actor}）</span>` : ''}</p>
${details}
${e.reasonCode && html`<p class="why">理由：${reasonLabel(e.reasonCode)}</p>`}
${e.text && html`<div class="text">${e.text}</div>`}
</li>`;
}

function facts(c: CaseDetail, deptName: DeptName): SafeHtml {
  const assisting =
    c.assistingDepartmentIds.length > 0 && html`<dt>协办处室</dt><dd>${c.assistingDepartmentIds.map(deptName).join('、')}</dd>`;
  const ci = c.convenienceItem;
  const now = ci && [ci.name !== ci.nameWhenFiled ? `现名：${ci.name}` : '', ci.active ? '' : '已停用'].filter(Boolean).join('，');
  const item = ci && html`<dt>便民服务事项</dt><dd>${ci.nameWhenFiled}${now && html`<span class="meta">（${now}）</span>`}</dd>`;
  const due = html`${cnDate(c.dueDate)}（${c.limitDays} 个工作日）${c.dueProvisional ? '，按暂定日历计算' : ''}`;
  return html`<section aria-labelledby="h-facts"><h2 id="h-facts">基本信息</h2>
<dl class="facts">
<dt>承办处室</dt><dd>${c.departmentName}</dd>
${assisting}
<dt>首办处室</dt><dd>${deptName(c.firstDepartmentId)}</dd>
<dt>收信时间</dt><dd>${shortTime(c.receivedAt)}</dd>
<dt>答复期限</dt><dd>${due}</dd>
${item}
<dt>同意公开</dt><dd>${c.allowPublication ? '同意' : '不同意'}</dd>
</dl></section>`;
}

function deadlineSection(c: CaseDetail, resetOnTransfer: boolean): SafeHtml {
  const counted = c.deadlineExplanation;
  const restarted = c.clockStartedAt !== c.receivedAt;
  const rule = resetOnTransfer
    ? `每次转办后，时限从转办之日起重新计算${restarted ? `（本件自 ${shortTime(c.clockStartedAt)} 转办起计算）` : ''}。`
    : '时限从收信时起算，转办和协调不重新计算。';
  const provisional = c.dueProvisional ? '期限所在年份的节假日安排尚未公布，暂按周一至周五为工作日计算，公布后自动重新计算。' : '';
  // The earliest-move rule (docs/architecture.md, Deadline policy) kept a later date than the calendar gives.
  const held =
    c.deadlineByRule !== c.dueDate
      ? `节假日安排调整后按工作日计算应为${cnDate(c.deadlineByRule)}；期限不因日历调整提前到调整次一工作日结束之前，故为${cnDate(c.dueDate)}。`
      : '';
  const day = (d: (typeof counted)[number]) =>
    html`<li class="${d.counted ? 'counted' : 'skipped'}"><span class="date">${d.date}</span> ${d.counted ? '计入' : '不计'}：${d.reason}</li>`;
  const how = '按工作日逐日计算（周末和法定节假日不计，调休上班日计入）';
  return html`<section aria-labelledby="h-deadline"><h2 id="h-deadline">答复期限说明</h2>
<p>${typeLabel(c.type)}的办理时限为 ${c.limitDays} 个工作日，${how}，答复期限为${cnDate(c.dueDate)}当日结束前。${rule}${provisional}${held}</p>
<details><summary>逐日说明（${counted.filter((d) => d.counted).length} 个工作日）</summary>
<ul class="days">${counted.map(day)}</ul>
</details></section>`;
}

/** The case page's main part: facts, writer, content, files, answer, timeline, deadline and the action forms. */
export function caseMain({ c, depts, forms, resetDeadlineOnTransfer, reports }: CaseView): SafeHtml {
  const deptName = deptNamer(depts);
  const pending = c.pendingRejection;
  const pendingNotice =
    pending && html`<p class="notice">承办处室已申请不予受理（${reasonLabel(pending.reasonCode)}：${pending.reason}），待办公室确认。</p>`;
  const file = (f: CaseDetail['attachments'][number]) =>
    html`<li><a href="/staff/cases/${c.trackingNo}/attachments/${f.id}">${
      f.filename
    }</a> <span class="meta">${f.mimeType}，${formatSize(f.size)}</span></li>`;
  const files = c.attachments.length === 0 ? html`<p>无附件。</p>` : html`<ul class="files">${c.attachments.map(file)}</ul>`;
  const closed =
    c.status === 'answered' ? '该信件已答复办结。' : c.status === 'rejected' ? '该信件已不予受理。' : '您当前不能对该信件进行办理操作。';
  return html`<p class="breadcrumb"><a href="/staff/cases">工作台</a> › 信件 ${c.trackingNo}</p>
<h1 class="case-h1">${c.subject}</h1>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · ${statusLabel(c.status)} ${badge(c)}</p>
${c.readOnly && html`<p class="notice">该信件已不在本处室，只能查看。</p>`}
${pendingNotice}
${facts(c, deptName)}
<section aria-labelledby="h-writer"><h2 id="h-writer">来信人</h2>
<dl class="facts">
<dt>姓名</dt><dd>${c.writer.name}</dd>
<dt>联系电话</dt><dd>${c.writer.phone}</dd>
${c.writer.email && html`<dt>电子邮箱</dt><dd>${c.writer.email}</dd>`}
${c.writer.idNumber && html`<dt>身份证号码</dt><dd>${c.writer.idNumber}</dd>`}
</dl></section>
<section aria-labelledby="h-content"><h2 id="h-content">来信内容</h2>
<div class="text letter-content">${c.content}</div></section>
<section aria-labelledby="h-files"><h2 id="h-files">附件</h2>
${files}
</section>
${
  c.answer &&
  html`<section class="answer" aria-labelledby="h-answer"><h2 id="h-answer">答复</h2>
<p class="meta">答复时间：${shortTime(c.answeredAt)}${c.closedLate ? '（超过答复期限）' : ''}</p>
<div class="text">${c.answer}</div></section>`
}
<section aria-labelledby="h-timeline"><h2 id="h-timeline">办理记录</h2>
<ol class="timeline">${c.timeline.map((e) => timelineEntry(e, deptName))}</ol></section>
${deadlineSection(c, resetDeadlineOnTransfer)}
<section aria-labelledby="h-actions"><h2 id="h-actions">办理</h2>
${forms.length === 0 ? html`<p>${closed}</p>` : forms}
</section>
${reports}`;
}
