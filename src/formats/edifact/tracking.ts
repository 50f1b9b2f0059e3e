// Maps container and status messages to Kouan's tracking events (DESIGN.md, after DCSA Track & Trace):
// CODECO (gate in / gate out), COARRI (discharge / load) and IFTSTA (multimodal status). Every event names the
// document it came in (BGM 1004) and what the message does to it (BGM 1225, see document-codes.ts). A problem with
// one event (no time, no location, a container number failing its check digit, an unknown status code) is
// reported with the segment it concerns and that event is left out; a reference that is wrong is reported and
// left off the event; the other events still map.

import { createHash } from 'node:crypto';
import { isValidContainerNumber, isValidImoNumber } from '../../modules/codes/index.js';
import type { DocumentFunction, EventClassifier as TrackingClassifier, TrackingEvent } from '../../modules/tracking/tracking.schema.js';
import { documentMovementOf, messageFunctionOf } from './document-codes.js';
import { statusEventOf, type MappedStatus } from './status-codes.js';
import { timeZoneOfLocation, wallTimeToUtc } from './time-zones.js';
import type { Interchange, Message, Segment, SegmentLocator } from './tokenizer.js';

/** One tracking event as `POST /api/v1/events` takes it: mapped events go through the same validation as JSON ones. */
export type TrackingEventInput = TrackingEvent & { location: string };

/**
 * Something of the interchange that maps to no event, or to an event without something it said (a bad equipment
 * reference, an unknown message function), with the segment it concerns.
 */
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

// The status codes of STS (UN/ECE Rec 24 and the mutually defined ones) are tabled in status-codes.ts; the BGM
// message functions and the CODECO/COARRI document codes in document-codes.ts.

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
    const header = message.segments[0];
    if (message.type !== 'CODECO' && message.type !== 'COARRI' && message.type !== 'IFTSTA') {
      if (header !== undefined) problems.push(problemAt(header, `${message.type} messages are not mapped to tracking events`));
      continue;
    }
    const body = message.segments.slice(1, -1);
    const document = documentOf(body, problems);
    if (document === undefined) continue;
    const context: MessageContext = { interchange, message, messageKey: keys.get(message) ?? '', document, events, problems };
    const before = events.length;
    if (message.type === 'IFTSTA') mapStatusReport(context, body);
    else mapEquipmentReport(context, message.type, body);
    if (document.function === 'cancellation' && events.length === before && document.bgm !== undefined) {
      problems.push(problemAt(document.bgm, `The cancellation of document ${document.id ?? ''} maps to no event, so it retracts nothing`));
    }
  }
  return { events, problems };
}

// What tells a message apart within its interchange: its group's reference when grouped, and its occurrence when
// the reference repeats in the same scope (senders often restart references in each group, and some repeat them).
// Only the ids of replacements and cancellations use it, with the interchange reference.
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
      keys.set(message, [scope.prefix, message.reference, occurrence > 1 ? `#${occurrence}` : ''].filter((part) => part !== '').join(' '));
    }
  }
  return keys;
}

/** The document a message's events belong to (BGM 1004) and what the message does to it (BGM 1225). */
interface MessageDocument {
  readonly bgm: Segment | undefined;
  readonly id: string | undefined;
  readonly function: DocumentFunction;
}

// The event schema's document id: printable ASCII without spaces, at most 70 characters.
const DOCUMENT_ID = /^[\x21-\x7e]{1,70}$/;

// BGM: C002 document name (1001 : 1131 : 3055 : 1000), 1004 document number (D.95B; C106 1004 from D.00B, the
// same first component), 1225 message function. The message's own reference (UNH 0062) is never taken for the
// document number: senders number messages per interchange (1, 2, ... or a timestamp), so a replacement does not
// repeat the original's. Undefined when the message stores nothing (a test, or a cancellation naming no document).
function documentOf(body: Scope, problems: MappingProblem[]): MessageDocument | undefined {
  const bgm = body.find((segment) => segment.tag === 'BGM');
  if (bgm === undefined) return { bgm, id: undefined, function: 'original' };
  const number = value(bgm, 1).trim();
  const id = DOCUMENT_ID.test(number) ? number : undefined;
  const code = value(bgm, 2);
  const reading = code === '' ? undefined : messageFunctionOf(code);
  if (reading?.kind === 'test') {
    problems.push(problemAt(bgm, `BGM message function ${code} (test): the message is a test and its events are not stored`));
    return undefined;
  }
  let documentFunction: DocumentFunction = reading?.function ?? 'original';
  if (code !== '' && reading === undefined) {
    problems.push(problemAt(bgm, `BGM message function ${code} is not one Kouan maps (docs/tracking.md); the events are kept as an original`));
  }
  if (id === undefined && number !== '') {
    problems.push(problemAt(bgm, `BGM document number "${number}" is not a document id (printable characters without spaces, at most 70); the events carry no document`));
  }
  if (id === undefined && documentFunction === 'cancellation') {
    problems.push(problemAt(bgm, `The cancellation names no document number (BGM 1004), so nothing can be retracted; its events are not stored`));
    return undefined;
  }
  if (id === undefined && documentFunction === 'replacement') {
    problems.push(problemAt(bgm, `The replacement names no document number (BGM 1004), so it replaces nothing; the events are kept as an original`));
    documentFunction = 'original';
  }
  return { bgm, id, function: documentFunction };
}

interface MessageContext {
  readonly interchange: Interchange;
  readonly message: Message;
  readonly messageKey: string;
  readonly document: MessageDocument;
  readonly events: TrackingEventInput[];
  readonly problems: MappingProblem[];
}

// A run of segments that shares references: a message header, an IFTSTA consignment or status group, a CODECO
// or COARRI equipment group. Lookups go from the innermost scope outwards.
type Scope = readonly Segment[];

function mapEquipmentReport(context: MessageContext, messageType: 'CODECO' | 'COARRI', body: Scope): void {
  const firstEquipment = body.findIndex((segment) => segment.tag === 'EQD');
  const header = firstEquipment === -1 ? body : body.slice(0, firstEquipment);
  const bgm = context.document.bgm;
  const reading = documentMovementOf(messageType, bgm === undefined ? '' : value(bgm, 0, 0), bgm === undefined ? '' : value(bgm, 0, 2));
  if ('reason' in reading) {
    const at = bgm ?? context.message.segments[0];
    if (at !== undefined) context.problems.push(problemAt(at, reading.reason));
    return;
  }
  for (const group of groupsStartingWith(body, 'EQD', ['CNT'])) {
    const equipment = group[0];
    if (equipment !== undefined) addEvent(context, { eventType: 'EQUIPMENT', code: reading.movement }, equipment, [group, header], EQUIPMENT_EVENT_LOCATIONS);
  }
}

function mapStatusReport(context: MessageContext, body: Scope): void {
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

// RFF+EQ names a piece of equipment by number where a sender gives no EQD.
const EQUIPMENT_REFERENCE = 'EQ';
const BOOKING = /^[\x21-\x7e]{1,35}$/;

function mapStatus(context: MessageContext, group: Scope, consignment: Scope, header: Scope): void {
  const status = group[0];
  if (status === undefined) return;
  const reading = statusEventOf(value(status, 1, 0), value(status, 1, 2));
  if ('reason' in reading) {
    context.problems.push(problemAt(status, reading.reason));
    return;
  }
  const scopes = [group, consignment, header];
  // One event per container: EQD in the status group, else RFF+EQ there, else RFF+EQ of the consignment.
  let subjects = group.filter((segment) => segment.tag === 'EQD');
  if (subjects.length === 0) subjects = group.filter(isEquipmentReference);
  if (subjects.length === 0) subjects = consignment.filter(isEquipmentReference);
  if (subjects.length === 0) subjects = [status];
  for (const subject of subjects) addEvent(context, reading.mapped, subject, scopes, null);
}

function isEquipmentReference(segment: Segment): boolean {
  return segment.tag === 'RFF' && value(segment, 0, 0) === EQUIPMENT_REFERENCE;
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

// The event schema's bill of lading: upper-case letters and digits, at most 35.
const BILL_OF_LADING = /^[A-Z0-9]{1,35}$/;

function addEvent(context: MessageContext, mapped: MappedStatus, subject: Segment, scopes: readonly Scope[], innerLocationQualifiers: ReadonlySet<string> | null): void {
  const { document, events, problems } = context;
  const references: TrackingEventInput['references'] = {};
  // Problems that cost the event only what they concern, told once the event stands.
  const notes: MappingProblem[] = [];
  if (subject.tag === 'EQD') {
    const container = value(subject, 1, 0);
    if (!isValidContainerNumber(container)) {
      problems.push(problemAt(subject, `"${container}" is not an ISO 6346 container number with a valid check digit`));
      return;
    }
    references.container = container;
  } else if (subject.tag === 'RFF') {
    const container = value(subject, 0, 1).trim();
    if (isValidContainerNumber(container)) references.container = container;
    else notes.push(problemAt(subject, `RFF+EQ "${container}" is not an ISO 6346 container number with a valid check digit; the event is kept without it`));
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
  // The master bill (BM), else the house bill (BH) where a forwarder reports on its own.
  const bill = reference(scopes, 'BM') ?? reference(scopes, 'BH');
  if (bill !== undefined) {
    if (BILL_OF_LADING.test(bill.value)) references.billOfLading = bill.value;
    else notes.push(problemAt(bill.segment, `RFF+${value(bill.segment, 0, 0)} "${bill.value}" is not a bill of lading number as events take it (A-Z and 0-9, at most 35); the event is kept without it`));
  }
  // RFF+BN: the carrier's booking number, kept on the event (as DCSA's carrierBookingReference is).
  const booking = reference(scopes, 'BN');
  if (booking !== undefined) {
    if (BOOKING.test(booking.value)) references.bookingReference = booking.value;
    else notes.push(problemAt(booking.segment, `RFF+BN "${booking.value}" is not a booking number as events take it (visible ASCII, at most 35); the event is kept without it`));
  }
  const vessel = vesselOf(scopes);
  if (vessel.imo !== undefined) references.vesselImo = vessel.imo;
  if (vessel.callSign !== undefined) references.vesselCallSign = vessel.callSign;
  if (vessel.name !== undefined) references.vesselName = vessel.name;
  // A voyage names a sailing of a ship: kept when the ship is named at all.
  if (vessel.voyage !== undefined && (vessel.imo ?? vessel.callSign ?? vessel.name) !== undefined) references.voyage = vessel.voyage;

  const event: Omit<TrackingEventInput, 'eventId'> = {
    eventType: mapped.eventType,
    code: mapped.code,
    classifier: time.classifier,
    eventTime: time.eventTime,
    location: place.location,
    references,
  };
  if (place.facility !== undefined) event.facility = place.facility;
  if (time.timeZoneAssumed !== undefined) event.timeZoneAssumed = time.timeZoneAssumed;
  if (document.id !== undefined) event.document = { id: document.id, function: document.function };
  events.push({ eventId: eventIdOf(context, event), ...event });
  problems.push(...notes);
}

// An event's id is a hash of what it says, with its sender (references are unique per sender only) and its
// document: the same facts sent again, in the same interchange or a new one, as a duplicate (7), a copy (31) or an
// additional transmission (43), are the same event and are stored once. A replacement or cancellation adds its
// function and the message's own identity (interchange control reference, group, UNH reference and its
// occurrence): it is stored even when it repeats the original word for word, a second replacement in a later
// interchange is not taken for the first, and the same interchange sent again is still a no-op.
function eventIdOf(context: MessageContext, event: Omit<TrackingEventInput, 'eventId'>): string {
  const { interchange, messageKey, document } = context;
  const parts = ['edifact/2', interchange.sender, contentKey(event)];
  if (event.document !== undefined && document.function !== 'original') parts.push(document.function, interchange.controlRef, messageKey);
  const hex = createHash('sha256').update(parts.join(SEPARATOR)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// Every field of a mapped event, each named, in a fixed order: what the id of the event is a hash of. A field
// added to mapped events must be added here, or two events differing only in it would share an id.
const SEPARATOR = '\u001f';
const REFERENCE_FIELDS = ['container', 'billOfLading', 'vesselImo', 'vesselCallSign', 'vesselName', 'voyage', 'submission', 'bookingReference'] as const;

function contentKey(event: Omit<TrackingEventInput, 'eventId'>): string {
  const fields: (string | undefined)[] = [
    event.eventType, event.code, event.classifier, event.eventTime, event.timeZoneAssumed, event.location, event.facility, event.agency,
    ...REFERENCE_FIELDS.map((field) => event.references[field]),
    event.document?.id, event.document?.function,
  ];
  return fields.map((field) => (field === undefined ? '' : `=${field}`)).join(SEPARATOR);
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

// LOC C517 is 3225 place : 1131 code list : 3055 agency. A place is a UN/LOCODE only under agency 6 (UN/ECE) or
// none given: under another agency (ZZZ, a terminal's own codes) five letters are not a UN/LOCODE.
const UN_ECE = '6';

function eventLocation(scopes: readonly Scope[], innerQualifiers: ReadonlySet<string> | null): { location: string; facility?: string } | undefined {
  for (const [depth, scope] of scopes.entries()) {
    for (const segment of scope) {
      if (segment.tag !== 'LOC') continue;
      const qualifier = value(segment, 0);
      if (qualifier === STOWAGE_CELL) continue;
      if (depth === 0 && innerQualifiers !== null && !innerQualifiers.has(qualifier)) continue;
      const location = value(segment, 1, 0);
      const agency = value(segment, 1, 2);
      if (!LOCODE.test(location) || (agency !== '' && agency !== UN_ECE)) continue;
      const facility = value(segment, 2, 3) || value(segment, 2, 0);
      return facility === '' ? { location } : { location, facility };
    }
  }
  return undefined;
}

function reference(scopes: readonly Scope[], qualifier: string): { value: string; segment: Segment } | undefined {
  for (const scope of scopes) {
    for (const segment of scope) {
      if (segment.tag === 'RFF' && value(segment, 0, 0) === qualifier && value(segment, 0, 1) !== '') return { value: value(segment, 0, 1), segment };
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
