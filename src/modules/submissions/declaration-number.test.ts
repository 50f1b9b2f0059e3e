import { describe, expect, it } from 'vitest';
import { formatNumber, seriesOf, yearIn } from './declaration-number.js';

describe('the declaration number', () => {
  it('is office 4 + year 4 + 1 import / 0 export + sequence 9', () => {
    expect(formatNumber({ office: '2201', year: 2026, direction: '1' }, 42)).toBe('220120261000000042');
    expect(formatNumber({ office: '5301', year: 2027, direction: '0' }, 999_999_999)).toBe('530120270999999999');
    expect(() => formatNumber({ office: '5301', year: 2027, direction: '0' }, 1_000_000_000)).toThrow(RangeError);
    expect(() => formatNumber({ office: '5301', year: 2027, direction: '0' }, 0)).toThrow(RangeError);
  });

  it('takes the year of acceptance in the platform zone, not UTC', () => {
    expect(yearIn('2026-12-31T16:30:00Z', 'Asia/Shanghai')).toBe(2027);
    expect(yearIn('2026-12-31T15:59:59Z', 'Asia/Shanghai')).toBe(2026);
    expect(seriesOf({ customsOffice: '2201', direction: 'export' }, '2026-12-31T16:30:00Z', 'Asia/Shanghai')).toEqual({ office: '2201', year: 2027, direction: '0' });
  });

  it('has no series without a four-digit office and an import or export direction', () => {
    expect(seriesOf({ customsOffice: '220', direction: 'import' }, '2026-06-01T00:00:00Z', 'UTC')).toBeUndefined();
    expect(seriesOf({ customsOffice: '2201', direction: 'transit' }, '2026-06-01T00:00:00Z', 'UTC')).toBeUndefined();
    expect(seriesOf(null, '2026-06-01T00:00:00Z', 'UTC')).toBeUndefined();
  });
});
