import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from './html.js';
import { messagePage } from './layout.js';
import type { Outcome } from './outcome.js';
import { sendPage, staffNotFound } from './request.js';

// How a staff page answers a service's refusal, the same way in every module.

/** A path id as a number, or undefined (the page answers 404). */
export const pathId = (raw: string) => (/^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined);

/** The 403 page with the service's reason. */
export const forbiddenPage = (req: FastifyRequest, reply: FastifyReply, text: string, back: { href: string; label: string }) =>
  sendPage(
    reply,
    403,
    messagePage({ title: '无权访问', heading: '无权访问', text, area: 'staff', staff: req.staff, csrf: reply.generateCsrf(), back }),
  );

/**
 * A refused action: the 404 page (`notFoundText`) outside the viewer's scope, the 403 page with the reason
 * when it is not theirs to take, and otherwise (400 with field messages, 409 not now) the page again.
 */
export function refusalPage<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  res: Exclude<Outcome<T>, { ok: true }>,
  opts: { back: { href: string; label: string }; notFoundText: string },
  again: () => Promise<unknown>,
) {
  if (res.status === 404) return staffNotFound(req, reply, opts.notFoundText);
  if (res.status === 403) return forbiddenPage(req, reply, res.error.message, opts.back);
  return again();
}

/** A flash after a redirect (?done=…), from a fixed list only. */
export const doneFlash = (messages: Record<string, string>, done: string) =>
  Object.hasOwn(messages, done) ? { kind: 'ok' as const, text: html`${messages[done]}` } : null;
