import type { FastifyPluginAsync } from 'fastify';
import { CASE_VIEWERS, DEPARTMENT_STAFF } from '../../auth/roles.js';
import { viewerOf } from '../../auth/viewer.js';
import { departmentNames } from '../../departments/service.js';
import { selectField, textField, type FormState, type Option } from '../../web/fields.js';
import { html, raw } from '../../web/html.js';
import { cnDate } from '../../web/labels.js';
import { hasRole } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, intOrUndefined, renderStaff, str, type Query } from '../../web/request.js';
import { caseListQuery, letterTypes } from '../schemas.js';
import { listCases } from '../service/case-reads.js';
import { badge, codeOptions, deptOptions } from './case-forms.js';
import { statusLabel, typeLabel, TYPE_LABELS } from './labels.js';

const STATUS_CHOICES = { processing: '办理中', in_arbitration: '办公室协调中', answered: '已答复', rejected: '不予受理' };

/** The workbench: the cases the viewer may see, filtered, in keyset pages of 50. */
export const workbenchPages: FastifyPluginAsync = async (app) => {
  const { db, calendar } = app.ctx;

  app.get('/cases', { config: { access: CASE_VIEWERS }, schema: hide }, async (req, reply) => {
    const q = req.query as Query;
    const staff = req.staff!;
    const wide = !hasRole(staff, DEPARTMENT_STAFF) || hasRole(staff, ['office']);
    const filters = {
      status: Object.hasOwn(STATUS_CHOICES, str(q.status)) ? str(q.status) : '',
      type: (letterTypes as readonly string[]).includes(str(q.type)) ? str(q.type) : '',
      overdue: ['true', 'false'].includes(str(q.overdue)) ? str(q.overdue) : '',
      q: str(q.q, 100).trim(),
      departmentId: wide ? String(intOrUndefined(q.departmentId) ?? '') : '',
    };
    // Keyset pages: `after` is the list's opaque cursor, passed through as is (the query schema checks it).
    const after = str(q.after, 100);
    const params: Record<string, string> = { limit: '50' };
    for (const [k, v] of Object.entries(filters)) if (v) params[k] = v;
    if (after) params.after = after;
    const res = await attempt(() => listCases({ db, calendar }, viewerOf(req), parsed(caseListQuery, params, 'querystring')));
    const rows = res.ok ? res.data.items : [];
    const next = res.ok ? res.data.nextCursor : null;
    const depts = await departmentNames(db);
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
    const failure = res.ok ? null : (res.error.fields?.['querystring.after'] ?? res.error.message);
    const overdueOptions = [
      { value: 'true', label: '已超期' },
      { value: 'false', label: '未超期' },
    ];
    const select = (name: string, label: string, placeholder: string, options: Option[]) =>
      selectField({ name, label, state, optionalMark: false, placeholder, options });
    const card = (c: (typeof rows)[number]) => {
      const readOnly = c.readOnly ? html` · <span class="tag">仅查看</span>` : '';
      const meta = html`${typeLabel(c.type)} · ${c.departmentName} · ${statusLabel(c.status)} · 答复期限 ${cnDate(c.dueDate)}${readOnly}`;
      return html`<li class="case-card${c.readOnly ? ' read-only' : ''}">
<div class="case-head"><a class="case-title" href="/staff/cases/${c.trackingNo}">${c.subject}</a>${badge(c)}</div>
<p class="case-meta"><span class="code">${c.trackingNo}</span> · ${meta}</p>
</li>`;
    };
    const count =
      rows.length === 0 ? (after && res.ok ? '后面没有更多信件了。' : '没有符合条件的信件。') : `本页 ${rows.length} 件，按答复期限排序。`;
    const first = after ? html`<a href="${pageLink()}">回到第一页</a>` : '';
    const pager = html`${first}${next ? html`<a href="${pageLink(next)}" rel="next">下一页</a>` : ''}`;
    const summary = html`筛选和搜索${activeFilters > 0 ? `（已设 ${activeFilters} 项条件）` : ''}`;
    const opts = { title: '工作台', current: 'cases', flash: failure ? { kind: 'error' as const, text: failure } : null };
    return renderStaff(
      req,
      reply,
      res.ok ? 200 : res.status,
      opts,
      html`<h1>工作台${myDept ? html`<span class="sub">${myDept}</span>` : ''}</h1>
<details class="block"${activeFilters > 0 ? raw(' open') : ''}><summary>${summary}</summary>
<form method="get" action="/staff/cases" class="filters" role="search" aria-label="筛选信件">
${select('status', '状态', '全部状态', codeOptions(STATUS_CHOICES))}
${select('type', '类型', '全部类型', codeOptions(TYPE_LABELS))}
${select('overdue', '是否超期', '不限', overdueOptions)}
${wide ? select('departmentId', '承办处室', '全部处室', deptOptions(depts)) : ''}
${textField({ name: 'q', label: '搜索标题或内容', type: 'search', state, optionalMark: false, maxlength: 100 })}
<div class="actions"><button type="submit">筛选</button> <a href="/staff/cases">清除条件</a></div>
</form></details>
<p class="count" role="status">${count}</p>
<ol class="cases">${rows.map(card)}</ol>
<nav class="pager" aria-label="翻页">${pager}</nav>`,
    );
  });
};
