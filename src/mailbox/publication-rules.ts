import { z } from 'zod';
import type { Role } from '../auth/roles.js';

/** A publication's life, declared once: the pgEnum, the zod enum and the type derive from it. */
export const PUBLICATION_STATUSES = ['draft', 'published', 'taken_down'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];
export const publicationStatusSchema = z.enum(PUBLICATION_STATUSES);

/** Why a letter cannot be selected for publication, or null when it can (Art. 15(二); 投诉举报处理暂行办法 Art. 33). */
export function selectionRefusal(letter: {
  status: string;
  allowPublication: boolean;
  type: string;
  reportsPerson: boolean;
}): { status: 409 | 422; message: string } | null {
  if (letter.type === 'report' || letter.reportsPerson) return { status: 409, message: '举报类信件不得公开' };
  if (letter.status !== 'answered') return { status: 409, message: '信件尚未答复' };
  if (!letter.allowPublication) return { status: 409, message: '写信人未同意公开' };
  return null;
}

/** Who selects, edits, approves and takes down published letters: the general office (办公室). */
export const PUBLICATION_EDITORS = ['office'] as const satisfies readonly Role[];
