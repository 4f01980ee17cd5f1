import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import { badRequest, conflict, notFound } from '../../server/errors.js';
import { deliveryCountsOn, judgeDelivery, type Delivery } from '../delivery-rules.js';
import { EVENT_ROLES } from '../rules.js';
import type { DeliveryBody } from '../answer-schemas.js';
import { disclosureRequestEvents, disclosureRequests } from '../tables.js';
import { chinaToday, clockOfRow, eventsOf } from './clock.js';
import type { RequestDeps } from './deps.js';
import { getRequest } from './reads.js';

const BAD = '提交的内容有误，请检查标注的字段';

/**
 * Records the delivery of the signed answer (国办公开办函〔2016〕235号): posted → the day handed to the post
 * (交邮日); direct or through another agency → the day the applicant signed (签收日). Whether the answer met
 * its deadline is judged on that day against the answer deadline as the clock stood without the conclusion
 * (delivery-rules.ts). Once per request, after the 签发; an event and an audit row, as every action.
 */
export async function recordDelivery(deps: RequestDeps, viewer: Viewer, id: number, body: DeliveryBody, now = new Date()) {
  demand(viewer, viewerHolds(viewer, EVENT_ROLES.delivered));
  const delivery: Delivery =
    body.method === 'post'
      ? { method: 'post', postedOn: body.postedOn!, ...(body.signedOn ? { signedOn: body.signedOn } : {}) }
      : { method: body.method, signedOn: body.signedOn! };
  const { countsOn } = deliveryCountsOn(delivery);
  const field = body.method === 'post' ? 'body.postedOn' : 'body.signedOn';
  const today = chinaToday(now);
  if (countsOn > today || (body.signedOn && body.signedOn > today)) throw badRequest(BAD, { [field]: '日期不能晚于今天' });
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(disclosureRequests).where(eq(disclosureRequests.id, id)).for('update');
    if (!row) throw notFound('未找到该申请');
    if (!row.signedAt) throw conflict('答复尚未签发，不能登记送达');
    if (row.status === 'withdrawn') throw conflict('该申请已撤回');
    if (row.deliveryMethod) throw conflict('该申请的答复已登记送达');
    const signedOn = dayToIso(chinaDayOf(row.signedAt));
    if (countsOn < signedOn) throw badRequest(BAD, { [field]: `送达日期不能早于签发日期（${signedOn}）` });
    const events = await eventsOf(tx, id);
    // The answer deadline on the delivery day, as the clock stood before the request was concluded.
    const running = events.filter((e) => e.kind !== 'concluded' && e.kind !== 'delivered');
    const deadline = clockOfRow(deps.calendar.current, row, running, countsOn)?.deadline;
    if (!deadline) throw conflict('该申请的答复期限尚未确定（等待补正或缴费），无法判断是否按期送达');
    const judgement = judgeDelivery(delivery, deadline);
    await tx
      .update(disclosureRequests)
      .set({
        deliveryMethod: delivery.method,
        deliveryPostedOn: body.method === 'post' ? body.postedOn! : null,
        deliverySignedOn: body.signedOn ?? null,
        deliveryCountsOn: countsOn,
        deliveryDeadline: deadline,
        deliveryInTime: judgement.inTime,
      })
      .where(eq(disclosureRequests.id, id));
    const actor = actorFor(viewer, EVENT_ROLES.delivered);
    const [event] = await tx
      .insert(disclosureRequestEvents)
      .values({
        requestId: id,
        kind: 'delivered',
        on: countsOn,
        detail: judgement.explanation,
        actorId: actor.staffId,
        actorUsername: actor.username,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'request.delivered',
      recordType: 'disclosure_request',
      recordId: id,
      after: { ...body, countsOn, deadline, inTime: judgement.inTime, eventId: event!.id },
    });
  });
  return getRequest(deps, viewer, id, now);
}
