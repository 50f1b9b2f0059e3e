// IFTSTA STS status codes (C555: 4405 code : 1131 list : 3055 agency : 4404 text) -> Kouan's tracking events. Two
// families of codes arrive in STS, and the agency (3055) tells them apart:
// - UN/ECE Recommendation 24 "Trade and transport status codes" (numeric), agency 6 or none given;
// - the two-letter codes of the ANSI X12 315 family that ocean carriers and portals send in IFTSTA, and the DCSA
//   codes themselves, as sent: a mutually defined list (agency ZZZ) or none given.
// A code is read only in the list its agency names: a numeric code under ZZZ is the sender's own code, not Rec 24,
// and a two-letter code under 6 is no Rec 24 code. Every other code is reported with why, never guessed.

import type { EventType } from '../../modules/tracking/tracking.schema.js';

/** The codes an interchange can be mapped to (DESIGN.md, after DCSA Track & Trace). */
export const TRACKING_EVENT_CODES = [
  'ARRI', 'DEPA', 'LOAD', 'DISC', 'GTIN', 'GTOT', 'STUF', 'STRP', 'INSP', 'RECE', 'ACCE', 'REJE', 'RELS', 'HOLD',
] as const;
export type TrackingEventCode = (typeof TRACKING_EVENT_CODES)[number] | 'CONF' | 'ISSU';

/** The event type each DCSA event code sent as such belongs to (INSP as sent is the equipment inspection). */
export const DCSA_EVENT_TYPES: Readonly<Record<(typeof TRACKING_EVENT_CODES)[number], EventType>> = {
  ARRI: 'TRANSPORT', DEPA: 'TRANSPORT',
  LOAD: 'EQUIPMENT', DISC: 'EQUIPMENT', GTIN: 'EQUIPMENT', GTOT: 'EQUIPMENT', STUF: 'EQUIPMENT', STRP: 'EQUIPMENT', INSP: 'EQUIPMENT',
  RECE: 'CLEARANCE', ACCE: 'CLEARANCE', REJE: 'CLEARANCE', RELS: 'CLEARANCE', HOLD: 'CLEARANCE',
};

export interface MappedStatus {
  readonly eventType: EventType;
  readonly code: TrackingEventCode;
}

// UN/ECE Recommendation 24 (revision 6, 2017) -> event, where a code says one of the things Kouan tracks. The
// classifier comes from the DTM, as for every event. The other codes (delays, damage, deliveries, waiting, ...)
// are no DCSA milestone and are reported with their code.
//   code  Rec 24 name                                       eventType   code
//   1     Arrival, completed                                TRANSPORT   ARRI
//   40    Arrival, at port                                  TRANSPORT   ARRI
//   24    Departure, completed                              TRANSPORT   DEPA
//   127   Departed, completed on a means of transport       TRANSPORT   DEPA
//   48    Loading, completed onto a means of transport      EQUIPMENT   LOAD
//   92    Stowed                                            EQUIPMENT   LOAD
//   118   Stowed on deck                                    EQUIPMENT   LOAD
//   121   Stowed under deck                                 EQUIPMENT   LOAD
//   29    Unloaded                                          EQUIPMENT   DISC
//   346   Unloading, completed from a means of transport    EQUIPMENT   DISC
//   364   Arrival, at yard                                  EQUIPMENT   GTIN
//   365   Departure, from yard                              EQUIPMENT   GTOT
//   93    Stuffed                                           EQUIPMENT   STUF
//   94    Stuffed and sealed                                EQUIPMENT   STUF
//   28    Stripped                                          EQUIPMENT   STRP
//   97    Damage surveyed                                   EQUIPMENT   INSP
//   12    Cleared, by customs                               CLEARANCE   RELS
//   17    Customs clearance, refused                        CLEARANCE   REJE
//   228   Inspection required by authority                  CLEARANCE   INSP
//   116   Export inhibited                                  CLEARANCE   HOLD
//   229   Export suspended                                  CLEARANCE   HOLD
//   232   Import suspended                                  CLEARANCE   HOLD
//   6     Booking, completed                                SHIPMENT    CONF
//   359   Bill of Lading issued                             SHIPMENT    ISSU
const REC24_STATUS_EVENTS: ReadonlyMap<string, MappedStatus> = new Map<string, MappedStatus>([
  ['1', { eventType: 'TRANSPORT', code: 'ARRI' }],
  ['40', { eventType: 'TRANSPORT', code: 'ARRI' }],
  ['24', { eventType: 'TRANSPORT', code: 'DEPA' }],
  ['127', { eventType: 'TRANSPORT', code: 'DEPA' }],
  ['48', { eventType: 'EQUIPMENT', code: 'LOAD' }],
  ['92', { eventType: 'EQUIPMENT', code: 'LOAD' }],
  ['118', { eventType: 'EQUIPMENT', code: 'LOAD' }],
  ['121', { eventType: 'EQUIPMENT', code: 'LOAD' }],
  ['29', { eventType: 'EQUIPMENT', code: 'DISC' }],
  ['346', { eventType: 'EQUIPMENT', code: 'DISC' }],
  ['364', { eventType: 'EQUIPMENT', code: 'GTIN' }],
  ['365', { eventType: 'EQUIPMENT', code: 'GTOT' }],
  ['93', { eventType: 'EQUIPMENT', code: 'STUF' }],
  ['94', { eventType: 'EQUIPMENT', code: 'STUF' }],
  ['28', { eventType: 'EQUIPMENT', code: 'STRP' }],
  ['97', { eventType: 'EQUIPMENT', code: 'INSP' }],
  ['12', { eventType: 'CLEARANCE', code: 'RELS' }],
  ['17', { eventType: 'CLEARANCE', code: 'REJE' }],
  ['228', { eventType: 'CLEARANCE', code: 'INSP' }],
  ['116', { eventType: 'CLEARANCE', code: 'HOLD' }],
  ['229', { eventType: 'CLEARANCE', code: 'HOLD' }],
  ['232', { eventType: 'CLEARANCE', code: 'HOLD' }],
  ['6', { eventType: 'SHIPMENT', code: 'CONF' }],
  ['359', { eventType: 'SHIPMENT', code: 'ISSU' }],
]);

// The mutually defined two-letter codes (ANSI X12 315 family) and the DCSA codes as sent:
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
const MUTUALLY_DEFINED_STATUS_EVENTS: ReadonlyMap<string, MappedStatus> = new Map<string, MappedStatus>([
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

// DE 3055 code list responsible agency: 6 is UN/ECE (Rec 24), ZZZ mutually defined.
const UN_ECE = '6';
const MUTUALLY_DEFINED = 'ZZZ';
const NUMERIC = /^\d{1,3}$/;

/** The event an STS status code (4405) with its agency (3055) maps to, or why it maps to none. */
export function statusEventOf(code: string, agency: string): { mapped: MappedStatus } | { reason: string } {
  if (code === '') return { reason: 'STS gives no status code' };
  if (NUMERIC.test(code)) {
    if (agency !== '' && agency !== UN_ECE) {
      return { reason: `Status code "${code}" is from the code list of agency ${agency}${agency === MUTUALLY_DEFINED ? ' (mutually defined)' : ''}, not UN/ECE Recommendation 24, and is not mapped` };
    }
    // Senders pad Rec 24 codes ("01"); the code is the number.
    const mapped = REC24_STATUS_EVENTS.get(String(Number(code)));
    return mapped === undefined ? { reason: `UN/ECE Recommendation 24 status code "${code}" is not mapped to a tracking event` } : { mapped };
  }
  if (agency === UN_ECE) return { reason: `Status code "${code}" is not a UN/ECE Recommendation 24 code (agency 6), whose codes are numeric` };
  if (agency !== '' && agency !== MUTUALLY_DEFINED) return { reason: `Status code "${code}" is from the code list of agency ${agency}, which Kouan does not map` };
  const mapped = MUTUALLY_DEFINED_STATUS_EVENTS.get(code);
  return mapped === undefined ? { reason: `Status code "${code}" is not mapped to a tracking event` } : { mapped };
}
