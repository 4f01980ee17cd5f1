import MarkdownIt from 'markdown-it';

// Item bodies are Markdown rendered by markdown-it with raw HTML off: whatever staff type, a tag comes
// out as text, so no script, style or iframe can reach the public site. Links go only to http(s),
// mailto and the site's own paths (markdown-it's default already refuses javascript:, vbscript:, data:).
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
const allowedLink = /^(https?:|mailto:|\/(?!\/)|#)/i;
md.validateLink = (url: string) => allowedLink.test(url.trim());

// External links open in a new tab without handing the new page a reference to ours.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx]!.attrGet('href') ?? '';
  if (/^https?:/i.test(href)) {
    tokens[idx]!.attrSet('rel', 'noopener noreferrer');
    tokens[idx]!.attrSet('target', '_blank');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** The body as HTML safe to put in a page (already escaped; insert it as trusted). */
export const renderBody = (markdown: string): string => md.render(markdown);

/** The body as plain text (search excerpts, the review form's PDF). */
export const bodyText = (markdown: string): string =>
  md
    .render(markdown)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
