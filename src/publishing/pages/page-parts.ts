import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Outcome } from '../../web/outcome.js';
import { refusalPage } from '../../web/refusal.js';
import type { ItemState } from '../rules.js';

export const ITEM_STATE_LABELS: Record<ItemState, string> = { draft: '未发布', published: '已发布', taken_down: '已撤下' };

export { doneFlash, forbiddenPage, pathId } from '../../web/refusal.js';

/** A refused action of the chain's pages (src/web/refusal.ts). */
export const refusal = <T>(
  req: FastifyRequest,
  reply: FastifyReply,
  res: Exclude<Outcome<T>, { ok: true }>,
  back: { href: string; label: string },
  again: () => Promise<unknown>,
) => refusalPage(req, reply, res, { back, notFoundText: '未找到该信息或审核单，或者您无权查看。' }, again);
