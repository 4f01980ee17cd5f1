import { parseIsoDate } from '../calendar/china-time.js';
import { buildDigests, type DigestDeps } from './service.js';

export function createDigestActivities(deps: DigestDeps) {
  return {
    isWorkingDay: (day: string) => Promise.resolve(deps.calendar.current.isWorkingDay(parseIsoDate(day)!)),
    buildDigests: (day: string) => buildDigests(deps, day),
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
