import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../server/errors.js';
import { ACCOUNT_FAILURE_CAP, ACCOUNT_WINDOW_MINUTES, MAX_FAILURES_BEFORE_LOCK } from './login-throttle.js';
import { ADMIN_ONLY, STAFF_ROLES } from './roles.js';
import {
  loginBody,
  loginResponse,
  newStaffBody,
  passwordChangeBody,
  passwordResetBody,
  revokedResponse,
  staffAccount,
  staffChangesBody,
  staffIdParams,
  staffSchema,
} from './schemas.js';
import { changeOwnPassword, login, logout, THROTTLED_MESSAGE, whoAmI } from './service/login.js';
import { createStaff, listStaff, resetPassword, revokeStaffSessions, updateStaff } from './service/staff-admin.js';
import { SESSION_COOKIE } from './sessions.js';
import { viewerOf } from './viewer.js';

const tags = ['auth'];
const LOGIN_DESCRIPTION =
  'Wrong passwords are counted per username as typed and client address, in PostgreSQL ' +
  '(shared by every API process). ' +
  `After ${MAX_FAILURES_BEFORE_LOCK} in a row from one address, that address is held back for 15 minutes, doubling with each further ` +
  'failure up to a day; other addresses are not affected, so a stranger cannot lock the owner out. Addresses the account has never ' +
  `logged in from are also held back while the username has had ${ACCOUNT_FAILURE_CAP} wrong passwords in the last ` +
  `${ACCOUNT_WINDOW_MINUTES} minutes from all addresses together (a guesser spread over many addresses). A held-back attempt answers 429 ` +
  `"${THROTTLED_MESSAGE}" with Retry-After, without checking the password. Known and unknown usernames are treated identically ` +
  "(same answers, same timing), so nothing tells whether an account exists. An administrator's `unlock` or password reset clears " +
  "the username's counts and holds.";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, env } = app.ctx;
  const cookie = { path: '/', httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE } as const;

  app.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: { max: env.RATE_LOGINS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Log in: sets an HttpOnly session cookie and returns the same token for API clients',
        description: LOGIN_DESCRIPTION,
        body: loginBody,
        response: { 200: loginResponse, 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const session = await login({ db, sessionTtlHours: env.SESSION_TTL_HOURS, log: req.log }, viewerOf(req), req.body);
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, expires: session.expiresAt });
      return { ...session, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'End the current session (answers 204 even without one)', response: { 204: z.null() } },
    },
    async (req, reply) => {
      await logout({ db }, viewerOf(req), { tokenHash: req.sessionTokenHash });
      reply.clearCookie(SESSION_COOKIE, cookie);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: STAFF_ROLES },
      schema: { tags, summary: 'The logged-in staff member', response: { 200: staffSchema, 401: errorBody } },
    },
    (req) => whoAmI(viewerOf(req)),
  );

  app.post(
    '/auth/password',
    {
      config: { access: STAFF_ROLES, rateLimit: { max: env.RATE_PASSWORD_CHANGES_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "Change one's own password; every other session of the account ends",
        body: passwordChangeBody,
        response: { 204: z.null(), 400: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      await changeOwnPassword({ db }, viewerOf(req), { ...req.body, keepTokenHash: req.sessionTokenHash });
      return reply.status(204).send(null);
    },
  );

  const adminOnly = { access: ADMIN_ONLY };

  app.get(
    '/admin/staff',
    {
      config: adminOnly,
      schema: { tags, summary: 'Every staff account, including disabled ones', response: { 200: z.array(staffAccount) } },
    },
    async (req) => listStaff({ db }, viewerOf(req)),
  );

  app.post(
    '/admin/staff',
    {
      config: adminOnly,
      schema: { tags, summary: 'Create a staff account', body: newStaffBody, response: { 201: staffAccount, 400: errorBody } },
    },
    async (req, reply) => reply.status(201).send(await createStaff({ db }, viewerOf(req), req.body)),
  );

  app.patch(
    '/admin/staff/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Disable/enable an account, change its name, roles or department, or lift a login lock',
        description:
          'Disabling ends every session of the account at once. ' +
          'The last enabled administrator cannot be disabled or lose the admin role.',
        params: staffIdParams,
        body: staffChangesBody,
        response: { 200: staffAccount, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => updateStaff({ db }, viewerOf(req), req.params.id, req.body),
  );

  app.post(
    '/admin/staff/:id/password',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Lost credential: set a new password; every session ends and any login lock is lifted',
        params: staffIdParams,
        body: passwordResetBody,
        response: { 200: revokedResponse, 400: errorBody, 404: errorBody },
      },
    },
    async (req) => resetPassword({ db }, viewerOf(req), req.params.id, req.body.password),
  );

  app.post(
    '/admin/staff/:id/revoke-sessions',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Lost credential: end every session of an account at once',
        params: staffIdParams,
        response: { 200: revokedResponse, 404: errorBody },
      },
    },
    async (req) => revokeStaffSessions({ db }, viewerOf(req), req.params.id),
  );
};
