// What the request pages read beyond the API's views (src/requests/pages): the staff list with the
// holding department, the step and the working days left, scoped to the viewer; and the applicant's
// lookup with the events the applicant is told of and whether the answer is signed.
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { parseIsoDate } from '../../calendar/china-time.js';
import { departmentNames } from '../../departments/service.js';
import type { ConsultedParty } from '../clock-rules.js';
import type { RequestOutcome } from '../outcomes.js';
import { HANDLING_STEP_LABELS } from '../routing-rules.js';
import { REQUEST_LIST_VIEWERS, REQUEST_READERS, type RequestStatus } from '../rules.js';
import { disclosureRequests } from '../tables.js';
import { chinaToday, eventsOf, type EventRow } from './clock.js';
import type { RequestDeps } from './deps.js';
import { lookUpRequest } from './reads.js';

export interface StaffListItem {
  id: number;
  number: string;
  channel: (typeof disclosureRequests.$inferSelect)['channel'];
  status: RequestStatus;
  applicantName: string;
  receivedOn: string | null;
  deadline: string | null;
  /** Working days after today up to the deadline (negative once past); null without a running deadline. */
  workingDaysLeft: number | null;
  stepLabel: string | null;
  departmentName: string | null;
}

/** The requests for the staff list, newest first, optionally of one status; department staff see only their department's. */
export async function listRequestsForStaff(
  deps: RequestDeps,
  viewer: Viewer,
  filter: { status?: RequestStatus },
  now = new Date(),
  limit = 200,
): Promise<StaffListItem[]> {
  demand(viewer, viewerHolds(viewer, REQUEST_LIST_VIEWERS));
  const where: SQL[] = [];
  if (!viewerHolds(viewer, REQUEST_READERS)) where.push(eq(disclosureRequests.holdingDepartmentId, viewer.staff!.departmentId ?? -1));
  if (filter.status) where.push(eq(disclosureRequests.status, filter.status));
  const rows = await deps.db
    .select()
    .from(disclosureRequests)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(disclosureRequests.id))
    .limit(limit);
  const names = new Map((await departmentNames(deps.db)).map((d) => [d.id, d.name]));
  const cal = deps.calendar.current;
  const today = parseIsoDate(chinaToday(now))!;
  const left = (deadline: string | null) => {
    if (!deadline) return null;
    try {
      return cal.countWorkingDays(today, parseIsoDate(deadline)!);
    } catch {
      return null; // outside the loaded calendar years
    }
  };
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    channel: r.channel,
    status: r.status,
    applicantName: r.applicantName,
    receivedOn: r.receivedOn,
    deadline: r.deadline,
    workingDaysLeft: r.status === 'in_progress' ? left(r.deadline) : null,
    stepLabel: r.status === 'in_progress' && r.handlingStep ? HANDLING_STEP_LABELS[r.handlingStep] : null,
    departmentName: r.holdingDepartmentId ? (names.get(r.holdingDepartmentId) ?? null) : null,
  }));
}

/** An event as the applicant sees it: no staff names, no consulted party's name (条例 Art. 32 protects the third party). */
export interface ApplicantEvent {
  kind: EventRow['kind'];
  on: string;
  days: number | null;
  party: ConsultedParty | null;
  laterDate: string | null;
  outcome: RequestOutcome | null;
  /** The 补正 points, the fee notice's note, the reason of an extension or a later date; '' otherwise. */
  detail: string;
}

const TOLD_DETAIL = new Set<EventRow['kind']>(['correction_requested', 'fee_notified', 'extended', 'later_date_set']);

/**
 * The applicant's lookup page: the API's view (the same check of number and access code, the same 404), the
 * events the applicant is told of, and whether the answer letter is signed (its buttons then show).
 */
export async function lookUpForApplicant(deps: RequestDeps, number: string, accessCode: string, now = new Date()) {
  const view = await lookUpRequest(deps, number, accessCode, now);
  const [row] = await deps.db
    .select({ id: disclosureRequests.id, handlingStep: disclosureRequests.handlingStep })
    .from(disclosureRequests)
    .where(eq(disclosureRequests.number, view.number));
  const events: ApplicantEvent[] = (await eventsOf(deps.db, row!.id)).map((e) => ({
    kind: e.kind,
    on: e.on,
    days: e.days,
    party: e.party,
    laterDate: e.laterDate,
    outcome: e.outcome,
    detail: TOLD_DETAIL.has(e.kind) ? e.detail : '',
  }));
  // The letter's buttons show once it can be fetched: concluded and signed (view.letterReady, record-views.ts).
  return { ...view, events, signed: view.letterReady };
}
export type ApplicantPageView = Awaited<ReturnType<typeof lookUpForApplicant>>;
