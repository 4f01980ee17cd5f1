// A same-length copy of the text in which every way people write digits reads as ASCII, so one set of
// patterns finds 138 0591 2345, １３８０５９１２３４５ and 一三八零五九一二三四五 alike. Every mapped
// character is one UTF-16 unit on both sides, so offsets in the copy are offsets in the original.

const CHINESE_DIGITS: Record<string, string> = {
  〇: '0',
  零: '0',
  洞: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  // The banker's numerals some people use for numbers that must not be misread.
  壹: '1',
  贰: '2',
  叁: '3',
  肆: '4',
  伍: '5',
  陆: '6',
  柒: '7',
  捌: '8',
  玖: '9',
};
const FULL_WIDTH_PUNCT: Record<string, string> = { '－': '-', '—': '-', '　': ' ', '（': '(', '）': ')', '＋': '+', '＠': '@', '．': '.' };

/** Runs this long of Chinese numerals are numbers, not words (一个, 三四天 stay words). */
const MIN_CHINESE_RUN = 7;
const CHINESE_RUN = /[〇零洞一幺二两三四五六七八九壹贰叁肆伍陆柒捌玖]{7,}/g;

export interface Normalized {
  text: string;
  /** Where Chinese numerals were read as digits ([start, end) in the original). */
  chineseRuns: [number, number][];
}

export function normalizeDigits(text: string): Normalized {
  const out = text.split(''); // UTF-16 units, as the offsets are
  for (let i = 0; i < out.length; i++) {
    const code = text.charCodeAt(i);
    // Full-width ASCII block (digits, letters, @, etc.) maps by a fixed offset.
    if (code >= 0xff01 && code <= 0xff5e) out[i] = String.fromCharCode(code - 0xfee0);
    const punct = FULL_WIDTH_PUNCT[text[i] ?? ''];
    if (punct) out[i] = punct;
  }
  const chineseRuns: [number, number][] = [];
  for (const m of text.matchAll(CHINESE_RUN)) {
    if (m[0].length < MIN_CHINESE_RUN) continue;
    chineseRuns.push([m.index, m.index + m[0].length]);
    for (let i = m.index; i < m.index + m[0].length; i++) out[i] = CHINESE_DIGITS[text[i] ?? ''] ?? out[i] ?? '';
  }
  return { text: out.join(''), chineseRuns };
}
