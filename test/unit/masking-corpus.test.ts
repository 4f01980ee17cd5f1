// Issue 14, point 4: the masker against 280 synthetic letters whose personal data is marked inline
// (test/fixtures/masking-corpus). Recall must be 100%, precision at least 95%; both are printed.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskText, PII_KINDS } from '../../src/mailbox/masking/index.js';
import type { CorpusLetter } from '../fixtures/masking-corpus/generate.js';
import { unmark } from '../fixtures/masking-corpus/markup.js';

const letters = JSON.parse(fs.readFileSync(new URL('../fixtures/masking-corpus/letters.json', import.meta.url), 'utf8')) as CorpusLetter[];

const runs = letters.map((letter) => {
  const { text, expected } = unmark(letter.marked);
  const result = maskText({ text, writerName: letter.writerName, writerPhone: letter.writerPhone });
  const missed = expected.filter((e) => !result.spans.some((s) => s.start <= e.start && e.end <= s.end));
  const wrong = result.spans.filter((s) => !expected.some((e) => s.start < e.end && e.start < s.end));
  const leaked = expected.filter((e) => result.masked.includes(e.text));
  return { letter, text, expected, result, missed, wrong, leaked };
});

describe('masking corpus (个人信息保护法 Art. 25/73; 2018 政务公开工作要点: publish only de-identified)', () => {
  it('has at least 150 letters holding every kind of personal data, in letters and in answers', () => {
    expect(letters.length).toBeGreaterThanOrEqual(150);
    const kinds = new Set(runs.flatMap((r) => r.expected.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual([...PII_KINDS].sort());
    expect(new Set(letters.map((l) => l.type))).toEqual(new Set(['complaint', 'report', 'inquiry', 'suggestion', 'answer']));
  });

  it('masks every marked item (recall 100%) with precision of at least 95%, and no marked text survives', () => {
    const items = runs.reduce((n, r) => n + r.expected.length, 0);
    const covered = items - runs.reduce((n, r) => n + r.missed.length, 0);
    const masked = runs.reduce((n, r) => n + r.result.spans.length, 0);
    const right = masked - runs.reduce((n, r) => n + r.wrong.length, 0);
    const unsure = runs.reduce((n, r) => n + r.result.unsure.length, 0);
    const perKind = PII_KINDS.map((k) => `${k} ${runs.reduce((n, r) => n + r.expected.filter((e) => e.kind === k).length, 0)}`).join(', ');
    console.log(
      `[masking corpus] ${letters.length} letters, ${items} personal-data items (${perKind})\n` +
        `[masking corpus] recall ${((100 * covered) / items).toFixed(2)}% (${covered}/${items}), ` +
        `precision ${((100 * right) / masked).toFixed(2)}% (${right}/${masked} masked spans), ${unsure} flagged for a person`,
    );
    const problems = runs.flatMap((r) => [
      ...r.missed.map((e) => `#${r.letter.id} missed ${e.kind} ${e.text}`),
      ...r.wrong.map((s) => `#${r.letter.id} masked non-personal ${s.kind} ${s.original}`),
      ...r.leaked.map((e) => `#${r.letter.id} survives ${e.kind} ${e.text}`),
    ]);
    if (problems.length) console.log(problems.join('\n'));
    expect(covered / items).toBe(1);
    expect(right / masked).toBeGreaterThanOrEqual(0.95);
    expect(runs.flatMap((r) => r.leaked.map((e) => e.text))).toEqual([]);
  });

  it('records offsets that point at the original and at the replacement', () => {
    for (const { text, result } of runs) {
      for (const s of result.spans) {
        expect(text.slice(s.start, s.end)).toBe(s.original);
        expect(result.masked.slice(s.maskedStart, s.maskedEnd)).toBe(s.replacement);
      }
    }
  });
});
