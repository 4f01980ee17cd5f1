import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CASE_ACTORS, CASE_VIEWERS } from '../../auth/roles.js';
import { viewerHolds, viewerOf } from '../../auth/viewer.js';
import { departmentNames } from '../../departments/service.js';
import { forbidden } from '../../server/errors.js';
import { emptyForm } from '../../web/fields.js';
import { html } from '../../web/html.js';
import type { Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, renderStaff, staffNotFound, str, type Query } from '../../web/request.js';
import { ACTION_ROLES, refusal, type ActingStaff } from '../case-rules.js';
import { TRACKING_NO_PATTERN } from '../codes.js';
import { reportsPersonBody } from '../publication-schemas.js';
import { can } from '../rules.js';
import { CASE_ACTION_DEADLINE_MS, takeCaseAction } from '../service/case-actions.js';
import { attachmentDownload, getCase, letterIdOf, letterRowOf } from '../service/case-reads.js';
import { stateOf } from '../service/case-records.js';
import { activeConvenienceItems } from '../service/convenience-items.js';
import { markReportsPerson } from '../service/publication.js';
import {
  ACTION_TITLES,
  ACTIONS,
  actionBody,
  actionForm,
  caseActionOf,
  DONE,
  kindOf,
  PROBE,
  type ActionPath,
  type Failure,
} from './case-forms.js';
import { caseMain, reportsPersonSection } from './case-view.js';

const REPORTS_DONE: Record<string, string | undefined> = {
  reports: '已标记为举报：该信件不会被选入信件公开，已公开的已撤下。',
  'not-reports': '已取消举报标记。',
};

/** A case, its attachments and its action forms (POST /staff/cases/:no/:action takes the action and comes back here). */
export const casePages: FastifyPluginAsync = async (app) => {
  const { db, calendar, env, temporal } = app.ctx;
  const deps = { db, calendar, env };
  const csrf = app.csrfProtection.bind(app);

  async function casePage(req: FastifyRequest, reply: FastifyReply, trackingNo: string, status: number, opts: CasePageOptions = {}) {
    if (!TRACKING_NO_PATTERN.test(trackingNo)) return staffNotFound(req, reply);
    const viewer = viewerOf(req);
    const res = await attempt(() => getCase(deps, viewer, trackingNo));
    if (!res.ok) return staffNotFound(req, reply);
    const c = res.data;
    const letter = await letterIdOf(db, trackingNo);
    const row = letter && (await letterRowOf(db, letter.id));
    if (!row) return staffNotFound(req, reply);
    const caseState = stateOf(row, deps);
    const staff = req.staff!;
    const acting: ActingStaff = { staffId: staff.id, username: staff.username, roles: staff.roles, departmentId: staff.departmentId };
    const mayAct = viewerHolds(viewer, CASE_ACTORS) && can(viewer, 'act', row);
    const allowed = ACTIONS.filter((a) => mayAct && refusal(caseState, acting, PROBE[a]) === null);
    const depts = await departmentNames(db);
    const items = (await activeConvenienceItems(deps)).map(({ id, name }) => ({ id, name }));
    const failure = opts.failure;
    const failed =
      failure && html`${ACTION_TITLES[failure.action]}未成功：${failure.message} <a href="#act-${failure.action}">查看表单</a>`;
    const flash = opts.flash ?? (failed ? { kind: 'error' as const, text: failed } : null);
    const forms = allowed.map((a) =>
      actionForm(a, {
        trackingNo,
        c,
        caseState,
        staff,
        depts,
        items,
        requested: row.requestedDepartmentIds,
        transferExpectedWorkingDays: env.TRANSFER_EXPECTED_WORKING_DAYS,
        state: failure?.action === a ? failure.state : emptyForm(),
        message: failure?.action === a ? failure.message : undefined,
        csrf: reply.generateCsrf(),
      }),
    );
    const reports = reportsPersonSection({
      trackingNo,
      type: row.type,
      reportsPerson: row.reportsPerson,
      csrf: mayAct ? reply.generateCsrf() : null,
    });
    const main = caseMain({ c, depts, forms, resetDeadlineOnTransfer: env.RESET_DEADLINE_ON_TRANSFER, reports });
    return renderStaff(req, reply, status, { title: `信件 ${c.trackingNo}`, current: 'cases', flash }, main);
  }

  app.get('/cases/:trackingNo', { config: { access: CASE_VIEWERS }, schema: hide }, async (req, reply) => {
    const { trackingNo } = req.params as { trackingNo: string };
    const done = str((req.query as Query).done);
    const text = (ACTIONS as readonly string[]).includes(done)
      ? DONE[done as ActionPath]
      : Object.hasOwn(REPORTS_DONE, done)
        ? REPORTS_DONE[done]
        : undefined;
    return casePage(req, reply, trackingNo, 200, { flash: text ? { kind: 'ok', text } : null });
  });

  // The 举报 mark (POST /api/cases/:trackingNo/reports-person's service): the department that has the letter, or the office.
  app.post('/cases/:trackingNo/reports-person', { config: { access: CASE_ACTORS }, schema: hide, preHandler: csrf }, async (req, reply) => {
    const { trackingNo } = req.params as { trackingNo: string };
    if (!TRACKING_NO_PATTERN.test(trackingNo)) return staffNotFound(req, reply);
    const value = str(((req.body ?? {}) as Query).reportsPerson);
    const reportsPerson = value === 'true' ? true : value === 'false' ? false : undefined;
    const res = await attempt(() =>
      markReportsPerson(deps, viewerOf(req), trackingNo, parsed(reportsPersonBody, { reportsPerson }, 'body').reportsPerson),
    );
    if (res.ok) return reply.redirect(`/staff/cases/${trackingNo}?done=${res.data.reportsPerson ? 'reports' : 'not-reports'}`, 303);
    if (res.status === 404) return staffNotFound(req, reply);
    const text = formFieldsOf(res.error.fields).reportsPerson ?? res.error.message;
    return casePage(req, reply, trackingNo, res.status, { flash: { kind: 'error', text: `举报标记未修改：${text}` } });
  });

  app.get('/cases/:trackingNo/attachments/:id', { config: { access: CASE_VIEWERS }, schema: hide }, async (req, reply) => {
    const { trackingNo, id } = req.params as { trackingNo: string; id: string };
    if (!TRACKING_NO_PATTERN.test(trackingNo) || !/^\d{1,9}$/.test(id)) return staffNotFound(req, reply);
    const res = await attempt(() => attachmentDownload(deps, viewerOf(req), trackingNo, Number(id)));
    if (!res.ok) return staffNotFound(req, reply, '未找到该附件。');
    const { file, pieces } = res.data;
    return reply
      .type(file.mimeType)
      .header('content-length', String(file.size))
      .header('content-disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(Readable.from(pieces));
  });

  const actionConfig = { access: CASE_ACTORS, deadlineMs: CASE_ACTION_DEADLINE_MS };
  app.post('/cases/:trackingNo/:action', { config: actionConfig, schema: hide, preHandler: csrf }, async (req, reply) => {
    const { trackingNo, action } = req.params as { trackingNo: string; action: string };
    if (!TRACKING_NO_PATTERN.test(trackingNo) || !(ACTIONS as readonly string[]).includes(action)) return staffNotFound(req, reply);
    const a = action as ActionPath;
    const values = { ...((req.body ?? {}) as Query) };
    delete values._csrf;
    const { body, errors } = actionBody(a, values);
    const back = str(values.back) === 'arbitration' ? 'arbitration' : 'case';
    if (Object.keys(errors).length > 0) {
      const failure = { action: a, message: '提交的内容有误，请检查标注的字段', state: { values, errors } };
      return casePage(req, reply, trackingNo, 400, { failure });
    }
    const viewer = viewerOf(req);
    const res = await attempt(() => {
      // What the API route's access declaration (ACTION_ROLES) refuses before the body is validated.
      if (!viewerHolds(viewer, ACTION_ROLES[kindOf(a)])) throw forbidden();
      return takeCaseAction({ ...deps, temporal, log: req.log }, viewer, trackingNo, caseActionOf(a, body));
    });
    if (res.ok) {
      return reply.redirect(back === 'arbitration' ? `/staff/arbitration?done=${trackingNo}` : `/staff/cases/${trackingNo}?done=${a}`, 303);
    }
    const fieldErrors = formFieldsOf(res.error.fields, ['departmentIds', 'assistingDepartmentIds']);
    const failure = { action: a, message: res.error.message, state: { values, errors: fieldErrors } };
    return casePage(req, reply, trackingNo, res.status, { failure });
  });
};

interface CasePageOptions {
  failure?: Failure;
  flash?: Flash | null;
}
