import { maskText, type MaskInput } from '../masking/index.js';
import type { MaskedField } from '../tables.js';

/** The writer's details the masker must find, as stored on the letter. */
export type WriterDetails = Pick<MaskInput, 'writerName' | 'writerPhone' | 'writerEmail' | 'writerIdNumber'>;

const maskField = (text: string, writer: WriterDetails): MaskedField => {
  const r = maskText({ text, ...writer });
  return { original: text, masked: r.masked, spans: r.spans, unsure: r.unsure };
};

/**
 * The masked copy of a letter: subject, content and answer masked separately, since the answer may
 * greet the writer by name and offsets are per text.
 */
export function maskedCopy(letter: { subject: string; content: string; answer: string }, writer: WriterDetails) {
  return {
    subject: maskField(letter.subject, writer),
    content: maskField(letter.content, writer),
    answer: maskField(letter.answer, writer),
  };
}

export type MaskedCopy = ReturnType<typeof maskedCopy>;

export const unsureCount = (m: MaskedCopy) => m.subject.unsure.length + m.content.unsure.length + m.answer.unsure.length;

export const MASKED_FIELDS = ['subject', 'content', 'answer'] as const;
export type MaskedFieldName = (typeof MASKED_FIELDS)[number];

/**
 * The unsure places still to be looked at: those of a field whose text is still the masker's (a hand edit
 * of that field stands for the office's check; an edit of another field does not).
 */
export const unsureOpen = (m: MaskedCopy, texts: Record<MaskedFieldName, string>) =>
  MASKED_FIELDS.reduce((n, f) => n + (texts[f] === m[f].masked ? m[f].unsure.length : 0), 0);

/**
 * The writer's own details found verbatim in the texts to publish (digits compared without spaces and
 * dashes): a last check before approval, whatever the hand edits did.
 */
export function writerDetailsLeft(texts: string[], writer: WriterDetails): string[] {
  const joined = texts.join('\n');
  const digitsOnly = joined.replace(/[\s-]/g, '');
  const left: string[] = [];
  if (writer.writerName && writer.writerName.length >= 2 && joined.includes(writer.writerName)) left.push('姓名');
  if (writer.writerPhone && digitsOnly.includes(writer.writerPhone.replace(/[\s-]/g, ''))) left.push('电话');
  if (writer.writerEmail && joined.toLowerCase().includes(writer.writerEmail.toLowerCase())) left.push('电子邮箱');
  if (writer.writerIdNumber && digitsOnly.toUpperCase().includes(writer.writerIdNumber.toUpperCase())) left.push('身份证号');
  return left;
}
