import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../../web/html.js';
import { messagePage } from '../../web/layout.js';
import type { Outcome } from '../../web/outcome.js';
import { sendPage, staffNotFound } from '../../web/request.js';
import type { ItemState } from '../rules.js';

export const ITEM_STATE_LABELS: Record<ItemState, string> = { draft: '未发布', published: '已发布', taken_down: '已撤下' };

/** A path id as a number, or undefined (the page answers 404). */
export const pathId = (raw: string) => (/^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined);

/** The 403 page with the service's reason (a drafter deciding their own item, a step that is not theirs). */
export const forbiddenPage = (req: FastifyRequest, reply: FastifyReply, text: string, back: { href: string; label: string }) =>
  sendPage(
    reply,
    403,
    messagePage({ title: '无权访问', heading: '无权访问', text, area: 'staff', staff: req.staff, csrf: reply.generateCsrf(), back }),
  );

/**
 * A refused action: the 404 page outside the viewer's scope, the 403 page with the reason when it is not
 * theirs to take, and otherwise (400 with field messages, 409 not now) the page again with the refusal.
 */
export function refusal<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  res: Exclude<Outcome<T>, { ok: true }>,
  back: { href: string; label: string },
  again: () => Promise<unknown>,
) {
  if (res.status === 404) return staffNotFound(req, reply, '未找到该信息或审核单，或者您无权查看。');
  if (res.status === 403) return forbiddenPage(req, reply, res.error.message, back);
  return again();
}

/** A flash after a redirect (?done=…), from a fixed list only. */
export const doneFlash = (messages: Record<string, string>, done: string) =>
  Object.hasOwn(messages, done) ? { kind: 'ok' as const, text: html`${messages[done]}` } : null;
