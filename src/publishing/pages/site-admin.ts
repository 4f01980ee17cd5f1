import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { activeStaffWithRole } from '../../auth/service/staff-directory.js';
import { viewerOf } from '../../auth/viewer.js';
import { departmentNames } from '../../departments/service.js';
import { choiceGroup, csrfField, errorSummary, hidden, selectField, textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, list, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import {
  COLUMN_PUBLISHER_LABELS,
  COLUMN_PUBLISHERS,
  COLUMN_SECTION_LABELS,
  COLUMN_SECTIONS,
  CONTENT_TYPE_LABELS,
  CONTENT_TYPES,
  SITE_ADMINS,
} from '../rules.js';
import { columnBody, leaderBody } from '../schemas.js';
import { createColumn, listColumns, listLeaders, setLeader, updateColumn } from '../service/columns.js';

type Column = Awaited<ReturnType<typeof listColumns>>['items'][number];
const FIELDS = ['name', 'slug', 'parentId', 'section', 'acceptsItems', 'contentTypes', 'isNews', 'newsNeedsBureauLeader', 'publisher'];
const LIST_FIELDS = ['contentTypes', 'supplierDepartmentIds'];
const config = { access: SITE_ADMINS };

/** The tree in display order, each column with its depth (children after their parent). */
function treeOrder(columns: Column[]): { c: Column; depth: number }[] {
  const out: { c: Column; depth: number }[] = [];
  const visit = (parentId: number | null, depth: number) => {
    for (const c of columns.filter((x) => x.parentId === parentId)) {
      out.push({ c, depth });
      if (depth < 10) visit(c.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

const num = (v: string) => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : v.trim() === '' ? null : v);

/** The form's strings as the API's body (PUT /api/site/columns/:id), for columnBody to judge. */
function bodyOf(v: Record<string, string | string[]>) {
  const one = (k: string) => (typeof v[k] === 'string' ? v[k] : '');
  const many = (k: string) => (Array.isArray(v[k]) ? v[k] : []);
  return {
    name: one('name'),
    slug: one('slug'),
    parentId: num(one('parentId')),
    section: one('section') || undefined,
    acceptsItems: one('acceptsItems') !== 'false',
    contentTypes: many('contentTypes'),
    isNews: one('isNews') === 'true',
    newsNeedsBureauLeader: one('newsNeedsBureauLeader') === 'true',
    publisher: one('publisher') || undefined,
    supplierDepartmentIds: many('supplierDepartmentIds').map((d) => num(d)),
    updateEveryDays: num(one('updateEveryDays')),
    sortOrder: num(one('sortOrder')) ?? 100,
    active: one('active') === 'true',
  };
}

const valuesOf = (c: Column): Record<string, string | string[]> => ({
  id: String(c.id),
  name: c.name,
  slug: c.slug,
  parentId: c.parentId === null ? '' : String(c.parentId),
  section: c.section,
  acceptsItems: String(c.acceptsItems),
  contentTypes: c.contentTypes,
  isNews: String(c.isNews),
  newsNeedsBureauLeader: String(c.newsNeedsBureauLeader),
  publisher: c.publisher,
  supplierDepartmentIds: c.supplierDepartmentIds.map(String),
  updateEveryDays: c.updateEveryDays === null ? '' : String(c.updateEveryDays),
  sortOrder: String(c.sortOrder),
  active: String(c.active),
});
const NEW_VALUES = { acceptsItems: 'true', contentTypes: ['article'], publisher: 'drafter', sortOrder: '100', active: 'true' };

/** Administrators keep the column tree (/staff/site/columns) and the bureau leader in charge of each department (/staff/site/leaders). */
export const siteAdminPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  const deps = { db };
  const csrf = app.csrfProtection.bind(app);

  async function columnsPage(req: FastifyRequest, reply: FastifyReply, status: number, state: FormState, flash?: Flash | null) {
    const [{ items }, depts] = await Promise.all([listColumns(deps, { includeInactive: true }), departmentNames(db)]);
    const deptName = new Map(depts.map((d) => [d.id, d.name]));
    const editing = typeof state.values.id === 'string' && state.values.id !== '';
    const row = ({ c, depth }: { c: Column; depth: number }) =>
      html`<tr><th scope="row">${'　'.repeat(depth)}${c.name}${c.active ? '' : html` <strong class="warn">（已停用）</strong>`}</th>
<td>${c.slug}</td><td>${COLUMN_SECTION_LABELS[c.section]}</td>
<td>${c.acceptsItems ? c.contentTypes.map((t) => CONTENT_TYPE_LABELS[t]).join('、') : '栏目分组'}</td>
<td>${c.isNews ? (c.newsNeedsBureauLeader ? '新闻（局领导签发）' : '新闻') : ''}</td><td>${c.acceptsItems ? COLUMN_PUBLISHER_LABELS[c.publisher] : ''}</td>
<td>${c.acceptsItems ? (c.supplierDepartmentIds.length === 0 ? '各处室' : c.supplierDepartmentIds.map((d) => deptName.get(d) ?? d).join('、')) : ''}</td>
<td>${c.updateEveryDays ? `${c.updateEveryDays} 天` : ''}</td><td><a href="/staff/site/columns?edit=${c.id}#h-form">修改</a></td></tr>`;
    const s = state;
    const yes = (name: string, label: string, hint?: string) =>
      choiceGroup({ name, label, kind: 'checkbox', state: s, optionalMark: false, options: [{ value: 'true', label: '是', hint }] });
    const form = html`<section aria-labelledby="h-form"><h2 id="h-form">${editing ? '修改栏目' : '新增栏目'}</h2>
<form method="post" action="/staff/site/columns" class="item-form">
${csrfField(reply.generateCsrf())}${editing ? hidden('id', String(s.values.id)) : ''}
${errorSummary(s.errors, FIELDS)}
${textField({ name: 'name', label: '栏目名称', required: true, state: s, maxlength: 50 })}
${textField({ name: 'slug', label: '栏目标识', required: true, state: s, maxlength: 40, hint: '小写字母、数字或连字符，用于网址 /columns/标识' })}
${selectField({
  name: 'parentId',
  label: '上级栏目分组',
  state: s,
  placeholder: '（顶级）',
  options: items.filter((c) => !c.acceptsItems).map((c) => ({ value: String(c.id), label: c.name })),
})}
${selectField({ name: 'section', label: '栏目分类', required: true, state: s, options: COLUMN_SECTIONS.map((x) => ({ value: x, label: COLUMN_SECTION_LABELS[x] })) })}
${choiceGroup({
  name: 'acceptsItems',
  label: '栏目或分组',
  kind: 'radio',
  required: true,
  state: s,
  options: [
    { value: 'true', label: '栏目（发布信息）' },
    { value: 'false', label: '栏目分组（包含栏目）' },
  ],
})}
${choiceGroup({ name: 'contentTypes', label: '内容类型', kind: 'checkbox', state: s, options: CONTENT_TYPES.map((t) => ({ value: t, label: CONTENT_TYPE_LABELS[t] })) })}
${yes('isNews', '新闻栏目', '应急宣传处复审（第二十条（五））')}
${yes('newsNeedsBureauLeader', '新闻须局领导签发')}
${selectField({ name: 'publisher', label: '发布人', state: s, options: COLUMN_PUBLISHERS.map((x) => ({ value: x, label: COLUMN_PUBLISHER_LABELS[x] })) })}
${choiceGroup({
  name: 'supplierDepartmentIds',
  label: '供稿处室',
  kind: 'checkbox',
  state: s,
  hint: '不选：各处室均可供稿',
  options: depts.filter((d) => d.active).map((d) => ({ value: String(d.id), label: d.name })),
})}
${textField({ name: 'updateEveryDays', label: '更新周期（天）', state: s, type: 'number', hint: '不填：不要求定期更新' })}
${textField({ name: 'sortOrder', label: '排序', state: s, type: 'number' })}
${yes('active', '启用')}
<div class="actions"><button type="submit" class="primary">${editing ? '保存' : '新增'}</button>${editing ? html` <a href="/staff/site/columns">取消</a>` : ''}</div>
</form></section>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '栏目管理', current: 'site-columns', flash },
      html`<h1>栏目管理</h1>
<table class="items"><thead><tr><th scope="col">栏目</th><th scope="col">标识</th><th scope="col">分类</th><th scope="col">内容类型</th>
<th scope="col">新闻</th><th scope="col">发布人</th><th scope="col">供稿处室</th><th scope="col">更新周期</th><th scope="col">操作</th></tr></thead>
<tbody>${treeOrder(items).map(row)}</tbody></table>
${form}`,
    );
  }

  app.get('/site/columns', { config, schema: hide }, async (req, reply) => {
    const q = req.query as Query;
    const editId = Number(str(q.edit, 12));
    const column = editId ? (await listColumns(deps, { includeInactive: true })).items.find((c) => c.id === editId) : undefined;
    const flash: Flash | null = q.saved ? { kind: 'ok', text: '已保存。' } : null;
    return columnsPage(req, reply, 200, { values: column ? valuesOf(column) : NEW_VALUES, errors: {} }, flash);
  });

  app.post('/site/columns', { config, schema: hide, preHandler: csrf }, async (req, reply) => {
    const b = (req.body ?? {}) as Query;
    const values: Record<string, string | string[]> = {};
    for (const k of ['id', ...FIELDS, 'updateEveryDays', 'sortOrder', 'active']) if (!LIST_FIELDS.includes(k)) values[k] = str(b[k], 200);
    for (const k of LIST_FIELDS) values[k] = list(b[k]).slice(0, 100);
    const id = /^\d{1,9}$/.test(String(values.id)) ? Number(values.id) : 0;
    const res = await attempt(() => {
      const input = parsed(columnBody, bodyOf(values), 'body');
      return id ? updateColumn(deps, viewerOf(req), id, input) : createColumn(deps, viewerOf(req), input);
    });
    if (res.ok) return reply.redirect(`/staff/site/columns?saved=1`, 303);
    const state = { values, errors: formFieldsOf(res.error.fields, LIST_FIELDS) };
    return columnsPage(req, reply, res.status, state, { kind: 'error', text: res.error.message });
  });

  async function leadersPage(req: FastifyRequest, reply: FastifyReply, status: number, flash?: Flash | null) {
    const [{ items }, depts, leaders] = await Promise.all([
      listLeaders(deps, viewerOf(req)),
      departmentNames(db),
      activeStaffWithRole(db, 'bureau_leader'),
    ]);
    const current = new Map(items.map((i) => [i.departmentId, i.leaderId]));
    const token = reply.generateCsrf();
    const row = (d: { id: number; name: string }) =>
      html`<tr><th scope="row">${d.name}</th><td><form method="post" action="/staff/site/leaders" class="inline">${csrfField(token)}${hidden('departmentId', d.id)}
${selectField({
  name: 'leaderId',
  label: html`<span class="visually-hidden">${d.name}的分管局领导</span>`,
  scope: `d${d.id}`,
  state: { values: { leaderId: String(current.get(d.id) ?? '') }, errors: {} },
  optionalMark: false,
  placeholder: '（未指定）',
  options: leaders.map((l) => ({ value: String(l.id), label: l.name })),
})}
<button type="submit">保存</button></form></td></tr>`;
    return renderStaff(
      req,
      reply,
      status,
      { title: '分管局领导', current: 'site-leaders', flash },
      html`<h1>分管局领导</h1>
<p>各处室的信息由分管该处室的局领导签发（第二十条（二））。只能选择具有“局领导”角色的账户；修改后，原分管领导不能再签发该处室的信息。</p>
<table class="items"><thead><tr><th scope="col">处室</th><th scope="col">分管局领导</th></tr></thead>
<tbody>${depts.filter((d) => d.active).map(row)}</tbody></table>`,
    );
  }

  app.get('/site/leaders', { config, schema: hide }, async (req, reply) =>
    leadersPage(req, reply, 200, (req.query as Query).saved ? { kind: 'ok', text: '已保存。' } : null),
  );

  app.post('/site/leaders', { config, schema: hide, preHandler: csrf }, async (req, reply) => {
    const b = (req.body ?? {}) as Query;
    const departmentId = Number(str(b.departmentId, 9));
    if (!Number.isSafeInteger(departmentId) || departmentId < 1) return staffNotFound(req, reply, '未找到该处室。');
    const res = await attempt(() =>
      setLeader(deps, viewerOf(req), departmentId, parsed(leaderBody, { leaderId: num(str(b.leaderId, 12)) }, 'body').leaderId),
    );
    if (res.ok) return reply.redirect('/staff/site/leaders?saved=1', 303);
    const text = Object.values(res.error.fields ?? {})[0] ?? res.error.message;
    return leadersPage(req, reply, res.status, { kind: 'error', text });
  });
};
