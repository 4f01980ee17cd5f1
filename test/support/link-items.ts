import { columnBySlug } from '../../src/publishing/service/columns.js';
import { createDraft } from '../../src/publishing/service/items.js';
import { publishForm } from '../../src/publishing/service/publish.js';
import { decideStep, submitForReview } from '../../src/publishing/service/review.js';
import { decideLinkApplication, submitLinkApplication } from '../../src/links/service/applications.js';
import type { Viewer } from '../../src/auth/viewer.js';
import type { Harness } from './harness.js';

const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true } as const;

/** A 通知公告 item of 登记注册局 taken through the Art. 20 chain up to publication; the publication's promise is returned. */
export async function itemThroughChain(h: Harness, as: (u: string) => Promise<Viewer>, title: string, body: string) {
  const deps = { db: h.db, calendar: h.calendar, env: h.env };
  const column = (await columnBySlug(h.db, 'tzgg'))!;
  const item = await createDraft(deps, await as('h-registration'), {
    columnId: column.id,
    contentType: 'notice',
    title,
    summary: '',
    body,
    qaPairs: [],
    relatedItemIds: [],
  });
  const form = await submitForReview(deps, await as('h-registration'), item.id, { art19: ART19, secrecy: 'no_secret' });
  await decideStep(deps, await as('l-registration'), form.id, { decision: 'approved', opinion: '同意', secrecy: 'no_secret' });
  await decideStep(deps, await as('leader'), form.id, { decision: 'approved', opinion: '' });
  const drafter = await as('h-registration');
  return { itemId: item.id, formId: form.id, publish: () => publishForm(deps, drafter, form.id, {}) };
}

/** A link of 登记注册局 applied for, reviewed by the office and approved by the bureau leader in charge of it. */
export async function approvedLink(h: Harness, as: (u: string) => Promise<Viewer>, targetUrl: string, siteName: string, now?: Date) {
  const deps = { db: h.db, calendar: h.calendar, env: h.env };
  const a = await submitLinkApplication(
    deps,
    await as('h-registration'),
    { placement: '通知公告', targetUrl, siteName, siteOwner: siteName, purpose: '正文引用' },
    now,
  );
  await decideLinkApplication(deps, await as('office'), a.id, { decision: 'approve' }, now);
  return decideLinkApplication(deps, await as('leader'), a.id, { decision: 'approve' }, now);
}
