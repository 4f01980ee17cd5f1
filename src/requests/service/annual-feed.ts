// What the annual disclosure report (src/annual-report, issue 18) needs of disclosure requests: per request
// received by the end of a year and not concluded before it began, the applicant type, the receipt instant,
// the conclusion date and the outcome. The report reads requests only through these functions.
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import type { ApplicantType, RequestOutcome } from '../outcomes.js';
import { REQUEST_READERS, REQUEST_STATUS_LABELS, type RequestStatus } from '../rules.js';
import { disclosureRequestEvents, disclosureRequests } from '../tables.js';

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
  const out: AnnualFeedRequest[] = [];
  // In slices: one statement's parameters are limited (65,535), a year's cell is not.
  for (let i = 0; i < numbers.length; i += 5000) {
    const rows = await db
      .select()
      .from(disclosureRequests)
      .where(and(inArray(disclosureRequests.number, numbers.slice(i, i + 5000)), isNotNull(disclosureRequests.receivedAt)));
    out.push(...rows.map(viewOf));
  }
  return out;
}

/** One request's current facts by its id, for the report's correction notes. */
export async function requestForAnnualReport(db: Executor, viewer: Viewer, id: number) {
  demand(viewer, viewerHolds(viewer, REQUEST_READERS));
  const [row] = await db.select().from(disclosureRequests).where(eq(disclosureRequests.id, id));
  return row?.receivedAt ? viewOf(row) : undefined;
}

/**
 * The 信息处理费 paid in `year` (国办函〔2020〕109号): per fee notice paid — its fee_paid event dated in the year
 * (China date) — the amount its notice computed. For the annual report's sentences (issue 18 point 1).
 */
export async function feesPaidInYear(db: Executor, viewer: Viewer, year: number): Promise<{ requests: number; amountYuan: number }> {
  demand(viewer, viewerHolds(viewer, REQUEST_READERS));
  const rows = await db
    .select({
      requestId: disclosureRequestEvents.requestId,
      kind: disclosureRequestEvents.kind,
      on: disclosureRequestEvents.on,
      fee: disclosureRequestEvents.fee,
    })
    .from(disclosureRequestEvents)
    .where(inArray(disclosureRequestEvents.kind, ['fee_notified', 'fee_paid']))
    .orderBy(asc(disclosureRequestEvents.requestId), asc(disclosureRequestEvents.id));
  // A payment pays the latest notice before it (one notice open at a time: clock-rules.ts).
  const lastNotice = new Map<number, number>();
  const paid = new Set<number>();
  let amountYuan = 0;
  for (const r of rows) {
    if (r.kind === 'fee_notified') lastNotice.set(r.requestId, r.fee?.calculation.amountYuan ?? 0);
    else if (r.on >= `${year}-01-01` && r.on <= `${year}-12-31` && lastNotice.has(r.requestId)) {
      amountYuan += lastNotice.get(r.requestId)!;
      paid.add(r.requestId);
      lastNotice.delete(r.requestId);
    }
  }
  return { requests: paid.size, amountYuan: Math.round(amountYuan * 100) / 100 };
}
