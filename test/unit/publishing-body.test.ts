import { describe, expect, it } from 'vitest';
import { bodyText, renderBody } from '../../src/publishing/body.js';
import { reviewRefusal, stepsFor, type ColumnFacts, type FormFacts, type Participant } from '../../src/publishing/rules.js';

// Issue 15 point 2: staff bodies are Markdown; no raw HTML from staff ever reaches the public site.
describe('item bodies (Markdown, raw HTML off)', () => {
  it('a tag typed by staff comes out as text', () => {
    const html = renderBody('通知<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });
  it('javascript: and data: links are not links; https links open safely in a new tab', () => {
    expect(renderBody('[点我](javascript:alert(1))')).not.toContain('href');
    expect(renderBody('[点我](data:text/html,x)')).not.toContain('href');
    expect(renderBody('[国务院](https://www.gov.cn/)')).toBe(
      '<p><a href="https://www.gov.cn/" rel="noopener noreferrer" target="_blank">国务院</a></p>\n',
    );
    expect(renderBody('[本站](/items/1)')).toBe('<p><a href="/items/1">本站</a></p>\n');
  });
  it('plain text keeps the words and drops the markup', () => {
    expect(bodyText('# 标题\n\n正文 **加粗** & <b>')).toBe('标题\n正文 加粗 & <b>');
  });
});

// Art. 20: the chain per column, and who may decide a step.
describe('review chain rules', () => {
  const column: ColumnFacts = {
    id: 1,
    isNews: false,
    newsNeedsBureauLeader: false,
    publisher: 'drafter',
    supplierDepartmentIds: [],
    contentTypes: ['article'],
    acceptsItems: true,
  };
  const form: FormFacts = {
    status: 'at_step',
    step: 'bureau_leader',
    steps: ['dept_leader', 'bureau_leader'],
    departmentId: 5,
    drafterId: 10,
  };
  const leader = (leads: number[]): Participant => ({
    staffId: 20,
    roles: ['bureau_leader'],
    departmentId: null,
    leadsDepartmentIds: leads,
  });
  it('steps: an article needs the bureau leader; news goes to the publicity office, the bureau leader only by setting', () => {
    expect(stepsFor(column)).toEqual(['dept_leader', 'bureau_leader']);
    expect(stepsFor({ isNews: true, newsNeedsBureauLeader: false })).toEqual(['dept_leader', 'publicity']);
    expect(stepsFor({ isNews: true, newsNeedsBureauLeader: true })).toEqual(['dept_leader', 'publicity', 'bureau_leader']);
  });
  it('only the bureau leader in charge of the department signs; the drafter never approves their own', () => {
    expect(reviewRefusal(form, column, leader([5]), { kind: 'approve' })).toBeNull();
    expect(reviewRefusal(form, column, leader([6]), { kind: 'approve' })).toEqual({
      kind: 'forbidden',
      message: '只有分管该处室的局领导可以签发',
    });
    expect(reviewRefusal(form, column, { ...leader([5]), staffId: 10 }, { kind: 'approve' })?.message).toBe('不能审核本人起草的信息');
  });
});
