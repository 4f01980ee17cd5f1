import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../../audit/schemas.js';
import { viewerOf } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import { departmentNames } from '../../departments/service.js';
import { csrfField, emptyForm, errorSummary, hidden, selectField, textField, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { canOnConvenienceItems, CONVENIENCE_ITEM_PERMISSIONS } from '../rules.js';
import { convenienceItemChanges, convenienceItemParams, newConvenienceItem } from '../schemas.js';
import {
  addConvenienceItem,
  convenienceItemWithHistory,
  listConvenienceItems,
  updateConvenienceItem,
  type ConvenienceItem,
} from '../service/convenience-items.js';

type Dept = { id: number; name: string; active: boolean };
const FIELDS = ['name', 'departmentId'];
/** The pages' path under /staff, and the links to them. */
const PATH = '/convenience-items';
const BASE = `/staff${PATH}`;
const INTRO = '对清单内事项的投诉，答复时限为 3 个工作日。停用的事项不再出现在来信表单中，已按该事项提交的来信保留原事项及提交时的名称。';

const deptLabel = (depts: Dept[], id: number) => {
  const d = depts.find((x) => x.id === id);
  return d ? `${d.name}${d.active ? '' : '（已停用）'}` : `处室 ${id}`;
};
const statusOf = (i: ConvenienceItem) => (i.active ? '启用' : html`<strong class="warn">已停用</strong>`);

function itemFields(state: FormState, depts: Dept[], scope: string): SafeHtml {
  const options = depts.filter((d) => d.active || String(d.id) === state.values.departmentId);
  return html`${textField({ name: 'name', label: '事项名称', required: true, state, maxlength: 100, scope })}
${selectField({
  name: 'departmentId',
  label: '承办处室',
  required: true,
  state,
  scope,
  placeholder: '请选择处室',
  options: options.map((d) => ({ value: String(d.id), label: deptLabel(depts, d.id) })),
})}`;
}

/** A form's values as the API's body: the numbers as numbers, so the route's own schema checks them. */
function bodyOf(values: Record<string, string>) {
  const dept = values.departmentId ?? '';
  return {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.departmentId !== undefined ? { departmentId: /^\d{1,10}$/.test(dept) ? Number(dept) : dept } : {}),
    ...(values.active !== undefined ? { active: values.active === 'true' ? true : values.active === 'false' ? false : values.active } : {}),
  };
}

const changeText = (e: AuditEntry, depts: Dept[]) => {
  const before = (e.before ?? {}) as Partial<ConvenienceItem>;
  const after = (e.after ?? {}) as Partial<ConvenienceItem>;
  if (!e.before) return `新增：${after.name ?? ''}（${after.departmentId ? deptLabel(depts, after.departmentId) : ''}）`;
  const parts: string[] = [];
  if (before.name !== after.name) parts.push(`名称：${before.name} → ${after.name}`);
  if (before.departmentId !== after.departmentId && after.departmentId) {
    parts.push(`承办处室：${deptLabel(depts, before.departmentId!)} → ${deptLabel(depts, after.departmentId)}`);
  }
  if (before.active !== after.active) parts.push(after.active ? '重新启用' : '停用');
  return parts.length > 0 ? parts.join('；') : '未改变';
};

/** The convenience-service list (GET/POST /api/admin/convenience-items, PATCH …/:id): everyone sees it, administrators change it. */
export const convenienceItemPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  const deps = { db };
  const csrf = app.csrfProtection.bind(app);
  const notFoundPage = (req: FastifyRequest, reply: FastifyReply) => staffNotFound(req, reply, '未找到该便民服务事项。');

  async function listPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash?: Flash | null) {
    const viewer = viewerOf(req);
    const [items, depts] = await Promise.all([listConvenienceItems(deps, viewer), departmentNames(db)]);
    const row = (i: ConvenienceItem) =>
      html`<tr><th scope="row"><a href="${BASE}/${i.id}">${i.name}</a></th>
<td>${deptLabel(depts, i.departmentId)}</td><td>${statusOf(i)}</td></tr>`;
    const form =
      canOnConvenienceItems(viewer, 'administer') &&
      html`<section aria-labelledby="h-add"><h2 id="h-add">新增事项</h2>
<form method="post" action="${BASE}" class="item-form">
${csrfField(reply.generateCsrf())}
${errorSummary(state.errors, FIELDS, 'add')}
${itemFields(state, depts, 'add')}
<div class="actions"><button type="submit" class="primary">新增</button></div>
</form></section>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '便民服务事项清单', current: 'convenience', flash },
      html`<h1>便民服务事项清单</h1>
<p>${INTRO}</p>
<table class="items"><thead><tr><th scope="col">事项</th><th scope="col">承办处室</th><th scope="col">状态</th></tr></thead>
<tbody>${items.map(row)}</tbody></table>
${form}`,
    );
  }

  async function itemPage(req: FastifyRequest, reply: FastifyReply, id: number, status: number, state?: FormState, flash?: Flash | null) {
    const viewer = viewerOf(req);
    const res = await attempt(() => convenienceItemWithHistory(deps, viewer, id));
    if (!res.ok) return notFoundPage(req, reply);
    const { item, history } = res.data;
    const depts = await departmentNames(db);
    const values = state?.values ?? { name: item.name, departmentId: String(item.departmentId) };
    const token = reply.generateCsrf();
    const admin = canOnConvenienceItems(viewer, 'administer');
    const edit =
      admin &&
      html`<section aria-labelledby="h-edit"><h2 id="h-edit">修改</h2>
<form method="post" action="${BASE}/${item.id}" class="item-form">
${csrfField(token)}
${errorSummary(state?.errors ?? {}, FIELDS, 'edit')}
${itemFields({ values, errors: state?.errors ?? {} }, depts, 'edit')}
<div class="actions"><button type="submit" class="primary">保存</button></div>
</form>
<form method="post" action="${BASE}/${item.id}" class="inline">
${csrfField(token)}
${hidden('active', item.active ? 'false' : 'true')}
<button type="submit">${item.active ? '停用该事项' : '重新启用该事项'}</button>
</form></section>`;
    const entry = (e: AuditEntry) =>
      html`<tr><td><time datetime="${e.at}">${shortTime(formatChinaDateTime(new Date(e.at)))}</time></td>
<td>${e.actorUsername ?? ''}</td><td>${changeText(e, depts)}</td></tr>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: item.name, current: 'convenience', flash },
      html`<p class="breadcrumb"><a href="${BASE}">便民服务事项清单</a> › ${item.name}</p>
<h1>${item.name}</h1>
<dl class="facts"><dt>承办处室</dt><dd>${deptLabel(depts, item.departmentId)}</dd><dt>状态</dt><dd>${statusOf(item)}</dd></dl>
${edit}
<section aria-labelledby="h-history"><h2 id="h-history">修改记录</h2>
<table class="history"><thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">内容</th></tr></thead>
<tbody>${history.map(entry)}</tbody></table></section>`,
    );
  }

  const flashOf = (q: Query): Flash | null =>
    q.created ? { kind: 'ok', text: '已新增事项。' } : q.saved ? { kind: 'ok', text: '已保存。' } : null;

  app.get(PATH, { config: { access: CONVENIENCE_ITEM_PERMISSIONS['list-all'] }, schema: hide }, async (req, reply) =>
    listPage(req, reply, 200, emptyForm(), flashOf(req.query as Query)),
  );

  app.post(PATH, { config: { access: CONVENIENCE_ITEM_PERMISSIONS.administer }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const b = (req.body ?? {}) as Query;
    const values = { name: str(b.name, 200), departmentId: str(b.departmentId, 20) };
    const res = await attempt(() => addConvenienceItem(deps, viewerOf(req), parsed(newConvenienceItem, bodyOf(values), 'body')));
    if (res.ok) return reply.redirect(`${BASE}/${res.data.id}?created=1`, 303);
    return listPage(req, reply, res.status, { values, errors: formFieldsOf(res.error.fields) }, { kind: 'error', text: res.error.message });
  });

  /** The path's id as GET/PATCH /api/admin/convenience-items/:id reads it; undefined answers the 404 page. */
  const idOf = (req: FastifyRequest) => {
    const p = convenienceItemParams.safeParse(req.params);
    return p.success ? p.data.id : undefined;
  };

  app.get(`${PATH}/:id`, { config: { access: CONVENIENCE_ITEM_PERMISSIONS['list-all'] }, schema: hide }, async (req, reply) => {
    const id = idOf(req);
    return id === undefined ? notFoundPage(req, reply) : itemPage(req, reply, id, 200, undefined, flashOf(req.query as Query));
  });

  app.post(
    `${PATH}/:id`,
    { config: { access: CONVENIENCE_ITEM_PERMISSIONS.administer }, schema: hide, preHandler: csrf },
    async (req, reply) => {
      const id = idOf(req);
      if (id === undefined) return notFoundPage(req, reply);
      const b = (req.body ?? {}) as Query;
      // The edit form sends the name and the department; the button beside it only `active`.
      const values: Record<string, string> =
        b.active !== undefined ? { active: str(b.active, 10) } : { name: str(b.name, 200), departmentId: str(b.departmentId, 20) };
      const res = await attempt(() =>
        updateConvenienceItem(deps, viewerOf(req), id, parsed(convenienceItemChanges, bodyOf(values), 'body')),
      );
      if (res.ok) return reply.redirect(`${BASE}/${id}?saved=1`, 303);
      if (res.status === 404) return notFoundPage(req, reply);
      const state = values.active !== undefined ? undefined : { values, errors: formFieldsOf(res.error.fields) };
      return itemPage(req, reply, id, res.status, state, { kind: 'error', text: res.error.message });
    },
  );
};
