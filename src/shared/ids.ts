import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new identifier: a prefix and a ULID (48-bit millisecond time + 80 random bits, Crockford base32), so that
 * identifiers sort by creation time and cursors can page on them.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let rest = now;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD.charAt(rest % 32) + time;
    rest = Math.floor(rest / 32);
  }
  const random = randomBytes(10);
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let tail = '';
  for (let i = 0; i < 16; i += 1) {
    tail = CROCKFORD.charAt(Number(bits & 31n)) + tail;
    bits >>= 5n;
  }
  return `${prefix}_${time}${tail}`;
}

/** The current time as the store keeps it: ISO 8601, UTC, milliseconds. */
export function nowIso(): string {
  return new Date().toISOString();
}
