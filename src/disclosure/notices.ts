import type { Executor } from '../db/client.js';
import { queueOfficeNotice } from '../departments/office-notice.js';
import { cnDate } from '../web/labels.js';

// Notices of the disclosure register, queued in the transaction of what they report (once per dedupe key).

const toOffice = queueOfficeNotice;

/** A catalogue round past its 20 working days (条例 Art. 26): the general office is told once. */
export const queueCatalogueOverdueNotice = (tx: Executor, entryId: number, title: string, dueOn: string) =>
  toOffice(
    tx,
    `catalogue-${entryId}:overdue`,
    'catalogue_overdue',
    `主动公开超期：${title}`,
    `《${title}》属于主动公开范围，应于${cnDate(dueOn)}（含当日）前录入政府信息公开目录并公开（条例第二十六条），现已超期，请督促行政服务中心办理。`,
  );

/** A withheld document's re-review date has come (条例 Art. 18): the general office is reminded once per date. */
export const queueReReviewNotice = (tx: Executor, documentId: number, title: string, reReviewOn: string) =>
  toOffice(
    tx,
    `disclosure-${documentId}:re-review:${reReviewOn}`,
    'disclosure_re_review',
    `不予公开信息到期复核：${title}`,
    `《${title}》的不予公开决定定于${cnDate(reReviewOn)}复核（条例第十八条：不予公开的信息应定期评估，情况变化后可以公开的应当公开），请办公室复核并作出决定。`,
  );
