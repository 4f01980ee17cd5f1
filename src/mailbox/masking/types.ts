// The masker's public shapes (issue 14, point 2). The publishing flow codes against these: keep them stable.
export const PII_KINDS = ['name', 'phone', 'id_number', 'email', 'bank_card', 'plate', 'address', 'work_unit'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface MaskInput {
  text: string;
  /** What the writer gave on the form: always masked wherever it appears (also partial forms, e.g. 张先生 for 张伟). */
  writerName?: string;
  writerPhone?: string;
  writerEmail?: string | null;
  writerIdNumber?: string | null;
}

export interface MaskSpan {
  kind: PiiKind;
  /** Offsets in the original text (UTF-16 code units, [start, end)). */
  start: number;
  end: number;
  /** Offsets of the replacement in the masked text. */
  maskedStart: number;
  maskedEnd: number;
  original: string;
  replacement: string;
}

export interface Unsure {
  start: number;
  end: number;
  /** Chinese, shown to staff. */
  reason: string;
}

export interface MaskResult {
  masked: string;
  spans: MaskSpan[];
  unsure: Unsure[];
}

/** A span found by one detector, before overlaps are resolved and masked offsets assigned. */
export interface Candidate {
  kind: PiiKind;
  start: number;
  end: number;
  replacement: string;
}
