import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from './html.js';
import { messagePage, page, type PageOptions } from './layout.js';

// What every page handler needs: the form's strings read defensively, and the page sent as HTML.

export type Query = Record<string, string | string[] | undefined>;

/** The first string of a form or query value, cut to `max` characters ('' when absent). */
export const str = (v: unknown, max = 200) =>
  typeof v === 'string' ? v.slice(0, max) : Array.isArray(v) && typeof v[0] === 'string' ? v[0].slice(0, max) : '';
/** A repeated form value (checkboxes) as its non-empty strings. */
export const list = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
export const intOrUndefined = (v: unknown) => (/^\d{1,9}$/.test(str(v)) ? Number(str(v)) : undefined);
export const ints = (v: unknown) =>
  list(v)
    .filter((x) => /^\d{1,9}$/.test(x))
    .map(Number);

export const sendPage = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type('text/html; charset=utf-8').send(body);

/** Page settings that do not hide the whole route from the OpenAPI document. */
export const hide = { hide: true };

/** A staff page: the layout with the viewer's navigation and the logout form's CSRF token. */
export const renderStaff = (
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  opts: Omit<PageOptions, 'area' | 'staff' | 'csrf'>,
  main: SafeHtml,
) => sendPage(reply, status, page({ ...opts, area: 'staff', staff: req.staff, csrf: reply.generateCsrf() }, main));

/** The staff area's 404 page (also what a case outside the viewer's scope answers). */
export const staffNotFound = (req: FastifyRequest, reply: FastifyReply, text = '未找到该页面或信件，或者您无权查看。') =>
  sendPage(
    reply,
    404,
    messagePage({
      title: '未找到',
      area: 'staff',
      staff: req.staff,
      csrf: reply.generateCsrf(),
      heading: '未找到',
      text,
      back: { href: '/staff', label: '返回工作台' },
    }),
  );
