import { log } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { deliverPending, type Mailer } from './service.js';

/** Sends what the outbox holds; shared by the letter and digest workflows. */
export function createNotificationActivities(deps: { db: Database; mailer: Mailer; mailFrom: string }) {
  return {
    deliverNotifications: () =>
      deliverPending(deps.db, deps.mailer, deps.mailFrom, (m) => {
        log.warn(m);
      }),
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
