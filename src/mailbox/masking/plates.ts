// Licence plates: 闽A12345, 闽A·12345, new-energy 闽AD12345 → 闽A***** (province and city letter stay).
import type { Candidate } from './types.js';

const PLATE =
  /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]([A-HJ-NP-Z])[·•・.\s-]?([A-HJ-NP-Z0-9]{5,6})(?![A-Za-z0-9])/g;

export function findPlates(norm: string): Candidate[] {
  return [...norm.matchAll(PLATE)]
    .filter((m) => /\d/.test(m[2] ?? ''))
    .map((m) => ({
      kind: 'plate',
      start: m.index,
      end: m.index + m[0].length,
      replacement: `${m[0][0]}${m[1]}${'*'.repeat(m[2]?.length ?? 0)}`,
    }));
}
