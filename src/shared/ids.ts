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
  return `${prefix}_${time}${base32(randomTen())}`;
}

/** Random bytes are drawn 10 at a time from a pool filled in one call, not one system call per identifier. */
const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let offset = 0;

function randomTen(): Buffer {
  if (offset + 10 > pool.length) {
    pool = randomBytes(10 * POOL_IDS);
    offset = 0;
  }
  offset += 10;
  return pool.subarray(offset - 10, offset);
}

/** 80 bits as 16 Crockford base32 characters, most significant first: two 40-bit halves, exact in a double. */
function base32(bytes: Buffer): string {
  let text = '';
  for (const start of [0, 5]) {
    let half = 0;
    for (let i = start; i < start + 5; i += 1) half = half * 256 + (bytes[i] ?? 0);
    let chunk = '';
    for (let i = 0; i < 8; i += 1) {
      chunk = CROCKFORD.charAt(half % 32) + chunk;
      half = Math.floor(half / 32);
    }
    text += chunk;
  }
  return text;
}

/** The current time as the store keeps it: ISO 8601, UTC, milliseconds. */
export function nowIso(): string {
  return new Date().toISOString();
}
