/**
 * The current state of a reference, computed from its events alone. A pure function of the ordered event list,
 * so that what ingest maintains and what rebuild() recomputes from the log are the same, byte for byte.
 */
import type { ClearanceCode, ClearanceState, CurrentState, Milestone, TrackingEventView } from './tracking.schema.js';

const PAST: Readonly<Record<string, string>> = {
  ARRI: 'arrived', DEPA: 'departed', LOAD: 'loaded', DISC: 'discharged', GTIN: 'gated in', GTOT: 'gated out',
  STUF: 'stuffed', STRP: 'stripped', INSP: 'inspected', RECE: 'booking received', CONF: 'booking confirmed',
  ISSU: 'bill of lading issued', SURR: 'bill of lading surrendered',
};

const EXPECTED: Readonly<Record<string, string>> = {
  ARRI: 'arrival', DEPA: 'departure', LOAD: 'loading', DISC: 'discharge', GTIN: 'gate-in', GTOT: 'gate-out',
  STUF: 'stuffing', STRP: 'stripping', INSP: 'inspection', RECE: 'booking', CONF: 'booking confirmation',
  ISSU: 'bill of lading', SURR: 'surrender',
};

const AGENCY_NAMES: Readonly<Record<string, string>> = {
  CUS: 'customs', CIQ: 'inspection and quarantine', MSA: 'maritime safety', BOR: 'border police',
};

const CLEARANCE_PHRASES: Readonly<Record<ClearanceCode, string>> = {
  RECE: 'received', ACCE: 'accepted', REJE: 'rejected', RELS: 'released', HOLD: 'on hold', INSP: 'inspection pending',
};

/** Events in timeline order: event time, then ingestion order. */
export function timelineOrder(a: { eventTime: string; seq: number }, b: { eventTime: string; seq: number }): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  return a.seq - b.seq;
}

/** The state of a reference with no events. */
export const NO_EVENTS: CurrentState = { text: 'no events', lastActualTime: null, lastEventTime: null, lastSeq: 0, actual: {}, estimated: {}, clearance: [] };

/** The current state of a reference from its events, in any order. */
export function summarise(events: readonly TrackingEventView[]): CurrentState {
  return events.reduce(fold, NO_EVENTS);
}

/**
 * The state after one more event. Every part of the state is a maximum (latest actual per code, newest
 * estimate per code, latest clearance per agency, latest times, highest seq), so folding events in any order
 * gives the same state as summarising the whole timeline: ingest folds one event into the stored state, and a
 * rebuild folding the log from scratch must reproduce it byte for byte.
 */
export function fold(state: CurrentState, event: TrackingEventView): CurrentState {
  let { actual, estimated, clearance, lastActualTime, lastEventTime } = state;
  if (event.eventType === 'CLEARANCE') {
    const agency = event.agency ?? null;
    const held = clearance.find((entry) => entry.agency === agency);
    const next: ClearanceState = { agency, code: event.code as ClearanceCode, eventTime: event.eventTime, eventId: event.eventId, seq: event.seq };
    if (held === undefined || timelineOrder(held, next) < 0) clearance = [...clearance.filter((entry) => entry !== held), next].sort(timelineOrder);
    lastActualTime = later(lastActualTime, event.eventTime);
  } else {
    const milestone = toMilestone(event);
    if (event.classifier === 'ACT') {
      const held = actual[event.code];
      if (held === undefined || timelineOrder(held, milestone) < 0) actual = sortedRecord({ ...actual, [event.code]: milestone });
      lastActualTime = later(lastActualTime, event.eventTime);
    } else {
      const held = estimated[event.code];
      // The estimate that counts is the newest revision: EST over PLN, then the one received last.
      if (held === undefined || rank(milestone) > rank(held) || (rank(milestone) === rank(held) && milestone.seq > held.seq)) estimated = sortedRecord({ ...estimated, [event.code]: milestone });
    }
  }
  lastEventTime = later(lastEventTime, event.eventTime);
  const lastSeq = Math.max(state.lastSeq, event.seq);
  return { text: describe(actual, estimated, clearance, lastActualTime ?? lastEventTime), lastActualTime, lastEventTime, lastSeq, actual, estimated, clearance };
}

/** "discharged at CNSHA 06:40, customs released 09:12, inspection pending". */
function describe(actual: Record<string, Milestone>, estimated: Record<string, Milestone>, clearance: readonly ClearanceState[], reference: string | null): string {
  const lastMove = Object.values(actual).sort(timelineOrder).at(-1);
  const parts: string[] = [];
  if (lastMove !== undefined) parts.push(`${PAST[lastMove.code] ?? lastMove.code}${at(lastMove.location)} ${clock(lastMove.eventTime, reference)}`);
  const next = Object.values(estimated)
    .filter((estimate) => actual[estimate.code] === undefined && (lastMove === undefined || estimate.eventTime > lastMove.eventTime))
    .sort(timelineOrder)[0];
  if (next !== undefined) parts.push(`${EXPECTED[next.code] ?? next.code} expected${at(next.location)} ${clock(next.eventTime, reference)}`);
  for (const state of clearance) parts.push(clearancePhrase(state, reference));
  return parts.length === 0 ? 'no events' : parts.join(', ');
}

function later(a: string | null, b: string): string {
  return a === null || b > a ? b : a;
}

function toMilestone(event: TrackingEventView): Milestone {
  return {
    eventType: event.eventType,
    code: event.code,
    classifier: event.classifier,
    eventTime: event.eventTime,
    location: event.location ?? null,
    facility: event.facility ?? null,
    eventId: event.eventId,
    seq: event.seq,
  };
}

function rank(milestone: Milestone): number {
  return milestone.classifier === 'EST' ? 1 : 0;
}

function at(location: string | null): string {
  return location === null ? '' : ` at ${location}`;
}

function clearancePhrase(state: ClearanceState, reference: string | null): string {
  const name = state.agency === null ? 'clearance' : (AGENCY_NAMES[state.agency] ?? state.agency);
  // Inspection and quarantine is itself "the inspection": "inspection pending" reads better than repeating it.
  if (state.code === 'INSP') return state.agency === 'CIQ' ? 'inspection pending' : `${name} inspection pending`;
  return `${name} ${CLEARANCE_PHRASES[state.code]} ${clock(state.eventTime, reference)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** hh:mm (UTC) on the day of the reference time, with the date on any other day. */
function clock(time: string, reference: string | null): string {
  const hhmm = time.slice(11, 16);
  if (reference !== null && reference.slice(0, 10) === time.slice(0, 10)) return hhmm;
  return `${Number(time.slice(8, 10))} ${MONTHS[Number(time.slice(5, 7)) - 1] ?? ''} ${hhmm}`;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
