import { inflateSync } from 'node:zlib';

// The text of a pdfkit PDF, in drawing order, for tests: no PDF parser is installed, so this inflates the
// streams, reads the font's ToUnicode CMap (bfrange and bfchar) and maps the glyph codes of every Tj/TJ
// string through it. One text block (BT … ET, one line as pdfkit draws it) per line of the result.
// Enough for pdfkit's output with one embedded font; not a general PDF reader.

function streams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  // Exactly /Length bytes: compressed data may itself end in a CR or LF.
  for (const m of raw.matchAll(/\/Length (\d+)\b[^]{0,200}?stream\r?\n/g)) {
    const start = m.index + m[0].length;
    try {
      out.push(inflateSync(pdf.subarray(start, start + Number(m[1]))).toString('latin1'));
    } catch {
      // not deflated (or not a stream we read)
    }
  }
  return out;
}

const hexChars = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const [start, end] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
      if (m[3]!.startsWith('[')) {
        [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((u, i) => map.set(start + i, hexChars(u[1]!)));
      } else {
        const first = parseInt(m[3]!.slice(1, -1), 16);
        for (let c = start; c <= end; c++) map.set(c, String.fromCodePoint(first + c - start));
      }
    }
  }
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), hexChars(m[2]!));
  }
  return map;
}

/** The document's text, one drawn line per line. */
export function pdfText(pdf: Buffer): string {
  const all = streams(pdf);
  const cmaps = all.filter((s) => s.includes('begincmap'));
  if (cmaps.length !== 1) throw new Error(`expected one ToUnicode CMap, found ${cmaps.length}`);
  const map = toUnicode(cmaps[0]!);
  const lines: string[] = [];
  for (const content of all.filter((s) => /(^|\n)BT\n/.test(s) && s.includes(' Tf'))) {
    for (const bt of content.matchAll(/BT([\s\S]*?)ET/g)) {
      let line = '';
      for (const str of bt[1]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
        for (const code of str[1]!.match(/.{4}/g) ?? []) line += map.get(parseInt(code, 16)) ?? '\uFFFD';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}
