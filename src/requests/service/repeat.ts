import { and, eq, ne, sql } from 'drizzle-orm';
import { chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { findRepeatedRequest, normaliseIdentity } from '../repeat-rules.js';
import { disclosureRequests } from '../tables.js';
import type { RequestRow } from './clock.js';

/**
 * An earlier answered request of the same applicant for the same information (条例 Art. 36(六),
 * repeat-rules.ts), offered to the office while it routes and drafts; choosing 不予处理 2 (重复申请) stays the
 * office's decision. The identity number is compared as the rule folds it (NFKC, upper case, no spaces or
 * dashes): PostgreSQL narrows the candidates the same way, the rule decides. Answered = concluded, on its day.
 */
export async function repeatOfRow(db: Executor, row: RequestRow) {
  if (row.status !== 'in_progress' || !row.receivedAt) return null;
  const identity = { type: row.idDocumentType, number: row.idDocumentNumber };
  const folded = normaliseIdentity(identity).split('|')[1]!;
  const candidates = await db
    .select()
    .from(disclosureRequests)
    .where(
      and(
        eq(disclosureRequests.status, 'concluded'),
        eq(disclosureRequests.idDocumentType, row.idDocumentType),
        ne(disclosureRequests.id, row.id),
        sql`regexp_replace(upper(normalize(${disclosureRequests.idDocumentNumber}, NFKC)), '[[:space:]‐－-]', '', 'g') = ${folded}`,
      ),
    );
  const match = findRepeatedRequest(
    {
      identity,
      sought: { title: row.infoTitle, documentNumber: row.infoDocNumber, description: row.infoDescription },
      receivedAt: row.receivedAt,
    },
    candidates.map((c) => ({
      row: c,
      identity: { type: c.idDocumentType, number: c.idDocumentNumber },
      sought: { title: c.infoTitle, documentNumber: c.infoDocNumber, description: c.infoDescription },
      outcome: c.outcome,
      answeredAt: c.concludedOn ? chinaMidnight(parseIsoDate(c.concludedOn)!) : null,
    })),
  );
  return match ? { number: match.earlier.row.number, answeredOn: match.earlier.row.concludedOn!, by: match.by } : null;
}
