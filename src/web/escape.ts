/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// C0 controls but tab, LF and CR; DEL and C1; the bidi marks, embeddings, overrides and isolates.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Writer text is stored as sent; where it is shown, each control character becomes a visible marker
 * such as `[U+202E]`, so a right-to-left override cannot make "invoice‮fdp.exe" read as "invoiceexe.pdf".
 */
export const neutraliseControls = (s: string) =>
  s.replace(CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);

/** Escapes and neutralises text shown as element content. */
export const escapeText = (s: string) => escapeHtml(neutraliseControls(s));
