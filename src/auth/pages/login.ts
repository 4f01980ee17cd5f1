import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { csrfField, hidden, textField, type FormState } from '../../web/fields.js';
import { html } from '../../web/html.js';
import { homeOf, page, type Flash } from '../../web/layout.js';
import { attempt, formFieldsOf, parsed } from '../../web/outcome.js';
import { hide, sendPage, str, type Query } from '../../web/request.js';
import { STAFF_ROLES } from '../roles.js';
import { loginBody } from '../schemas.js';
import { login, logout } from '../service/login.js';
import { SESSION_COOKIE } from '../sessions.js';
import { viewerOf } from '../viewer.js';

/** Only local staff pages are followed after login. */
const safeNext = (next: string) => (/^\/staff(\/[A-Za-z0-9\-_/.?=&%]*)?$/.test(next) && !next.includes('//') ? next : undefined);

function loginPage(reply: FastifyReply, status: number, state: FormState, flash?: Flash | null) {
  const username = textField({
    name: 'username',
    label: '用户名',
    required: true,
    state,
    autocomplete: 'username',
    maxlength: 100,
    extra: html` autocapitalize="none" spellcheck="false"`,
  });
  const password = textField({
    name: 'password',
    label: '密码',
    type: 'password',
    required: true,
    state,
    autocomplete: 'current-password',
    keepValue: false,
  });
  return sendPage(
    reply,
    status,
    page(
      { title: '工作人员登录', area: 'staff', flash },
      html`<h1>工作人员登录</h1>
<form method="post" action="/staff/login" class="login-form">
${csrfField(reply.generateCsrf())}
${hidden('next', str(state.values.next))}
${username}
${password}
<div class="actions"><button type="submit" class="primary">登录</button></div>
</form>
<p class="hint">来信人请前往<a href="/mailbox">局长信箱</a>写信或<a href="/lookup">查询办理进度</a>。</p>`,
    ),
  );
}

/** /staff, the login form and logout: the same service calls as POST /api/auth/login and /logout. */
export const loginPages: FastifyPluginAsync = async (app) => {
  const { db, env } = app.ctx;
  const csrf = app.csrfProtection.bind(app);
  const cookie = { path: '/', httpOnly: true, sameSite: 'strict', secure: env.COOKIE_SECURE } as const;

  app.get('/', { config: { access: STAFF_ROLES }, schema: hide }, async (req, reply) => reply.redirect(homeOf(req.staff!), 303));

  app.get('/login', { config: { access: 'public' }, schema: hide }, async (req, reply) => {
    if (req.staff) return reply.redirect(homeOf(req.staff), 303);
    const q = req.query as Query;
    const flash: Flash | null = q.expired
      ? { kind: 'error', text: '登录已失效，请重新登录。' }
      : q.bye
        ? { kind: 'ok', text: '您已退出登录。' }
        : null;
    return loginPage(reply, 200, { values: { next: safeNext(str(q.next, 500)) ?? '' }, errors: {} }, flash);
  });

  // Counted like POST /api/auth/login (the page used to reach the service through it).
  const rateLimit = { max: env.RATE_LOGINS_PER_MINUTE, timeWindow: '1 minute' };
  app.post('/login', { config: { access: 'public', rateLimit }, schema: hide, preHandler: csrf }, async (req: FastifyRequest, reply) => {
    const b = (req.body ?? {}) as Query;
    const values = { username: str(b.username, 100), next: safeNext(str(b.next, 500)) ?? '' };
    const errors: Record<string, string> = {};
    if (!values.username.trim()) errors.username = '请输入用户名';
    if (!str(b.password, 1000)) errors.password = '请输入密码';
    if (Object.keys(errors).length > 0) return loginPage(reply, 400, { values, errors });
    const res = await attempt(() => {
      const input = parsed(loginBody, { username: values.username, password: str(b.password, 1000) }, 'body');
      return login({ db, sessionTtlHours: env.SESSION_TTL_HOURS, log: req.log }, viewerOf(req), input);
    });
    if (!res.ok) {
      if (res.status === 429) reply.header('retry-after', res.headers['retry-after'] ?? '60');
      const flash = { kind: 'error' as const, text: res.error.message };
      return loginPage(reply, res.status, { values, errors: formFieldsOf(res.error.fields) }, flash);
    }
    // The session cookie exactly as POST /api/auth/login sets it.
    reply.setCookie(SESSION_COOKIE, res.data.token, { ...cookie, expires: res.data.expiresAt });
    return reply.redirect(values.next || homeOf(res.data.staff), 303);
  });

  app.post('/logout', { config: { access: 'public' }, schema: hide, preHandler: csrf }, async (req, reply) => {
    if (req.staff) await logout({ db }, viewerOf(req), { tokenHash: req.sessionTokenHash });
    reply.clearCookie(SESSION_COOKIE, cookie);
    return reply.redirect('/staff/login?bye=1', 303);
  });
};
