// The 审核单's one content model lives at the module root (src/publishing/review-sheet.ts), so the hand-in
// module (src/handin) lays out the same sheets; the print page imports it from here.
export { reviewSheet, SHEET_TITLE, type ReviewSheet, type SheetRow, type SheetSection, type Signature } from '../review-sheet.js';
