// Maps container and status messages to Kouan's tracking events (DESIGN.md, after DCSA Track & Trace):
// CODECO (gate in / gate out), COARRI (discharge / load) and IFTSTA (multimodal status). A problem with one
// event (no time, no location, a container number failing its check digit, an unknown status code) is
// reported with the segment it concerns and that event is left out; the other events still map.

import { createHash } from 'node:crypto';
import { isValidContainerNumber, isValidImoNumber } from '../../modules/codes/index.js';
import type { EventClassifier as TrackingClassifier, EventType, TrackingEvent } from '../../modules/tracking/tracking.schema.js';
import { timeZoneOfLocation, wallTimeToUtc } from './time-zones.js';
import type { Interchange, Message, Segment, SegmentLocator } from './tokenizer.js';

/** The codes an interchange can be mapped to, each with its event type (DESIGN.md, after DCSA Track & Trace). */
const TRACKING_EVENT_CODES = [
  'ARRI', 'DEPA', 'LOAD', 'DISC', 'GTIN', 'GTOT', 'STUF', 'STRP', 'INSP', 'RECE', 'ACCE', 'REJE', 'RELS', 'HOLD',
] as const;
type TrackingEventCode = (typeof TRACKING_EVENT_CODES)[number];

/** The event type each DCSA event code belongs to (INSP as sent is the equipment inspection, not a clearance state). */
export const DCSA_EVENT_TYPES: Readonly<Record<TrackingEventCode, EventType>> = {
  ARRI: 'TRANSPORT', DEPA: 'TRANSPORT',
  LOAD: 'EQUIPMENT', DISC: 'EQUIPMENT', GTIN: 'EQUIPMENT', GTOT: 'EQUIPMENT', STUF: 'EQUIPMENT', STRP: 'EQUIPMENT', INSP: 'EQUIPMENT',
  RECE: 'CLEARANCE', ACCE: 'CLEARANCE', REJE: 'CLEARANCE', RELS: 'CLEARANCE', HOLD: 'CLEARANCE',
};

/** One tracking event as `POST /api/v1/events` takes it: mapped events go through the same validation as JSON ones. */
export type TrackingEventInput = TrackingEvent & { location: string };

/** Why one event could not be made, with the segment it concerns. */
export interface MappingProblem {
  readonly segment: SegmentLocator;
  readonly position: number;
  readonly message: string;
}

export interface MappedEvents {
  readonly events: TrackingEventInput[];
  readonly problems: MappingProblem[];
}

// DTM function code qualifier (2005) -> classifier. 137 (document date) and other qualifiers are not event
// times and are passed over.
//   7    effective (actual) date/time         ACT
//   178  actual arrival date/time            ACT
//   186  actual departure date/time          ACT
//   203  execution date/time (SMDG COARRI)   ACT
//   334  status change date/time (IFTSTA)    ACT
//   132  estimated arrival date/time         EST
//   133  estimated departure date/time       EST
const DTM_CLASSIFIERS: ReadonlyMap<string, TrackingClassifier> = new Map([
  ['7', 'ACT'], ['178', 'ACT'], ['186', 'ACT'], ['203', 'ACT'], ['334', 'ACT'],
  ['132', 'EST'], ['133', 'EST'],
]);

// IFTSTA STS status code (C555/4405) -> event. Ocean carriers and portals mostly send the two-letter codes of
// the ANSI X12 315 family in IFTSTA; the DCSA codes themselves are also accepted as sent.
//   code  meaning                                   eventType   code
//   VA    vessel arrival                            TRANSPORT   ARRI
//   VD    vessel departure                          TRANSPORT   DEPA
//   AE    loaded on vessel                          EQUIPMENT   LOAD
//   UV    unloaded from vessel                      EQUIPMENT   DISC
//   I     gate in (full, at the terminal)           EQUIPMENT   GTIN
//   OA    gate out (full, from the terminal)        EQUIPMENT   GTOT
//   EE    empty equipment dispatched to shipper     EQUIPMENT   GTOT
//   RD    empty container returned                  EQUIPMENT   GTIN
//   CT    customs release                           CLEARANCE   RELS
//   ARRI, DEPA                                      TRANSPORT   as sent
//   LOAD, DISC, GTIN, GTOT, STUF, STRP, INSP        EQUIPMENT   as sent
//   RECE, ACCE, REJE, RELS, HOLD                    CLEARANCE   as sent
// Any other code is reported as a problem rather than guessed.
type MappedStatus = { eventType: EventType; code: TrackingEventCode };
const STATUS_EVENTS: ReadonlyMap<string, MappedStatus> = new Map<string, MappedStatus>([
  ['VA', { eventType: 'TRANSPORT', code: 'ARRI' }],
  ['VD', { eventType: 'TRANSPORT', code: 'DEPA' }],
  ['AE', { eventType: 'EQUIPMENT', code: 'LOAD' }],
  ['UV', { eventType: 'EQUIPMENT', code: 'DISC' }],
  ['I', { eventType: 'EQUIPMENT', code: 'GTIN' }],
  ['OA', { eventType: 'EQUIPMENT', code: 'GTOT' }],
  ['EE', { eventType: 'EQUIPMENT', code: 'GTOT' }],
  ['RD', { eventType: 'EQUIPMENT', code: 'GTIN' }],
  ['CT', { eventType: 'CLEARANCE', code: 'RELS' }],
  ...TRACKING_EVENT_CODES.map((code): [string, MappedStatus] => [code, { eventType: DCSA_EVENT_TYPES[code], code }]),
]);

// CODECO BGM document name code (1001) -> direction; another code leaves it to each equipment group, read from
// its DTM: 178 (actual arrival, at the terminal) is a gate in, 186 (actual departure) a gate out.
//   34  gate-in report    GTIN
//   36  gate-out report   GTOT
const CODECO_DOCUMENTS: ReadonlyMap<string, TrackingEventCode> = new Map([['34', 'GTIN'], ['36', 'GTOT']]);
const CODECO_EQUIPMENT_DTM: ReadonlyMap<string, TrackingEventCode> = new Map([['178', 'GTIN'], ['186', 'GTOT']]);

// COARRI BGM document name code (1001) -> direction; another code leaves it to each equipment group: a
// container whose place of discharge (LOC+11) is the reporting port was discharged there, one whose place of
// loading (LOC+9) is the reporting port was loaded there.
//   44  discharge report  DISC
//   46  loading report    LOAD
const COARRI_DOCUMENTS: ReadonlyMap<string, TrackingEventCode> = new Map([['44', 'DISC'], ['46', 'LOAD']]);

const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
// LOC+147 is a stowage cell on board, never a place where an event happens.
const STOWAGE_CELL = '147';
// Event locations inside a CODECO or COARRI equipment group; LOC+9 and LOC+11 there name the container's
// ports of loading and discharge, not where it is being reported.
const EQUIPMENT_EVENT_LOCATIONS: ReadonlySet<string> = new Set(['165', '175']);
// TDT transport stage qualifier 20 is the main carriage; mode 1 is maritime. Only these carry a vessel.
const MAIN_CARRIAGE = '20';
const MARITIME = '1';

/** Maps every IFTSTA, CODECO and COARRI message of an interchange to tracking events, with per-event problems. */
export function interchangeToEvents(interchange: Interchange): MappedEvents {
  const events: TrackingEventInput[] = [];
  const problems: MappingProblem[] = [];
  const keys = messageKeys(interchange);
  for (const message of interchange.messages) {
    const context: MessageContext = { interchange, message, messageKey: keys.get(message) ?? '', events, problems };
    switch (message.type) {
      case 'CODECO':
      case 'COARRI':
        mapEquipmentReport(context);
        break;
      case 'IFTSTA':
        mapStatusReport(context);
        break;
      default: {
        const header = message.segments[0];
        if (header !== undefined) problems.push(problemAt(header, `${message.type} messages are not mapped to tracking events`));
      }
    }
  }
  return { events, problems };
}

// What tells a message apart beyond its reference, for event ids: its group's reference when grouped, and its
// occurrence when the reference repeats in the same scope (senders often restart references in each group, and
// some repeat them). Empty for the first message of a reference outside groups, so those ids stay as they were.
function messageKeys(interchange: Interchange): Map<Message, string> {
  const keys = new Map<Message, string>();
  const seen = new Map<string, number>();
  const scopes = interchange.groups.length > 0
    ? interchange.groups.map((group) => ({ prefix: `group ${group.reference}`, messages: group.messages }))
    : [{ prefix: '', messages: interchange.messages }];
  for (const [ordinal, scope] of scopes.entries()) {
    for (const message of scope.messages) {
      const slot = `${ordinal}\u001f${message.reference}`;
      const occurrence = (seen.get(slot) ?? 0) + 1;
      seen.set(slot, occurrence);
      keys.set(message, [scope.prefix, occurrence > 1 ? `#${occurrence}` : ''].filter((part) => part !== '').join(' '));
    }
  }
  return keys;
}

interface MessageContext {
  readonly interchange: Interchange;
  readonly message: Message;
  readonly messageKey: string;
  readonly events: TrackingEventInput[];
  readonly problems: MappingProblem[];
}

// A run of segments that shares references: a message header, an IFTSTA consignment or status group, a CODECO
// or COARRI equipment group. Lookups go from the innermost scope outwards.
type Scope = readonly Segment[];

function mapEquipmentReport(context: MessageContext): void {
  const { message } = context;
  const body = message.segments.slice(1, -1);
  const firstEquipment = body.findIndex((segment) => segment.tag === 'EQD');
  const header = firstEquipment === -1 ? body : body.slice(0, firstEquipment);
  const bgm = header.find((segment) => segment.tag === 'BGM');
  const documentCode = bgm === undefined ? '' : value(bgm, 0);
  const documentEvent = (message.type === 'CODECO' ? CODECO_DOCUMENTS : COARRI_DOCUMENTS).get(documentCode);
  const port = eventLocation([header], null);

  for (const group of groupsStartingWith(body, 'EQD', ['CNT'])) {
    const equipment = group[0];
    if (equipment === undefined) continue;
    let code = documentEvent;
    if (code === undefined) code = message.type === 'CODECO' ? gateDirection(group) : quayDirection(group, port?.location);
    if (code === undefined) {
      context.problems.push(problemAt(equipment, message.type === 'CODECO'
        ? `BGM document name ${documentCode || '(none)'} is neither 34 (gate in) nor 36 (gate out), and the equipment has no DTM 178 or 186`
        : `BGM document name ${documentCode || '(none)'} is neither 44 (discharge) nor 46 (loading), and the equipment's LOC+9/LOC+11 do not name the reporting port`));
      continue;
    }
    addEvent(context, { eventType: 'EQUIPMENT', code }, equipment, [group, header], EQUIPMENT_EVENT_LOCATIONS);
  }
}

function mapStatusReport(context: MessageContext): void {
  const body = context.message.segments.slice(1, -1);
  const firstConsignment = body.findIndex((segment) => segment.tag === 'CNI' || segment.tag === 'STS');
  const header = firstConsignment === -1 ? body : body.slice(0, firstConsignment);
  let consignment: Scope = [];
  for (const group of groupsStartingWith(body, 'CNI', [])) {
    // The consignment's own segments run from CNI to its first STS.
    const firstStatus = group.findIndex((segment) => segment.tag === 'STS');
    consignment = firstStatus === -1 ? group : group.slice(0, firstStatus);
    for (const statusGroup of groupsStartingWith(group, 'STS', ['CNI'])) mapStatus(context, statusGroup, consignment, header);
  }
  if (!body.some((segment) => segment.tag === 'CNI')) {
    for (const statusGroup of groupsStartingWith(body, 'STS', [])) mapStatus(context, statusGroup, consignment, header);
  }
}

function mapStatus(context: MessageContext, group: Scope, consignment: Scope, header: Scope): void {
  const status = group[0];
  if (status === undefined) return;
  const statusCode = value(status, 1);
  const mapped = STATUS_EVENTS.get(statusCode);
  if (mapped === undefined) {
    context.problems.push(problemAt(status, `Status code "${statusCode}" is not mapped to a tracking event`));
    return;
  }
  const equipment = group.filter((segment) => segment.tag === 'EQD');
  if (equipment.length === 0) {
    addEvent(context, mapped, status, [group, consignment, header], null);
    return;
  }
  for (const segment of equipment) addEvent(context, mapped, segment, [group, consignment, header], null);
}

// Splits segments into groups that each start at a trigger tag and end before the next trigger or a closing tag.
function groupsStartingWith(segments: Scope, trigger: string, closing: readonly string[]): Segment[][] {
  const groups: Segment[][] = [];
  let current: Segment[] | undefined;
  for (const segment of segments) {
    if (segment.tag === trigger) {
      current = [segment];
      groups.push(current);
    } else if (closing.includes(segment.tag)) {
      current = undefined;
    } else {
      current?.push(segment);
    }
  }
  return groups;
}

function gateDirection(group: Scope): TrackingEventCode | undefined {
  for (const segment of group) {
    if (segment.tag !== 'DTM') continue;
    const code = CODECO_EQUIPMENT_DTM.get(value(segment, 0, 0));
    if (code !== undefined) return code;
  }
  return undefined;
}

function quayDirection(group: Scope, port: string | undefined): TrackingEventCode | undefined {
  if (port === undefined) return undefined;
  for (const segment of group) {
    if (segment.tag !== 'LOC' || value(segment, 1, 0) !== port) continue;
    if (value(segment, 0) === '11') return 'DISC';
    if (value(segment, 0) === '9') return 'LOAD';
  }
  return undefined;
}

function addEvent(
  context: MessageContext,
  mapped: { eventType: EventType; code: TrackingEventCode },
  subject: Segment,
  scopes: readonly Scope[],
  innerLocationQualifiers: ReadonlySet<string> | null,
): void {
  const { interchange, message, messageKey, events, problems } = context;
  const references: TrackingEventInput['references'] = {};
  if (subject.tag === 'EQD') {
    const container = value(subject, 1, 0);
    if (!isValidContainerNumber(container)) {
      problems.push(problemAt(subject, `"${container}" is not an ISO 6346 container number with a valid check digit`));
      return;
    }
    references.container = container;
  }
  // The location first: a zoneless time is read in its time zone. Problems are still told time first.
  const place = eventLocation(scopes, innerLocationQualifiers);
  const time = eventTime(scopes, place?.location);
  if (typeof time === 'string') {
    problems.push(problemAt(subject, time));
    return;
  }
  if (time === undefined) {
    problems.push(problemAt(subject, 'No DTM gives the event time (qualifier 7, 132, 133, 178, 186, 203 or 334)'));
    return;
  }
  if (place === undefined) {
    problems.push(problemAt(subject, 'No LOC gives the event location as a UN/LOCODE'));
    return;
  }
  const billOfLading = reference(scopes, 'BM');
  if (billOfLading !== undefined) references.billOfLading = billOfLading;
  const vessel = vesselOf(scopes);
  if (vessel.imo !== undefined) references.vesselImo = vessel.imo;
  if (vessel.callSign !== undefined) references.vesselCallSign = vessel.callSign;
  if (vessel.name !== undefined) references.vesselName = vessel.name;
  // A voyage names a sailing of a ship: kept when the ship is named at all.
  if (vessel.voyage !== undefined && (vessel.imo ?? vessel.callSign ?? vessel.name) !== undefined) references.voyage = vessel.voyage;

  const event: TrackingEventInput = {
    eventId: eventIdOf(interchange, message, messageKey, subject),
    eventType: mapped.eventType,
    code: mapped.code,
    classifier: time.classifier,
    eventTime: time.eventTime,
    location: place.location,
    references,
  };
  if (place.facility !== undefined) event.facility = place.facility;
  if (time.timeZoneAssumed !== undefined) event.timeZoneAssumed = time.timeZoneAssumed;
  events.push(event);
}

// The same interchange sent again gives the same ids, so the tracking module can drop the repeat. The sender
// is part of the key because control references are unique per sender only.
function eventIdOf(interchange: Interchange, message: Message, messageKey: string, subject: Segment): string {
  const ordinal = message.segments.indexOf(subject);
  const parts = ['edifact', interchange.sender, interchange.controlRef, message.reference, String(ordinal), value(subject, 1, 0)];
  if (messageKey !== '') parts.push(messageKey);
  const key = parts.join('\u001f');
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function eventTime(scopes: readonly Scope[], location: string | undefined): { eventTime: string; classifier: TrackingClassifier; timeZoneAssumed?: string } | string | undefined {
  for (const scope of scopes) {
    for (const segment of scope) {
      if (segment.tag !== 'DTM') continue;
      const classifier = DTM_CLASSIFIERS.get(value(segment, 0, 0));
      if (classifier === undefined) continue;
      const zone = location === undefined ? undefined : timeZoneOfLocation(location);
      const parsed = readDateTime(value(segment, 0, 1), value(segment, 0, 2), zone ?? 'UTC');
      if (parsed === undefined) {
        return `DTM ${value(segment, 0, 0)} "${value(segment, 0, 1)}" is not a date/time in format ${value(segment, 0, 2) || '(none)'} (${READ_FORMATS} are read)`;
      }
      return parsed.zoned ? { eventTime: parsed.instant, classifier } : { eventTime: parsed.instant, classifier, timeZoneAssumed: zone ?? 'UTC' };
    }
  }
  return undefined;
}

// DTM format codes (2379) Kouan reads. YY is a year of this century (20YY): tracking events are of now. A date
// without a time (101, 102) is the start of that day, local time. ZHHMM (205) is a signed offset; ZZZ (301-304)
// is UTC or GMT, or a signed offset in hours (+08). Any other value, or format, is refused as a problem.
//   101 YYMMDD   102 CCYYMMDD   201 YYMMDDHHMM   202 YYMMDDHHMMSS   203 CCYYMMDDHHMM   204 CCYYMMDDHHMMSS
//   205 CCYYMMDDHHMMZHHMM   301 YYMMDDHHMMZZZ   302 YYMMDDHHMMSSZZZ   303 CCYYMMDDHHMMZZZ   304 CCYYMMDDHHMMSSZZZ
const DATE_TIME_SHAPES: Readonly<Record<string, RegExp>> = {
  '101': /^(\d{2})(\d{2})(\d{2})$/,
  '102': /^(\d{4})(\d{2})(\d{2})$/,
  '201': /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
  '202': /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
  '203': /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/,
  '204': /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
  '205': /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})()([+-]\d{2})(\d{2})$/,
  '301': /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})()(UTC|GMT|[+-]\d{2})$/,
  '302': /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(UTC|GMT|[+-]\d{2})$/,
  '303': /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})()(UTC|GMT|[+-]\d{2})$/,
  '304': /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(UTC|GMT|[+-]\d{2})$/,
};
const READ_FORMATS = '101, 102, 201-205 or 301-304';
// Without a format code the length tells (the three formats senders leave it off for).
const FORMAT_BY_LENGTH: Readonly<Record<number, string>> = { 8: '102', 12: '203', 14: '204' };

/** Reads a DTM value as an ISO 8601 UTC instant; a zoneless one is taken in `timeZone` (an IANA zone, default UTC). */
export function parseDateTime(text: string, format: string, timeZone = 'UTC'): string | undefined {
  return readDateTime(text, format, timeZone)?.instant;
}

function readDateTime(text: string, format: string, timeZone: string): { instant: string; zoned: boolean } | undefined {
  const effective = format !== '' ? format : FORMAT_BY_LENGTH[text.length];
  const match = effective === undefined ? undefined : DATE_TIME_SHAPES[effective]?.exec(text);
  if (match === undefined || match === null) return undefined;
  const [years = '', months = '', days = '', hours = '0', minutes = '0', seconds = '', zone = '', zoneMinutes = '00'] = match.slice(1);
  const year = years.length === 2 ? 2000 + Number(years) : Number(years);
  const [month, day, hour, minute, second] = [months, days, hours, minutes, seconds || '0'].map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  let instant: number;
  if (zone === '') {
    instant = wallTimeToUtc(wall, timeZone);
  } else {
    const offsetHours = zone === 'UTC' || zone === 'GMT' ? 0 : Number(zone);
    if (Math.abs(offsetHours) > 14 || Number(zoneMinutes) > 59) return undefined;
    const offset = (Math.abs(offsetHours) * 60 + Number(zoneMinutes)) * (zone.startsWith('-') ? -1 : 1);
    instant = wall - offset * 60_000;
  }
  return { instant: new Date(instant).toISOString().replace('.000Z', 'Z'), zoned: zone !== '' };
}

function eventLocation(scopes: readonly Scope[], innerQualifiers: ReadonlySet<string> | null): { location: string; facility?: string } | undefined {
  for (const [depth, scope] of scopes.entries()) {
    for (const segment of scope) {
      if (segment.tag !== 'LOC') continue;
      const qualifier = value(segment, 0);
      if (qualifier === STOWAGE_CELL) continue;
      if (depth === 0 && innerQualifiers !== null && !innerQualifiers.has(qualifier)) continue;
      const location = value(segment, 1, 0);
      if (!LOCODE.test(location)) continue;
      const facility = value(segment, 2, 3) || value(segment, 2, 0);
      return facility === '' ? { location } : { location, facility };
    }
  }
  return undefined;
}

function reference(scopes: readonly Scope[], qualifier: string): string | undefined {
  for (const scope of scopes) {
    for (const segment of scope) {
      if (segment.tag === 'RFF' && value(segment, 0, 0) === qualifier && value(segment, 0, 1) !== '') return value(segment, 0, 1);
    }
  }
  return undefined;
}

// The vessel of the main carriage: TDT 8028 is the voyage and C222 (8213 id, 1131 code list, 3055 agency,
// 8212 name, 8453 nationality) the ship. Senders name a ship by IMO number (lists 146 or IMO, or none), by call
// sign (list 103) or only by name, and some put other register numbers under 146: the id is an IMO number only
// when it is one (seven digits, optionally written "IMO9321483", with a valid check digit), whatever list it
// came with; a call sign and a name are kept as references of their own. How a ship is named never costs the
// event: a value that fits no reference is passed over, so the event still maps on its other references.
const CALL_SIGN_LIST = '103';
const CALL_SIGN = /^[A-Z0-9]{1,35}$/;
const VESSEL_NAME_MAX = 70;

interface Vessel { voyage?: string; imo?: string; callSign?: string; name?: string }

function vesselOf(scopes: readonly Scope[]): Vessel {
  for (const scope of scopes) {
    for (const segment of scope) {
      if (segment.tag !== 'TDT') continue;
      if (value(segment, 0) !== MAIN_CARRIAGE && value(segment, 2, 0) !== MARITIME) continue;
      const vessel: Vessel = {};
      const voyage = value(segment, 1);
      if (voyage !== '') vessel.voyage = voyage;
      const id = value(segment, 7, 0).trim().toUpperCase();
      const imo = imoNumberOf(id);
      if (imo !== undefined) vessel.imo = imo;
      else if (value(segment, 7, 1) === CALL_SIGN_LIST && CALL_SIGN.test(id)) vessel.callSign = id;
      const name = vesselName(value(segment, 7, 3));
      if (name !== undefined) vessel.name = name;
      return vessel;
    }
  }
  return {};
}

/** The IMO number a TDT id is, if it is one: seven digits (an "IMO" prefix allowed) with a valid check digit. */
export function imoNumberOf(id: string): string | undefined {
  const digits = /^(?:IMO[\s:-]?)?(\d{7})$/i.exec(id.trim())?.[1];
  return digits !== undefined && isValidImoNumber(digits) ? digits : undefined;
}

// A name as the event schema takes it: spaces collapsed, no control characters, at most 70 characters.
function vesselName(text: string): string | undefined {
  const name = text.replace(/\s+/g, ' ').trim();
  // eslint-disable-next-line no-control-regex
  return name !== '' && name.length <= VESSEL_NAME_MAX && !/[\u0000-\u001f\u007f]/.test(name) ? name : undefined;
}

function value(segment: Segment, element: number, component = 0): string {
  return segment.elements[element]?.[component] ?? '';
}

function problemAt(segment: Segment, message: string): MappingProblem {
  return { segment: { index: segment.index, tag: segment.tag }, position: segment.position, message };
}
