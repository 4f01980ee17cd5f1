// What a digest is, as pure data and rules: the tables, the builder and the e-mail all read these, so
// none of them needs another (no import cycles). No I/O.
import { addMinutes } from 'date-fns';
import { chinaMidnight } from '../calendar/china-time.js';
import { parseClock } from '../calendar/deadline.js';

/** The two kinds of digest: one per department, one for the general office. */
export const DIGEST_KINDS = ['department', 'office'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

export interface DigestLetter {
  trackingNo: string;
  subject: string;
  type: string;
  dueDate: string;
  departmentName: string;
  /** Working days past the due date (overdue lists). */
  workingDaysOverdue?: number;
  /** Working days waiting for the general office (arbitration list). */
  waitingWorkingDays?: number;
}

export interface DepartmentDigest {
  kind: 'department';
  departmentName: string;
  newLetters: DigestLetter[];
  dueToday: DigestLetter[];
  dueTomorrow: DigestLetter[];
  overdue: DigestLetter[];
  transfersWaiting: DigestLetter[];
  opinionsOwed: DigestLetter[];
}

export interface OfficeDigest {
  kind: 'office';
  departmentName: string;
  overdue: DigestLetter[];
  awaitingArbitration: DigestLetter[];
  perDepartment: { departmentId: number; name: string; open: number; overdue: number }[];
}

export type DigestContent = DepartmentDigest | OfficeDigest;

/** The instant the digest of `day` (days since epoch, a China date) is taken: DIGEST_TIME, China time. */
export const digestInstant = (day: number, digestTime: string) => addMinutes(chinaMidnight(day), parseClock(digestTime));

/** How many letters a digest lists (the office's per-department counts are not items). */
export const itemCount = (c: DigestContent) =>
  c.kind === 'office'
    ? c.overdue.length + c.awaitingArbitration.length
    : c.newLetters.length + c.dueToday.length + c.dueTomorrow.length + c.overdue.length + c.transfersWaiting.length + c.opinionsOwed.length;
