import { eq, like } from 'drizzle-orm';
import { notifications } from '../../src/notifications/tables.js';
import { disclosureRequests } from '../../src/requests/tables.js';
import type { Harness } from './harness.js';

/** A disclosure request's row, as the workflow tests read it after each step. */
export const requestRow = async (h: Harness, id: number) =>
  (await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, id)))[0]!;

/** The dedupe keys of every notice the request's workflow queued (request-<id>:reminder|overdue:<date>), sorted. */
export const requestNoticeKeys = async (h: Harness, requestId: number) =>
  (
    await h.db
      .select()
      .from(notifications)
      .where(like(notifications.dedupeKey, `request-${requestId}:%`))
  )
    .map((n) => n.dedupeKey)
    .sort();
