// What the annual disclosure report (src/annual-report, issue 18) needs of the register: the documents of
// category 规章和行政规范性文件 with their 成文日期 and validity, for table 二 (条例 Art. 20(一)); the report
// reads the register only through this function.
import { and, eq, lte, sql } from 'drizzle-orm';
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { BUREAU_WIDE_READERS, type Validity } from '../rules.js';
import { disclosureDocuments } from '../tables.js';

export interface AnnualFeedDocument {
  id: number;
  title: string;
  docNumber: string | null;
  formedOn: string;
  validity: Validity;
  validityChangedOn: string | null;
}

/** The register's 规章和行政规范性文件 formed by the end of `year`. One statement. */
export async function normativeDocumentsForAnnualReport(db: Executor, viewer: Viewer, year: number): Promise<AnnualFeedDocument[]> {
  demand(viewer, viewerHolds(viewer, BUREAU_WIDE_READERS));
  return db
    .select({
      id: disclosureDocuments.id,
      title: disclosureDocuments.title,
      docNumber: disclosureDocuments.docNumber,
      formedOn: disclosureDocuments.formedOn,
      validity: disclosureDocuments.validity,
      validityChangedOn: disclosureDocuments.validityChangedOn,
    })
    .from(disclosureDocuments)
    .where(and(eq(disclosureDocuments.category, 'regulation'), lte(disclosureDocuments.formedOn, `${year}-12-31`)))
    .orderBy(disclosureDocuments.formedOn, disclosureDocuments.id);
}

/**
 * The catalogue entries published in `year` (China dates), each round once (a changed document's new round
 * is a new entry): 国办函〔2018〕12号's 信息发布 · 信息公开目录 figure on the annual report's second page.
 */
export async function catalogueEntriesPublishedIn(db: Executor, viewer: Viewer, year: number): Promise<number> {
  demand(viewer, viewerHolds(viewer, BUREAU_WIDE_READERS));
  const rows = await db.execute<{ n: number }>(sql`
    select count(*)::int n from catalogue_entries
    where published_at >= ${`${year}-01-01T00:00:00+08:00`}::timestamptz and published_at < ${`${year + 1}-01-01T00:00:00+08:00`}::timestamptz`);
  return rows[0]?.n ?? 0;
}
