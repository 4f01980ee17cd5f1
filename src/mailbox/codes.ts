import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { chinaDayOf, dayToIso } from '../calendar/china-time.js';

// No 0/O, 1/I/L: codes are read aloud over the phone and copied by hand.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const randomCode = (length: number) => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The tracking-number format newTrackingNo makes (ALPHABET as a character class), for path parameters and links. */
export const TRACKING_NO_PATTERN = /^\d{6}-[2-9A-HJ-KMNP-Z]{5}$/;

/** Short and readable: the China receipt date and five random characters, e.g. 261127-K7Q3M. */
export function newTrackingNo(now: Date): string {
  return `${dayToIso(chinaDayOf(now)).slice(2).replaceAll('-', '')}-${randomCode(5)}`;
}

/** 10 characters from a 31-letter alphabet: about 49 bits, behind per-address rate limits. */
export const newAccessCode = () => randomCode(10);
export const hashSecret = (value: string) => createHash('sha256').update(value).digest('hex');

export function accessCodeMatches(code: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(code.trim().toUpperCase()), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

// A retried submission (same Idempotency-Key) must get the first answer back, access code included,
// yet the code is stored only as a hash. So the code is also sealed with a key derived from the
// Idempotency-Key itself, which only the submitting client knows; the database holds just its hash.
const sealKey = (idempotencyKey: string) => Buffer.from(hkdfSync('sha256', idempotencyKey, 'amr-portal', 'access-code-seal', 32));

export function sealAccessCode(code: string, idempotencyKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(idempotencyKey), iv);
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function unsealAccessCode(sealed: string, idempotencyKey: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', sealKey(idempotencyKey), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** How long the rating form on the writer's result page stays valid. */
export const WRITER_FORM_TOKEN_MINUTES = 30;

// The rating form on the lookup result page must not carry the access code (it is never echoed into a
// page). It carries this instead: an expiry and an HMAC keyed with the stored hash of the access code,
// which only the database holds, over the letter and its round. Unforgeable without the database, and
// void once it expires or the round changes.
const formMac = (accessCodeHash: string, trackingNo: string, round: number, expiresMs: number) =>
  createHmac('sha256', accessCodeHash).update(`writer-form:${trackingNo}:${round}:${expiresMs}`).digest('base64url');

export function writerFormToken(letter: { trackingNo: string; accessCodeHash: string; round: number }, now: Date): string {
  const expiresMs = now.getTime() + WRITER_FORM_TOKEN_MINUTES * 60_000;
  return `${expiresMs}.${formMac(letter.accessCodeHash, letter.trackingNo, letter.round, expiresMs)}`;
}

export function writerFormTokenMatches(
  token: string,
  letter: { trackingNo: string; accessCodeHash: string; round: number },
  now: Date,
): boolean {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m || Number(m[1]) < now.getTime()) return false;
  const a = Buffer.from(m[2]!);
  const b = Buffer.from(formMac(letter.accessCodeHash, letter.trackingNo, letter.round, Number(m[1])));
  return a.length === b.length && timingSafeEqual(a, b);
}
