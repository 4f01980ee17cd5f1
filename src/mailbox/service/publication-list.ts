import { desc, eq, sql } from 'drizzle-orm';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { PUBLICATION_EDITORS, type PublicationStatus } from '../publication-rules.js';
import { letterPublications, letters } from '../tables.js';
import type { MaskedFieldName } from './publication-copy.js';

/** How many of each status the office's list shows at most (newest first). */
export const PUBLICATION_LIST_LIMIT = 50;

/**
 * The office's publications of one status, newest first: the masked subject, the letter's number, the
 * unsure places (all, and those still open) and the dates. Texts and masking stay in the database.
 */
export async function listPublications(
  { db }: { db: Database },
  viewer: Viewer,
  status: PublicationStatus,
  limit = PUBLICATION_LIST_LIMIT,
) {
  demand(viewer, viewerHolds(viewer, PUBLICATION_EDITORS));
  // The field names are this module's constants, never input.
  const key = (f: MaskedFieldName) => sql.raw(`'${f}'`);
  const unsureOf = (f: MaskedFieldName) => sql<number>`jsonb_array_length(${letterPublications.masking} -> ${key(f)} -> 'unsure')`;
  const openOf = (f: MaskedFieldName) =>
    sql<number>`case when ${letterPublications[f]} = ${letterPublications.masking} -> ${key(f)} ->> 'masked' then ${unsureOf(f)} else 0 end`;
  const rows = await db
    .select({
      id: letterPublications.id,
      trackingNo: letters.trackingNo,
      status: letterPublications.status,
      subject: letterPublications.subject,
      type: letterPublications.type,
      departmentId: letterPublications.departmentId,
      unsureCount: sql<number>`(${unsureOf('subject')} + ${unsureOf('content')} + ${unsureOf('answer')})::int`,
      unsureOpen: sql<number>`(${openOf('subject')} + ${openOf('content')} + ${openOf('answer')})::int`,
      unsureConfirmed: sql<boolean>`${letterPublications.unsureConfirmedBy} is not null`,
      edited: sql<boolean>`${letterPublications.editedAt} is not null`,
      answeredAt: letterPublications.answeredAt,
      publishedAt: letterPublications.publishedAt,
      takenDownAt: letterPublications.takenDownAt,
      takeDownReason: letterPublications.takeDownReason,
    })
    .from(letterPublications)
    .innerJoin(letters, eq(letters.id, letterPublications.letterId))
    .where(eq(letterPublications.status, status))
    .orderBy(desc(letterPublications.id))
    .limit(limit);
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  const time = (d: Date | null) => (d ? formatChinaDateTime(d) : null);
  return rows.map((r) => ({
    ...r,
    department: depts.get(r.departmentId) ?? '',
    answeredAt: formatChinaDateTime(r.answeredAt),
    publishedAt: time(r.publishedAt),
    takenDownAt: time(r.takenDownAt),
  }));
}
