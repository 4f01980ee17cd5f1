import { describe, expect, it } from 'vitest';
import { bigramsOf, snippetOf } from '../../src/publishing/service/site-search.js';

// Issue 15 point 9: the site search's pure parts. A word's bigrams are what the generated
// search_bigrams column must contain (src/publishing/tables.ts); the snippet marks the first match.

describe('bigramsOf', () => {
  it('a two-character word is its own bigram; longer words give each adjacent pair once', () => {
    expect(bigramsOf('食品')).toEqual(['食品']);
    expect(bigramsOf('食品安全')).toEqual(['食品', '品安', '安全']);
    expect(bigramsOf('计量计量')).toEqual(['计量', '量计']);
  });

  it('lower-cases as the column does and drops the cut mark U+0001', () => {
    expect(bigramsOf('CCC')).toEqual(['cc']);
    expect(bigramsOf('食\u0001品')).toEqual(['食品']);
  });
});

describe('snippetOf', () => {
  it('cuts 30 characters before and 60 after the match in the rendered text, marking where it was cut', () => {
    const body = `${'甲'.repeat(40)}**计量**器具${'乙'.repeat(80)}`;
    const s = snippetOf(body, '计量');
    expect(s).toEqual({ before: '甲'.repeat(30), match: '计量', after: `器具${'乙'.repeat(58)}`, cutStart: true, cutEnd: true });
  });

  it('no match in the body (the title matched): the start of the text, nothing marked', () => {
    expect(snippetOf('本期抽检合格。', '食品')).toEqual({ before: '本期抽检合格。', match: '', after: '', cutStart: false, cutEnd: false });
  });

  it('matches Latin letters whatever their case, keeping the text as written', () => {
    expect(snippetOf('强制性产品认证（CCC）。', 'ccc')).toMatchObject({ before: '强制性产品认证（', match: 'CCC', after: '）。' });
  });
});
