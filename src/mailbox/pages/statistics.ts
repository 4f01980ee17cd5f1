import type { FastifyPluginAsync } from 'fastify';
import { viewerOf } from '../../auth/viewer.js';
import { html, type SafeHtml } from '../../web/html.js';
import { page } from '../../web/layout.js';
import { hide, sendPage } from '../../web/request.js';
import { statisticsQuery, type StatisticsReport } from '../schemas.js';
import { mailboxStatistics } from '../service/statistics.js';
import { MIN_LETTERS_FOR_RATES } from '../statistics-rules.js';

type Figures = StatisticsReport['total'];

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const days = (v: number | null) => (v === null ? '—' : v.toFixed(2));

function row(name: string, f: Figures): SafeHtml {
  const s = f.satisfactionShares;
  return html`<tr><th scope="row">${name}</th><td>${f.received}</td><td>${f.answered}</td><td>${f.answeredWithinLimit}</td>
<td>${percent(f.answeredWithinLimitRate)}</td><td>${days(f.averageWorkingDaysToAnswer)}</td><td>${f.transferred}</td><td>${f.arbitrated}</td>
<td>${f.satisfaction.rated}</td><td>${percent(s?.satisfied ?? null)}</td><td>${percent(s?.basicallySatisfied ?? null)}</td><td>${percent(s?.dissatisfied ?? null)}</td>
<td>${f.published}</td></tr>`;
}

/** The public statistics page: what GET /api/mailbox/statistics answers, as a table (issue #14 point 8). */
export const statisticsPages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env } = app.ctx;
  const rateLimit = { max: env.RATE_STATISTICS_PER_MINUTE, timeWindow: '1 minute' };
  app.get('/mailbox/statistics', { config: { access: 'public', rateLimit }, schema: hide }, async (req, reply) => {
    const parsed = statisticsQuery.safeParse(req.query);
    const query = parsed.success ? parsed.data : {};
    const report = await mailboxStatistics({ db, calendar }, viewerOf(req), query);
    const body = html`<h1>局长信箱办理情况统计</h1>
<p>统计期间：${report.period.label}（按北京时间）。数据按信件办理记录实时统计。</p>
${parsed.success ? '' : html`<p class="form-error" role="alert">查询条件有误，已显示本年度统计。</p>`}
<div class="table-wrap"><table class="stats">
<thead><tr><th scope="col">处室</th><th scope="col">收到来信</th><th scope="col">已答复</th><th scope="col">按期答复</th><th scope="col">按期答复率</th>
<th scope="col">平均答复用时（工作日）</th><th scope="col">转办</th><th scope="col">办公室协调</th><th scope="col">满意度评价</th>
<th scope="col">满意</th><th scope="col">基本满意</th><th scope="col">不满意</th><th scope="col">公开答复</th></tr></thead>
<tbody>${report.departments.map((d) => row(d.departmentName, d))}</tbody>
<tfoot>${row('全局合计', report.total)}</tfoot>
</table></div>
<p class="hint">收到来信不足 ${MIN_LETTERS_FOR_RATES} 件的处室只显示件数，比率和平均用时显示为“—”：件数太少时比率说明不了问题，也可能指向具体来信人。</p>`;
    return sendPage(reply, 200, page({ title: '办理情况统计', area: 'public', current: 'statistics' }, body));
  });
};
