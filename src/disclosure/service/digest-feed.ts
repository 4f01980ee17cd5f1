// What the daily digest (src/digest) needs of the disclosure register: every open catalogue round with
// its due date (条例 Art. 26's 20 working days). The digest reads the register only through this function.
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { catalogueEntries, disclosureDocuments } from '../tables.js';

export interface DigestFeedCatalogueRound {
  documentId: number;
  title: string;
  /** The issuing department. */
  departmentId: number;
  dueOn: string;
  dueAt: Date;
}

/** Every open round, for system code only (the digest activity): no viewer, no permission check. One statement. */
export async function openCatalogueRoundsForDigest(db: Executor): Promise<DigestFeedCatalogueRound[]> {
  return db
    .select({
      documentId: catalogueEntries.documentId,
      title: disclosureDocuments.title,
      departmentId: catalogueEntries.departmentId,
      dueOn: catalogueEntries.dueOn,
      dueAt: catalogueEntries.dueAt,
    })
    .from(catalogueEntries)
    .innerJoin(disclosureDocuments, eq(disclosureDocuments.id, catalogueEntries.documentId))
    .where(eq(catalogueEntries.status, 'open'));
}
