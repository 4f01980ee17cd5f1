// The answer letter as a PDF: the content model of answer-letter.ts drawn as flowing text on A4 with the
// Chinese font embedded (the shared document setup of src/web/pdf.ts, as the 审核单 and the hand-in use).
// pdfkit breaks lines and pages itself; the cursor follows doc.y after each block.
import { sheetPdf, type PdfResult, type SheetCanvas } from '../web/pdf.js';
import type { AnswerLetter } from './answer-letter.js';

const BODY = 12;

interface BlockOptions {
  size?: number;
  align?: 'left' | 'center' | 'right';
  /** Offset of the whole block from the left margin. */
  left?: number;
  /** First-line indent; a Chinese paragraph starts two characters in. */
  firstLine?: number;
  /** Space after the block. */
  gap?: number;
}

function block(c: SheetCanvas, text: string, opts: BlockOptions = {}) {
  const size = opts.size ?? BODY;
  const left = opts.left ?? 0;
  const doc = c.doc.fontSize(size);
  doc.text(text, doc.page.margins.left + left, c.y, {
    width: c.width - left,
    align: opts.align ?? 'left',
    lineGap: size * 0.5,
    indent: opts.firstLine ?? 0,
  });
  c.y = doc.y + (opts.gap ?? size * 0.5);
}

export function drawAnswerLetter(c: SheetCanvas, letter: AnswerLetter) {
  block(c, letter.title, { size: 18, align: 'center', gap: 4 });
  block(c, letter.letterNumber, { size: 11, align: 'center', gap: 16 });
  block(c, letter.salutation);
  block(c, letter.outcomeLine, { firstLine: 2 * BODY });
  for (const p of letter.paragraphs) {
    block(c, p.text, { firstLine: 2 * BODY });
    for (const line of p.lines ?? []) block(c, line, { size: 11, left: 2 * BODY, gap: 2 });
    if (p.lines) c.y += BODY * 0.5;
  }
  c.y += 24;
  c.room(60);
  block(c, letter.office, { align: 'right', gap: 2 });
  block(c, letter.date, { align: 'right' });
}

/** One letter as its own PDF; font_missing where the Chinese font is not installed. */
export const answerLetterPdf = (letter: AnswerLetter, fontPath?: string): Promise<PdfResult> =>
  sheetPdf({ Title: letter.title, Subject: letter.letterNumber }, (c) => drawAnswerLetter(c, letter), fontPath);
