import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { notFound } from '../../server/errors.js';
import type { LetterType } from '../case-rules.js';
import { letterPublications } from '../tables.js';

// What the public sees of a published letter: masked texts, type, answering department and China
// dates. Never the tracking number, access code, writer's details or attachments.

export const PUBLISHED_PAGE_SIZE = 20;

export interface PublishedQuery {
  q?: string | undefined;
  type?: LetterType | undefined;
  departmentId?: number | undefined;
  /** Keyset cursor: the last id of the previous page (the list runs newest publication id first). */
  before?: number | undefined;
  limit?: number | undefined;
}

const chinaDate = (d: Date) => dayToIso(chinaDayOf(d));

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of published letters, filtered and searched (pg_trgm index on subject || ' ' || content). */
export async function listPublished({ db }: { db: Database }, query: PublishedQuery) {
  const limit = query.limit ?? PUBLISHED_PAGE_SIZE;
  const where: SQL[] = [eq(letterPublications.status, 'published')];
  if (query.type) where.push(eq(letterPublications.type, query.type));
  if (query.departmentId) where.push(eq(letterPublications.departmentId, query.departmentId));
  if (query.before) where.push(lt(letterPublications.id, query.before));
  const q = query.q?.trim();
  if (q) where.push(sql`(${letterPublications.subject} || ' ' || ${letterPublications.content}) ilike ${likePattern(q)}`);
  const rows = await db
    .select({
      id: letterPublications.id,
      subject: letterPublications.subject,
      type: letterPublications.type,
      departmentId: letterPublications.departmentId,
      receivedAt: letterPublications.receivedAt,
      answeredAt: letterPublications.answeredAt,
    })
    .from(letterPublications)
    .where(and(...where))
    .orderBy(desc(letterPublications.id))
    .limit(limit + 1);
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      subject: r.subject,
      type: r.type,
      department: depts.get(r.departmentId) ?? '',
      receivedDate: chinaDate(r.receivedAt),
      answeredDate: chinaDate(r.answeredAt),
    })),
    nextBefore: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

/** One published letter; 404 for drafts and letters taken down (consent withdrawn, reports, by the office). */
export async function getPublished({ db }: { db: Database }, id: number) {
  const [r] = await db
    .select()
    .from(letterPublications)
    .where(and(eq(letterPublications.id, id), eq(letterPublications.status, 'published')));
  if (!r) throw notFound('未找到该公开信件');
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  return {
    id: r.id,
    subject: r.subject,
    type: r.type,
    department: depts.get(r.departmentId) ?? '',
    receivedDate: chinaDate(r.receivedAt),
    answeredDate: chinaDate(r.answeredAt),
    content: r.content,
    answer: r.answer,
  };
}
