import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { SEEDED_GUIDE } from '../guide-seed.js';
import { DECIDERS } from '../rules.js';
import { disclosureGuide } from '../tables.js';

// The 政府信息公开指南 (条例 Art. 12): one Markdown page the general office edits; until it first
// saves one, the seeded guide is shown.

/** The guide's Markdown and when it was last edited (null: the seeded text). */
export async function currentGuide(deps: { db: Executor }) {
  const [row] = await deps.db.select().from(disclosureGuide).where(eq(disclosureGuide.id, 1));
  return row
    ? { body: row.body, updatedAt: row.updatedAt, updatedAtText: formatChinaDateTime(row.updatedAt) as string | null }
    : { body: SEEDED_GUIDE, updatedAt: new Date(0), updatedAtText: null };
}

/** The general office saves the guide (audited, the old text kept in the audit row). */
export async function saveGuide(deps: { db: Executor }, viewer: Viewer, body: string) {
  demand(viewer, viewerHolds(viewer, DECIDERS));
  const actor = actorFor(viewer, DECIDERS);
  const before = await currentGuide(deps);
  const now = new Date();
  await deps.db
    .insert(disclosureGuide)
    .values({ id: 1, body, updatedBy: actor.staffId!, updatedAt: now })
    .onConflictDoUpdate({ target: disclosureGuide.id, set: { body, updatedBy: actor.staffId!, updatedAt: now } });
  await recordAudit(deps.db, actor, {
    action: 'disclosure.guide_saved',
    recordType: 'disclosure_guide',
    recordId: 1,
    before: { body: before.body },
    after: { body },
  });
  return currentGuide(deps);
}
