import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

// Sheets (label/value tables with signatures, e.g. the 审核单) as PDF (pdfkit). pdfkit's
// standard fonts have no Chinese glyphs: it embeds (a subset of) WenQuanYi Micro Hei, Debian's
// fonts-wqy-microhei, which .ci/run installs. A .ttc holds several faces: fontkit picks one by its
// PostScript name ('WenQuanYiMicroHei'; the family name 'WenQuanYi Micro Hei' finds none).
// Shared by the review form's PDF (src/publishing) and the quarterly hand-in of forms (src/handin), which
// draws many sheets and a cover into one document.

export interface SheetRow {
  label: string;
  value: string;
}
export interface SheetSection {
  heading: string;
  rows: SheetRow[];
}
export interface Signature {
  /** Who signs in that place: 起草人, 处室负责人, 分管局领导, 应急宣传处. */
  role: string;
  name: string;
  time: string;
}
export interface ReviewSheet {
  title: string;
  number: string;
  sections: SheetSection[];
  signatures: Signature[];
}

export const CJK_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const CJK_FACE = 'WenQuanYiMicroHei';

export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; reason: 'font_missing' };

const MARGIN = 50;
const LABEL_WIDTH = 150;
const PAD = 5;

/** A drawing surface over one pdfkit document: bordered table rows that break pages as needed. */
export class SheetCanvas {
  y = MARGIN;
  readonly width: number;
  constructor(readonly doc: PDFKit.PDFDocument) {
    this.width = doc.page.width - 2 * MARGIN;
  }
  newPage() {
    this.doc.addPage();
    this.y = MARGIN;
  }
  room(h: number) {
    if (this.y + h > this.doc.page.height - MARGIN) this.newPage();
  }
  /** One row of cells with borders, as tall as its tallest text. */
  row(cells: { text: string; width: number }[], opts: { fill?: string; size?: number } = {}) {
    const doc = this.doc;
    doc.fontSize(opts.size ?? 10.5);
    const h = Math.max(...cells.map((c) => doc.heightOfString(c.text || ' ', { width: c.width - 2 * PAD }))) + 2 * PAD;
    this.room(h);
    let x = MARGIN;
    for (const c of cells) {
      if (opts.fill) doc.rect(x, this.y, c.width, h).fillAndStroke(opts.fill, '#000');
      else doc.rect(x, this.y, c.width, h).stroke('#000');
      doc.fillColor('#000').text(c.text, x + PAD, this.y + PAD, { width: c.width - 2 * PAD });
      x += c.width;
    }
    this.y += h;
  }
  /** A heading line (centred title or a right-aligned number). */
  line(text: string, size: number, align: 'center' | 'right' | 'left') {
    this.doc.fontSize(size).text(text, MARGIN, this.y, { width: this.width, align });
    this.y = this.doc.y + 6;
  }
  /** A label/value table row. */
  labelled(label: string, value: string) {
    this.row([
      { text: label, width: LABEL_WIDTH },
      { text: value, width: this.width - LABEL_WIDTH },
    ]);
  }
}

/** One 审核单 from the current position (the caller starts a new page for every sheet after the first). */
export function drawSheet(c: SheetCanvas, sheet: ReviewSheet) {
  c.line(sheet.title, 16, 'center');
  c.line(sheet.number, 10, 'right');
  c.doc.lineWidth(0.7);
  for (const s of sheet.sections) {
    c.row([{ text: s.heading, width: c.width }], { fill: '#eeeeee', size: 11 });
    for (const r of s.rows) c.labelled(r.label, r.value);
  }
  c.y += 14;
  c.room(80);
  const w = c.width / sheet.signatures.length;
  c.row(
    sheet.signatures.map((sig) => ({ text: sig.role, width: w })),
    { fill: '#eeeeee', size: 11 },
  );
  c.row(sheet.signatures.map((sig) => ({ text: `签名：${sig.name}\n时间：${sig.time}`, width: w })));
}

/** A PDF with the Chinese font embedded, drawn by `draw`; font_missing where the font is not installed. */
export async function sheetPdf(
  info: { Title: string; Subject: string },
  draw: (c: SheetCanvas) => void,
  fontPath = CJK_FONT_PATH,
): Promise<PdfResult> {
  if (!existsSync(fontPath)) return { ok: false, reason: 'font_missing' };
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontPath, CJK_FACE);
  doc.font('cjk');
  draw(new SheetCanvas(doc));
  doc.end();
  await done;
  return { ok: true, pdf: Buffer.concat(chunks) };
}

/** One sheet as its own PDF. */
export const singleSheetPdf = (sheet: ReviewSheet, fontPath = CJK_FONT_PATH): Promise<PdfResult> =>
  sheetPdf({ Title: sheet.title, Subject: sheet.number }, (c) => drawSheet(c, sheet), fontPath);

/** Content-Disposition for a download: an ASCII name for old clients, the Chinese one as filename*. */
export function attachmentDisposition(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
