import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { formatChinaDateTime, chinaDayOf, dayToIso, parseIsoDate } from '../calendar/china-time.js';
import { SESSION_COOKIE, type StaffIdentity } from '../auth/sessions.js';
import { ROLES } from '../auth/roles.js';
import { departments } from '../departments/tables.js';
import { TRACKING_NO_PATTERN } from '../mailbox/codes.js';
import { stateOf } from '../mailbox/service/case-records.js';
import { letterIdOf, letterRowOf } from '../mailbox/service/case-reads.js';
import { can } from '../mailbox/rules.js';
import { convenienceItems } from '../mailbox/tables.js';
import type { caseDetail as caseDetailSchema, casePage as casePageSchema, caseSummary as caseSummarySchema } from '../mailbox/schemas.js';
import { letterTypes } from '../mailbox/schemas.js';
import { refusal, type ActingStaff, type CaseAction, type CaseState } from '../../workflows/letter-rules.js';
import { callApi, formFieldsOf, injectAsViewer } from './api.js';
import { choiceGroup, csrfField, emptyForm, errorSummary, hidden, selectField, textArea, textField, type FormState, type Option } from './fields.js';
import { html, raw, type HtmlValue, type SafeHtml } from './html.js';
import {
  cnDate, countdown, eventLabel, formatSize, reasonLabel, REJECT_REASONS, shortTime, statusLabel, TRANSFER_REASONS, typeLabel, TYPE_LABELS,
} from './labels.js';
import { hasRole, homeOf, messagePage, page, PAGE_ROLES, type Flash, type PageOptions } from './layout.js';

type CaseSummary = z.infer<typeof caseSummarySchema>;
type CaseDetail = z.infer<typeof caseDetailSchema>;
type CasePage = z.infer<typeof casePageSchema>;
type Query = Record<string, string | string[] | undefined>;
type Dept = { id: number; name: string; active: boolean };

const hide = { hide: true };
const TRACKING_NO = TRACKING_NO_PATTERN;
const str = (v: unknown, max = 200) => (typeof v === 'string' ? v.slice(0, max) : Array.isArray(v) && typeof v[0] === 'string' ? v[0].slice(0, max) : '');
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
const intOrUndefined = (v: unknown) => (/^\d{1,9}$/.test(str(v)) ? Number(str(v)) : undefined);
const ints = (v: unknown) => list(v).filter((x) => /^\d{1,9}$/.test(x)).map(Number);
const sendPage = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
/** Only local staff pages are followed after login. */
const safeNext = (next: string) => (/^\/staff(\/[A-Za-z0-9\-_/.?=&%]*)?$/.test(next) && !next.includes('//') ? next : undefined);

/** The case actions (the API's path segment) in the order the case page offers them. */
const ACTIONS = ['answer', 'opinions', 'transfer', 'dispute', 'escalate', 'reclassify', 'reject', 'arbitrate'] as const;
type ActionPath = (typeof ACTIONS)[number];

const ACTION_TITLES: Record<ActionPath, string> = {
  answer: '答复来信',
  opinions: '提交协办意见',
  transfer: '转办',
  dispute: '对转办提出异议',
  escalate: '提请办公室协调',
  reclassify: '更改信件类型',
  reject: '不予受理',
  arbitrate: '协调确定承办处室',
};
const DONE: Record<ActionPath, string> = {
  answer: '已答复，信件已办结。',
  opinions: '协办意见已提交。',
  transfer: '已转办。',
  dispute: '已提出异议，信件提交办公室协调。',
  escalate: '已提请办公室协调。',
  reclassify: '信件类型已更改，答复期限已重新计算。',
  reject: '不予受理已提交。',
  arbitrate: '已确定承办处室。',
};

/** A representative action of each kind, to ask letter-rules whether the viewer may take it now. */
const PROBE: Record<ActionPath, CaseAction> = {
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
function actionBody(action: ActionPath, v: Query): { body: Record<string, unknown>; errors: Record<string, string> } {
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
      return { body: { toDepartmentId: need('toDepartmentId', '请选择转办处室'), reasonCode: code('reasonCode'), reason: text('reason') }, errors };
    case 'dispute':
      return { body: { reason: text('reason') }, errors };
    case 'escalate':
      return { body: { reason: text('reason'), departmentIds: ints(v.departmentIds) }, errors };
    case 'arbitrate':
      return { body: { leadDepartmentId: need('leadDepartmentId', '请选择牵头处室'), assistingDepartmentIds: ints(v.assistingDepartmentIds), note: text('note') }, errors };
    case 'reclassify':
      return { body: { type: code('type'), convenienceItemId: intOrUndefined(v.convenienceItemId) ?? null, reason: text('reason') }, errors };
    case 'reject':
      return { body: { reasonCode: code('reasonCode'), reason: text('reason') }, errors };
  }
}

interface Failure {
  action: ActionPath;
  message: string;
  state: FormState;
}

function badge(c: Pick<CaseSummary, 'status' | 'remainingWorkingDays' | 'overdue'>): SafeHtml {
  if (c.status !== 'processing' && c.status !== 'in_arbitration') return html`<span class="badge badge-closed">${statusLabel(c.status)}</span>`;
  const d = countdown(c.remainingWorkingDays, c.overdue);
  return html`<span class="badge badge-${d.tone}">${d.text}</span>`;
}

const deptOptions = (depts: Dept[], except?: number): Option[] =>
  depts.filter((d) => d.active && d.id !== except).map((d) => ({ value: String(d.id), label: d.name }));
const codeOptions = (codes: Record<string, string>): Option[] => Object.entries(codes).map(([value, label]) => ({ value, label }));

export const staffPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const csrf = app.csrfProtection.bind(app);

  const render = (req: FastifyRequest, reply: FastifyReply, status: number, opts: Omit<PageOptions, 'area' | 'staff' | 'csrf'>, main: SafeHtml) =>
    sendPage(reply, status, page({ ...opts, area: 'staff', staff: req.staff, csrf: reply.generateCsrf() }, main));
  const notFoundPage = (req: FastifyRequest, reply: FastifyReply, text = '未找到该页面或信件，或者您无权查看。') =>
    sendPage(reply, 404, messagePage({ title: '未找到', area: 'staff', staff: req.staff, csrf: reply.generateCsrf(), heading: '未找到', text, back: { href: '/staff', label: '返回工作台' } }));

  app.setNotFoundHandler((req, reply) => notFoundPage(req, reply));

  async function allDepartments(): Promise<Dept[]> {
    return db.select({ id: departments.id, name: departments.name, active: departments.active }).from(departments).orderBy(asc(departments.sortOrder), asc(departments.id));
  }

  // ---- login / logout ----

  app.get('/', { config: { access: ROLES }, schema: hide }, async (req, reply) => reply.redirect(homeOf(req.staff!), 303));

  const loginPage = (req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash?: Flash | null) =>
    sendPage(reply, status, page({ title: '工作人员登录', area: 'staff', flash }, html`<h1>工作人员登录</h1>
<form method="post" action="/staff/login" class="login-form">
${csrfField(reply.generateCsrf())}
${hidden('next', str(state.values.next))}
${textField({ name: 'username', label: '用户名', required: true, state, autocomplete: 'username', maxlength: 100, extra: html` autocapitalize="none" spellcheck="false"` })}
${textField({ name: 'password', label: '密码', type: 'password', required: true, state, autocomplete: 'current-password', keepValue: false })}
<div class="actions"><button type="submit" class="primary">登录</button></div>
</form>
<p class="hint">来信人请前往<a href="/">局长信箱</a>写信或<a href="/lookup">查询办理进度</a>。</p>`));

  app.get('/login', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    if (req.staff) return reply.redirect(homeOf(req.staff), 303);
    const q = req.query as Query;
    const flash: Flash | null = q.expired ? { kind: 'error', text: '登录已失效，请重新登录。' } : q.bye ? { kind: 'ok', text: '您已退出登录。' } : null;
    return loginPage(req, reply, 200, { values: { next: safeNext(str(q.next, 500)) ?? '' }, errors: {} }, flash);
  });

  app.post('/login', { config: { access: 'public' }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const b = (req.body ?? {}) as Query;
    const values = { username: str(b.username, 100), next: safeNext(str(b.next, 500)) ?? '' };
    const errors: Record<string, string> = {};
    if (!values.username.trim()) errors.username = '请输入用户名';
    if (!str(b.password, 1000)) errors.password = '请输入密码';
    if (Object.keys(errors).length > 0) return loginPage(req, reply, 400, { values, errors });
    const res = await callApi<{ token: string; expiresAt: string; staff: StaffIdentity }>(app, req, 'POST', '/api/auth/login', { username: values.username, password: str(b.password, 1000) });
    if (!res.ok) {
      if (res.status === 429) reply.header('retry-after', res.retryAfter ?? '60');
      return loginPage(req, reply, res.status, { values, errors: formFieldsOf(res.error.fields) }, { kind: 'error', text: res.error.message });
    }
    reply.setCookie(SESSION_COOKIE, res.data.token, { httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE, path: '/', expires: new Date(res.data.expiresAt) });
    return reply.redirect(values.next || homeOf(res.data.staff), 303);
  });

  app.post('/logout', { config: { access: 'public' }, schema: hide, preHandler: csrf }, async (req, reply) => {
    if (req.staff) await callApi(app, req, 'POST', '/api/auth/logout');
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE });
    return reply.redirect('/staff/login?bye=1', 303);
  });

  // ---- workbench ----

  app.get('/cases', { config: { access: PAGE_ROLES.cases }, schema: hide }, async (req, reply) => {
    const q = req.query as Query;
    const staff = req.staff!;
    const wide = !hasRole(staff, ['handler', 'dept_leader']) || hasRole(staff, ['office']);
    const filters = {
      status: ['processing', 'in_arbitration', 'answered', 'rejected'].includes(str(q.status)) ? str(q.status) : '',
      type: (letterTypes as readonly string[]).includes(str(q.type)) ? str(q.type) : '',
      overdue: ['true', 'false'].includes(str(q.overdue)) ? str(q.overdue) : '',
      q: str(q.q, 100).trim(),
      departmentId: wide ? String(intOrUndefined(q.departmentId) ?? '') : '',
    };
    // Keyset pages: `after` is the API's opaque cursor, passed through as is (the API validates it).
    const after = str(q.after, 100);
    const params = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
    if (after) params.set('after', after);
    const res = await callApi<CasePage>(app, req, 'GET', `/api/cases?${params}`);
    const rows = res.ok ? res.data.items : [];
    const next = res.ok ? res.data.nextCursor : null;
    const depts = await allDepartments();
    const myDept = staff.departmentId ? depts.find((d) => d.id === staff.departmentId)?.name : undefined;
    /** The workbench with the same filters, from the first page or after a cursor. */
    const pageLink = (cursor?: string) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
      if (cursor) p.set('after', cursor);
      const qs = p.toString();
      return `/staff/cases${qs ? `?${qs}` : ''}`;
    };
    const state: FormState = { values: filters, errors: res.ok ? {} : formFieldsOf(res.error.fields) };
    const activeFilters = Object.values(filters).filter(Boolean).length;
    // A stale or edited link's cursor has no form field to show its message next to: it goes in the flash.
    const failure = res.ok ? null : res.error.fields?.['querystring.after'] ?? res.error.message;
    return render(req, reply, res.ok ? 200 : res.status, { title: '工作台', current: 'cases', flash: failure ? { kind: 'error', text: failure } : null }, html`<h1>工作台${myDept ? html`<span class="sub">${myDept}</span>` : ''}</h1>
<details class="block"${activeFilters > 0 ? raw(' open') : ''}><summary>筛选和搜索${activeFilters > 0 ? `（已设 ${activeFilters} 项条件）` : ''}</summary>
<form method="get" action="/staff/cases" class="filters" role="search" aria-label="筛选信件">
${selectField({ name: 'status', label: '状态', state, optionalMark: false, placeholder: '全部状态', options: codeOptions({ processing: '办理中', in_arbitration: '办公室协调中', answered: '已答复', rejected: '不予受理' }) })}
${selectField({ name: 'type', label: '类型', state, optionalMark: false, placeholder: '全部类型', options: codeOptions(TYPE_LABELS) })}
${selectField({ name: 'overdue', label: '是否超期', state, optionalMark: false, placeholder: '不限', options: [{ value: 'true', label: '已超期' }, { value: 'false', label: '未超期' }] })}
${wide ? selectField({ name: 'departmentId', label: '承办处室', state, optionalMark: false, placeholder: '全部处室', options: deptOptions(depts) }) : ''}
${textField({ name: 'q', label: '搜索标题或内容', type: 'search', state, optionalMark: false, maxlength: 100 })}
<div class="actions"><button type="submit">筛选</button> <a href="/staff/cases">清除条件</a></div>
</form></details>
<p class="count" role="status">${rows.length === 0 ? (after && res.ok ? '后面没有更多信件了。' : '没有符合条件的信件。') : `本页 ${rows.length} 件，按答复期限排序。`}</p>
<ol class="cases">${rows.map((c) => html`<li class="case-card${c.readOnly ? ' read-only' : ''}">
<div class="case-head"><a class="case-title" href="/staff/cases/${c.trackingNo}">${c.subject}</a>${badge(c)}</div>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · ${c.departmentName} · ${statusLabel(c.status)} · 答复期限 ${cnDate(c.dueDate)}${c.readOnly ? html` · <span class="tag">仅查看</span>` : ''}</p>
</li>`)}</ol>
<nav class="pager" aria-label="翻页">${after ? html`<a href="${pageLink()}">回到第一页</a>` : ''}${next ? html`<a href="${pageLink(next)}" rel="next">下一页</a>` : ''}</nav>`);
  });

  // ---- case page ----

  async function casePage(req: FastifyRequest, reply: FastifyReply, trackingNo: string, status: number, opts: { failure?: Failure; flash?: Flash | null } = {}) {
    if (!TRACKING_NO.test(trackingNo)) return notFoundPage(req, reply);
    const res = await callApi<CaseDetail>(app, req, 'GET', `/api/cases/${trackingNo}`);
    if (!res.ok) return notFoundPage(req, reply);
    const c = res.data;
    const letter = await letterIdOf(db, trackingNo);
    const row = letter && (await letterRowOf(db, letter.id));
    if (!row) return notFoundPage(req, reply);
    const caseState = stateOf(row, { calendar, env });
    const staff = req.staff!;
    const viewer: ActingStaff = { staffId: staff.id, username: staff.username, roles: staff.roles, departmentId: staff.departmentId };
    const allowed = ACTIONS.filter((a) => hasRole(staff, PAGE_ROLES.act) && can({ staff }, 'act', row) && refusal(caseState, viewer, PROBE[a]) === null);
    const depts = await allDepartments();
    const deptName = (id: number | null | undefined) => (id == null ? '' : depts.find((d) => d.id === id)?.name ?? `处室 ${id}`);
    const items = await db.select({ id: convenienceItems.id, name: convenienceItems.name }).from(convenienceItems).where(eq(convenienceItems.active, true)).orderBy(asc(convenienceItems.id));
    const failure = opts.failure;
    const flash = opts.flash ?? (failure ? { kind: 'error' as const, text: html`${ACTION_TITLES[failure.action]}未成功：${failure.message} <a href="#act-${failure.action}">查看表单</a>` } : null);
    const forms = allowed.map((a) => actionForm(a, {
      trackingNo, c, caseState, staff, depts, items,
      requested: row.requestedDepartmentIds,
      state: failure?.action === a ? failure.state : emptyForm(),
      message: failure?.action === a ? failure.message : undefined,
      csrf: reply.generateCsrf(),
    }));
    const timeline = c.timeline.map((e) => {
      const data = (e.data ?? {}) as { assistingDepartmentIds?: number[]; departmentIds?: number[]; type?: string };
      const details: HtmlValue[] = [];
      if (e.kind === 'transferred' || e.kind === 'transfer_disputed') details.push(html`<p>${deptName(e.departmentId)} → ${deptName(e.toDepartmentId)}</p>`);
      if (e.kind === 'disputed') details.push(html`<p>${deptName(e.departmentId)} 对 ${deptName(e.toDepartmentId)} 的转办提出异议</p>`);
      if (e.kind === 'arbitrated') details.push(html`<p>牵头处室：${deptName(e.toDepartmentId)}${data.assistingDepartmentIds?.length ? html`；协办处室：${data.assistingDepartmentIds.map(deptName).join('、')}` : ''}</p>`);
      if (e.kind === 'escalated' && data.departmentIds?.length) details.push(html`<p>建议参与：${data.departmentIds.map(deptName).join('、')}</p>`);
      if (e.kind === 'reclassified' && data.type) details.push(html`<p>改为：${typeLabel(data.type)}</p>`);
      if (e.kind === 'opinion') details.push(html`<p>提交处室：${deptName(e.departmentId)}</p>`);
      return html`<li class="${e.isPublic ? 'public' : 'internal'}">
<p class="when"><time datetime="${e.at}">${shortTime(e.at)}</time> ${e.isPublic ? html`<span class="tag">来信人可见</span>` : html`<span class="tag tag-internal">内部</span>`}</p>
<p class="what">${eventLabel(e.kind)}${e.actor ? html`<span class="who">（${e.actor}）</span>` : ''}</p>
${details}
${e.reasonCode && html`<p class="why">理由：${reasonLabel(e.reasonCode)}</p>`}
${e.text && html`<div class="text">${e.text}</div>`}
</li>`;
    });
    const counted = c.deadlineExplanation;
    return render(req, reply, status, { title: `信件 ${c.trackingNo}`, current: 'cases', flash }, html`<p class="breadcrumb"><a href="/staff/cases">工作台</a> › 信件 ${c.trackingNo}</p>
<h1 class="case-h1">${c.subject}</h1>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · ${statusLabel(c.status)} ${badge(c)}</p>
${c.readOnly && html`<p class="notice">该信件已不在本处室，只能查看。</p>`}
${c.pendingRejection && html`<p class="notice">承办处室已申请不予受理（${reasonLabel(c.pendingRejection.reasonCode)}：${c.pendingRejection.reason}），待办公室确认。</p>`}
<section aria-labelledby="h-facts"><h2 id="h-facts">基本信息</h2>
<dl class="facts">
<dt>承办处室</dt><dd>${c.departmentName}</dd>
${c.assistingDepartmentIds.length > 0 && html`<dt>协办处室</dt><dd>${c.assistingDepartmentIds.map(deptName).join('、')}</dd>`}
<dt>首办处室</dt><dd>${deptName(c.firstDepartmentId)}</dd>
<dt>收信时间</dt><dd>${shortTime(c.receivedAt)}</dd>
<dt>答复期限</dt><dd>${cnDate(c.dueDate)}（${c.limitDays} 个工作日）${c.dueProvisional ? '，按暂定日历计算' : ''}</dd>
${c.convenienceItemId !== null && html`<dt>便民服务事项</dt><dd>${items.find((i) => i.id === c.convenienceItemId)?.name ?? c.convenienceItemId}</dd>`}
<dt>同意公开</dt><dd>${c.allowPublication ? '同意' : '不同意'}</dd>
</dl></section>
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
${c.attachments.length === 0 ? html`<p>无附件。</p>` : html`<ul class="files">${c.attachments.map((f) => html`<li><a href="/staff/cases/${c.trackingNo}/attachments/${f.id}">${f.filename}</a> <span class="meta">${f.mimeType}，${formatSize(f.size)}</span></li>`)}</ul>`}
</section>
${c.answer && html`<section class="answer" aria-labelledby="h-answer"><h2 id="h-answer">答复</h2>
<p class="meta">答复时间：${shortTime(c.answeredAt)}${c.closedLate ? '（超过答复期限）' : ''}</p>
<div class="text">${c.answer}</div></section>`}
<section aria-labelledby="h-timeline"><h2 id="h-timeline">办理记录</h2>
<ol class="timeline">${timeline}</ol></section>
<section aria-labelledby="h-deadline"><h2 id="h-deadline">答复期限说明</h2>
<p>${typeLabel(c.type)}的办理时限为 ${c.limitDays} 个工作日，按工作日逐日计算（周末和法定节假日不计，调休上班日计入），答复期限为${cnDate(c.dueDate)}当日结束前。${env.RESET_DEADLINE_ON_TRANSFER ? '每次转办后，时限从转办之日起重新计算。' : '时限从收信时起算，转办和协调不重新计算。'}${c.dueProvisional ? '期限所在年份的节假日安排尚未公布，暂按周一至周五为工作日计算，公布后自动重新计算。' : ''}</p>
<details><summary>逐日说明（${counted.filter((d) => d.counted).length} 个工作日）</summary>
<ul class="days">${counted.map((d) => html`<li class="${d.counted ? 'counted' : 'skipped'}"><span class="date">${d.date}</span> ${d.counted ? '计入' : '不计'}：${d.reason}</li>`)}</ul>
</details></section>
<section aria-labelledby="h-actions"><h2 id="h-actions">办理</h2>
${forms.length === 0 ? html`<p>${c.status === 'answered' ? '该信件已答复办结。' : c.status === 'rejected' ? '该信件已不予受理。' : '您当前不能对该信件进行办理操作。'}</p>` : forms}
</section>`);
  }

  app.get('/cases/:trackingNo', { config: { access: PAGE_ROLES.cases }, schema: hide }, async (req, reply) => {
    const { trackingNo } = req.params as { trackingNo: string };
    const done = str((req.query as Query).done);
    const flash = (ACTIONS as readonly string[]).includes(done) ? { kind: 'ok' as const, text: DONE[done as ActionPath] } : null;
    return casePage(req, reply, trackingNo, 200, { flash });
  });

  app.get('/cases/:trackingNo/attachments/:id', { config: { access: PAGE_ROLES.cases }, schema: hide }, async (req, reply) => {
    const { trackingNo, id } = req.params as { trackingNo: string; id: string };
    if (!TRACKING_NO.test(trackingNo) || !/^\d{1,9}$/.test(id)) return notFoundPage(req, reply);
    const res = await injectAsViewer(app, req, 'GET', `/api/cases/${trackingNo}/attachments/${id}`);
    if (res.statusCode !== 200) return notFoundPage(req, reply, '未找到该附件。');
    return reply
      .type(String(res.headers['content-type']))
      .header('content-disposition', String(res.headers['content-disposition']))
      .send(res.rawPayload);
  });

  app.post('/cases/:trackingNo/:action', { config: { access: PAGE_ROLES.act }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const { trackingNo, action } = req.params as { trackingNo: string; action: string };
    if (!TRACKING_NO.test(trackingNo) || !(ACTIONS as readonly string[]).includes(action)) return notFoundPage(req, reply);
    const a = action as ActionPath;
    const values = { ...((req.body ?? {}) as Query) };
    delete values._csrf;
    const { body, errors } = actionBody(a, values);
    const back = str(values.back) === 'arbitration' ? 'arbitration' : 'case';
    if (Object.keys(errors).length > 0) {
      return casePage(req, reply, trackingNo, 400, { failure: { action: a, message: '提交的内容有误，请检查标注的字段', state: { values, errors } } });
    }
    const res = await callApi<CaseDetail>(app, req, 'POST', `/api/cases/${trackingNo}/${a}`, body);
    if (res.ok) {
      return reply.redirect(back === 'arbitration' ? `/staff/arbitration?done=${trackingNo}` : `/staff/cases/${trackingNo}?done=${a}`, 303);
    }
    const fieldErrors = formFieldsOf(res.error.fields, ['departmentIds', 'assistingDepartmentIds']);
    return casePage(req, reply, trackingNo, res.status, { failure: { action: a, message: res.error.message, state: { values, errors: fieldErrors } } });
  });

  // ---- office: arbitration queue ----

  app.get('/arbitration', { config: { access: PAGE_ROLES.arbitration }, schema: hide }, async (req, reply) => {
    // Each entry carries its own decision form, so pages are short; the oldest deadline comes first.
    const after = str((req.query as Query).after, 100);
    const params = new URLSearchParams({ status: 'in_arbitration', limit: '20' });
    if (after) params.set('after', after);
    const res = await callApi<CasePage>(app, req, 'GET', `/api/cases?${params}`);
    const rows = res.ok ? res.data.items : [];
    const next = res.ok ? res.data.nextCursor : null;
    const depts = await allDepartments();
    const deptName = (id: number) => depts.find((d) => d.id === id)?.name ?? `处室 ${id}`;
    const done = str((req.query as Query).done);
    const csrfToken = reply.generateCsrf();
    const entries: SafeHtml[] = [];
    for (const c of rows) {
      const detail = await callApi<CaseDetail>(app, req, 'GET', `/api/cases/${c.trackingNo}`);
      const letter = await letterIdOf(db, c.trackingNo);
      const row = letter && (await letterRowOf(db, letter.id));
      if (!detail.ok || !row) continue;
      const d = detail.data;
      const entry = [...d.timeline].reverse().find((e) => ['disputed', 'escalated', 'transfer_disputed', 'rejection_requested'].includes(e.kind));
      const scope = `arb-${c.trackingNo}`;
      entries.push(html`<li class="case-card">
<div class="case-head"><a class="case-title" href="/staff/cases/${c.trackingNo}">${c.subject}</a>${badge(c)}</div>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${typeLabel(c.type)} · 现承办：${c.departmentName}${row.requestedDepartmentIds.length ? html` · 涉及：${row.requestedDepartmentIds.map(deptName).join('、')}` : ''}</p>
${entry && html`<div class="why-box"><p class="what">${eventLabel(entry.kind)}${entry.actor ? `（${entry.actor}）` : ''}，${shortTime(entry.at)}</p>${entry.reasonCode ? html`<p>理由：${reasonLabel(entry.reasonCode)}</p>` : ''}${entry.text && html`<div class="text">${entry.text}</div>`}</div>`}
<form method="post" action="/staff/cases/${c.trackingNo}/arbitrate" class="action-form">
${csrfField(csrfToken)}${hidden('back', 'arbitration')}
<h3>协调决定</h3>
${arbitrateFields(emptyForm(), depts, scope, row.requestedDepartmentIds)}
<div class="actions"><button type="submit" class="primary">确定承办处室</button></div>
</form>
${d.pendingRejection && html`<p><a href="/staff/cases/${c.trackingNo}#act-reject">确认不予受理</a></p>`}
</li>`);
    }
    const flash: Flash | null = TRACKING_NO.test(done) ? { kind: 'ok', text: html`已确定信件 <a href="/staff/cases/${done}">${done}</a> 的承办处室。` } : res.ok ? null : { kind: 'error', text: res.error.fields?.['querystring.after'] ?? res.error.message };
    return render(req, reply, res.ok ? 200 : res.status, { title: '协调', current: 'arbitration', flash }, html`<h1>待协调的信件</h1>
<p>转办有异议、涉及多个处室或申请不予受理的信件，由办公室确定牵头处室和协办处室。</p>
${entries.length === 0 ? html`<p class="count" role="status">目前没有待协调的信件。</p>` : html`<ol class="cases">${entries}</ol>`}
<nav class="pager" aria-label="翻页">${after ? html`<a href="/staff/arbitration">回到第一页</a>` : ''}${next ? html`<a href="/staff/arbitration?${new URLSearchParams({ after: next }).toString()}" rel="next">下一页</a>` : ''}</nav>`);
  });

  // ---- digest ----

  app.get('/digest', { config: { access: PAGE_ROLES.digest }, schema: hide }, async (req, reply) => {
    const asked = str((req.query as Query).date, 20);
    const day = parseIsoDate(asked) ?? chinaDayOf(new Date());
    const date = dayToIso(day);
    const res = await callApi<{ day: string; kind: 'department' | 'office'; departmentName: string; itemCount: number; content: unknown; builtAt: string }[]>(app, req, 'GET', `/api/digests/${date}`);
    const digests = res.ok ? res.data : [];
    type Item = { trackingNo: string; subject: string; type: string; dueDate: string; departmentName: string; workingDaysOverdue?: number; waitingWorkingDays?: number };
    const SECTIONS: [string, string][] = [
      ['newLetters', '新收来信'], ['dueToday', '今日到期'], ['dueTomorrow', '明日到期'], ['overdue', '已超期'],
      ['transfersWaiting', '转办来的信件（可在规定时间内提出异议）'], ['opinionsOwed', '待提交协办意见'], ['awaitingArbitration', '待办公室协调'],
    ];
    const itemList = (items: Item[]) => html`<ul class="digest-items">${items.map((i) => html`<li><a href="/staff/cases/${i.trackingNo}">${i.subject}</a> <span class="meta"><span class="code">${i.trackingNo}</span> · ${i.type} · ${i.departmentName} · 期限 ${i.dueDate}${i.workingDaysOverdue !== undefined ? ` · 超期 ${i.workingDaysOverdue} 个工作日` : ''}${i.waitingWorkingDays !== undefined ? ` · 已等待 ${i.waitingWorkingDays} 个工作日` : ''}</span></li>`)}</ul>`;
    const body = digests.map((d) => {
      const content = (d.content ?? {}) as Record<string, unknown>;
      const per = Array.isArray(content.perDepartment) ? (content.perDepartment as { name: string; open: number; overdue: number }[]) : [];
      return html`<section class="digest"><h2>${d.departmentName}${d.kind === 'office' ? '（全局汇总）' : ''}<span class="sub">${d.itemCount} 项</span></h2>
${SECTIONS.filter(([k]) => Array.isArray(content[k]) && (content[k] as unknown[]).length > 0).map(([k, label]) => html`<h3>${label}</h3>${itemList(content[k] as Item[])}`)}
${per.length > 0 && html`<h3>各处室在办情况</h3><table><thead><tr><th scope="col">处室</th><th scope="col">在办</th><th scope="col">超期</th></tr></thead><tbody>${per.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.open}</td><td>${p.overdue}</td></tr>`)}</tbody></table>`}
<p class="meta">生成时间：${shortTime(formatChinaDateTime(new Date(d.builtAt)))}</p></section>`;
    });
    const state: FormState = { values: { date }, errors: asked && parseIsoDate(asked) === undefined ? { date: '日期格式应为 YYYY-MM-DD' } : {} };
    return render(req, reply, res.ok ? 200 : res.status, { title: `每日提醒 ${date}`, current: 'digest', flash: res.ok ? null : { kind: 'error', text: res.error.message } }, html`<h1>每日提醒<span class="sub">${cnDate(date)}</span></h1>
<form method="get" action="/staff/digest" class="filters">
${textField({ name: 'date', label: '日期', type: 'date', state, optionalMark: false })}
<div class="actions"><button type="submit">查看</button> <a href="/staff/digest?date=${dayToIso(day - 1)}">前一天</a> <a href="/staff/digest?date=${dayToIso(day + 1)}">后一天</a></div>
</form>
${digests.length === 0 ? html`<p class="count" role="status">${cnDate(date)}没有提醒（每日提醒在 ${env.DIGEST_TIME} 生成，只列出有待办事项的处室）。</p>` : body}`);
  });

  // ---- calendar ----

  type YearSummary = { year: number; status: 'official' | 'provisional'; source: 'bundled' | 'loaded' | null; notice: { title: string; number: string; date: string } | null; loadedBy?: string; loadedAt?: string };

  async function calendarPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash?: Flash | null) {
    const res = await callApi<YearSummary[]>(app, req, 'GET', '/api/calendar/years');
    const years = res.ok ? res.data : [];
    const admin = hasRole(req.staff, PAGE_ROLES.calendarLoad);
    return render(req, reply, status, { title: '工作日历', current: 'calendar', flash }, html`<h1>工作日历</h1>
<p>答复期限按工作日计算。每年国务院办公厅公布节假日安排后，由管理员录入当年的放假和调休上班日期；未录入的年份暂按周一至周五为工作日计算（暂定）。</p>
<table class="years"><thead><tr><th scope="col">年份</th><th scope="col">状态</th><th scope="col">依据</th></tr></thead>
<tbody>${years.map((y) => html`<tr><th scope="row">${y.year}</th><td>${y.status === 'official' ? '正式' : html`<strong class="warn">暂定</strong>`}</td><td>${y.notice ? html`${y.notice.title}（${y.notice.number}，${y.notice.date}）` : '—'}${y.source === 'loaded' && y.loadedBy ? html`<br><span class="meta">${y.loadedBy} 于 ${shortTime(formatChinaDateTime(new Date(y.loadedAt!)))} 录入</span>` : ''}</td></tr>`)}</tbody></table>
${admin && html`<section aria-labelledby="h-load"><h2 id="h-load">录入一年的节假日安排</h2>
<form method="post" action="/staff/calendar" class="calendar-form">
${csrfField(reply.generateCsrf())}
${errorSummary(state.errors, ['year', 'notice.title', 'notice.number', 'notice.date', 'holidays', 'adjustedWorkdays'])}
${textField({ name: 'year', label: '年份', type: 'number', required: true, state, inputmode: 'numeric', extra: html` min="2000" max="2100"` })}
${textField({ name: 'notice.title', label: '通知标题', required: true, state, maxlength: 200, hint: '如：国务院办公厅关于2027年部分节假日安排的通知' })}
${textField({ name: 'notice.number', label: '文号', required: true, state, maxlength: 100, hint: '如：国办发明电〔2026〕7号' })}
${textField({ name: 'notice.date', label: '发布日期', type: 'date', required: true, state })}
${textArea({ name: 'holidays', label: '放假日期', required: true, state, rows: 8, hint: '每行一个节日：名称、冒号，再列出放假的每一天，用逗号分隔。如：元旦: 2027-01-01, 2027-01-02' })}
${textArea({ name: 'adjustedWorkdays', label: '调休上班日期', state, rows: 5, hint: '每行一个节日：名称、冒号，再列出调休上班的周六或周日。如：春节: 2027-02-07, 2027-02-20' })}
<div class="actions"><button type="submit" class="primary">录入</button></div>
</form></section>`}`);
  }

  app.get('/calendar', { config: { access: PAGE_ROLES.calendar }, schema: hide }, async (req, reply) => {
    const loaded = intOrUndefined((req.query as Query).loaded);
    return calendarPage(req, reply, 200, emptyForm(), loaded ? { kind: 'ok', text: `已录入 ${loaded} 年节假日安排，在办信件的答复期限将按新日历重新计算。` } : null);
  });

  app.post('/calendar', { config: { access: PAGE_ROLES.calendarLoad }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const b = (req.body ?? {}) as Query;
    const values: Record<string, string> = {};
    for (const k of ['year', 'notice.title', 'notice.number', 'notice.date', 'holidays', 'adjustedWorkdays']) values[k] = str(b[k], 20_000);
    const errors: Record<string, string> = {};
    const holidays = parseGroups(values.holidays!, 'holidays', errors);
    const adjusted = parseGroups(values.adjustedWorkdays!, 'adjustedWorkdays', errors);
    const year = /^\d{4}$/.test(values.year!.trim()) ? Number(values.year!.trim()) : undefined;
    if (year === undefined) errors.year = '请填写四位数的年份';
    if (holidays.groups.length === 0 && !errors.holidays) errors.holidays = '请至少填写一个节日';
    if (Object.keys(errors).length > 0) return calendarPage(req, reply, 400, { values, errors });
    const res = await callApi<YearSummary>(app, req, 'PUT', `/api/calendar/years/${year}`, {
      notice: { title: values['notice.title'], number: values['notice.number'], date: values['notice.date'] },
      holidays: holidays.groups,
      adjustedWorkdays: adjusted.groups,
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

  // ---- audit ----

  app.get('/audit', { config: { access: PAGE_ROLES.audit }, schema: hide }, async (req, reply) => {
    const q = req.query as Query;
    const keys = ['recordType', 'recordId', 'actor', 'action', 'from', 'to'] as const;
    const values: Record<string, string> = {};
    for (const k of keys) values[k] = str(q[k], 100).trim();
    const params = new URLSearchParams({ limit: '100' });
    for (const k of keys) if (values[k]) params.set(k, values[k]!);
    const beforeId = intOrUndefined(q.beforeId);
    if (beforeId) params.set('beforeId', String(beforeId));
    type Entry = { id: number; at: string; actorUsername: string | null; actorRole: string | null; action: string; recordType: string; recordId: string; before: unknown; after: unknown; ip: string | null };
    const res = await callApi<Entry[]>(app, req, 'GET', `/api/audit?${params}`);
    const rows = res.ok ? res.data : [];
    const state: FormState = { values, errors: res.ok ? {} : formFieldsOf(res.error.fields) };
    const more = new URLSearchParams();
    for (const k of keys) if (values[k]) more.set(k, values[k]!);
    if (rows.length === 100) more.set('beforeId', String(rows[rows.length - 1]!.id));
    const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 2));
    return render(req, reply, res.ok ? 200 : res.status, { title: '审计日志', current: 'audit', flash: res.ok ? null : { kind: 'error', text: res.error.message } }, html`<h1>审计日志</h1>
<form method="get" action="/staff/audit" class="filters" role="search" aria-label="查询审计日志">
${textField({ optionalMark: false, name: 'recordType', label: '记录类型', state, maxlength: 50, hint: '如 letter、staff、calendar_year' })}
${textField({ optionalMark: false, name: 'recordId', label: '记录编号', state, maxlength: 100, hint: '如受理编号' })}
${textField({ optionalMark: false, name: 'actor', label: '操作人用户名', state, maxlength: 100 })}
${textField({ optionalMark: false, name: 'action', label: '操作', state, maxlength: 100, hint: '如 letter.transfer、auth.login' })}
${textField({ optionalMark: false, name: 'from', label: '起始日期', type: 'date', state })}
${textField({ optionalMark: false, name: 'to', label: '截止日期', type: 'date', state })}
<div class="actions"><button type="submit">查询</button> <a href="/staff/audit">清除条件</a></div>
</form>
<p class="count" role="status">${rows.length === 0 ? '没有符合条件的记录。' : `显示 ${rows.length} 条，最新的在前。`}</p>
<ol class="audit">${rows.map((e) => html`<li>
<p class="when"><time datetime="${e.at}">${shortTime(formatChinaDateTime(new Date(e.at)))}</time> <span class="code">${e.action}</span></p>
<p>${e.actorUsername ?? '—'}${e.actorRole ? `（${e.actorRole}）` : ''} · ${e.recordType} ${e.recordType === 'letter' && TRACKING_NO.test(e.recordId) ? html`<a href="/staff/cases/${e.recordId}">${e.recordId}</a>` : e.recordId}${e.ip ? ` · ${e.ip}` : ''}</p>
${(e.before != null || e.after != null) && html`<details><summary>变更内容</summary>${e.before != null && html`<p>之前：</p><pre>${json(e.before)}</pre>`}${e.after != null && html`<p>之后：</p><pre>${json(e.after)}</pre>`}</details>`}
</li>`)}</ol>
${rows.length === 100 && html`<nav class="pager" aria-label="翻页"><a href="/staff/audit?${more.toString()}">更早的记录</a></nav>`}`);
  });
};

/** Lines like "元旦: 2027-01-01, 2027-01-02" → [{ name, dates }], remembering each group's line number. */
export function parseGroups(text: string, field: string, errors: Record<string, string>): { groups: { name: string; dates: string[] }[]; lines: number[] } {
  const groups: { name: string; dates: string[] }[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(.+?)\s*[:：]\s*(.*)$/.exec(line);
    const dates = m ? m[2]!.split(/[\s,，、;；]+/).filter(Boolean) : [];
    if (!m || dates.length === 0) {
      errors[field] ??= `第 ${i + 1} 行应为“名称: 日期, 日期”，如“元旦: 2027-01-01, 2027-01-02”`;
      return;
    }
    groups.push({ name: m[1]!.trim(), dates });
    lines.push(i + 1);
  });
  return { groups, lines };
}

interface ActionContext {
  trackingNo: string;
  c: CaseDetail;
  caseState: CaseState;
  staff: StaffIdentity;
  depts: Dept[];
  items: { id: number; name: string }[];
  requested: number[];
  state: FormState;
  message?: string;
  csrf: string;
}

function arbitrateFields(state: FormState, depts: Dept[], scope: string, requested: number[]): SafeHtml {
  const requestedNames = requested.map((id) => depts.find((d) => d.id === id)?.name).filter(Boolean).join('、');
  return html`${selectField({ name: 'leadDepartmentId', label: '牵头处室', required: true, state, scope, placeholder: '请选择', options: deptOptions(depts), hint: requestedNames ? `涉及处室：${requestedNames}` : undefined })}
${choiceGroup({ name: 'assistingDepartmentIds', label: '协办处室', kind: 'checkbox', state, scope, options: deptOptions(depts), extraClass: 'scroll' })}
${textArea({ name: 'note', label: '协调意见', required: true, state, scope, rows: 3, maxlength: 2000 })}`;
}

function actionForm(a: ActionPath, x: ActionContext): SafeHtml {
  const s = x.state;
  const scope = a;
  const office = x.staff.roles.includes('office');
  let title = ACTION_TITLES[a];
  let submit = title;
  let fields: SafeHtml;
  switch (a) {
    case 'answer':
      fields = textArea({ name: 'content', label: '答复内容', required: true, state: s, scope, rows: 8, maxlength: 5000, counter: true, hint: '答复将在来信人查询时显示，信件随即办结。' });
      submit = '答复并办结';
      break;
    case 'opinions':
      fields = textArea({ name: 'content', label: '协办意见', required: true, state: s, scope, rows: 5, maxlength: 5000, hint: '供牵头处室答复时参考，来信人看不到。' });
      break;
    case 'transfer':
      fields = html`${selectField({ name: 'toDepartmentId', label: '转至处室', required: true, state: s, scope, placeholder: '请选择', options: deptOptions(x.depts, x.caseState.departmentId), hint: '转回已经办过该信的处室，视为转办存在争议，由办公室协调。' })}
${selectField({ name: 'reasonCode', label: '转办理由', required: true, state: s, scope, placeholder: '请选择', options: codeOptions(TRANSFER_REASONS) })}
${textArea({ name: 'reason', label: '转办说明', required: true, state: s, scope, rows: 3, maxlength: 2000, hint: '来信人查询时可以看到转办说明。' })}`;
      break;
    case 'dispute':
      fields = textArea({ name: 'reason', label: '异议理由', required: true, state: s, scope, rows: 3, maxlength: 2000, hint: `该信由${x.depts.find((d) => d.id === x.caseState.transferredFromDepartmentId)?.name ?? '其他处室'}转来，提出异议后由办公室协调确定承办处室。` });
      break;
    case 'escalate':
      fields = html`${textArea({ name: 'reason', label: '提请协调的理由', required: true, state: s, scope, rows: 3, maxlength: 2000 })}
${choiceGroup({ name: 'departmentIds', label: '建议参与办理的处室', kind: 'checkbox', state: s, scope, options: deptOptions(x.depts), extraClass: 'scroll' })}`;
      break;
    case 'reclassify': {
      const st: FormState = s.values.type === undefined ? { values: { type: x.c.type, convenienceItemId: x.c.convenienceItemId === null ? '' : String(x.c.convenienceItemId) }, errors: s.errors } : s;
      fields = html`${selectField({ name: 'type', label: '信件类型', required: true, state: st, scope, options: codeOptions(TYPE_LABELS), hint: '答复期限将按新类型从收信时重新计算。' })}
${selectField({ name: 'convenienceItemId', label: '便民服务事项', state: st, scope, placeholder: '不涉及', options: x.items.map((i) => ({ value: String(i.id), label: i.name })), hint: '仅投诉可选。' })}
${textArea({ name: 'reason', label: '更改理由', required: true, state: st, scope, rows: 3, maxlength: 2000 })}`;
      break;
    }
    case 'reject': {
      const pending = x.c.pendingRejection;
      const st: FormState = office && pending && s.values.reasonCode === undefined ? { values: { reasonCode: pending.reasonCode, reason: pending.reason }, errors: s.errors } : s;
      title = office ? (pending ? '确认不予受理' : '不予受理') : '申请不予受理';
      submit = office ? '确定不予受理' : '提交申请（由办公室确认）';
      fields = html`${selectField({ name: 'reasonCode', label: '不予受理理由', required: true, state: st, scope, placeholder: '请选择', options: codeOptions(REJECT_REASONS) })}
${textArea({ name: 'reason', label: '不予受理说明', required: true, state: st, scope, rows: 3, maxlength: 2000, hint: '来信人查询时可以看到该说明。' })}`;
      break;
    }
    case 'arbitrate':
      fields = arbitrateFields(s, x.depts, scope, x.requested);
      submit = '确定承办处室';
      break;
  }
  return html`<details class="block action" id="act-${a}"${x.message || Object.keys(s.errors).length > 0 ? raw(' open') : ''}><summary>${title}</summary>
<form method="post" action="/staff/cases/${x.trackingNo}/${a}" class="action-form">
${csrfField(x.csrf)}
${x.message && html`<p class="form-error" role="alert">${x.message}</p>`}
${fields}
<div class="actions"><button type="submit"${a === 'answer' || a === 'arbitrate' ? html` class="primary"` : ''}>${submit}</button></div>
</form></details>`;
}

