import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startHarness, type Harness } from '../support/harness.js';

// Issue 15: the review chain through the API (measures Art. 20), with Temporal unreachable: decisions are
// PostgreSQL transactions and the review workflow's signal waits in the outbox (docs/architecture.md).
let h: Harness;
const tokens: Record<string, string> = {};
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
  h.app.inject({ method, url, headers: bearer((tokens[who] ??= await h.login(who))), ...(payload ? { payload } : {}) });
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true };

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('the review chain through the API', () => {
  it('bad input is 400 with Chinese field messages, nothing stored', async () => {
    const noTitle = await call('POST', '/api/site/items', 'h-registration', { columnId: 4, contentType: 'notice', body: '正文' });
    expect(noTitle.statusCode).toBe(400);
    expect(noTitle.json().error.fields['body.title']).toMatch(/标题/);
    const columns = (await h.app.inject({ method: 'GET', url: '/api/site/columns' })).json().items;
    expect(columns.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['政务公开', '工作动态', '通知公告', '政策解读', '热点解答', '视频新闻']),
    );
  });

  it('draft → submit → department leader → bureau leader → published by the drafter → taken down by the office', async () => {
    const created = await call('POST', '/api/site/items', 'h-registration', {
      columnId: 4,
      contentType: 'notice',
      title: '关于开展计量专项检查的通知',
      body: '正文',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    const halfConfirmed = await call('POST', `/api/site/items/${id}/submit`, 'h-registration', {
      art19: { ...ART19, fitToPublishNow: false },
      secrecy: 'no_secret',
    });
    expect(halfConfirmed.statusCode).toBe(400);
    expect(halfConfirmed.json().error.fields['body.art19.fitToPublishNow']).toBe('请逐项确认第十九条的审核要求');
    const submitted = await call('POST', `/api/site/items/${id}/submit`, 'h-registration', { art19: ART19, secrecy: 'no_secret' });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const formId = submitted.json().id as number;
    const own = await call('POST', `/api/review-forms/${formId}/decision`, 'l-credit', { decision: 'approved', secrecy: 'no_secret' });
    expect(own.statusCode).toBe(404);
    const dept = await call('POST', `/api/review-forms/${formId}/decision`, 'l-registration', {
      decision: 'approved',
      secrecy: 'no_secret',
      opinion: '同意',
    });
    expect(dept.statusCode, dept.body).toBe(200);
    expect(dept.json().step).toBe('bureau_leader');
    const signed = await call('POST', `/api/review-forms/${formId}/decision`, 'leader', { decision: 'approved' });
    expect(signed.json()).toMatchObject({ status: 'approved', signed: true });
    const published = await call('POST', `/api/review-forms/${formId}/publish`, 'h-registration', {});
    expect(published.json().status).toBe('published');
    const item = await call('GET', `/api/site/items/${id}`, 'office');
    expect(item.json()).toMatchObject({ state: 'published', publishedVersion: 1 });
    expect(item.json().firstPublishedAt).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const noReason = await call('POST', `/api/site/items/${id}/take-down`, 'office', { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const down = await call('POST', `/api/site/items/${id}/take-down`, 'office', { reason: '内容已过时' });
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toMatchObject({ state: 'taken_down', takedownReason: '内容已过时' });
  });
});
