import { describe, expect, it } from 'vitest';
import { ROW_KEYS, cellKey } from '../../src/annual-report/rules.js';
import type { ReportView } from '../../src/annual-report/schemas.js';
import { reportSiteBody } from '../../src/annual-report/site-body.js';
import { renderBody } from '../../src/publishing/body.js';

// Issue 18 point 4: the site item's body of an approved report — the six sections of 国办公开办函〔2021〕30号 in
// order, table 三's 25 rows with their figures, the office's texts shown as typed (Markdown marks escaped, since item
// bodies are Markdown with raw HTML off).
const view = {
  year: 2026,
  texts: { overview: '第一段。\n# 不是标题 *不是强调* <b>不是标签</b>\n1. 不是列表', problems: '', other: '无。' },
  active: { rules_issued: 0, normative_issued: 2, fees_amount: 1.5 },
  table: { [cellKey('new', 'natural_person')]: 5, [cellKey('new', 'total')]: 24, [cellKey('carried_out', 'total')]: 3 },
  remedies: { 'reconsideration:total': 1 },
} as unknown as ReportView;

describe('the annual report as a site item body (issue 18 point 4)', () => {
  const md = reportSiteBody(view);
  const out = renderBody(md);
  it('has the six sections in the format’s order', () => {
    const headings = [...out.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual([
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);
  });
  it('draws table 三 with one line per row (25) and the figures in their cells', () => {
    const table3 = out.split('<table>')[2]!.split('</table>')[0]!;
    expect([...table3.matchAll(/<tr>/g)]).toHaveLength(ROW_KEYS.length + 1);
    expect(ROW_KEYS).toHaveLength(25);
    expect(table3).toContain('<td>一、本年新收政府信息公开申请数量</td>\n<td>5</td>');
    expect(table3).toContain('<td>（三）不予公开 1.属于国家秘密</td>');
    expect(table3).toMatch(/<td>四、结转下年度继续办理<\/td>(\n<td>0<\/td>){6}\n<td>3<\/td>/);
  });
  it('shows the office’s text as typed: no heading, emphasis, list or tag made from it, an empty section as （无）', () => {
    expect(out).toContain('<p>第一段。</p>\n<p># 不是标题 *不是强调* &lt;b&gt;不是标签&lt;/b&gt;</p>\n<p>1. 不是列表</p>');
    expect(out).not.toContain('<em>');
    expect(out).not.toContain('<ol>');
    expect(out).toContain('<h2>五、存在的主要问题及改进情况</h2>\n<p>（无）</p>');
    expect(out).toContain('<td>行政规范性文件</td>\n<td>本年制发件数</td>\n<td>2</td>');
    expect(out).toContain('<td>规章</td>\n<td>本年废止件数</td>\n<td>—</td>');
  });
});
