import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const decode = (text: string) => [...text].reduce((value, char) => value * 32n + BigInt(CROCKFORD.indexOf(char)), 0n);

describe('newId', () => {
  it('is a prefix and a ULID whose first ten characters are the time', () => {
    const at = Date.UTC(2026, 11, 3, 13, 5, 0, 123);
    const id = newId('sub', at);
    expect(id).toMatch(/^sub_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Number(decode(id.slice(4, 14)))).toBe(at);
  });

  it('draws 80 random bits per identifier, none repeated, every character in use', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('x', 0).slice(12));
    expect(new Set(ids).size).toBe(ids.length);
    // Each of the 16 random characters takes all 32 values over so many draws (a stuck bit would not).
    for (let position = 0; position < 16; position += 1) expect(new Set(ids.map((id) => id.charAt(position))).size).toBe(32);
    expect(ids.every((id) => decode(id) < 2n ** 80n)).toBe(true);
  });

  it('sorts by creation time', () => {
    const ids = [3, 1, 2].map((ms) => newId('evt', 1_700_000_000_000 + ms));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });
});
