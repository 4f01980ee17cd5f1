import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso, formatChinaDateTime, parseIsoDate } from '../../calendar/china-time.js';
import { textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import { attempt } from '../../web/outcome.js';
import { hide, renderStaff, str, type Query } from '../../web/request.js';
import {
  DEPARTMENT_GROUPS,
  OFFICE_GROUPS,
  INSPECTION_SECTION_TITLE,
  inspectionLine,
  letterNotes,
  missingNoticeLine,
  taskNotes,
  TASK_KINDS,
  TASK_SECTION_TITLE,
  OFFICE_TASK_SECTION_TITLE,
  type DigestLetter,
  type DigestTask,
  type MissingNotice,
  type OfficeDigest,
} from '../rules.js';
import type { DigestRow } from '../schemas.js';
import type { InspectionAlert } from '../../inspection/rules.js';
import { DIGEST_PERMISSIONS, listDigests } from '../service.js';

/**
 * The lists of a digest's content in the order shown: the groups of src/digest/rules.ts, then the
 * lists that digests stored by earlier versions still hold (their `dueTomorrow` was already the next
 * working day).
 */
const SECTIONS: [string, string][] = [
  ...DEPARTMENT_GROUPS.map((g): [string, string] => [g.key, g.title]),
  ...OFFICE_GROUPS.filter((g) => g.key !== 'overdue').map((g): [string, string] => [g.key, g.title]),
  ['dueTomorrow', '下一工作日到期'],
  ['transfersWaiting', '转办来的信件（答复，或对转办提出异议）'],
  ['opinionsOwed', '待提交协办意见'],
];

function itemList(items: DigestLetter[]) {
  const item = (i: DigestLetter) => {
    const notes = letterNotes(i).map((n) => html` · ${n}`);
    const meta = html`<span class="code">${i.trackingNo}</span> · ${i.type} · ${i.departmentName}${notes}`;
    return html`<li><a href="/staff/cases/${i.trackingNo}">${i.subject}</a> <span class="meta">${meta}</span></li>`;
  };
  return html`<ul class="digest-items">${items.map(item)}</ul>`;
}

function taskList(items: DigestTask[]) {
  const item = (t: DigestTask) => {
    const notes = taskNotes(t).map((n) => html` · ${n}`);
    const kind = TASK_KINDS[t.kind] ?? TASK_KINDS.review;
    return html`<li><a href="${kind.href(t.ref)}">${t.title}</a> <span class="meta">${kind.noun} ${t.ref}${notes}</span></li>`;
  };
  return html`<ul class="digest-items">${items.map(item)}</ul>`;
}

function digestSection(d: DigestRow) {
  const content = (d.content ?? {}) as Record<string, unknown>;
  const per = Array.isArray(content.perDepartment) ? (content.perDepartment as OfficeDigest['perDepartment']) : [];
  const lists = SECTIONS.filter(([k]) => Array.isArray(content[k]) && (content[k] as unknown[]).length > 0).map(
    ([k, label]) => html`<h3>${label}</h3>${itemList(content[k] as DigestLetter[])}`,
  );
  const tasks = (d.kind === 'office' ? content.overdueTasks : content.tasks) as DigestTask[] | undefined;
  const tasksTitle = d.kind === 'office' ? OFFICE_TASK_SECTION_TITLE : TASK_SECTION_TITLE;
  const formSection = tasks && tasks.length > 0 ? html`<h3>${tasksTitle}</h3>${taskList(tasks)}` : null;
  const checks = Array.isArray(content.inspection) ? (content.inspection as InspectionAlert[]) : [];
  const checkSection =
    checks.length > 0
      ? html`<h3>${INSPECTION_SECTION_TITLE}</h3><ul class="digest-items">${checks.map((a) => html`<li>${inspectionLine(a)}</li>`)}</ul><p class="meta"><a href="/staff/inspection">查看网站日常检查</a></p>`
      : null;
  const notice = content.missingNotice ? html`<p class="notice">${missingNoticeLine(content.missingNotice as MissingNotice)}</p>` : null;
  const rows = per.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.open}</td><td>${p.overdue}</td></tr>`);
  const head = html`<thead><tr><th scope="col">处室</th><th scope="col">在办</th><th scope="col">超期</th></tr></thead>`;
  const title = html`${d.departmentName}${d.kind === 'office' ? '（全局汇总）' : ''}<span class="sub">${d.itemCount} 项</span>`;
  return html`<section class="digest"><h2>${title}</h2>
${notice}
${lists}
${formSection}
${checkSection}
${per.length > 0 && html`<h3>各处室在办情况</h3><table>${head}<tbody>${rows}</tbody></table>`}
<p class="meta">生成时间：${shortTime(formatChinaDateTime(new Date(d.builtAt)))}</p></section>`;
}

/** A day's digests as GET /api/digests/:date returns them to the viewer. */
export const digestPages: FastifyPluginAsync = async (app) => {
  const { db, env } = app.ctx;

  app.get('/digest', { config: { access: DIGEST_PERMISSIONS.read }, schema: hide }, async (req, reply) => {
    const asked = str((req.query as Query).date, 20);
    const day = parseIsoDate(asked) ?? chinaDayOf(new Date());
    const date = dayToIso(day);
    const res = await attempt(() => listDigests({ db }, viewerOf(req), date));
    const digests = res.ok ? res.data : [];
    const badDate: Record<string, string> = asked && parseIsoDate(asked) === undefined ? { date: '日期格式应为 YYYY-MM-DD' } : {};
    const state: FormState = { values: { date }, errors: badDate };
    const none = html`<p class="count" role="status">${cnDate(date)}没有提醒（每日提醒在 ${env.DIGEST_TIME} 生成，只列出有待办事项的处室）。</p>`;
    const days = html`<a href="/staff/digest?date=${dayToIso(day - 1)}">前一天</a> <a href="/staff/digest?date=${dayToIso(day + 1)}">后一天</a>`;
    const flash = res.ok ? null : { kind: 'error' as const, text: res.error.message };
    return renderStaff(
      req,
      reply,
      res.ok ? 200 : res.status,
      { title: `每日提醒 ${date}`, current: 'digest', flash },
      html`<h1>每日提醒<span class="sub">${cnDate(date)}</span></h1>
<form method="get" action="/staff/digest" class="filters">
${textField({ name: 'date', label: '日期', type: 'date', state, optionalMark: false })}
<div class="actions"><button type="submit">查看</button> ${days}</div>
</form>
${digests.length === 0 ? none : digests.map(digestSection)}`,
    );
  });
};
