import { and, eq, lt, ne } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { badRequest, conflict, forbidden, notFound } from '../../server/errors.js';
import { refuseEvent, type ClockEvent } from '../clock-rules.js';
import { EVENT_ROLES, REQUEST_EVENT_ACTORS } from '../rules.js';
import type { EventBody } from '../schemas.js';
import type { Executor } from '../../db/client.js';
import { computeFee, type FeeMethod } from '../fee-rules.js';
import { normaliseIdentity } from '../repeat-rules.js';
import { disclosureRequestEvents, disclosureRequests, type StoredFee } from '../tables.js';
import { chinaToday, clockOfRow, eventsOf, type RequestRow } from './clock.js';
import type { RequestDeps } from './deps.js';
import { refreshClock } from './intake.js';
import { getRequest } from './reads.js';
import { syncRequestWorkflow } from './sync.js';

const ROLE_REFUSALS: Partial<Record<EventBody['kind'], string>> = {
  extended: '延长答复期限须经政府信息公开工作机构负责人同意（办公室）（条例第三十三条第二款）',
};

const clockEventOf = (b: EventBody, on: string): ClockEvent => {
  switch (b.kind) {
    case 'correction_requested':
    case 'fee_notified':
      return { kind: b.kind, on, periodDays: b.periodDays };
    case 'consultation_opened':
      return { kind: b.kind, on, ref: 0, party: b.party };
    case 'consultation_closed':
      return { kind: b.kind, on, ref: b.consultationId };
    case 'extended':
      return { kind: b.kind, on, days: b.days };
    case 'later_date_set':
      return { kind: b.kind, on, date: b.date };
    default:
      return { kind: b.kind, on };
  }
};

const detailOf = (b: EventBody) =>
  b.kind === 'correction_requested'
    ? b.points.map((p, i) => `${i + 1}. ${p}`).join('\n')
    : b.kind === 'consultation_opened'
      ? b.addressee
      : b.kind === 'fee_notified'
        ? b.detail
        : b.kind === 'extended' || b.kind === 'later_date_set'
          ? b.reason
          : b.kind === 'concluded'
            ? b.reasons
            : '';

/**
 * Records one clock event (补正, supplement, consultation, fee, extension, Art. 35 date, conclusion). It is
 * checked against the clock as it stands on the event's day (clock-rules.ts refuseEvent: 409 with the
 * article), appended with who and when, and the request's workflow is told after the commit.
 */
export async function recordEvent(deps: RequestDeps, viewer: Viewer, id: number, body: EventBody, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REQUEST_EVENT_ACTORS));
  if (!viewerHolds(viewer, EVENT_ROLES[body.kind])) throw forbidden(ROLE_REFUSALS[body.kind]);
  const today = chinaToday(now);
  const on = body.on ?? today;
  if (on > today) throw badRequest('提交的内容有误，请检查标注的字段', { 'body.on': '日期不能晚于今天' });
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(disclosureRequests).where(eq(disclosureRequests.id, id)).for('update');
    if (!row) throw notFound('未找到该申请');
    if (row.status === 'awaiting_confirmation') throw conflict('该申请尚未确认收到，请先确认（条例第三十一条）');
    if (row.status !== 'in_progress') throw conflict('该申请已办结或已撤回');
    const events = await eventsOf(tx, id);
    const last = events.at(-1);
    if (last && on < last.on) throw conflict(`日期不能早于上一计时事项（${last.on}）`);
    const clock = clockOfRow(deps.calendar.current, row, events, on)!;
    const e = clockEventOf(body, on);
    const refusal = refuseEvent(clock, e);
    if (refusal) throw conflict(refusal);
    if (body.kind === 'consultation_closed' && !events.some((x) => x.id === body.consultationId && x.kind === 'consultation_opened'))
      throw conflict('没有该项正在进行的征求意见');
    const actor = actorFor(viewer, EVENT_ROLES[body.kind]);
    const fee = body.kind === 'fee_notified' ? await feeOf(tx, row, body.method, body.quantity) : null;
    const [event] = await tx
      .insert(disclosureRequestEvents)
      .values({
        requestId: id,
        kind: body.kind,
        on,
        days: 'periodDays' in body ? body.periodDays : 'days' in body ? body.days : null,
        party: body.kind === 'consultation_opened' ? body.party : null,
        consultationEventId: body.kind === 'consultation_closed' ? body.consultationId : null,
        laterDate: body.kind === 'later_date_set' ? body.date : null,
        outcome: body.kind === 'concluded' ? body.outcome : null,
        detail: detailOf(body),
        fee,
        actorId: actor.staffId,
        actorUsername: actor.username,
      })
      .returning();
    let current: typeof row | undefined = row;
    if (body.kind === 'concluded') {
      [current] = await tx
        .update(disclosureRequests)
        .set({
          status: 'concluded',
          outcome: body.outcome,
          concludedOn: on,
          // What the answer letter states (answer-letter.ts); the schema checked them against the outcome.
          reasons: body.reasons,
          access: body.access ?? null,
          responsibleAgency: body.responsibleAgency ? { name: body.responsibleAgency.name, contact: body.responsibleAgency.contact } : null,
        })
        .where(eq(disclosureRequests.id, id))
        .returning();
    }
    await refreshClock(deps, tx, current!, [...events, event!], now);
    await recordAudit(tx, actor, {
      action: `request.${body.kind}`,
      recordType: 'disclosure_request',
      recordId: id,
      after: { ...body, on, ...(fee ? { amountYuan: fee.calculation.amountYuan } : {}) },
    });
  });
  await syncRequestWorkflow(deps, id);
  return getRequest(deps, viewer, id, now);
}

/**
 * The fee of a fee notice (国办函〔2020〕109号), computed from FEE_SETTINGS (fee-rules.ts). Per piece (Art. 4)
 * the bands run over the applicant's pieces of the China calendar month: the pieces of the same applicant's
 * earlier fee notices (same identity document) on requests received earlier that month count first.
 */
async function feeOf(tx: Executor, row: RequestRow, method: FeeMethod, quantity: number): Promise<StoredFee> {
  if (method === 'per_page') return { method, quantity, calculation: computeFee({ method, pages: quantity }) };
  const receivedAt = row.receivedAt!;
  const who = normaliseIdentity({ type: row.idDocumentType, number: row.idDocumentNumber });
  const earlier = await tx
    .select({
      receivedAt: disclosureRequests.receivedAt,
      fee: disclosureRequestEvents.fee,
      idType: disclosureRequests.idDocumentType,
      idNumber: disclosureRequests.idDocumentNumber,
    })
    .from(disclosureRequestEvents)
    .innerJoin(disclosureRequests, eq(disclosureRequests.id, disclosureRequestEvents.requestId))
    .where(
      and(
        eq(disclosureRequestEvents.kind, 'fee_notified'),
        ne(disclosureRequests.id, row.id),
        eq(disclosureRequests.idDocumentType, row.idDocumentType),
        lt(disclosureRequests.receivedAt, receivedAt),
      ),
    );
  const pieces = earlier
    .filter((e) => e.fee?.method === 'per_piece' && normaliseIdentity({ type: e.idType, number: e.idNumber }) === who)
    .map((e) => ({ receivedAt: e.receivedAt!, pieces: e.fee!.quantity }));
  return { method, quantity, calculation: computeFee({ method, pieces: quantity, receivedAt, earlier: pieces }) };
}
