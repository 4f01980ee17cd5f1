// What the annual disclosure report (src/annual-report, issue 18) needs of the register: the documents of
// category 规章和行政规范性文件 with their 成文日期 and validity, for table 二 (条例 Art. 20(一)); the report
// reads the register only through this function.
import { and, eq, lte } from 'drizzle-orm';
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
