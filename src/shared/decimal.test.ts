import { describe, expect, it } from 'vitest';
import { compareDecimal, fromScaled, parseDecimal, sumDecimals, toScaled } from './decimal.js';

const limits = { integer: 15, scale: 6 };

describe('parseDecimal', () => {
  it('keeps JSON numbers and decimal strings exactly, in canonical form', () => {
    expect(parseDecimal(820.5, limits)).toEqual({ ok: true, value: '820.5' });
    expect(parseDecimal('0820.500', limits)).toEqual({ ok: true, value: '820.5' });
    expect(parseDecimal(0.1, limits)).toEqual({ ok: true, value: '0.1' });
    expect(parseDecimal('-0.000', limits)).toEqual({ ok: true, value: '0' });
    expect(parseDecimal(1e-6, limits)).toEqual({ ok: true, value: '0.000001' });
    expect(parseDecimal('123456789012345.123456', limits)).toEqual({ ok: true, value: '123456789012345.123456' });
  });

  it('refuses what is not a decimal or does not fit', () => {
    expect(parseDecimal('1e3', limits)).toEqual({ ok: false, code: 'DECIMAL_INVALID' });
    expect(parseDecimal('12,5', limits)).toEqual({ ok: false, code: 'DECIMAL_INVALID' });
    expect(parseDecimal(true, limits)).toEqual({ ok: false, code: 'DECIMAL_INVALID' });
    expect(parseDecimal(Number.NaN, limits)).toEqual({ ok: false, code: 'DECIMAL_INVALID' });
    expect(parseDecimal('0.0000001', limits)).toEqual({ ok: false, code: 'DECIMAL_PRECISION' });
    expect(parseDecimal('1234567890123456', limits)).toEqual({ ok: false, code: 'DECIMAL_PRECISION' });
    // 0.1 + 0.2 is not 0.3 in binary: more than 15 significant digits cannot be trusted from a JSON number.
    expect(parseDecimal(0.1 + 0.2, limits)).toEqual({ ok: false, code: 'DECIMAL_PRECISION' });
  });
});

describe('scaled arithmetic', () => {
  it('round-trips and sums exactly', () => {
    expect(toScaled('1.5', 3)).toBe(1500n);
    expect(fromScaled(-1500n, 3)).toBe('-1.5');
    expect(fromScaled(5n, 3)).toBe('0.005');
    expect(sumDecimals(Array.from({ length: 1000 }, () => '0.001'))).toBe('1');
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
  });

  it('compares across scales', () => {
    expect(compareDecimal('700', '820.5')).toBe(-1);
    expect(compareDecimal('820.50', '820.5')).toBe(0);
    expect(compareDecimal('1000.001', '1000')).toBe(1);
  });
});
