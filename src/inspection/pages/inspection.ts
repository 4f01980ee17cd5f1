import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { cnDate } from '../../web/labels.js';
import { attempt, parsed } from '../../web/outcome.js';
import { historyQuery } from '../schemas.js';
import { hide, renderStaff, str, type Query } from '../../web/request.js';
import {
  INDICATORS,
  INDICATOR_KEYS,
  INSPECTION_READERS,
  STATUS_LABELS,
  type IndicatorResult,
  type IndicatorStatus,
  type InspectionReport,
} from '../rules.js';
import { inspectionHistory, latestInspection } from '../service/index.js';

const BADGE: Record<IndicatorStatus, string> = { green: 'badge-ok', amber: 'badge-soon', red: 'badge-late', not_measured: 'badge-closed' };
const badge = (s: IndicatorStatus) => html`<span class="badge ${BADGE[s]}">${STATUS_LABELS[s]}</span>`;

function drillDown(r: IndicatorResult) {
  if (r.columns && r.columns.length > 0) {
    const rows = r.columns.map(
      (c) =>
        html`<tr><th scope="row"><a href="/columns/${c.slug}">${c.name}</a></th><td>${c.kind}</td><td>${c.lastUpdateDay ? cnDate(c.lastUpdateDay) : '从未发布'}</td><td>${c.daysSince ?? '—'}</td><td>${c.rule}</td></tr>`,
    );
    return html`<details><summary>涉及栏目（${r.columns.length} 个）</summary><div class="scroll-x" tabindex="0" role="region" aria-label="${r.label}涉及的栏目"><table>
<thead><tr><th scope="col">栏目</th><th scope="col">类别</th><th scope="col">最近更新</th><th scope="col">距今天数</th><th scope="col">要求</th></tr></thead>
<tbody>${rows}</tbody></table></div></details>`;
  }
  if (r.letters && r.letters.length > 0) {
    const rows = r.letters.map(
      (l) =>
        html`<tr><th scope="row"><a href="/staff/cases/${l.trackingNo}">${l.trackingNo}</a></th><td>${l.departmentName}</td><td>${cnDate(l.receivedDay)}</td><td>${l.daysOpen}</td></tr>`,
    );
    return html`<details><summary>超过 2 个月未答复的信件（最早的 ${r.letters.length} 件）</summary><div class="scroll-x" tabindex="0" role="region" aria-label="超过 2 个月未答复的信件"><table>
<thead><tr><th scope="col">编号</th><th scope="col">承办处室</th><th scope="col">收信日期</th><th scope="col">已历天数</th></tr></thead>
<tbody>${rows}</tbody></table></div></details>`;
  }
  if (r.links && r.links.length > 0) {
    const rows = r.links.map(
      (l) =>
        html`<tr><th scope="row">${l.url}</th><td>${l.onHome ? '首页' : '其他页面'}</td><td>${l.error ?? ''}</td><td>${l.fixBy ? cnDate(l.fixBy) : '—'}</td></tr>`,
    );
    return html`<details><summary>不可用的链接（${r.links.length} 个，<a href="/staff/links/checks?broken=true">全部</a>）</summary><div class="scroll-x" tabindex="0" role="region" aria-label="不可用的链接"><table>
<thead><tr><th scope="col">链接</th><th scope="col">位置</th><th scope="col">原因</th><th scope="col">修复期限</th></tr></thead>
<tbody>${rows}</tbody></table></div></details>`;
  }
  if (r.probeDays && r.probeDays.length > 0) {
    const rows = r.probeDays.map((d) => html`<tr><th scope="row">${cnDate(d.day)}</th><td>${d.probes}</td><td>${d.failures}</td></tr>`);
    return html`<details><summary>每日探测（${r.probeDays.length} 天）</summary><div class="scroll-x" tabindex="0" role="region" aria-label="首页可用性每日探测"><table>
<thead><tr><th scope="col">日期</th><th scope="col">探测次数</th><th scope="col">15 秒内未打开</th></tr></thead>
<tbody>${rows}</tbody></table></div></details>`;
  }
  return null;
}

const indicatorCard = (r: IndicatorResult) => html`<section class="indicator indicator-${r.status}" data-indicator="${r.key}">
<h2>${r.label} ${badge(r.status)}</h2>
<p class="meta">${r.effect} · 阈值：${r.threshold}${INDICATORS[r.key].amber !== '—' ? html` · 预警：${INDICATORS[r.key].amber}` : null}</p>
<p><strong>${r.value}</strong> — ${r.cause}</p>
${drillDown(r)}
</section>`;

const verdict = (rep: InspectionReport) =>
  rep.vetoed
    ? html`<p class="notice" role="status">有单项否决指标不达标：按国办秘函〔2019〕19号，网站检查将直接判为不合格。</p>`
    : html`<p class="count" role="status">单项否决指标均未触及（不达标 ${rep.red} 项，接近阈值 ${rep.amber} 项）。</p>`;

/** The dashboard (live) and the history of stored days, for the office and the service centre. */
export const inspectionPages: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;

  app.get('/inspection', { config: { access: INSPECTION_READERS }, schema: hide }, async (req, reply) => {
    const rep = await latestInspection({ db }, viewerOf(req));
    return renderStaff(
      req,
      reply,
      200,
      { title: '网站日常检查', current: 'inspection' },
      html`<h1>网站日常检查<span class="sub">${cnDate(rep.day)}</span></h1>
<p class="meta">按国办秘函〔2019〕19号政府网站检查指标，依据本系统的记录即时计算。<a href="/staff/inspection/history">历史记录</a> · <a href="/staff/inspection/findings">检查问题（格式指导、撤除通知）</a></p>
${verdict(rep)}
${(rep.flags ?? []).map((f) => html`<p class="notice" role="alert" data-flag="${f.key}"><strong>${f.label}</strong>：${f.cause}。<a href="/staff/annual-reports">年度报告</a></p>`)}
${rep.results.map(indicatorCard)}`,
    );
  });

  app.get('/inspection/history', { config: { access: INSPECTION_READERS }, schema: hide }, async (req, reply) => {
    const q = req.query as Query;
    const from = str(q.from, 20) || undefined;
    const to = str(q.to, 20) || undefined;
    const res = await attempt(async () => inspectionHistory({ db }, viewerOf(req), parsed(historyQuery, { from, to }, 'querystring')));
    const state: FormState = {
      values: { from: from ?? (res.ok ? res.data.from : ''), to: to ?? (res.ok ? res.data.to : '') },
      errors: res.ok ? {} : (res.error.fields ?? {}),
    };
    const days = res.ok ? res.data.days : [];
    const head = INDICATOR_KEYS.map((k) => html`<th scope="col">${INDICATORS[k].label}</th>`);
    const rows = days.map(
      (d) =>
        html`<tr><th scope="row">${d.day}</th><td>${d.vetoed ? '是' : '否'}</td>${INDICATOR_KEYS.map((k) => {
          const r = d.results.find((x) => x.key === k);
          return html`<td>${r ? html`${badge(r.status)} ${r.status === 'not_measured' ? '' : r.value}` : '—'}</td>`;
        })}</tr>`,
    );
    const csv = res.ok ? `/api/inspection/history.csv?from=${res.data.from}&to=${res.data.to}` : null;
    const flash = res.ok ? null : { kind: 'error' as const, text: res.error.message };
    return renderStaff(
      req,
      reply,
      res.ok ? 200 : res.status,
      { title: '网站日常检查历史', current: 'inspection', flash },
      html`<h1>网站日常检查历史</h1>
<form method="get" action="/staff/inspection/history" class="filters">
${textField({ name: 'from', label: '起始日期', type: 'date', state, optionalMark: false })}
${textField({ name: 'to', label: '结束日期', type: 'date', state, optionalMark: false })}
<div class="actions"><button type="submit">查看</button>${csv ? html` <a href="${csv}">导出 CSV</a>` : null}</div>
</form>
${days.length === 0 ? html`<p class="count" role="status">该时间段没有检查记录（每个工作日生成每日提醒时检查一次）。</p>` : html`<div class="scroll-x" tabindex="0" role="region" aria-label="每日检查结果"><table><thead><tr><th scope="col">日期</th><th scope="col">单项否决</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`}`,
    );
  });
};
