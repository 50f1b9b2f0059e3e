import { describe, expect, it } from 'vitest';
import { percentile, summarizeMinutes } from './stats.service.js';

describe('clearance time percentiles', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([10], 0.9)).toBe(10);
    expect(percentile([10, 20], 0.5)).toBe(15);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });

  it('sorts, counts and rounds to a tenth of a minute; no durations give nulls', () => {
    expect(summarizeMinutes([30, 10, 20])).toEqual({ count: 3, median: 20, p90: 28 });
    expect(summarizeMinutes([1 / 3, 2 / 3])).toEqual({ count: 2, median: 0.5, p90: 0.6 });
    expect(summarizeMinutes([])).toEqual({ count: 0, median: null, p90: null });
  });
});
