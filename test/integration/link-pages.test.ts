import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { fieldError, PageBrowser } from '../support/page-browser.js';

// Measures Art. 24 and Art. 27(二) through the staff pages, no script: the department fills the 外部链接审核表,
// the office reviews (a non-government target flagged), the bureau leader in charge of the office approves.

let h: Harness;
class Browser extends PageBrowser {
  constructor() {
    super(() => h);
  }
}
const form = {
  placement: '首页 · 友情链接',
  targetUrl: 'https://mall.example.com/',
  siteName: '某商城',
  siteOwner: '某公司',
  purpose: '便民购物',
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('Art. 24 the 外部链接审核表 on the staff pages', () => {
  it('apply (justification required for a non-government site) → office review (flagged) → leader approval → approved in the list', async () => {
    const dept = await new Browser().login('h-registration');
    const missing = await dept.submit('/staff/links', '/staff/links', form);
    expect(missing.statusCode).toBe(400);
    expect(fieldError(missing.body, 'f-justification')).toContain('链接到非政府网站须说明理由');
    expect(missing.body).toContain('value="https://mall.example.com/"');

    const sent = await dept.submit('/staff/links', '/staff/links', { ...form, justification: '省政府合作的便民平台' });
    expect(sent.statusCode).toBe(303);
    const url = sent.headers.location!.split('?')[0]!;
    const id = Number(url.split('/').pop());

    const office = await new Browser().login('office');
    const review = await office.get(url);
    expect(review.body).toContain('注意：目标不是政府网站');
    expect(review.body).toContain('<button type="submit" name="decision" value="return">退回</button>');
    const noReason = await office.submit(url, `${url}/decision`, { decision: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect((await office.submit(url, `${url}/decision`, { decision: 'approve', reason: '理由充分' })).statusCode).toBe(303);

    const leader = await new Browser().login('leader');
    expect((await leader.submit(url, `${url}/decision`, { decision: 'approve' })).statusCode).toBe(303);
    const list = await dept.get('/staff/links');
    expect(list.body).toMatch(new RegExp(`data-application="${id}" data-status="approved"`));
    expect(list.body).toContain('已批准（可上线）');
    const checks = await office.get('/staff/links/checks');
    expect(checks.statusCode).toBe(200);
    expect(checks.body).toContain('链接检测');
  });
});
