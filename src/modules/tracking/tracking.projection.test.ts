import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { EVENT_PHRASES, NO_EVENTS, fold, project, render, summarise } from './tracking.projection.js';
import { ALL_EVENT_CODES, type TrackingEventView } from './tracking.schema.js';

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

describe('the current-state fold', () => {
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

describe('the projection in people’s language and time', () => {
  it('has an English and a Chinese phrase, past and expected, for every code accepted and every DCSA code still to come', () => {
    const dcsa = ['DRFT', 'APPR', 'PENA', 'PENU', 'PENC', 'SUBM', 'VOID', 'CMPL', 'PICK', 'DROP', 'RSEA', 'RMVD', 'DETC', 'MEAS', 'ADJU'];
    for (const code of [...ALL_EVENT_CODES, ...dcsa]) {
      const words = EVENT_PHRASES[code];
      expect(words, code).toBeDefined();
      for (const text of [words?.past.en, words?.past.zh, words?.expected.en, words?.expected.zh]) expect(text, code).toMatch(/\S/);
      expect(words?.past.zh, code).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('renders the same state in either language, times in the zone with the offset written once and again where it changes', () => {
    const state = summarise(events);
    expect(render(state, { language: 'en', timeZone: 'Asia/Shanghai' }).text).toBe(
      'discharged at CNSHA 14:40 UTC+8, arrival expected at CNSHA 28 Nov 15:00, clearance received 15:00, inspection pending, customs accepted 17:12',
    );
    expect(render(state, { language: 'zh', timeZone: 'Asia/Shanghai' }).text).toBe(
      '已于 14:40 (UTC+8) 在 CNSHA 卸船，预计 11月28日 15:00 在 CNSHA 抵港，通关已于 15:00 接收，待查验，海关已于 17:12 受理',
    );
    expect(render(NO_EVENTS, { language: 'zh', timeZone: 'Asia/Shanghai' }).text).toBe('暂无事件');
    // Across the switch to summer time the offset is written again.
    const spring = summarise([
      view({ code: 'DISC', eventTime: '2026-03-29T00:30:00.000Z' }),
      view({ eventType: 'CLEARANCE', code: 'RELS', agency: 'CUS', eventTime: '2026-03-29T01:30:00.000Z', references: { submission: 's2' } }),
    ]);
    expect(render(spring, { language: 'en', timeZone: 'Europe/Berlin' }).text).toBe('discharged at CNSHA 01:30 UTC+1, customs released 03:30 UTC+2');
  });
});

describe('what is taken back, and the shipment a container is on, whatever order the log is read in', () => {
  const container = 'MSKU1234565';
  const voyage1 = { container, vesselImo: '9321483', voyage: '012E', billOfLading: 'B1' };
  const voyage2 = { container, vesselImo: '9074729', voyage: '020W', billOfLading: 'B2' };
  const log = [
    view({ code: 'LOAD', eventTime: '2026-11-02T08:00:00.000Z', location: 'DEHAM', references: voyage1 }),
    view({ code: 'DISC', eventTime: '2026-11-20T06:40:00.000Z', references: voyage1 }),
    view({ eventType: 'CLEARANCE', code: 'INSP', agency: 'CIQ', eventTime: '2026-11-20T07:00:00.000Z', references: { ...voyage1, submission: 's1' } }),
    view({ code: 'GTIN', eventTime: '2026-11-25T01:00:00.000Z', references: { container } }),
    view({ code: 'LOAD', eventTime: '2026-11-26T02:00:00.000Z', references: voyage2, supersededBy: 'x' }),
    view({ code: 'LOAD', eventTime: '2026-11-26T03:00:00.000Z', references: voyage2, document: { id: 'd', function: 'replacement' } }),
    view({ code: 'DEPA', eventType: 'TRANSPORT', eventTime: '2026-11-27T03:00:00.000Z', references: voyage2, document: { id: 'e', function: 'cancellation' } }),
    view({ eventType: 'CLEARANCE', code: 'RELS', agency: 'CUS', eventTime: '2026-11-25T08:00:00.000Z', references: { ...voyage2, submission: 's2' } }),
  ];

  it('counts only the events in force of the latest shipment, and keeps every seq', () => {
    const state = project('container', log);
    expect(state.shipment).toBe('vessel 9074729/020W');
    expect(Object.entries(state.actual).map(([code, milestone]) => `${code} ${milestone.eventTime}`)).toEqual(['GTIN 2026-11-25T01:00:00.000Z', 'LOAD 2026-11-26T03:00:00.000Z']);
    expect(state.clearance.map((entry) => `${entry.agency ?? '-'}:${entry.code}`)).toEqual(['CUS:RELS']);
    expect(state.lastSeq).toBe(Math.max(...log.map((event) => event.seq)));
  });

  it('is the same, byte for byte, in any order', () => {
    const expected = JSON.stringify(project('container', log));
    const random = prng(7);
    for (let round = 0; round < 100; round += 1) {
      const shuffled = log.map((event) => ({ event, key: random() })).sort((a, b) => a.key - b.key).map(({ event }) => event);
      expect(JSON.stringify(project('container', shuffled))).toBe(expected);
    }
  });
});
