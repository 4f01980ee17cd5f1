// Automatic masking of a letter or answer before publication (issue 14, point 2): pure, no I/O.
// Detectors propose spans; the more certain kinds win where spans overlap; the masked text is built
// once, recording where each replacement landed. What a detector could not decide goes to `unsure`
// for a person: flagging is not masking.
import { findAddresses } from './address.js';
import { findEmails } from './email.js';
import { findNames } from './names.js';
import { normalizeDigits } from './normalize.js';
import { findNumbers } from './numbers.js';
import { findPlates } from './plates.js';
import type { Candidate, MaskInput, MaskResult, MaskSpan, Unsure } from './types.js';
import { findWorkUnits } from './work-unit.js';
import { findWriterEmail, findWriterName, formDigits } from './writer.js';

export { PII_KINDS } from './types.js';
export type { MaskInput, MaskResult, MaskSpan, PiiKind, Unsure } from './types.js';

export function maskText(input: MaskInput): MaskResult {
  const { text } = input;
  const { text: norm, chineseRuns } = normalizeDigits(text);
  const unsure: Unsure[] = [];
  const numberContext = { writerPhone: formDigits(input.writerPhone), writerIdNumber: formDigits(input.writerIdNumber) };
  // In order of certainty: an earlier list wins an overlap.
  const byCertainty: Candidate[][] = [
    findWriterEmail(text, input.writerEmail),
    findEmails(norm),
    findNumbers(norm, text, numberContext, unsure),
    findPlates(norm),
    findWriterName(text, input.writerName),
    findWorkUnits(text),
    findAddresses(norm),
    findNames(text, unsure),
  ];
  const chosen = choose(byCertainty);
  for (const [start, end] of chineseRuns) {
    if (chosen.some((c) => c.start < end && start < c.end)) {
      unsure.push({ start, end, reason: '用汉字书写的号码，已按号码遮蔽，请核对' });
    } else {
      unsure.push({ start, end, reason: '一串汉字数字，可能是用汉字书写的号码，请人工核对' });
    }
  }
  const maskedUnsure = unsure.filter((u) => !chosen.some((c) => c.start <= u.start && u.end <= c.end) || /已按/.test(u.reason));
  return { ...build(text, chosen), unsure: dedupe(maskedUnsure) };
}

function choose(lists: Candidate[][]): Candidate[] {
  const taken: Candidate[] = [];
  for (const list of lists) {
    // Within one detector the longer span wins (张伟同志 over 张伟).
    for (const c of [...list].sort((a, b) => b.end - b.start - (a.end - a.start))) {
      if (c.end > c.start && !taken.some((t) => t.start < c.end && c.start < t.end)) taken.push(c);
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

function build(text: string, chosen: Candidate[]): { masked: string; spans: MaskSpan[] } {
  let masked = '';
  let at = 0;
  const spans: MaskSpan[] = [];
  for (const c of chosen) {
    masked += text.slice(at, c.start);
    const maskedStart = masked.length;
    masked += c.replacement;
    spans.push({ ...c, maskedStart, maskedEnd: masked.length, original: text.slice(c.start, c.end) });
    at = c.end;
  }
  return { masked: masked + text.slice(at), spans };
}

function dedupe(list: Unsure[]): Unsure[] {
  const seen = new Set<string>();
  return list.filter((u) => {
    const key = `${u.start}:${u.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
