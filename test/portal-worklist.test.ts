/**
 * The portal's merge of several status filters into one worklist (portal/src/api/worklist.ts): rows in order
 * across the streams, and never a row shown before an older one that a stream with more pages may still hold.
 */
import { describe, expect, it } from 'vitest';
import { mergedRows, OPEN_PART_STATUSES, type Stream } from '../portal/src/api/worklist.js';

type Row = { id: string; createdAt: string };
const row = (minute: number): Row => ({ id: `sub_${String(minute).padStart(4, '0')}`, createdAt: `2026-12-01T08:${String(minute).padStart(2, '0')}:00.000Z` });
const stream = (status: string | undefined, minutes: number[], next: string | null = null): Stream<Row> => ({ status, rows: minutes.map(row), next });
const ids = (rows: readonly Row[]) => rows.map((shown) => Number(shown.id.slice(4)));

describe('the merged worklist', () => {
  it('opens on the parts still waiting for the agency, not the finished ones', () => {
    expect(OPEN_PART_STATUSES).toEqual(['submitted', 'delivered', 'accepted', 'inspection']);
    for (const finished of ['released', 'rejected', 'refused', 'cancelled']) expect(OPEN_PART_STATUSES).not.toContain(finished);
  });

  it('interleaves the streams oldest first when every stream is complete', () => {
    expect(ids(mergedRows([stream('submitted', [3, 9]), stream('delivered', [1, 5]), stream('inspection', [])], 'oldest'))).toEqual([1, 3, 5, 9]);
    expect(ids(mergedRows([stream('submitted', [9, 3]), stream('delivered', [5, 1])], 'newest'))).toEqual([9, 5, 3, 1]);
  });

  it('holds back rows later than the last one of a stream with more pages', () => {
    // "delivered" stops at minute 4 with more to come: minute 4..10 of it may be older than "submitted"'s 6 and 8.
    const streams = [stream('submitted', [2, 6, 8]), stream('delivered', [1, 4], 'cursor'), stream('accepted', [3])];
    expect(ids(mergedRows(streams, 'oldest'))).toEqual([1, 2, 3, 4]);
    // The next page of "delivered" arrives and it ends: everything shows, in order.
    const more = [stream('submitted', [2, 6, 8]), stream('delivered', [1, 4, 5, 7]), stream('accepted', [3])];
    expect(ids(mergedRows(more, 'oldest'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('shows one stream as the server ordered it', () => {
    expect(ids(mergedRows([stream(undefined, [5, 2, 9], 'cursor')], 'oldest'))).toEqual([5, 2, 9]);
  });
});
