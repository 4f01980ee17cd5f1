import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { ReviewSheet } from './review-sheet.js';

// The 审核单 as a PDF (pdfkit), laid out from the same content model as the print page. pdfkit's
// standard fonts have no Chinese glyphs: it embeds (a subset of) WenQuanYi Micro Hei, Debian's
// fonts-wqy-microhei, which .ci/run installs. A .ttc holds several faces: fontkit picks one by its
// PostScript name ('WenQuanYiMicroHei'; the family name 'WenQuanYi Micro Hei' finds none).

export const CJK_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const CJK_FACE = 'WenQuanYiMicroHei';

export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; reason: 'font_missing' };

const MARGIN = 50;
const LABEL_WIDTH = 150;
const PAD = 5;

export async function reviewSheetPdf(sheet: ReviewSheet, fontPath = CJK_FONT_PATH): Promise<PdfResult> {
  if (!existsSync(fontPath)) return { ok: false, reason: 'font_missing' };
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: sheet.title, Subject: sheet.number } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontPath, CJK_FACE);
  doc.font('cjk');

  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  let y = MARGIN;
  const room = (h: number) => {
    if (y + h > bottom()) {
      doc.addPage();
      y = MARGIN;
    }
  };
  /** One row of cells with borders, as tall as its tallest text. */
  const row = (cells: { text: string; width: number }[], opts: { fill?: string; size?: number } = {}) => {
    doc.fontSize(opts.size ?? 10.5);
    const h = Math.max(...cells.map((c) => doc.heightOfString(c.text || ' ', { width: c.width - 2 * PAD }))) + 2 * PAD;
    room(h);
    let x = MARGIN;
    for (const c of cells) {
      if (opts.fill) doc.rect(x, y, c.width, h).fillAndStroke(opts.fill, '#000');
      else doc.rect(x, y, c.width, h).stroke('#000');
      doc.fillColor('#000').text(c.text, x + PAD, y + PAD, { width: c.width - 2 * PAD });
      x += c.width;
    }
    y += h;
  };

  doc.fontSize(16).text(sheet.title, MARGIN, y, { width, align: 'center' });
  y = doc.y + 6;
  doc.fontSize(10).text(sheet.number, MARGIN, y, { width, align: 'right' });
  y = doc.y + 6;
  doc.lineWidth(0.7);
  for (const s of sheet.sections) {
    row([{ text: s.heading, width }], { fill: '#eeeeee', size: 11 });
    for (const r of s.rows)
      row([
        { text: r.label, width: LABEL_WIDTH },
        { text: r.value, width: width - LABEL_WIDTH },
      ]);
  }
  y += 14;
  room(80);
  const w = width / sheet.signatures.length;
  row(
    sheet.signatures.map((sig) => ({ text: sig.role, width: w })),
    { fill: '#eeeeee', size: 11 },
  );
  row(sheet.signatures.map((sig) => ({ text: `签名：${sig.name}\n时间：${sig.time}`, width: w })));
  doc.end();
  await done;
  return { ok: true, pdf: Buffer.concat(chunks) };
}

/** Content-Disposition for a download: an ASCII name for old clients, the Chinese one as filename*. */
export function attachmentDisposition(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
