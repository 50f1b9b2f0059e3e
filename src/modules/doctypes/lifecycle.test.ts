import { describe, expect, it } from 'vitest';
import { aggregateStatus, APPROVAL, CLEARANCE, canDecide, lifecycleProblems, needsReasons, LIFECYCLES, type Outcome, type PartStatus } from './lifecycle.js';

describe('clearance: part transitions', () => {
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
    expect(canDecide(CLEARANCE, from, outcome)).toBe(true);
  });

  it('terminal parts take no decision at all', () => {
    for (const from of ['released', 'rejected', 'refused', 'cancelled'] as const) {
      for (const outcome of CLEARANCE.outcomes.map((candidate) => candidate.id)) expect(canDecide(CLEARANCE, from, outcome)).toBe(false);
    }
  });

  it('release needs acceptance or inspection first', () => {
    expect(canDecide(CLEARANCE, 'submitted', 'released')).toBe(false);
    expect(canDecide(CLEARANCE, 'delivered', 'released')).toBe(false);
  });

  it('every status is covered', () => {
    expect(CLEARANCE.partStatuses).toHaveLength(8);
    expect(needsReasons(CLEARANCE, 'rejected')).toBe(true);
    expect(needsReasons(CLEARANCE, 'accepted')).toBe(false);
    expect(canDecide(CLEARANCE, 'accepted', 'approved')).toBe(false);
  });
});

describe('clearance: submission status', () => {
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
    expect(aggregateStatus(CLEARANCE, parts)).toBe(expected);
  });

  it('a cancelled submission stays cancelled whatever its parts say', () => {
    expect(aggregateStatus(CLEARANCE, ['cancelled', 'cancelled'], true)).toBe('cancelled');
  });
});

describe('approval', () => {
  it('each agency approves or rejects once; one rejection ends the filing and needs reasons', () => {
    expect(canDecide(APPROVAL, 'delivered', 'approved')).toBe(true);
    expect(canDecide(APPROVAL, 'approved', 'rejected')).toBe(false);
    expect(canDecide(APPROVAL, 'delivered', 'released')).toBe(false);
    expect(needsReasons(APPROVAL, 'rejected')).toBe(true);
  });

  it.each([
    [['submitted', 'delivered'], 'submitted'],
    [['delivered', 'delivered'], 'delivered'],
    [['approved', 'delivered'], 'processing'],
    [['approved', 'approved'], 'approved'],
    [['approved', 'rejected'], 'rejected'],
    [['rejected', 'cancelled'], 'rejected'],
  ] as [PartStatus[], string][])('%j -> %s', (parts, expected) => {
    expect(aggregateStatus(APPROVAL, parts)).toBe(expected);
  });
});

describe('every shipped lifecycle', () => {
  it.each(LIFECYCLES.map((lifecycle) => [lifecycle.id, lifecycle] as const))('%s is consistent', (_id, lifecycle) => {
    expect(lifecycleProblems(lifecycle)).toEqual([]);
  });

  it('finds a lifecycle that contradicts itself', () => {
    const { closingReason: _dropped, ...rejected } = APPROVAL.outcomes[1];
    const broken = { ...APPROVAL, terminalParts: [...APPROVAL.terminalParts, 'archived'], outcomes: [rejected] };
    expect(lifecycleProblems(broken)).toEqual(['terminalParts: archived is not a part status', 'outcome rejected closes the other parts without a reason']);
  });
});
