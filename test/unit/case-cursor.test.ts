import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCaseCursor, encodeCaseCursor, microsToIso } from '../../src/mailbox/cursor.js';

// The opaque cursor of GET /api/cases (src/mailbox/cursor.ts): microseconds survive the round trip and
// the text handed to PostgreSQL, and anything this server did not write is refused.

const MAX_MICROS = 253_402_300_799_999_999n;

describe('case list cursor', () => {
  it('round-trips every position, to the microsecond', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_MICROS }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (dueAtMicros, id) => {
        const text = encodeCaseCursor({ dueAtMicros, id });
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCaseCursor(text)).toEqual({ dueAtMicros, id });
      }),
    );
  });

  it('writes the exact instant for PostgreSQL, microseconds included', () => {
    expect(microsToIso(1_795_443_199_999_001n)).toBe('2026-11-23T14:13:19.999001Z');
    expect(microsToIso(0n)).toBe('1970-01-01T00:00:00.000000Z');
    expect(microsToIso(MAX_MICROS)).toBe('9999-12-31T23:59:59.999999Z');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_MICROS }), (micros) => {
        const iso = microsToIso(micros);
        expect(BigInt(Date.parse(iso)) * 1000n + BigInt(iso.slice(23, 26))).toBe(micros);
      }),
    );
  });

  it('refuses what it did not write', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const text of [
      '',
      'ab',
      'not-a-cursor',
      `${b64('1.2')}=`,
      b64('1.0'),
      b64('-1.2'),
      b64('01.2'),
      b64('1.2.3'),
      b64('1'),
      b64('1.9007199254740992'),
      b64(`${MAX_MICROS + 1n}.1`),
      'A'.repeat(65),
    ]) {
      expect(decodeCaseCursor(text), text).toBeUndefined();
    }
  });
});
