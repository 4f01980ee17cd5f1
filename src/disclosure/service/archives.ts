import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { and, desc, eq, sql } from 'drizzle-orm';
import yazl from 'yazl';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import { AppError, badRequest } from '../../server/errors.js';
import { ARCHIVE_KINDS, ARCHIVE_LABELS, ARCHIVE_SENDERS } from '../rules.js';
import type { deliveryBody } from '../schemas.js';
import { archiveDeliveries, catalogueEntries } from '../tables.js';
import { catalogueCsv, entriesPdf } from './archive-files.js';
import { addPackageTexts } from './archive-texts.js';
import type { DisclosureDeps } from './deps.js';

// The two reading rooms (两馆, 条例 Art. 25; measures Art. 28): the general office sends the provincial
// library's and archive's disclosure reading rooms the proactive information of a period, on paper and
// electronically. The package is one ZIP, streamed (yazl: a small, well-kept streaming ZIP writer, so a
// year of entries is never built in memory); each delivery is recorded; the office sees what is not yet
// delivered.

export const CJK_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const BAD = '提交的内容有误，请检查标注的字段';

function checkPeriod(from: string, to: string) {
  if (from > to) throw badRequest(BAD, { 'querystring.to': '结束日期不能早于开始日期' });
}

/**
 * The package of the entries published in [from, to]: 目录.csv, 目录.pdf (the printable list),
 * 移交清单.pdf (the transmittal list with signature lines) and the electronic texts under 正文/, as a
 * ZIP stream.
 */
export function archivePackage(
  deps: Pick<DisclosureDeps, 'db'>,
  viewer: Viewer,
  q: { from: string; to: string },
  fontPath = CJK_FONT_PATH,
) {
  demand(viewer, viewerHolds(viewer, ARCHIVE_SENDERS));
  checkPeriod(q.from, q.to);
  if (!existsSync(fontPath)) throw new AppError(503, 'font_missing', '服务器缺少中文字体（fonts-wqy-microhei），暂时无法生成 PDF');
  const zip = new yazl.ZipFile();
  const period = `${q.from} 至 ${q.to}`;
  zip.addReadStream(catalogueCsv(deps.db, q.from, q.to), '目录.csv');
  zip.addReadStream(
    entriesPdf(deps.db, { ...q, fontPath, title: '福建省市场监督管理局主动公开政府信息目录', subtitle: `公开时间：${period}` }),
    '目录.pdf',
  );
  zip.addReadStream(
    entriesPdf(deps.db, {
      ...q,
      fontPath,
      title: '政府信息公开资料移交清单',
      subtitle: `移交单位：福建省市场监督管理局办公室　　公开时间：${period}`,
      signatures: ['移交人：', '接收人：', '移交日期：'],
    }),
    '移交清单.pdf',
  );
  const output = zip.outputStream as Readable;
  addPackageTexts(zip, deps.db, q.from, q.to).then(
    () => zip.end(),
    (err: Error) => output.destroy(err),
  );
  return { filename: `xxgk-${q.from}-${q.to}.zip`, stream: output };
}

/** Records a delivery to one reading room (paper and/or electronic), with the count of entries it covers. */
export async function recordDelivery(
  deps: Pick<DisclosureDeps, 'db'>,
  viewer: Viewer,
  input: z.infer<typeof deliveryBody>,
  now = new Date(),
) {
  demand(viewer, viewerHolds(viewer, ARCHIVE_SENDERS));
  if (input.from > input.to) throw badRequest(BAD, { 'body.to': '结束日期不能早于开始日期' });
  if (!input.paper && !input.electronic) throw badRequest(BAD, { 'body.paper': '请至少选择纸质或电子一种方式' });
  if (input.deliveredOn > dayToIso(chinaDayOf(now))) throw badRequest(BAD, { 'body.deliveredOn': '移交日期不能晚于今天' });
  const actor = actorFor(viewer, ARCHIVE_SENDERS);
  return deps.db.transaction(async (tx) => {
    const [{ count }] = (await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(catalogueEntries)
      .where(
        and(
          eq(catalogueEntries.status, 'published'),
          sql`(${catalogueEntries.publishedAt} at time zone 'Asia/Shanghai')::date between ${input.from} and ${input.to}`,
        ),
      )) as [{ count: number }];
    const [row] = await tx
      .insert(archiveDeliveries)
      .values({
        archive: input.archive,
        periodFrom: input.from,
        periodTo: input.to,
        paper: input.paper,
        electronic: input.electronic,
        entryCount: count,
        deliveredOn: input.deliveredOn,
        note: input.note,
        deliveredBy: actor.staffId!,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'disclosure.archive_delivered',
      recordType: 'archive_delivery',
      recordId: row!.id,
      after: { ...input, entryCount: count },
    });
    return deliveryView(row!);
  });
}

const deliveryView = (d: typeof archiveDeliveries.$inferSelect) => ({
  id: d.id,
  archive: d.archive,
  archiveName: ARCHIVE_LABELS[d.archive],
  from: d.periodFrom,
  to: d.periodTo,
  paper: d.paper,
  electronic: d.electronic,
  entryCount: d.entryCount,
  deliveredOn: d.deliveredOn,
  note: d.note,
});

/**
 * The deliveries, newest first, and per reading room what is not yet delivered: the published entries
 * whose publication day no delivery to that room covers (paper or electronic), their count and the
 * earliest such day.
 */
export async function listDeliveries(deps: Pick<DisclosureDeps, 'db'>, viewer: Viewer) {
  demand(viewer, viewerHolds(viewer, ARCHIVE_SENDERS));
  const rows = await deps.db
    .select()
    .from(archiveDeliveries)
    .orderBy(desc(archiveDeliveries.deliveredOn), desc(archiveDeliveries.id))
    .limit(200);
  const pending = [];
  for (const archive of ARCHIVE_KINDS) {
    const publishedDay = sql`(${catalogueEntries.publishedAt} at time zone 'Asia/Shanghai')::date`;
    const [row] = (await deps.db
      .select({ count: sql<number>`count(*)::int`, earliest: sql<string | null>`min(${publishedDay})::text` })
      .from(catalogueEntries)
      .where(
        and(
          eq(catalogueEntries.status, 'published'),
          sql`not exists (select 1 from ${archiveDeliveries} d where d.archive = ${archive} and ${publishedDay} between d.period_from and d.period_to)`,
        ),
      )) as [{ count: number; earliest: string | null }];
    pending.push({ archive, archiveName: ARCHIVE_LABELS[archive], undelivered: row.count, earliestUndelivered: row.earliest });
  }
  return { deliveries: rows.map(deliveryView), pending };
}
