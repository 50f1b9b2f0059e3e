import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { NO_EVENTS, fold, render, summarise } from './tracking.projection.js';
import type { TrackingEventView } from './tracking.schema.js';

let seq = 0;
function view(overrides: Partial<TrackingEventView>): TrackingEventView {
  seq += 1;
  return {
    eventId: `e${seq}`,
    eventType: 'EQUIPMENT',
    code: 'DISC',
    classifier: 'ACT',
    eventTime: '2026-11-27T06:40:00.000Z',
    location: 'CNSHA',
    references: { container: 'MSKU1234565' },
    seq,
    publisher: 'carrier',
    receivedAt: '2026-11-27T07:00:00.000Z',
    ...overrides,
  };
}

describe('the current-state fold', () => {
  // Ties in time, revised estimates, two agencies, a correction received later for the same moment.
  const events = [
    view({ code: 'GTIN', eventTime: '2026-11-20T08:00:00.000Z', location: 'DEHAM' }),
    view({ code: 'LOAD', eventTime: '2026-11-21T03:00:00.000Z', location: 'DEHAM' }),
    view({ eventType: 'TRANSPORT', code: 'ARRI', classifier: 'PLN', eventTime: '2026-11-29T00:00:00.000Z' }),
    view({ eventType: 'TRANSPORT', code: 'ARRI', classifier: 'EST', eventTime: '2026-11-28T09:30:00.000Z' }),
    view({ eventType: 'TRANSPORT', code: 'ARRI', classifier: 'EST', eventTime: '2026-11-28T07:00:00.000Z' }),
    view({ code: 'DISC', eventTime: '2026-11-27T06:40:00.000Z' }),
    view({ code: 'DISC', eventTime: '2026-11-27T06:40:00.000Z', facility: 'corrected' }),
    view({ eventType: 'CLEARANCE', code: 'RECE', eventTime: '2026-11-27T07:00:00.000Z', references: { submission: 's1' } }),
    view({ eventType: 'CLEARANCE', code: 'INSP', agency: 'CIQ', eventTime: '2026-11-27T08:00:00.000Z', references: { submission: 's1' } }),
    view({ eventType: 'CLEARANCE', code: 'RELS', agency: 'CUS', eventTime: '2026-11-27T09:12:00.000Z', references: { submission: 's1' } }),
    view({ eventType: 'CLEARANCE', code: 'ACCE', agency: 'CUS', eventTime: '2026-11-27T09:12:00.000Z', references: { submission: 's1' } }),
  ];

  it('gives the same state, byte for byte, whatever order the stored events are folded in', () => {
    const expected = JSON.stringify(summarise(events));
    const random = prng(42);
    for (let round = 0; round < 200; round += 1) {
      const shuffled = events.map((event) => ({ event, key: random() })).sort((a, b) => a.key - b.key).map(({ event }) => event);
      // One at a time, as ingest does, and in batches.
      expect(JSON.stringify(shuffled.reduce(fold, NO_EVENTS))).toBe(expected);
      const cut = Math.floor(random() * shuffled.length);
      expect(JSON.stringify(shuffled.slice(cut).reduce(fold, shuffled.slice(0, cut).reduce(fold, NO_EVENTS)))).toBe(expected);
    }
  });

  it('keeps the newest revision of an estimate, the later received of two actual events at one moment, and each agency’s latest state', () => {
    const state = summarise(events);
    expect(state.estimated.ARRI).toMatchObject({ classifier: 'EST', eventTime: '2026-11-28T07:00:00.000Z' });
    expect(state.actual.DISC?.facility).toBe('corrected');
    expect(state.clearance.map((entry) => `${entry.agency ?? '-'}:${entry.code}`)).toEqual(['-:RECE', 'CIQ:INSP', 'CUS:ACCE']);
    expect(render(state, { language: 'en', timeZone: 'UTC' }).text).toBe('discharged at CNSHA 06:40 UTC, arrival expected at CNSHA 28 Nov 07:00, clearance received 07:00, inspection pending, customs accepted 09:12');
    expect(state).toMatchObject({ lastActualTime: '2026-11-27T09:12:00.000Z', lastEventTime: '2026-11-29T00:00:00.000Z', lastSeq: events.at(-1)?.seq });
  });
});
