import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, hotp, matchTotp, otpauthUrl, totpCode, totpStep } from './totp.js';

// RFC 6238 Appendix B uses the ASCII secret "12345678901234567890" for HMAC-SHA1.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('base32 (RFC 4648)', () => {
  it('encodes the RFC 4648 test vectors (without padding)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded)?.toString()).toBe(plain);
    }
  });

  it('reads secrets as apps show them (lower case, groups, padding) and refuses other characters', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')?.toString()).toBe('12345678901234567890');
    expect(base32Decode('MZXW6===')?.toString()).toBe('foo');
    expect(base32Decode('MZXW1')).toBeUndefined();
  });

  it('makes 160-bit secrets', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('HOTP (RFC 4226 Appendix D)', () => {
  it('gives the published values for counters 0 to 9', () => {
    const key = Buffer.from('12345678901234567890', 'ascii');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(key, counter))).toEqual(expected);
  });
});

describe('TOTP (RFC 6238 Appendix B, SHA-1)', () => {
  const vectors: [number, string, number][] = [
    [59, '94287082', 0x1],
    [1111111109, '07081804', 0x23523ec],
    [1111111111, '14050471', 0x23523ed],
    [1234567890, '89005924', 0x273ef07],
    [2000000000, '69279037', 0x3f940aa],
    [20000000000, '65353130', 0x27bc86aa],
  ];

  it.each(vectors)('at %i s the 8-digit code is %s', (seconds, code, step) => {
    expect(totpStep(seconds * 1000)).toBe(step);
    expect(totpCode(RFC_SECRET, seconds * 1000, 8)).toBe(code);
  });

  it.each(vectors)('at %i s the 6-digit code is the last six digits of %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code.slice(2));
  });

  it('accepts the previous, current and next step and nothing further', () => {
    const at = 1111111111_000;
    const step = totpStep(at);
    const codeAt = (offset: number) => totpCode(RFC_SECRET, at + offset * 30_000);
    expect(matchTotp(RFC_SECRET, codeAt(0), at, null)).toBe(step);
    expect(matchTotp(RFC_SECRET, codeAt(-1), at, null)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, codeAt(1), at, null)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, codeAt(-2), at, null)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, codeAt(2), at, null)).toBeUndefined();
  });

  it('refuses a code of a step already used, or older', () => {
    const at = 1234567890_000;
    const code = totpCode(RFC_SECRET, at);
    const step = totpStep(at);
    expect(matchTotp(RFC_SECRET, code, at, step - 1)).toBe(step);
    expect(matchTotp(RFC_SECRET, code, at, step)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, code, at, step + 1)).toBeUndefined();
  });

  it('refuses malformed codes and secrets', () => {
    const at = 59_000;
    expect(matchTotp(RFC_SECRET, '94287082', at, null)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, '28708', at, null)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, '28708a', at, null)).toBeUndefined();
    expect(matchTotp('not base32!', '287082', at, null)).toBeUndefined();
  });

  it('writes the otpauth URI authenticator apps read', () => {
    const url = new URL(otpauthUrl(RFC_SECRET, 'li.wei@example.cn', 'Kouan'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Kouan:li.wei@example.cn');
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret: RFC_SECRET, issuer: 'Kouan', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});
