import { describe, expect, it } from 'vitest';
import { aggregateStatus, canDecide, needsReasons, OUTCOMES, PART_STATUSES, type Outcome, type PartStatus } from './lifecycle.js';

describe('part transitions', () => {
  const allowed: [PartStatus, Outcome][] = [
    ['submitted', 'accepted'],
    ['delivered', 'accepted'],
    ['accepted', 'inspection'],
    ['accepted', 'released'],
    ['inspection', 'released'],
    ['inspection', 'refused'],
    ['delivered', 'rejected'],
  ];

  it.each(allowed)('%s -> %s is allowed', (from, outcome) => {
    expect(canDecide(from, outcome)).toBe(true);
  });

  it('terminal parts take no decision at all', () => {
    for (const from of ['released', 'rejected', 'refused', 'cancelled'] as const) {
      for (const outcome of OUTCOMES) expect(canDecide(from, outcome)).toBe(false);
    }
  });

  it('release needs acceptance or inspection first', () => {
    expect(canDecide('submitted', 'released')).toBe(false);
    expect(canDecide('delivered', 'released')).toBe(false);
  });

  it('every status is covered', () => {
    expect(PART_STATUSES).toHaveLength(8);
    expect(needsReasons('rejected')).toBe(true);
    expect(needsReasons('accepted')).toBe(false);
  });
});

describe('submission status', () => {
  it.each([
    [['submitted', 'submitted'], 'submitted'],
    [['delivered', 'submitted'], 'submitted'],
    [['delivered', 'delivered'], 'delivered'],
    [['accepted', 'delivered'], 'processing'],
    [['accepted', 'accepted'], 'accepted'],
    [['released', 'accepted'], 'accepted'],
    [['released', 'inspection'], 'inspection'],
    [['released', 'released'], 'released'],
    [['released', 'rejected'], 'rejected'],
    [['refused', 'cancelled'], 'refused'],
    [['rejected', 'refused'], 'rejected'],
  ] as [PartStatus[], string][])('%j -> %s', (parts, expected) => {
    expect(aggregateStatus(parts)).toBe(expected);
  });

  it('a cancelled submission stays cancelled whatever its parts say', () => {
    expect(aggregateStatus(['cancelled', 'cancelled'], true)).toBe('cancelled');
  });
});
