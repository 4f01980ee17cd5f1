import { desc, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { DEPARTMENT_STAFF } from '../../auth/roles.js';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { conflict, notFound } from '../../server/errors.js';
import { OUTCOME_FACTS } from '../outcomes.js';
import { REQUEST_READERS, REQUEST_STATUS_LABELS } from '../rules.js';
import { HANDLING_STEP_LABELS, stepDueOn } from '../routing-rules.js';
import type { StaffRequestView } from '../schemas.js';
import { disclosureRequestEvents, disclosureRequests } from '../tables.js';
import { chinaToday, clockOfRow, clockViewOf, eventsOf, type EventRow, type RequestRow } from './clock.js';
import type { RequestDeps } from './deps.js';
import { applicantActor, refreshClock } from './intake.js';
import { findByCode } from './lookup-guard.js';
import { deliveryViewOf, feeViewOf, letterReady } from './record-views.js';
import { repeatOfRow } from './repeat.js';
import { syncRequestWorkflow } from './sync.js';

export { NOT_FOUND_MESSAGE } from './lookup-guard.js';

function applicantViewOf(deps: RequestDeps, row: RequestRow, events: EventRow[], now: Date) {
  return {
    number: row.number,
    status: row.status,
    statusLabel: REQUEST_STATUS_LABELS[row.status],
    channel: row.channel,
    outcome: row.outcome,
    outcomeLabel: row.outcome ? OUTCOME_FACTS[row.outcome].label : null,
    clock: clockViewOf(clockOfRow(deps.calendar.current, row, events, chinaToday(now))),
    fee: feeViewOf(deps.calendar.current, events),
    letterReady: letterReady(row, events),
  };
}

/** A request for staff: the applicant, what is sought, the events and the clock with its explanation. */
export async function getRequest(deps: RequestDeps, viewer: Viewer, id: number, now = new Date()): Promise<StaffRequestView> {
  demand(viewer, viewerHolds(viewer, [...REQUEST_READERS, ...DEPARTMENT_STAFF]));
  const [row] = await deps.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, id));
  // Department staff see only the requests routed to their department.
  const holding = !viewerHolds(viewer, REQUEST_READERS);
  if (!row || (holding && row.holdingDepartmentId !== viewer.staff!.departmentId)) throw notFound('未找到该申请');
  const events = await eventsOf(deps.db, id);
  return {
    id: row.id,
    ...applicantViewOf(deps, row, events, now),
    applicant: {
      type: row.applicantType,
      name: row.applicantName,
      idDocumentType: row.idDocumentType,
      idDocumentNumber: row.idDocumentNumber,
      phone: row.phone,
      email: row.email,
      address: row.address,
      legalRepresentative: row.legalRepresentative,
      contactPerson: row.contactPerson,
    },
    information: { title: row.infoTitle, docNumber: row.infoDocNumber, description: row.infoDescription },
    form: row.form,
    receiveWay: row.receiveWay,
    receiptBasis: row.receiptBasis,
    handling: {
      step: row.handlingStep,
      stepLabel: row.handlingStep ? HANDLING_STEP_LABELS[row.handlingStep] : null,
      since: row.stepSince,
      dueOn: row.handlingStep && row.stepSince ? stepDueOn(deps.calendar.current, row.handlingStep, row.stepSince) : null,
      holdingDepartmentId: row.holdingDepartmentId,
      draft: row.draft,
      signedAt: row.signedAt?.toISOString() ?? null,
    },
    conclusion: { reasons: row.reasons, access: row.access ?? null, responsibleAgency: row.responsibleAgency ?? null },
    delivery: deliveryViewOf(row),
    repeatOf: await repeatOfRow(deps.db, row),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      on: e.on,
      days: e.days,
      party: e.party,
      consultationEventId: e.consultationEventId,
      laterDate: e.laterDate,
      outcome: e.outcome,
      detail: e.detail,
      actor: e.actorUsername,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

/** Open requests first by deadline, then the rest newest first. */
export async function listRequests(deps: RequestDeps, viewer: Viewer, limit = 100) {
  demand(viewer, viewerHolds(viewer, REQUEST_READERS));
  const rows = await deps.db.select().from(disclosureRequests).orderBy(desc(disclosureRequests.id)).limit(limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      channel: r.channel,
      status: r.status,
      applicantName: r.applicantName,
      receivedOn: r.receivedOn,
      deadline: r.deadline,
      clockState: r.clockState,
    })),
  };
}

/** The applicant's lookup: status, deadline and why (issue 17 point 8). Unknown number and wrong code answer the same 404. */
export async function lookUpRequest(deps: RequestDeps, number: string, accessCode: string, now = new Date()) {
  const row = await findByCode(deps, number, accessCode);
  return applicantViewOf(deps, row, await eventsOf(deps.db, row.id), now);
}

/** The applicant withdraws (with the access code); the clock ends. */
export async function withdrawRequest(deps: RequestDeps, viewer: Viewer, number: string, accessCode: string, now = new Date()) {
  const found = await findByCode(deps, number, accessCode);
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(disclosureRequests).where(eq(disclosureRequests.id, found.id)).for('update');
    if (!row || !['in_progress', 'awaiting_confirmation'].includes(row.status)) throw conflict('该申请已办结或已撤回');
    const events = await eventsOf(tx, row.id);
    const last = events.at(-1);
    const today = chinaToday(now);
    const on = last && last.on > today ? last.on : today;
    const [event] = await tx
      .insert(disclosureRequestEvents)
      .values({ requestId: row.id, kind: 'withdrawn', on, actorUsername: 'applicant' })
      .returning();
    const [updated] = await tx
      .update(disclosureRequests)
      .set({ status: 'withdrawn', concludedOn: on })
      .where(eq(disclosureRequests.id, row.id))
      .returning();
    await refreshClock(deps, tx, updated!, [...events, event!], now);
    await recordAudit(tx, applicantActor(viewer), { action: 'request.withdrawn', recordType: 'disclosure_request', recordId: row.id });
  });
  await syncRequestWorkflow(deps, found.id);
  const row = await findByCode(deps, number, accessCode);
  return applicantViewOf(deps, row, await eventsOf(deps.db, row.id), now);
}
