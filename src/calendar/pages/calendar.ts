import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { STAFF_ROLES } from '../../auth/roles.js';
import { viewerOf } from '../../auth/viewer.js';
import { csrfField, emptyForm, errorSummary, textArea, textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import { hasRole, type Flash, type StaffBadge } from '../../web/layout.js';
import { attempt, parsed } from '../../web/outcome.js';
import { hide, intOrUndefined, renderStaff, str, type Query } from '../../web/request.js';
import { formatChinaDateTime } from '../china-time.js';
import { yearParams, yearScheduleBody } from '../schemas.js';
import { cnDate } from '../../web/labels.js';
import {
  can,
  CALENDAR_PERMISSIONS,
  listYears,
  loadYear,
  nextYearNoticeMissing,
  type CalendarService,
  type CalendarYearSummary,
  type MissingNotice,
} from '../service.js';
import { parseGroups } from './groups.js';

const FIELDS = ['year', 'notice.title', 'notice.number', 'notice.date', 'holidays', 'adjustedWorkdays'];
const HOLIDAYS_HINT = '每行一个节日：名称、冒号，再列出放假的每一天，用逗号分隔。如：元旦: 2027-01-01, 2027-01-02';
const ADJUSTED_HINT = '每行一个节日：名称、冒号，再列出调休上班的周六或周日。如：春节: 2027-02-07, 2027-02-20';
const INTRO =
  '答复期限按工作日计算。每年国务院办公厅公布节假日安排后，由管理员录入当年的放假和调休上班日期；' +
  '未录入的年份暂按周一至周五为工作日计算（暂定）。';

function yearRow(y: CalendarYearSummary) {
  const status = y.status === 'official' ? '正式' : html`<strong class="warn">暂定</strong>`;
  const notice = y.notice ? html`${y.notice.title}（${y.notice.number}，${y.notice.date}）` : '—';
  const when = y.loadedAt ? shortTime(formatChinaDateTime(new Date(y.loadedAt))) : '';
  const loaded = y.source === 'loaded' && y.loadedBy ? html`<br><span class="meta">${y.loadedBy} 于 ${when} 录入</span>` : '';
  return html`<tr><th scope="row">${y.year}</th><td>${status}</td><td>${notice}${loaded}</td></tr>`;
}

function loadForm(state: FormState, csrf: string) {
  const yearBounds = html` min="2000" max="2100"`;
  const titleHint = '如：国务院办公厅关于2027年部分节假日安排的通知';
  return html`<section aria-labelledby="h-load"><h2 id="h-load">录入一年的节假日安排</h2>
<form method="post" action="/staff/calendar" class="calendar-form">
${csrfField(csrf)}
${errorSummary(state.errors, FIELDS)}
${textField({ name: 'year', label: '年份', type: 'number', required: true, state, inputmode: 'numeric', extra: yearBounds })}
${textField({ name: 'notice.title', label: '通知标题', required: true, state, maxlength: 200, hint: titleHint })}
${textField({ name: 'notice.number', label: '文号', required: true, state, maxlength: 100, hint: '如：国办发明电〔2026〕7号' })}
${textField({ name: 'notice.date', label: '发布日期', type: 'date', required: true, state })}
${textArea({ name: 'holidays', label: '放假日期', required: true, state, rows: 8, hint: HOLIDAYS_HINT })}
${textArea({ name: 'adjustedWorkdays', label: '调休上班日期', state, rows: 5, hint: ADJUSTED_HINT })}
<div class="actions"><button type="submit" class="primary">录入</button></div>
</form></section>`;
}

/** Shown every day from 1 November while next year's notice is missing (and while this year's is). */
function missingNoticeBanner(m: MissingNotice, admin: boolean) {
  const ask = admin ? '国务院办公厅通知公布后，请及时在下方录入。' : '国务院办公厅通知公布后，请联系管理员录入。';
  return html`<div class="notice notice-calendar" role="status" id="missing-notice">
<p><strong>${m.year} 年节假日安排尚未录入。</strong>自${cnDate(m.provisionalFrom)}起的日期暂按周一至周五为工作日计算，涉及这些日期的答复期限均为暂定。${ask}</p>
</div>`;
}

/**
 * Art. 22 deadlines need the State Council's notice: from 1 November, while next year's is missing,
 * administrators see this reminder at the top of every staff page (the calendar page has its own).
 */
export const calendarReminder = (deps: { calendar: CalendarService }) => (staff: StaffBadge, current: string | undefined) => {
  if (current === 'calendar' || !hasRole(staff, CALENDAR_PERMISSIONS.loadYear)) return null;
  const missing = nextYearNoticeMissing(deps, new Date());
  return (
    missing &&
    html`<div class="notice notice-calendar" role="status" id="missing-notice">
<p><strong>${missing.year} 年节假日安排尚未录入。</strong>自${cnDate(missing.provisionalFrom)}起的答复期限均为暂定。<a href="/staff/calendar">去录入</a></p>
</div>`
  );
};

/** The years and their notices; administrators load a year's State Council notice here (PUT /api/calendar/years/:year). */
export const calendarPages: FastifyPluginAsync = async (app) => {
  const deps = { calendar: app.ctx.calendar };
  const csrf = app.csrfProtection.bind(app);

  function calendarPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash?: Flash | null) {
    const years = listYears(deps);
    const admin = can(viewerOf(req), 'loadYear');
    const missing = nextYearNoticeMissing(deps, new Date());
    return renderStaff(
      req,
      reply,
      status,
      { title: '工作日历', current: 'calendar', flash },
      html`<h1>工作日历</h1>
${missing && missingNoticeBanner(missing, admin)}
<p>${INTRO}</p>
<table class="years"><thead><tr><th scope="col">年份</th><th scope="col">状态</th><th scope="col">依据</th></tr></thead>
<tbody>${years.map(yearRow)}</tbody></table>
${admin && loadForm(state, reply.generateCsrf())}`,
    );
  }

  app.get('/calendar', { config: { access: STAFF_ROLES }, schema: hide }, async (req, reply) => {
    const loaded = intOrUndefined((req.query as Query).loaded);
    const flash = loaded ? { kind: 'ok' as const, text: `已录入 ${loaded} 年节假日安排，在办信件的答复期限将按新日历重新计算。` } : null;
    return calendarPage(req, reply, 200, emptyForm(), flash);
  });

  app.post('/calendar', { config: { access: CALENDAR_PERMISSIONS.loadYear }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const b = (req.body ?? {}) as Query;
    const values: Record<string, string> = {};
    for (const k of FIELDS) values[k] = str(b[k], 20_000);
    const errors: Record<string, string> = {};
    const holidays = parseGroups(values.holidays!, 'holidays', errors);
    const adjusted = parseGroups(values.adjustedWorkdays!, 'adjustedWorkdays', errors);
    const year = /^\d{4}$/.test(values.year!.trim()) ? Number(values.year!.trim()) : undefined;
    if (year === undefined) errors.year = '请填写四位数的年份';
    if (holidays.groups.length === 0 && !errors.holidays) errors.holidays = '请至少填写一个节日';
    if (Object.keys(errors).length > 0) return calendarPage(req, reply, 400, { values, errors });
    const body = {
      notice: { title: values['notice.title'], number: values['notice.number'], date: values['notice.date'] },
      holidays: holidays.groups,
      adjustedWorkdays: adjusted.groups,
    };
    // As PUT /api/calendar/years/:year checks it: the path first, then the body.
    const res = await attempt(() => {
      const params = parsed(yearParams, { year: String(year) }, 'params');
      return loadYear(deps, viewerOf(req), params.year, parsed(yearScheduleBody, body, 'body'));
    });
    if (res.ok) return reply.redirect(`/staff/calendar?loaded=${year}`, 303);
    const fieldErrors: Record<string, string> = {};
    for (const [key, message] of Object.entries(res.error.fields ?? {})) {
      const m = /^body\.(holidays|adjustedWorkdays)\.(\d+)/.exec(key);
      const name = m ? m[1]! : key.replace(/^(body|params)\./, '');
      const line = m ? (m[1] === 'holidays' ? holidays : adjusted).lines[Number(m[2])] : undefined;
      const text = line !== undefined ? `第 ${line} 行：${message}` : message;
      fieldErrors[name] = fieldErrors[name] ? `${fieldErrors[name]}；${text}` : text;
    }
    return calendarPage(req, reply, res.status, { values, errors: fieldErrors }, { kind: 'error', text: res.error.message });
  });
};
