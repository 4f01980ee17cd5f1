// The 审核单 as a PDF: the shared sheet drawing of src/web/pdf.ts over the content model of review-sheet.ts.
export { attachmentDisposition, CJK_FONT_PATH, singleSheetPdf as reviewSheetPdf, type PdfResult } from '../../web/pdf.js';
