// What the daily digest (src/digest) needs of the mailbox: the letters open at the digest instant,
// who handles and who assists on each, and the facts the digest reports (transfer open to dispute,
// opinion still owed, waiting for the general office since when). The digest reads letters only
// through this function, never the mailbox's tables.
import { and, inArray, lte } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { OPEN_STATUSES, type LetterStatus, type LetterType } from '../case-rules.js';
import { letterEvents, letters } from '../tables.js';

/** Events that put a letter before the general office (its arbitration queue). */
const ARBITRATION_ENTRY = ['disputed', 'escalated', 'transfer_disputed', 'rejection_requested'];

export interface DigestFeedLetter {
  trackingNo: string;
  subject: string;
  type: LetterType;
  status: LetterStatus;
  /** The department that handles it now (the lead department after arbitration). */
  departmentId: number;
  assistingDepartmentIds: number[];
  /** Assisting departments that have not yet given their opinion (while the letter is processing). */
  opinionOwedBy: number[];
  /** A transfer the handling department may still dispute. */
  transferred: boolean;
  receivedAt: Date;
  dueDate: string;
  dueAt: Date;
  /** When the letter last went before the general office (in arbitration only). */
  inArbitrationSince: Date | null;
}

/**
 * Every letter open (processing or in arbitration) and received by `at`, for system code only (the
 * digest activity): no viewer, no permission check. Two statements whatever the number of letters.
 */
export async function openLettersForDigest(db: Executor, at: Date): Promise<DigestFeedLetter[]> {
  const openAt = and(inArray(letters.status, [...OPEN_STATUSES]), lte(letters.receivedAt, at));
  const open = await db
    .select({
      id: letters.id,
      trackingNo: letters.trackingNo,
      subject: letters.subject,
      type: letters.type,
      status: letters.status,
      departmentId: letters.departmentId,
      assisting: letters.assistingDepartmentIds,
      transferredFrom: letters.transferredFromDepartmentId,
      receivedAt: letters.receivedAt,
      dueDate: letters.dueDate,
      dueAt: letters.dueAt,
    })
    .from(letters)
    .where(openAt);
  if (open.length === 0) return [];
  const events = await db
    .select({ letterId: letterEvents.letterId, kind: letterEvents.kind, departmentId: letterEvents.departmentId, at: letterEvents.at })
    .from(letterEvents)
    // A subquery, not a list of ids: one bound parameter per open letter would fail past 65,535.
    .where(
      and(
        inArray(letterEvents.letterId, db.select({ id: letters.id }).from(letters).where(openAt)),
        inArray(letterEvents.kind, [...ARBITRATION_ENTRY, 'opinion']),
      ),
    );
  const opinionsGiven = new Set(events.filter((e) => e.kind === 'opinion').map((e) => `${e.letterId}:${e.departmentId}`));
  const arbitrationSince = new Map<number, Date>();
  for (const e of events) {
    const latest = arbitrationSince.get(e.letterId);
    if (ARBITRATION_ENTRY.includes(e.kind) && !(latest && latest > e.at)) arbitrationSince.set(e.letterId, e.at);
  }
  return open.map((l) => ({
    trackingNo: l.trackingNo,
    subject: l.subject,
    type: l.type,
    status: l.status,
    departmentId: l.departmentId,
    assistingDepartmentIds: l.assisting,
    opinionOwedBy: l.status === 'processing' ? l.assisting.filter((d) => !opinionsGiven.has(`${l.id}:${d}`)) : [],
    transferred: l.transferredFrom !== null,
    receivedAt: l.receivedAt,
    dueDate: l.dueDate,
    dueAt: l.dueAt,
    inArbitrationSince: l.status === 'in_arbitration' ? (arbitrationSince.get(l.id) ?? l.receivedAt) : null,
  }));
}
