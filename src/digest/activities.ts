import { log } from '@temporalio/activity';
import { parseIsoDate } from '../calendar/china-time.js';
import { deliverPending, type Mailer } from '../notifications/outbox.js';
import { buildDigests, type DigestDeps } from './build.js';

export function createDigestActivities(deps: DigestDeps & { mailer: Mailer; mailFrom: string }) {
  return {
    isWorkingDay: async (day: string) => deps.calendar.current.isWorkingDay(parseIsoDate(day)!),
    buildDigests: (day: string) => buildDigests(deps, day),
    deliverNotifications: () => deliverPending(deps.db, deps.mailer, deps.mailFrom, (m) => log.warn(m)),
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
