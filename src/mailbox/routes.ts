import { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../audit/record.js';
import { actorOf } from '../auth/plugin.js';
import { departments } from '../departments/schema.js';
import { AppError, badRequest, conflict, errorBody, notFound } from '../server/errors.js';
import { id32, idParam, isoDate, queryInt, requiredText, safeString } from '../server/schema-types.js';
import { applicationFailureOf, INVALID_DATA } from '../temporal/activity-failures.js';
import { caseActionUpdate, workflowIdOf } from '../../workflows/messages.js';
import { ACTION_ROLES, isOpen, refusal, type CaseAction, type CaseActionKind } from '../../workflows/letter-rules.js';
import { stateOf } from './cases.js';
import { receiveLetter } from './intake.js';
import { REJECT_REASONS, TRANSFER_REASONS } from './policy.js';
import {
  LOOKUPS_PER_ADDRESS_PER_MINUTE, lookUpLetter, NOT_FOUND_MESSAGE, NUMBER_WINDOW_MINUTES, WRONG_CODES_PER_NUMBER,
} from './lookup-throttle.js';
import { attachmentPieces, caseDetail, canAct, letterIdOf, letterRowOf, listCases } from './queries.js';
import {
  actionBodies, attachmentTypes, caseCursor, caseDetail as caseDetailSchema, casePage,
  createdLetter, letterBody, letterTypes, writerView as writerViewSchema,
} from './schemas.js';
import { BodyBudget } from '../server/body-budget.js';
import { LETTER_JSON_BODY_LIMIT, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TOTAL_ATTACHMENT_BYTES } from './attachments.js';
import { convenienceItems } from './schema.js';
import { startLetterWorkflow } from './workflow-starter.js';

const STAFF = ['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'] as const;
/** The raw bytes of a download (a Buffer, sent as is): any to the type provider, a binary string to the document. */
const fileContent = z.any().meta({ type: 'string', format: 'binary' });
const trackingParams = z.object({ trackingNo: z.string().regex(/^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/, '受理编号格式不正确') });

export const mailboxRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env };

  app.get('/convenience-items', {
    config: { access: 'public' },
    schema: { tags: ['mailbox'], summary: '便民服务事项清单 (complaints about these have a 3-working-day limit)', response: { 200: z.array(z.object({ id: z.number(), name: z.string(), departmentId: z.number(), active: z.boolean() })) } },
  }, async () => db.select().from(convenienceItems).where(eq(convenienceItems.active, true)).orderBy(asc(convenienceItems.id)));

  app.get('/mailbox/reason-codes', {
    config: { access: 'public' },
    schema: { tags: ['mailbox'], summary: 'The fixed lists of transfer and rejection reasons', response: { 200: z.object({ transfer: z.record(z.string(), z.string()), reject: z.record(z.string(), z.string()) }) } },
  }, async () => ({ transfer: TRANSFER_REASONS, reject: REJECT_REASONS }));

  const letterBodies = new BodyBudget(env.INTAKE_BODY_BUDGET_MB * 1024 * 1024);
  app.post('/letters', {
    config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
    bodyLimit: LETTER_JSON_BODY_LIMIT,
    onRequest: letterBodies.admit,
    schema: {
      tags: ['mailbox'],
      summary: 'Write to the director\'s mailbox',
      description: 'Returns a tracking number and an access code (shown once). Send an `Idempotency-Key` header to make retries safe: a retry of the same letter answers 200 with the first result; the key reused for a different letter is a 422. '
        + `At most ${MAX_ATTACHMENTS} attachments (JPG, PNG or PDF, checked by content), each at most ${MAX_ATTACHMENT_BYTES / 1048576} MiB, `
        + `together at most ${MAX_TOTAL_ATTACHMENT_BYTES / 1048576} MiB; a larger body is a 413. While other large letters are being received, `
        + 'one that does not fit the memory set aside for them answers 503 with Retry-After: send it again then (with the same Idempotency-Key).',
      headers: z.object({ 'idempotency-key': z.string().min(8, 'Idempotency-Key 至少 8 个字符').max(200).optional() }),
      body: letterBody,
      response: { 201: createdLetter, 200: createdLetter, 400: errorBody, 413: errorBody, 422: errorBody, 429: errorBody, 503: errorBody },
    },
  }, async (req, reply) => {
    const { letter, replayed } = await receiveLetter(deps, req.body, { ip: req.ip, requestId: req.id, idempotencyKey: req.headers['idempotency-key'] });
    return reply.status(replayed ? 200 : 201).send(letter);
  });

  app.get('/letters/:trackingNo', {
    config: { access: 'public' },
    schema: {
      tags: ['mailbox'],
      summary: 'The writer\'s view of a letter (needs the access code)',
      description:
        `A wrong code and an unknown number answer the same 404. Guessing is limited in PostgreSQL (shared by every API process): `
        + `${LOOKUPS_PER_ADDRESS_PER_MINUTE} look-ups a minute per client address, counted together with the form page \`POST /lookup\`; `
        + `and ${WRONG_CODES_PER_NUMBER} wrong codes per tracking number from all addresses together, after which that number answers 429 `
        + `with Retry-After for the rest of a ${NUMBER_WINDOW_MINUTES}-minute window (from its first wrong code), `
        + 'even with the right code. '
        + 'Unknown numbers are counted the same way, so the limit does not tell whether a number exists.',
      params: z.object({ trackingNo: safeString().max(40) }),
      headers: z.object({ 'x-access-code': safeString({ error: '请提供查询码' }).min(1, '请提供查询码').max(40) }),
      response: { 200: writerViewSchema, 400: errorBody, 404: errorBody, 429: errorBody },
    },
  }, async (req, reply) => {
    const outcome = await lookUpLetter(db, req.ip, req.params.trackingNo, req.headers['x-access-code']);
    if (outcome.kind === 'throttled') {
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      throw new AppError(429, outcome.code, outcome.message);
    }
    if (outcome.kind === 'not_found') throw notFound(NOT_FOUND_MESSAGE);
    return outcome.view;
  });

  app.get('/cases', {
    config: { access: STAFF },
    schema: {
      tags: ['cases'],
      summary: 'Cases visible to the caller, ordered by due time',
      description:
        'Pages follow the list order (due time, then id). Pass the previous page\'s `nextCursor` as `after` to get the next page; '
        + '`nextCursor` is null on the last page. Every page costs the same however deep it is. `offset` is kept for older clients '
        + '(deprecated: its cost grows with the offset) and cannot be combined with `after`.',
      querystring: z
        .object({
          status: z.enum(['processing', 'in_arbitration', 'answered', 'rejected']).optional(),
          departmentId: idParam('处室应为编号').optional(),
          type: z.enum(letterTypes).optional(),
          overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
          dueBefore: isoDate.optional(),
          q: safeString().trim().min(1).max(100).optional(),
          limit: queryInt({ min: 1, max: 200 }).default(50),
          after: caseCursor.optional(),
          offset: queryInt({ min: 0, max: 100_000 }).default(0).meta({ deprecated: true, description: 'Deprecated: use `after`' }),
        })
        .superRefine((q, ctx) => {
          if (q.after && q.offset > 0) ctx.addIssue({ code: 'custom', path: ['offset'], message: '翻页游标 after 与 offset 不能同时使用' });
        }),
      response: { 200: casePage, 400: errorBody },
    },
  }, async (req) => listCases(db, calendar, req.staff!, req.query));

  app.get('/cases/:trackingNo', {
    config: { access: STAFF },
    schema: { tags: ['cases'], summary: 'A case with personal data, timeline and deadline explanation', params: trackingParams, response: { 200: caseDetailSchema, 404: errorBody } },
  }, async (req) => {
    const found = await caseDetail(db, calendar, req.staff!, req.params.trackingNo);
    if (!found) throw notFound('未找到该信件');
    return found;
  });

  app.get('/cases/:trackingNo/attachments/:id', {
    config: { access: STAFF },
    schema: {
      tags: ['cases'],
      summary: 'Download an attachment of a case the caller may see (its type was checked by content at intake)',
      params: trackingParams.extend({ id: idParam('附件编号应为正整数') }),
      response: {
        200: { description: 'The file', content: Object.fromEntries(attachmentTypes.map((t) => [t, { schema: fileContent }])) },
        404: errorBody,
      },
    },
  }, async (req, reply) => {
    const visible = await caseDetail(db, calendar, req.staff!, req.params.trackingNo);
    const file = visible?.attachments.find((f) => f.id === req.params.id);
    if (!file) throw notFound('未找到该附件');
    return reply
      .type(file.mimeType)
      .header('content-length', String(file.size))
      .header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .send(Readable.from(attachmentPieces(db, file.id)));
  });

  /** 400 for references the body makes to departments or list items that do not exist (or no longer). */
  async function referenceProblems(action: CaseAction): Promise<Record<string, string>> {
    const problems: Record<string, string> = {};
    const active = new Set((await db.select({ id: departments.id }).from(departments).where(eq(departments.active, true))).map((d) => d.id));
    const dept = (key: string, id: number) => {
      if (!active.has(id)) problems[key] = '处室不存在或已停用';
    };
    switch (action.kind) {
      case 'transfer':
        dept('body.toDepartmentId', action.toDepartmentId);
        break;
      case 'escalate':
        action.departmentIds.forEach((id, i) => dept(`body.departmentIds.${i}`, id));
        break;
      case 'arbitrate':
        dept('body.leadDepartmentId', action.leadDepartmentId);
        action.assistingDepartmentIds.forEach((id, i) => dept(`body.assistingDepartmentIds.${i}`, id));
        break;
      case 'reclassify':
        if (action.convenienceItemId !== null) {
          if (action.type !== 'complaint') problems['body.convenienceItemId'] = '只有投诉可以选择便民服务事项';
          else {
            const [item] = await db.select({ id: convenienceItems.id }).from(convenienceItems).where(and(eq(convenienceItems.id, action.convenienceItemId), eq(convenienceItems.active, true)));
            if (!item) problems['body.convenienceItemId'] = '便民服务事项不存在或已停用';
          }
        }
        break;
      default:
        break;
    }
    return problems;
  }

  /** The refusal carried by a failed update: from the validator, the handler or the activity. */
  const notAllowedMessage = (err: unknown) => applicationFailureOf(err, 'NotAllowed')?.message;

  /** One case action: only the roles that may ever take it get past the auth hook (ACTION_ROLES); the rest get 403. */
  const actionRoute = <K extends keyof typeof actionBodies, A extends CaseActionKind>(
    path: K, kind: A, summary: string, toAction: (body: z.infer<(typeof actionBodies)[K]>) => Extract<CaseAction, { kind: A }>,
  ) => {
    app.post(`/cases/:trackingNo/${path}`, {
      // Up to 5 s to start the workflow and 30 s for its update, below.
      config: { access: ACTION_ROLES[kind], deadlineMs: 40_000 },
      schema: {
        tags: ['cases'],
        summary,
        params: trackingParams,
        body: actionBodies[path],
        response: { 200: caseDetailSchema, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    }, async (req) => {
      const viewer = req.staff!;
      const visible = await caseDetail(db, calendar, viewer, req.params.trackingNo);
      if (!visible) throw notFound('未找到该信件');
      if (!canAct(viewer, { departmentId: visible.departmentId, assistingDepartmentIds: visible.assistingDepartmentIds })) throw new AppError(403, 'forbidden', '该信件已不在本处室，只能查看');
      const action = toAction(req.body as never);
      const problems = await referenceProblems(action);
      if (Object.keys(problems).length > 0) throw badRequest('提交的内容有误，请检查标注的字段', problems);
      const letter = (await letterIdOf(db, req.params.trackingNo))!;
      // A closed letter's workflow has ended: refuse here rather than start a new run for it.
      const closedReason = async () => {
        const row = await letterRowOf(db, letter.id);
        return row && !isOpen(row) ? refusal(stateOf(row, deps), { staffId: viewer.id, username: viewer.username, roles: viewer.roles, departmentId: viewer.departmentId }, action) : null;
      };
      const closed = await closedReason();
      if (closed) throw conflict(closed);
      const actor = { staffId: viewer.id, username: viewer.username, roles: viewer.roles, departmentId: viewer.departmentId, ip: req.ip, requestId: req.id };
      try {
        // Fail fast when Temporal is unreachable (the client would otherwise retry for ~20 s).
        await temporal.client.connection.withDeadline(Date.now() + 5_000, () => startLetterWorkflow(temporal, letter)); // no-op when running; covers a letter still in the outbox
        await temporal.client.connection.withDeadline(Date.now() + 30_000, () =>
          temporal.client.workflow.getHandle(workflowIdOf(letter.trackingNo)).executeUpdate(caseActionUpdate, { args: [action, actor] }));
      } catch (err) {
        const why = notAllowedMessage(err) ?? (await closedReason().catch(() => null));
        if (why) throw conflict(why);
        // The activity could not store the action and never will (it was not retried): nothing changed.
        if (applicationFailureOf(err, INVALID_DATA)) {
          req.log.warn({ err }, 'case action refused by the database');
          throw new AppError(422, 'invalid_data', '提交的内容无法保存，请检查后重新提交；信件未作任何改动');
        }
        req.log.error({ err }, 'case action failed');
        throw new AppError(503, 'workflow_unavailable', '办理服务暂时不可用，请稍后再试');
      }
      return (await caseDetail(db, calendar, viewer, req.params.trackingNo))!;
    });
  };
  actionRoute('answer', 'answer', 'Answer the letter (the handling department); closes it', (b) => ({ kind: 'answer', ...b }));
  actionRoute('transfer', 'transfer', 'Transfer to the responsible department with a reason', (b) => ({ kind: 'transfer', ...b }));
  actionRoute('dispute', 'dispute', 'Object to a transfer: the general office decides', (b) => ({ kind: 'dispute', ...b }));
  actionRoute('escalate', 'escalate', 'Needs several departments: the general office decides', (b) => ({ kind: 'escalate', ...b }));
  actionRoute('arbitrate', 'arbitrate', 'General office: decide the lead and assisting departments', (b) => ({ kind: 'arbitrate', ...b }));
  actionRoute('opinions', 'opinion', 'An assisting department\'s opinion for the lead department', (b) => ({ kind: 'opinion', ...b }));
  actionRoute('reclassify', 'reclassify', 'Change the letter type; the deadline is recomputed from the receipt',
    (b) => ({ kind: 'reclassify', ...b }));
  actionRoute('reject', 'reject', 'Not accepted: a department requests it, the general office confirms', (b) => ({ kind: 'reject', ...b }));

  app.get('/admin/convenience-items', {
    config: { access: ['admin', 'office'] },
    schema: { tags: ['mailbox'], summary: 'All convenience-list items', response: { 200: z.array(z.object({ id: z.number(), name: z.string(), departmentId: z.number(), active: z.boolean() })) } },
  }, async () => db.select().from(convenienceItems).orderBy(asc(convenienceItems.id)));

  app.post('/admin/convenience-items', {
    config: { access: ['admin'] },
    schema: {
      tags: ['mailbox'], summary: 'Add a convenience-list item',
      body: z.object({ name: requiredText('事项名称', 100), departmentId: id32('请选择处室') }),
      response: { 201: z.object({ id: z.number(), name: z.string(), departmentId: z.number(), active: z.boolean() }), 400: errorBody },
    },
  }, async (req, reply) => {
    const [dept] = await db.select().from(departments).where(eq(departments.id, req.body.departmentId));
    if (!dept) throw new AppError(400, 'bad_request', '处室不存在', { 'body.departmentId': '处室不存在' });
    const row = await db.transaction(async (tx) => {
      const [created] = await tx.insert(convenienceItems).values(req.body).returning();
      await recordAudit(tx, actorOf(req, ['admin']), { action: 'convenience_item.create', recordType: 'convenience_item', recordId: created!.id, after: req.body });
      return created!;
    });
    return reply.status(201).send(row);
  });
};
