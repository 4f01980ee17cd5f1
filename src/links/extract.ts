// The links inside an item's text (Markdown, or the HTML of a page), as absolute URLs or site paths.
// Pure: no I/O.

const MARKDOWN_LINK = /\]\(\s*<?([^)\s>]+)/g;
const BARE_URL = /https?:\/\/[^\s)<>"'，。；、）】]+/g;
const HREF = /\bhref\s*=\s*"([^"]*)"/gi;

/** The http(s) URLs and the site paths ("/items/3") a Markdown body links to, each once, in order. */
export function linksInMarkdown(markdown: string): string[] {
  const out = new Set<string>();
  for (const m of markdown.matchAll(MARKDOWN_LINK)) out.add(m[1]!);
  for (const m of markdown.matchAll(BARE_URL)) out.add(m[0].replace(/[.,;:!?]+$/, ''));
  return [...out].filter((u) => /^https?:\/\//i.test(u) || (u.startsWith('/') && !u.startsWith('//')));
}

/** The hrefs of a page's HTML, resolved against the page's URL; http(s) only, fragments dropped, each once. */
export function linksInHtml(html: string, base: URL): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(HREF)) {
    const raw = m[1]!.replace(/&amp;/g, '&');
    if (raw === '' || raw.startsWith('#') || /^(mailto|tel|javascript|data):/i.test(raw)) continue;
    try {
      const u = new URL(raw, base);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
      u.hash = '';
      out.add(u.href);
    } catch {
      // not a URL: nothing to check
    }
  }
  return [...out];
}
