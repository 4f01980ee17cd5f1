import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import { TRACKING_NO_PATTERN } from '../../mailbox/codes.js';
import { textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { shortTime } from '../../web/labels.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, intOrUndefined, renderStaff, str, type Query } from '../../web/request.js';
import { auditQuery, type AuditEntry } from '../schemas.js';
import { AUDIT_PERMISSIONS, searchAudit } from '../service.js';

const KEYS = ['recordType', 'recordId', 'actor', 'action', 'from', 'to'] as const;
const PAGE_SIZE = 100;
const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 2));

function entryItem(e: AuditEntry) {
  const isLetter = e.recordType === 'letter' && TRACKING_NO_PATTERN.test(e.recordId);
  const record = isLetter ? html`<a href="/staff/cases/${e.recordId}">${e.recordId}</a>` : e.recordId;
  const who = html`${e.actorUsername ?? '—'}${e.actorRole ? `（${e.actorRole}）` : ''}`;
  const before = e.before != null && html`<p>之前：</p><pre>${json(e.before)}</pre>`;
  const after = e.after != null && html`<p>之后：</p><pre>${json(e.after)}</pre>`;
  return html`<li>
<p class="when"><time datetime="${e.at}">${shortTime(formatChinaDateTime(new Date(e.at)))}</time> <span class="code">${e.action}</span></p>
<p>${who} · ${e.recordType} ${record}${e.ip ? ` · ${e.ip}` : ''}</p>
${(e.before != null || e.after != null) && html`<details><summary>变更内容</summary>${before}${after}</details>`}
</li>`;
}

/** The audit trail, searched as GET /api/audit searches it, 100 entries a page. */
export const auditPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;

  app.get('/audit', { config: { access: AUDIT_PERMISSIONS.read }, schema: hide }, async (req, reply) => {
    const q = req.query as Query;
    const values: Record<string, string> = {};
    for (const k of KEYS) values[k] = str(q[k], 100).trim();
    const params: Record<string, string> = { limit: String(PAGE_SIZE) };
    for (const k of KEYS) if (values[k]) params[k] = values[k];
    const beforeId = intOrUndefined(q.beforeId);
    if (beforeId) params.beforeId = String(beforeId);
    const res = await attempt(() => searchAudit({ db }, viewerOf(req), parsed(auditQuery, params, 'querystring')));
    const rows = res.ok ? res.data : [];
    const state: FormState = { values, errors: res.ok ? {} : formFieldsOf(res.error.fields) };
    const more = new URLSearchParams();
    for (const k of KEYS) if (values[k]) more.set(k, values[k]);
    if (rows.length === PAGE_SIZE) more.set('beforeId', String(rows[rows.length - 1]!.id));
    const field = (name: string, label: string, extra: { maxlength?: number; hint?: string; type?: 'date' }) =>
      textField({ optionalMark: false, name, label, state, ...extra });
    const flash = res.ok ? null : { kind: 'error' as const, text: res.error.message };
    const count = rows.length === 0 ? '没有符合条件的记录。' : `显示 ${rows.length} 条，最新的在前。`;
    const older =
      rows.length === PAGE_SIZE &&
      html`<nav class="pager" aria-label="翻页"><a href="/staff/audit?${more.toString()}">更早的记录</a></nav>`;
    return renderStaff(
      req,
      reply,
      res.ok ? 200 : res.status,
      { title: '审计日志', current: 'audit', flash },
      html`<h1>审计日志</h1>
<form method="get" action="/staff/audit" class="filters" role="search" aria-label="查询审计日志">
${field('recordType', '记录类型', { maxlength: 50, hint: '如 letter、staff、calendar_year' })}
${field('recordId', '记录编号', { maxlength: 100, hint: '如受理编号' })}
${field('actor', '操作人用户名', { maxlength: 100 })}
${field('action', '操作', { maxlength: 100, hint: '如 letter.transfer、auth.login' })}
${field('from', '起始日期', { type: 'date' })}
${field('to', '截止日期', { type: 'date' })}
<div class="actions"><button type="submit">查询</button> <a href="/staff/audit">清除条件</a></div>
</form>
<p class="count" role="status">${count}</p>
<ol class="audit">${rows.map(entryItem)}</ol>
${older}`,
    );
  });
};
