// What the annual disclosure report (src/annual-report, issue 18) needs of disclosure requests: per request
// received by the end of a year and not concluded before it began, the applicant type, the receipt instant,
// the conclusion date and the outcome. The report reads requests only through these functions.
import { and, eq, gte, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import type { ApplicantType, RequestOutcome } from '../outcomes.js';
import { REQUEST_READERS, REQUEST_STATUS_LABELS, type RequestStatus } from '../rules.js';
import { disclosureRequests } from '../tables.js';

export interface AnnualFeedRequest {
  id: number;
  number: string;
  applicantType: ApplicantType;
  applicantName: string;
  receivedAt: Date;
  receivedOn: string;
  concludedOn: string | null;
  outcome: RequestOutcome | null;
  status: RequestStatus;
  statusLabel: string;
  withdrawn: boolean;
}

const viewOf = (r: typeof disclosureRequests.$inferSelect): AnnualFeedRequest => ({
  id: r.id,
  number: r.number,
  applicantType: r.applicantType,
  applicantName: r.applicantName,
  receivedAt: r.receivedAt!,
  receivedOn: r.receivedOn!,
  concludedOn: r.concludedOn,
  outcome: r.outcome,
  status: r.status,
  statusLabel: REQUEST_STATUS_LABELS[r.status],
  withdrawn: r.status === 'withdrawn',
});

/**
 * Every request that can appear in `year`'s table 三: received (条例 Art. 31) by 31 December and not concluded
 * before 1 January. Requests awaiting confirmation have no receipt date and are not counted. One statement.
 */
export async function requestsForAnnualReport(db: Executor, viewer: Viewer, year: number): Promise<AnnualFeedRequest[]> {
  demand(viewer, viewerHolds(viewer, REQUEST_READERS));
  const rows = await db
    .select()
    .from(disclosureRequests)
    .where(
      and(
        isNotNull(disclosureRequests.receivedAt),
        lte(disclosureRequests.receivedOn, `${year}-12-31`),
        or(isNull(disclosureRequests.concludedOn), gte(disclosureRequests.concludedOn, `${year}-01-01`)),
      ),
    )
    .orderBy(disclosureRequests.number);
  return rows.map(viewOf);
}

/** Requests by number (the report's remedy records name the request they concern). */
export async function requestsByNumber(db: Executor, viewer: Viewer, numbers: string[]): Promise<AnnualFeedRequest[]> {
  demand(viewer, viewerHolds(viewer, REQUEST_READERS));
  if (numbers.length === 0) return [];
  const rows = await db
    .select()
    .from(disclosureRequests)
    .where(and(inArray(disclosureRequests.number, numbers), isNotNull(disclosureRequests.receivedAt)));
  return rows.map(viewOf);
}

/** One request's current facts by its id, for the report's correction notes. */
export async function requestForAnnualReport(db: Executor, viewer: Viewer, id: number) {
  demand(viewer, viewerHolds(viewer, REQUEST_READERS));
  const [row] = await db.select().from(disclosureRequests).where(eq(disclosureRequests.id, id));
  return row?.receivedAt ? viewOf(row) : undefined;
}
