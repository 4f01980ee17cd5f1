// zod schemas of the answer's side of a request: its delivery (235号) and the answer letter's content model.
import { z } from 'zod';
import { isoDate } from '../server/schema-types.js';
import { DELIVERY_METHOD_LABELS, DELIVERY_METHODS } from './delivery-rules.js';

/** Delivery of the signed answer (国办公开办函〔2016〕235号): posted → 交邮日; direct or via an agency → 签收日. */
export const deliveryBody = z
  .object({
    method: z.enum(DELIVERY_METHODS, { error: `请选择送达方式：${Object.values(DELIVERY_METHOD_LABELS).join('、')}` }),
    postedOn: isoDate.optional(),
    signedOn: isoDate.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.method === 'post' && !b.postedOn) ctx.addIssue({ code: 'custom', path: ['postedOn'], message: '邮寄送达的，请填写交邮日期' });
    if (b.method !== 'post' && !b.signedOn)
      ctx.addIssue({ code: 'custom', path: ['signedOn'], message: '直接送达或委托送达的，请填写签收日期' });
    if (b.method === 'post' && b.postedOn && b.signedOn && b.signedOn < b.postedOn)
      ctx.addIssue({ code: 'custom', path: ['signedOn'], message: '签收日期不能早于交邮日期' });
  });
export type DeliveryBody = z.infer<typeof deliveryBody>;

/** The answer letter's content model (answer-letter.ts), as the API returns it. */
export const answerLetterView = z.object({
  title: z.string(),
  letterNumber: z.string(),
  salutation: z.string(),
  outcomeLine: z.string(),
  paragraphs: z.array(
    z.object({
      section: z.enum(['request', 'decision', 'access', 'responsible_agency', 'fee', 'remedies']),
      text: z.string(),
      lines: z.array(z.string()).optional(),
    }),
  ),
  appealFirst: z.boolean(),
  office: z.string(),
  date: z.string(),
});
