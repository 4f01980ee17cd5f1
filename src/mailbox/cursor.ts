// The opaque cursor of the staff case lists (keyset pagination over `(due_at, id)`, docs/performance.md §3).

/**
 * A position in the list order `(due_at, id)`. `due_at` is a timestamptz, stored to the microsecond,
 * so the cursor carries whole microseconds since the Unix epoch, read from the database (never from a
 * JS Date, which holds milliseconds): a cursor truncated to the millisecond would repeat or skip rows
 * whose due times differ below the millisecond. Ties on `due_at` are broken by `id`.
 */
export interface CaseCursor {
  dueAtMicros: bigint;
  id: number;
}

// 9999-12-31T23:59:59.999999Z: the last instant Date#toISOString writes with a four-digit year.
const MAX_MICROS = 253_402_300_799_999_999n;

/** The opaque form clients see: base64url of `<due_at in µs since the epoch>.<id>`. */
export function encodeCaseCursor(c: CaseCursor): string {
  return Buffer.from(`${c.dueAtMicros}.${c.id}`, 'utf8').toString('base64url');
}

/** The cursor behind an opaque string, or undefined when it is not one this server wrote. */
export function decodeCaseCursor(text: string): CaseCursor | undefined {
  if (!/^[A-Za-z0-9_-]{3,64}$/.test(text)) return undefined;
  const raw = Buffer.from(text, 'base64url');
  if (raw.toString('base64url') !== text) return undefined; // not canonical: stray bits or characters
  const m = /^(0|[1-9]\d{0,17})\.([1-9]\d{0,15})$/.exec(raw.toString('latin1'));
  if (!m) return undefined;
  const dueAtMicros = BigInt(m[1]!);
  const id = Number(m[2]);
  if (dueAtMicros > MAX_MICROS || !Number.isSafeInteger(id)) return undefined;
  return { dueAtMicros, id };
}

/** Exact: µs since the epoch → an ISO 8601 UTC text with six decimals, for a `::timestamptz` cast. */
export function microsToIso(micros: bigint): string {
  const ms = new Date(Number(micros / 1000n)).toISOString(); // 2026-11-27T15:59:59.999Z
  return `${ms.slice(0, -1)}${String(micros % 1000n).padStart(3, '0')}Z`;
}
