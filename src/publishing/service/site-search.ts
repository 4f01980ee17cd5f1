import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { bodyText } from '../body.js';
import { siteItemVersions } from '../tables.js';
import { byNewest, fullQuery, listMarks, newest, summaries } from './site-rows.js';
import { SITE_PAGE_SIZE } from './site.js';

// Site search over published items (issue 15 point 9). A two-character word (食品, 计量) holds no trigram,
// so pg_trgm's index cannot serve it; every version stores the bigrams of its lower-cased title and body
// (search_bigrams, GIN-indexed, src/publishing/tables.ts). A query is the items whose bigrams contain all
// of the word's, confirmed by a substring match (bigrams alone would also match 食…品 apart).

/** How the stored text is normalised before its bigrams are taken (the same as the generated column). */
const normalise = (s: string) => s.toLowerCase().replaceAll('\u0001', '');

/** The distinct two-character sequences of the word (what `search_bigrams @>` must contain). */
export function bigramsOf(word: string): string[] {
  const chars = [...normalise(word)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

const SNIPPET_BEFORE = 30;
const SNIPPET_AFTER = 60;

/** The passage around the first match in the body's text, split so a page can mark the match. */
export function snippetOf(markdown: string, word: string) {
  const text = bodyText(markdown).replace(/\s+/g, ' ');
  const at = normalise(text).indexOf(normalise(word));
  if (at < 0)
    return { before: text.slice(0, SNIPPET_BEFORE + SNIPPET_AFTER), match: '', after: '', cutStart: false, cutEnd: text.length > 90 };
  const start = Math.max(0, at - SNIPPET_BEFORE);
  const end = Math.min(text.length, at + word.length + SNIPPET_AFTER);
  return {
    before: text.slice(start, at),
    match: text.slice(at, at + word.length),
    after: text.slice(at + word.length, end),
    cutStart: start > 0,
    cutEnd: end < text.length,
  };
}

/**
 * Published items whose title or body contains `q` (two to fifty characters; the caller validated it),
 * newest first, `page` 1-based, 20 a page; `hasNext` when another page follows.
 */
export async function searchSite({ db }: { db: Executor }, q: string, page: number) {
  const word = normalise(q.trim());
  const grams = bigramsOf(word);
  const rows = await fullQuery(
    db,
    sql`${siteItemVersions.searchBigrams} @> ${sql.param(grams)}::text[]
      and strpos(replace(lower(${siteItemVersions.title} || ' ' || ${siteItemVersions.body}), chr(1), ''), ${word}) > 0`,
  )
    .orderBy(...byNewest)
    .limit(SITE_PAGE_SIZE + 1)
    .offset((page - 1) * SITE_PAGE_SIZE);
  const shown = rows.slice(0, SITE_PAGE_SIZE);
  const views = await summaries(db, shown);
  const marks = await listMarks(db);
  return {
    q: q.trim(),
    page,
    hasNext: rows.length > SITE_PAGE_SIZE,
    items: views.map((v, i) => ({ ...v, snippet: snippetOf(shown[i]!.body, word) })),
    lastModified: newest([...marks, ...shown.map((r) => r.updatedPublishedAt)]),
  };
}

export type SearchResult = Awaited<ReturnType<typeof searchSite>>;
