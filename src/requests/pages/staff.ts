import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import { departmentNames, listActiveDepartments } from '../../departments/service.js';
import { AppError } from '../../server/errors.js';
import { emptyForm, selectField, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { doneFlash, forbiddenPage, pathId } from '../../web/refusal.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { CHANNEL_LABELS } from '../clock-rules.js';
import { APPLICANT_TYPE_LABELS } from '../outcomes.js';
import {
  ID_DOCUMENT_LABELS,
  RECEIVE_WAY_LABELS,
  REQUEST_INTAKE,
  REQUEST_LIST_VIEWERS,
  REQUEST_STATUS_LABELS,
  REQUEST_STATUSES,
  REQUESTED_FORM_LABELS,
  type RequestStatus,
} from '../rules.js';
import { deliveryBody } from '../answer-schemas.js';
import { confirmBody, draftBody, eventBody, routeBody, staffEntryBody, type StaffRequestView } from '../schemas.js';
import { recordDelivery } from '../service/delivery.js';
import { recordEvent } from '../service/events.js';
import { confirmRequest, enterByStaff } from '../service/intake.js';
import { listRequestsForStaff, type StaffListItem } from '../service/page-reads.js';
import { getRequest } from '../service/reads.js';
import { draftAnswer, routeRequest, signAnswer } from '../service/routing.js';
import { ACTION_DONE, ACTION_TITLES, actionInput, offeredActions, REQUEST_ACTIONS, REQUEST_ACTORS, type RequestAction } from './actions.js';
import { actionForm } from './action-forms.js';
import { deadlineSection, eventList } from './labels.js';
import { requestErrors, requestFormHtml, requestInput, requestValues } from './request-form.js';

// The staff pages of disclosure requests (issue 17 points 1, 8, 9): the list, the entry of a request that
// came by post, in person, fax or e-mail, and a request's page with the applicant, what is sought, the
// deadline and its explanation, the events and the forms of what the viewer may do now. Each form posts
// to /staff/requests/:id/<action>, which calls the service of the API route it stands for and comes back
// (303) with a message, or shows the page again with the field messages.

/** An instant of the view (UTC ISO) as China time, e.g. 2026-12-05 03:20. */
const chinaTime = (iso: string) => shortTime(formatChinaDateTime(new Date(iso)));

const NOT_FOUND = '未找到该申请，或者您无权查看。';
const back = { href: '/staff/requests', label: '返回依申请公开列表' };

const daysLeft = (n: number | null) => (n === null ? '' : n < 0 ? `已超期 ${-n} 个工作日` : n === 0 ? '今日到期' : `剩余 ${n} 个工作日`);

function listTable(items: StaffListItem[]): SafeHtml {
  if (items.length === 0) return html`<p class="empty">没有符合条件的申请。</p>`;
  return html`<div class="scroll-x" tabindex="0" role="region" aria-label="申请列表"><table class="request-list">
<thead><tr><th scope="col">申请编号</th><th scope="col">申请人</th><th scope="col">渠道</th><th scope="col">状态</th><th scope="col">收到申请之日</th><th scope="col">答复期限</th><th scope="col">剩余</th><th scope="col">承办处室</th><th scope="col">办理环节</th></tr></thead>
<tbody>${items.map(
    (
      r,
    ) => html`<tr data-id="${r.id}"><td><a href="/staff/requests/${r.id}">${r.number}</a></td><td>${r.applicantName}</td><td>${CHANNEL_LABELS[r.channel]}</td>
<td>${REQUEST_STATUS_LABELS[r.status]}</td><td>${r.receivedOn ? cnDate(r.receivedOn) : '待确认'}</td><td>${r.deadline ? cnDate(r.deadline) : ''}</td>
<td${r.workingDaysLeft !== null && r.workingDaysLeft < 0 ? html` class="warn"` : ''}>${daysLeft(r.workingDaysLeft)}</td><td>${r.departmentName ?? ''}</td><td>${r.stepLabel ?? ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function requestFacts(v: StaffRequestView, departmentName: string | null): SafeHtml {
  const a = v.applicant;
  const i = v.information;
  const org = a.type !== 'natural_person';
  return html`<dl class="facts">
<dt>办理状态</dt><dd><strong class="status status-${v.status}" id="request-status">${v.statusLabel}</strong></dd>
<dt>申请渠道</dt><dd>${CHANNEL_LABELS[v.channel]}</dd>
${v.receiptBasis && html`<dt>收到申请之日的依据</dt><dd>${v.receiptBasis}</dd>`}
${v.handling.stepLabel && html`<dt>办理环节</dt><dd id="request-step">${v.handling.stepLabel}${v.handling.since ? `（${cnDate(v.handling.since)}起${v.handling.dueOn ? `，应于 ${cnDate(v.handling.dueOn)} 前完成` : ''}）` : ''}</dd>`}
${departmentName && html`<dt>承办处室</dt><dd id="request-department">${departmentName}</dd>`}
${v.outcomeLabel && html`<dt>答复类型</dt><dd>${v.outcomeLabel}</dd>`}
</dl>
<h2>申请人</h2>
<dl class="facts">
<dt>申请人类型</dt><dd>${APPLICANT_TYPE_LABELS[a.type]}</dd>
<dt>${org ? '名称' : '姓名'}</dt><dd>${a.name}</dd>
<dt>${ID_DOCUMENT_LABELS[a.idDocumentType]}</dt><dd>${a.idDocumentNumber}</dd>
${a.legalRepresentative && html`<dt>法定代表人或者负责人</dt><dd>${a.legalRepresentative}</dd>`}
${a.contactPerson && html`<dt>联系人</dt><dd>${a.contactPerson}</dd>`}
${a.phone && html`<dt>联系电话</dt><dd>${a.phone}</dd>`}
${a.email && html`<dt>电子邮箱</dt><dd>${a.email}</dd>`}
${a.address && html`<dt>通信地址</dt><dd>${a.address}</dd>`}
</dl>
<h2>所需政府信息</h2>
<dl class="facts">
${i.title && html`<dt>信息名称</dt><dd>${i.title}</dd>`}
${i.docNumber && html`<dt>文号</dt><dd>${i.docNumber}</dd>`}
${i.description && html`<dt>特征性描述</dt><dd class="text">${i.description}</dd>`}
<dt>所需信息的形式</dt><dd>${REQUESTED_FORM_LABELS[v.form]}</dd>
<dt>获取信息的方式</dt><dd>${RECEIVE_WAY_LABELS[v.receiveWay]}</dd>
</dl>`;
}

interface Failure {
  action: RequestAction;
  state: FormState;
  message: string;
}

export const requestStaffPages: FastifyPluginAsync = (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env, temporal, log: app.log };
  const csrf = app.csrfProtection.bind(app);

  app.get('/requests', { config: { access: REQUEST_LIST_VIEWERS }, schema: hide }, async (req, reply) => {
    const raw = str((req.query as Query).status, 40);
    const status = (REQUEST_STATUSES as readonly string[]).includes(raw) ? (raw as RequestStatus) : undefined;
    const res = await attempt(() => listRequestsForStaff(deps, viewerOf(req), { status }));
    if (!res.ok) return forbiddenPage(req, reply, res.error.message, { href: '/staff', label: '返回工作台' });
    const state = { values: { status: status ?? '' }, errors: {} };
    const mayEnter = req.staff!.roles.some((r) => (REQUEST_INTAKE as readonly string[]).includes(r));
    return renderStaff(
      req,
      reply,
      200,
      { title: '依申请公开', current: 'requests' },
      html`<h1>依申请公开</h1>
${mayEnter && html`<p><a href="/staff/requests/new" class="button">登记邮寄、当面、传真或电子邮件申请</a></p>`}
<form method="get" action="/staff/requests" class="filters" role="search" aria-label="筛选申请">
${selectField({
  name: 'status',
  label: '办理状态',
  state,
  placeholder: '全部',
  options: REQUEST_STATUSES.map((s) => ({ value: s, label: REQUEST_STATUS_LABELS[s] })),
  optionalMark: false,
})}
<div class="actions"><button type="submit">筛选</button></div>
</form>
<p class="count">共 ${res.data.length} 件</p>
${listTable(res.data)}`,
    );
  });

  const entryPage = (req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, formError?: string) =>
    renderStaff(
      req,
      reply,
      status,
      { title: '登记申请', current: 'requests' },
      html`<p class="breadcrumb"><a href="/staff/requests">依申请公开</a> › 登记申请</p>
<h1>登记政府信息公开申请</h1>
<p>邮寄、当面提交、传真或电子邮件收到的申请，收到当日登记（不得在登记时拒绝接收）。收到申请之日按渠道确定（条例第三十一条）。</p>
${requestFormHtml({ state, action: '/staff/requests/new', staff: true, formError, submitLabel: '登记申请', csrf: reply.generateCsrf() })}`,
    );

  app.get('/requests/new', { config: { access: REQUEST_INTAKE }, schema: hide }, async (req, reply) =>
    entryPage(req, reply, 200, emptyForm()),
  );

  app.post('/requests/new', { config: { access: REQUEST_INTAKE }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const values = requestValues(req.body);
    try {
      const created = await enterByStaff(deps, viewerOf(req), parsed(staffEntryBody, requestInput(values, true), 'body'));
      return reply.redirect(`/staff/requests/${created.id}?done=entered`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode !== 400) throw err;
      const { 'form-error': formError, ...errors } = requestErrors(err.fields, values);
      return entryPage(req, reply, 400, { values, errors }, formError ?? (Object.keys(errors).length ? undefined : err.message));
    }
  });

  async function requestPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: number,
    status: number,
    opts: { flash?: Flash | null; failure?: Failure },
  ) {
    const viewer = viewerOf(req);
    const res = await attempt(() => getRequest(deps, viewer, id));
    if (!res.ok) return staffNotFound(req, reply, NOT_FOUND);
    const v = res.data;
    const names = await departmentNames(db);
    const departmentName = v.handling.holdingDepartmentId
      ? (names.find((d) => d.id === v.handling.holdingDepartmentId)?.name ?? null)
      : null;
    const departments = (await listActiveDepartments(db)).map(({ id: did, name }) => ({ id: did, name }));
    const staff = req.staff!;
    const offered = offeredActions(v, { roles: staff.roles, departmentId: staff.departmentId ?? null });
    const f = opts.failure;
    // A failed action whose form is no longer offered (the state moved on) still shows its message.
    const forms = [...new Set([...offered, ...(f ? [f.action] : [])])].map((a) =>
      actionForm(a, {
        id,
        view: v,
        departments,
        state: f?.action === a ? f.state : emptyForm(),
        message: f?.action === a ? f.message : undefined,
        csrf: reply.generateCsrf(),
      }),
    );
    const failed = f && html`${ACTION_TITLES[f.action]}未成功：${f.message} <a href="#act-${f.action}">查看表单</a>`;
    const flash = opts.flash ?? (failed ? { kind: 'error' as const, text: failed } : null);
    const staffExtra = (i: number) => {
      const e = v.events[i]!;
      return html`<p class="who">登记人：${e.actor}（${chinaTime(e.createdAt)}）</p>`;
    };
    // The letter exists once the request is concluded with its outcome and the answer signed (record-views.ts).
    const signed = v.letterReady;
    return renderStaff(
      req,
      reply,
      status,
      { title: `申请 ${v.number}`, current: 'requests', flash },
      html`<p class="breadcrumb"><a href="/staff/requests">依申请公开</a> › ${v.number}</p>
<h1>政府信息公开申请 <span class="code">${v.number}</span></h1>
${requestFacts(v, departmentName)}
${deadlineSection(v.clock)}
${
  v.handling.draft &&
  html`<section aria-labelledby="draft-h"><h2 id="draft-h">拟办答复意见</h2><div class="text" id="request-draft">${v.handling.draft}</div>
${v.handling.signedAt && html`<p class="meta">签发时间：${chinaTime(v.handling.signedAt)}</p>`}</section>`
}
${
  signed &&
  html`<section aria-labelledby="letter-h" id="answer-letter"><h2 id="letter-h">答复书</h2>
<p><a href="/staff/requests/${id}/answer-letter">查看答复书</a> · <a href="/staff/requests/${id}/answer-letter.pdf">下载答复书（PDF）</a></p></section>`
}
<section aria-labelledby="events-h"><h2 id="events-h">计时事项</h2>
${eventList(v.events, staffExtra)}</section>
<section aria-labelledby="actions-h" id="actions"><h2 id="actions-h">办理</h2>
${forms.length ? forms : html`<p class="empty">您当前没有可办理的事项。</p>`}</section>`,
    );
  }

  const DONE: Record<string, string> = { ...ACTION_DONE, entered: '申请已登记。' };

  app.get('/requests/:id', { config: { access: REQUEST_LIST_VIEWERS }, schema: hide }, async (req, reply) => {
    const id = pathId((req.params as { id: string }).id);
    if (id === undefined) return staffNotFound(req, reply, NOT_FOUND);
    return requestPage(req, reply, id, 200, { flash: doneFlash(DONE, str((req.query as Query).done, 40)) });
  });

  app.post('/requests/:id/:action', { config: { access: REQUEST_ACTORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const params = req.params as { id: string; action: string };
    const id = pathId(params.id);
    if (id === undefined || !(REQUEST_ACTIONS as readonly string[]).includes(params.action)) return staffNotFound(req, reply, NOT_FOUND);
    const a = params.action as RequestAction;
    const values = { ...((req.body ?? {}) as Query) };
    delete values._csrf;
    const viewer = viewerOf(req);
    const input = actionInput(a, values);
    const res = await attempt(async () => {
      switch (a) {
        case 'confirm':
          return confirmRequest(deps, viewer, id, parsed(confirmBody, input, 'body'));
        case 'route':
          return routeRequest(deps, viewer, id, parsed(routeBody, input, 'body').departmentId);
        case 'draft':
          return draftAnswer(deps, viewer, id, parsed(draftBody, input, 'body').draft);
        case 'sign':
          return signAnswer(deps, viewer, id);
        case 'delivery':
          return recordDelivery(deps, viewer, id, parsed(deliveryBody, input, 'body'));
        default:
          return recordEvent(deps, viewer, id, parsed(eventBody, input, 'body'));
      }
    });
    if (res.ok) return reply.redirect(`/staff/requests/${id}?done=${a}`, 303);
    if (res.status === 404) return staffNotFound(req, reply, NOT_FOUND);
    if (res.status === 403) return forbiddenPage(req, reply, res.error.message || '您无权办理该事项。', back);
    const errors = formFieldsOf(res.error.fields, ['points']);
    // A block-level message (access or the agency missing as a whole) shows at the block's first field.
    for (const [block, first] of [
      ['access', 'access.form'],
      ['responsibleAgency', 'responsibleAgency.name'],
    ] as const) {
      if (errors[block] && !errors[first]) errors[first] = errors[block];
    }
    const state = { values, errors };
    return requestPage(req, reply, id, res.status, { failure: { action: a, state, message: res.error.message } });
  });
  return Promise.resolve();
};
