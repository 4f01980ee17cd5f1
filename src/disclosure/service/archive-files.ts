import { Readable } from 'node:stream';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { DOCUMENT_CATEGORY_FACTS, VALIDITY_LABELS } from '../rules.js';
import { catalogueEntries, disclosureDocuments, disclosureTexts } from '../tables.js';

// The files of a package for the two reading rooms (两馆): the catalogue as CSV and as a printable PDF
// list, and the transmittal list (移交清单) to sign. Each file reads the entries in pages of 1,000 as it is
// written, so a year of entries never sits in memory as rows.

const PAGE = 1000;
const publishedDay = sql`(${catalogueEntries.publishedAt} at time zone 'Asia/Shanghai')::date`;

export interface PackageEntry {
  id: number;
  indexNo: string;
  name: string;
  summary: string;
  generatedOn: string;
  docNumber: string | null;
  publisher: string;
  category: string;
  subject: string;
  publishedAt: string;
  validity: string;
  /** The electronic text the public saw with the entry (the newest uploaded by its publication), if any. */
  text: { id: number; filename: string; path: string } | null;
}

/** The text's name inside the package: 正文/<索引号>-<round>.<ext>, unique per entry (a round per change). */
export function textPathOf(indexNo: string, round: number, filename: string) {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1]?.toLowerCase();
  const safe = indexNo.replace(/[\\/:*?"<>|\s]/g, '_') || 'entry';
  return `正文/${safe}-${round}${ext ? `.${ext}` : ''}`;
}

/** The newest text uploaded by the entry's publication, as textAsOf picks it for the public page. */
const textAsOfPublication = sql<{ id: number; filename: string } | null>`(
  select json_build_object('id', t.id, 'filename', t.filename) from ${disclosureTexts} t
  where t.document_id = ${catalogueEntries.documentId} and t.uploaded_at <= ${catalogueEntries.publishedAt}
  order by t.uploaded_at desc, t.id desc limit 1)`;

/** The published entries whose publication day (China time) is in [from, to], in id order, a page at a time. */
export async function* packageEntries(db: Executor, from: string, to: string): AsyncGenerator<PackageEntry[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({ e: catalogueEntries, validity: disclosureDocuments.validity, text: textAsOfPublication })
      .from(catalogueEntries)
      .innerJoin(disclosureDocuments, eq(disclosureDocuments.id, catalogueEntries.documentId))
      .where(and(eq(catalogueEntries.status, 'published'), sql`${publishedDay} between ${from} and ${to}`, gt(catalogueEntries.id, after)))
      .orderBy(asc(catalogueEntries.id))
      .limit(PAGE);
    if (rows.length === 0) return;
    after = rows.at(-1)!.e.id;
    yield rows.map(({ e, validity, text }) => ({
      id: e.id,
      indexNo: e.indexNo ?? '',
      name: e.name ?? '',
      summary: e.summary ?? '',
      generatedOn: e.generatedOn ?? '',
      docNumber: e.docNumber,
      publisher: e.publisher ?? '',
      category: DOCUMENT_CATEGORY_FACTS[e.category].label,
      subject: e.subject,
      publishedAt: formatChinaDateTime(e.publishedAt!).slice(0, 16).replace('T', ' '),
      validity: VALIDITY_LABELS[validity],
      text: text ? { ...text, path: textPathOf(e.indexNo ?? '', e.round, text.filename) } : null,
    }));
    if (rows.length < PAGE) return;
  }
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
export const CSV_HEADER = [
  '索引号',
  '名称',
  '内容概述',
  '生成日期',
  '文号',
  '发布机构',
  '信息类别',
  '主题分类',
  '公开时间',
  '效力状态',
  '电子文本',
];

/** The catalogue as CSV, UTF-8 with a byte-order mark (so a spreadsheet opens the Chinese right). */
export function catalogueCsv(db: Executor, from: string, to: string): Readable {
  return Readable.from(
    (async function* () {
      yield `\uFEFF${CSV_HEADER.join(',')}\r\n`;
      for await (const page of packageEntries(db, from, to)) {
        yield (
          page
            .map((e) =>
              [
                e.indexNo,
                e.name,
                e.summary,
                e.generatedOn,
                e.docNumber ?? '',
                e.publisher,
                e.category,
                e.subject,
                e.publishedAt,
                e.validity,
                e.text?.path ?? '（无电子文本）',
              ]
                .map(csvField)
                .join(','),
            )
            .join('\r\n') + '\r\n'
        );
      }
    })(),
  );
}

/**
 * A stream that creates its source only when first read (the ZIP reads its files one after the other, so
 * each PDF is written while it is being read, not all at once), passing the consumer's backpressure on.
 */
export function lazy(start: () => Readable): Readable {
  let source: Readable | undefined;
  return new Readable({
    read() {
      if (source) {
        source.resume();
        return;
      }
      source = start();
      source.on('data', (chunk: Buffer) => {
        if (!this.push(chunk)) source!.pause();
      });
      source.on('end', () => this.push(null));
      source.on('error', (err) => this.destroy(err));
    },
  });
}

/**
 * pdfkit keeps the layout of every distinct text it measured or drew (a CJK cell has no spaces to split it
 * at), which grew past a 192 MB heap at 20,000 rows; with the cache off (`fontLayoutCache: false`) every cell
 * is laid out twice (its height, then its text) and the year took 4× as long. So the cache is kept within
 * a page of entries and emptied after it. `layoutCache` is pdfkit 0.17's EmbeddedFont field: if a later
 * version renames it this does nothing and bench/archives.ts (192 MB heap) shows the growth.
 */
function forgetLayouts(doc: unknown) {
  const font = (doc as { _font?: { layoutCache?: unknown } })._font;
  if (font?.layoutCache) font.layoutCache = Object.create(null);
}

/** Waits while more than this much of a PDF's output is unread (pdfkit itself ignores backpressure). */
const UNREAD_HIGH_WATER = 1024 * 1024;
async function drained(doc: { readableLength: number }) {
  while (doc.readableLength > UNREAD_HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
}

/**
 * A table of the entries as a PDF (the printable catalogue list, or the transmittal list with its
 * signature lines), with the CJK font; written as the pages of entries arrive.
 */
export function entriesPdf(
  db: Executor,
  opts: { from: string; to: string; title: string; subtitle: string; fontPath: string; signatures?: string[] },
): Readable {
  return lazy(() => writeEntriesPdf(db, opts));
}

function writeEntriesPdf(
  db: Executor,
  opts: { from: string; to: string; title: string; subtitle: string; fontPath: string; signatures?: string[] },
): Readable {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: opts.title } });
  doc.registerFont('cjk', opts.fontPath, 'WenQuanYiMicroHei');
  doc.font('cjk');
  const cols = [
    { label: '序号', width: 40 },
    { label: '索引号', width: 150 },
    { label: '名称', width: 270 },
    { label: '文号', width: 120 },
    { label: '生成日期', width: 70 },
    { label: '公开时间', width: 100 },
  ];
  const left = 36;
  let y = 36;
  const bottom = () => doc.page.height - 36;
  const row = (cells: string[], head = false) => {
    doc.fontSize(head ? 9.5 : 9);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: cols[i]!.width - 6 }))) + 6;
    if (y + h > bottom()) {
      doc.addPage();
      y = 36;
    }
    let x = left;
    cells.forEach((c, i) => {
      doc.rect(x, y, cols[i]!.width, h).stroke('#000');
      doc.text(c, x + 3, y + 3, { width: cols[i]!.width - 6 });
      x += cols[i]!.width;
    });
    y += h;
  };
  void (async () => {
    try {
      doc.fontSize(15).text(opts.title, left, y, { align: 'center', width: doc.page.width - 72 });
      doc.fontSize(10).text(opts.subtitle, { align: 'center', width: doc.page.width - 72 });
      y = doc.y + 10;
      doc.lineWidth(0.5);
      row(
        cols.map((c) => c.label),
        true,
      );
      let n = 0;
      for await (const page of packageEntries(db, opts.from, opts.to)) {
        for (const e of page) row([String(++n), e.indexNo, e.name, e.docNumber ?? '', e.generatedOn, e.publishedAt]);
        forgetLayouts(doc);
        await drained(doc);
      }
      if (opts.signatures) {
        if (y + 80 > bottom()) {
          doc.addPage();
          y = 36;
        }
        doc.fontSize(11).text(`共 ${n} 条。`, left, y + 12);
        doc.text(opts.signatures.join('　　　　　　　　'), left, doc.y + 24);
      }
      doc.end();
    } catch (err) {
      doc.destroy(err as Error);
    }
  })();
  return doc;
}
