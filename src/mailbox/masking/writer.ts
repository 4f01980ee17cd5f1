// What the writer typed on the form is theirs beyond doubt: their name, in full or as 张先生 or the
// given name alone, becomes 网友 wherever it appears, in the letter and in the answer (张伟同志您好).
import { surnameAt } from './surnames.js';
import type { Candidate } from './types.js';

const HONORIFICS = ['先生', '女士', '小姐', '同志', '老师', '师傅', '阿姨', '大姐', '大哥', '老伯', '大爷'];

export function findWriterName(text: string, writerName: string | undefined): Candidate[] {
  const name = writerName?.replace(/\s+/g, '') ?? '';
  if (name.length < 2) return [];
  const surname = surnameAt(name) ?? name.slice(0, 1);
  const given = name.slice(surname.length);
  const forms = [name, ...HONORIFICS.map((h) => surname + h)];
  // A two-character given name alone (晓明) is still theirs; one character alone is any word.
  if (given.length >= 2) forms.push(given);
  const out: Candidate[] = [];
  for (const form of forms) {
    for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + form.length)) {
      // 张伟同志 as a whole becomes 网友: 网友同志 reads oddly.
      const title = form === name || form === given ? HONORIFICS.find((h) => text.startsWith(h, i + form.length)) : undefined;
      out.push({ kind: 'name', start: i, end: i + form.length + (title?.length ?? 0), replacement: '网友' });
    }
  }
  return out;
}

export function findWriterEmail(text: string, email: string | null | undefined): Candidate[] {
  const wanted = email?.trim().toLowerCase();
  if (!wanted || !wanted.includes('@')) return [];
  const lower = text.toLowerCase();
  const [local = '', domain = ''] = wanted.split('@');
  const out: Candidate[] = [];
  for (let i = lower.indexOf(wanted); i >= 0; i = lower.indexOf(wanted, i + wanted.length)) {
    out.push({ kind: 'email', start: i, end: i + wanted.length, replacement: `${local.slice(0, 1)}***@${domain}` });
  }
  return out;
}

/** The digits of a phone or ID from the form, as the number scanner compares them. */
export function formDigits(value: string | null | undefined): string | undefined {
  const digits = value
    ?.replace(/[^\dXx]/g, '')
    .toUpperCase()
    .replace(/^86(?=1[3-9]\d{9}$)/, '');
  return digits && digits.length >= 7 ? digits : undefined;
}
