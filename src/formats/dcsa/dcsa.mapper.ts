// Maps DCSA Track & Trace events, as 2.2.0 and 3.0.0 publish them (dcsa.codes.ts names the specifications), to
// Kouan's tracking events. Each event is checked against DCSA's schema on its own and every problem is reported with
// its path in DCSA's JSON; a mapped event keeps, for each Kouan field, the DCSA path it came from, so that what the
// ingest then finds wrong is reported there too.
//
// | Kouan                        | 2.2.0                                                        | 3.0.0                                                              |
// |------------------------------|--------------------------------------------------------------|--------------------------------------------------------------------|
// | eventId                      | eventID (a hash of the event when it has none)               | eventID@eventUpdatedDateTime (eventID alone without the update time) |
// | document {id, function}      | —                                                            | eventID; `cancellation` when isRetracted, else `replacement`       |
// | eventType                    | eventType                                                    | eventClassification.eventTypeCode (also IOT, REEFER)               |
// | code                         | transport/equipment/shipmentEventTypeCode                    | eventClassification.<type>EventTypeCode                            |
// | classifier                   | eventClassifierCode (ACT, PLN, EST: the same codes)           | eventClassification.eventClassifierCode                             |
// | eventTime                    | eventDateTime, offset as sent (stored as that instant in UTC) | eventDateTime                                                      |
// | location                     | eventLocation / transportCall (.location) .UNLocationCode    | eventLocation.UNLocationCode                                       |
// | facility                     | facilityCode, else otherFacility, else locationName          | eventLocation.facility.facilityCode, facilityName, locationName     |
// | references.container         | equipmentReference, else references[EQ] (ISO 6346 checked)  | equipmentDetails.equipmentReference, else shipmentReferences[EQ]    |
// | references.billOfLading      | documentReferences[TRD]; documentID of a TRD shipment event  | the first TRD document reference                                   |
// | references.bookingReference  | documentReferences[BKG]; documentID of a BKG shipment event  | the first BKG document reference                                   |
// | references.vesselImo         | transportCall.vessel.vesselIMONumber with a valid check digit | transportDetails.transportCall.vesselTransport.vesselIMONumber      |
// | references.vesselCallSign    | vessel.vesselCallSignNumber                                  | vesselTransport.vesselCallSign                                     |
// | references.vesselName        | vessel.vesselName                                            | vesselTransport.vesselName                                         |
// | references.voyage            | exportVoyageNumber, else carrierVoyageNumber, else import     | export, else importVoyageNumberOrReference (carrierVoyageNumber, else universalVoyageReference) |
//
// An IMO number failing its check digit is passed over, as on the EDIFACT side (the call sign and name still name
// the ship), unless nothing else would then tie the event to anything. Everything else DCSA sends (seals, empty
// indicator, ISO equipment code, delay reasons, remarks, shippers' references, reefer readings, IoT details, ...)
// is validated but not kept: Kouan's event has no field for it (docs/tracking.md, "DCSA Track & Trace").

import { createHash } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { isValidContainerNumber, isValidImoNumber } from '../../modules/codes/index.js';
import type { EventType, ItemError, TrackingEvent } from '../../modules/tracking/tracking.schema.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { FIELD_PROBLEMS, fill, type FieldCode, type Params } from '../../shared/errors.js';
import { pointerToPath } from '../../shared/json-path.js';
import {
  Dcsa22EnvelopeSchema,
  Dcsa22EquipmentEventSchema,
  Dcsa22ShipmentEventSchema,
  Dcsa22TransportEventSchema,
  Dcsa30EventSchema,
  type Dcsa22EquipmentEvent,
  type Dcsa22TransportCall,
} from './dcsa.schema.js';

export const DCSA_VERSIONS = ['2.2', '3.0'] as const;
export type DcsaVersion = (typeof DCSA_VERSIONS)[number];

/** Where each field of a mapped event came from: Kouan JSON path (`$.references.container`) ▶ DCSA JSON path. */
export type DcsaSources = ReadonlyMap<string, string>;

export type DcsaMapping =
  | { readonly ok: true; readonly event: TrackingEvent; readonly sources: DcsaSources }
  | { readonly ok: false; readonly eventId: string | null; readonly errors: ItemError[] };

const validators = {
  envelope22: Compile(Dcsa22EnvelopeSchema),
  TRANSPORT: Compile(Dcsa22TransportEventSchema),
  SHIPMENT: Compile(Dcsa22ShipmentEventSchema),
  EQUIPMENT: Compile(Dcsa22EquipmentEventSchema),
  event30: Compile(Dcsa30EventSchema),
};

// Kouan's event ids and document ids are visible ASCII of at most 100 and 70 characters; DCSA 3.0 allows 500.
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const EVENT_ID_MAX = 100;
const DOCUMENT_ID_MAX = 70;
const CALL_SIGN = /^[A-Z0-9]{1,35}$/;
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * The DCSA path a Kouan path reported by the ingest stands for: the source of the longest Kouan field that contains
 * it (`$.document.id` is `$.eventID`; a reference the event lacks, `$.references.billOfLading`, is where DCSA would
 * have named it), else the event itself.
 */
export function dcsaPathOf(sources: DcsaSources, kouanPath: string): string {
  let best: { length: number; path: string } | undefined;
  for (const [field, source] of sources) {
    const inside = kouanPath === field || kouanPath.startsWith(`${field}.`) || kouanPath.startsWith(`${field}[`);
    if (inside && (best === undefined || field.length > best.length)) best = { length: field.length, path: source };
  }
  return best?.path ?? '$';
}

/** Maps one DCSA Track & Trace 2.2.0 event (TransportEvent, ShipmentEvent or EquipmentEvent). */
export function mapDcsa22Event(item: unknown): DcsaMapping {
  if (!validators.envelope22.Check(item)) return rejected(item, schemaErrors(validators.envelope22, item));
  const validator = validators[item.eventType];
  if (!validator.Check(item)) return rejected(item, schemaErrors(validator, item));
  const event = item;
  const out = new EventBuilder(event.eventType, event.eventClassifierCode, event.eventDateTime);
  out.eventId(event.eventID === undefined ? hashedId('dcsa2', canonicalJson(item)) : kouanId('dcsa2', event.eventID, EVENT_ID_MAX), '$.eventID');
  out.source('$.eventType', '$.eventType').source('$.classifier', '$.eventClassifierCode').source('$.eventTime', '$.eventDateTime');

  switch (event.eventType) {
    case 'TRANSPORT':
      out.code(event.transportEventTypeCode, '$.transportEventTypeCode');
      out.source('$.location', '$.transportCall.UNLocationCode');
      place22(out, undefined, event.transportCall);
      documents22(out, event.documentReferences);
      // A vessel's movement names the vessel: that is what it is about when it names nothing else.
      out.fallbackReference('$.transportCall');
      break;
    case 'SHIPMENT':
      out.code(event.shipmentEventTypeCode, '$.shipmentEventTypeCode');
      if (event.documentTypeCode === 'TRD') out.reference('billOfLading', event.documentID, '$.documentID');
      if (event.documentTypeCode === 'BKG') out.reference('bookingReference', event.documentID, '$.documentID');
      out.fallbackReference('$.documentID');
      break;
    case 'EQUIPMENT':
      out.code(event.equipmentEventTypeCode, '$.equipmentEventTypeCode');
      if (event.equipmentReference !== undefined) out.container(event.equipmentReference, '$.equipmentReference');
      out.source('$.location', '$.eventLocation.UNLocationCode');
      place22(out, event.eventLocation, event.transportCall);
      documents22(out, event.documentReferences);
      out.fallbackReference('$.equipmentReference');
      break;
  }
  // Shippers' EQ references name the equipment too; the event's own equipmentReference comes first.
  for (const [index, reference] of (event.references ?? []).entries()) {
    if (reference.referenceType === 'EQ') out.container(reference.referenceValue, `$.references[${index}].referenceValue`);
  }
  return out.build(item);
}

/** Maps one DCSA Track & Trace 3.0.0 Event. */
export function mapDcsa30Event(item: unknown): DcsaMapping {
  if (!validators.event30.Check(item)) return rejected(item, schemaErrors(validators.event30, item));
  const event = item;
  const classification = event.eventClassification;
  const out = new EventBuilder(classification.eventTypeCode, classification.eventClassifierCode, event.eventDateTime);
  out.source('$.eventType', '$.eventClassification.eventTypeCode').source('$.classifier', '$.eventClassification.eventClassifierCode').source('$.eventTime', '$.eventDateTime');

  // An event overrides those with its eventID and an earlier eventUpdatedDateTime (3.0.0 Event.eventID): each
  // update is its own Kouan event, the replacement of the earlier ones of its document, the DCSA eventID.
  if (event.eventID === undefined) out.eventId(hashedId('dcsa3', canonicalJson(item)), '$');
  else {
    const version = event.eventUpdatedDateTime === undefined ? event.eventID : `${event.eventID}@${event.eventUpdatedDateTime}`;
    out.eventId(kouanId('dcsa3', version, EVENT_ID_MAX), '$.eventID');
    out.document({ id: kouanId('dcsa3', event.eventID, DOCUMENT_ID_MAX), function: event.isRetracted === true ? 'cancellation' : 'replacement' }, '$.eventID');
  }

  const codeField = CODE_FIELDS_30[classification.eventTypeCode];
  const code = classification[codeField];
  if (code === undefined) out.error(`$.eventClassification.${codeField}`, 'FIELD_REQUIRED');
  else out.code(code, `$.eventClassification.${codeField}`);

  const location = event.eventLocation;
  out.source('$.location', '$.eventLocation.UNLocationCode');
  if (location?.UNLocationCode !== undefined) out.location(location.UNLocationCode, '$.eventLocation.UNLocationCode');
  const facility = firstOf([
    [location?.facility?.facilityCode, '$.eventLocation.facility.facilityCode'],
    [location?.facility?.facilityName, '$.eventLocation.facility.facilityName'],
    [location?.locationName, '$.eventLocation.locationName'],
  ]);
  if (facility !== undefined) out.facility(...facility);

  const equipment = event.equipmentDetails?.equipmentReference;
  if (equipment !== undefined) out.container(equipment, '$.equipmentDetails.equipmentReference');
  const shipment = event.shipmentDetails;
  const documents: [{ typeCode: string; reference: string } | undefined, string][] = [
    [shipment?.documentReference, '$.shipmentDetails.documentReference'],
    ...(shipment?.additionalDocumentReferences ?? []).map((reference, index): [typeof reference, string] => [reference, `$.shipmentDetails.additionalDocumentReferences[${index}]`]),
    ...(event.relatedDocumentReferences ?? []).map((reference, index): [typeof reference, string] => [reference, `$.relatedDocumentReferences[${index}]`]),
  ];
  for (const [reference, path] of documents) {
    if (reference?.typeCode === 'TRD') out.reference('billOfLading', reference.reference, `${path}.reference`);
    if (reference?.typeCode === 'BKG') out.reference('bookingReference', reference.reference, `${path}.reference`);
  }
  const shipmentReferences: [{ typeCode: string; reference: string }, string][] = [
    ...(shipment?.shipmentReferences ?? []).map((reference, index): [typeof reference, string] => [reference, `$.shipmentDetails.shipmentReferences[${index}].reference`]),
    ...(event.shipmentReferences ?? []).map((reference, index): [typeof reference, string] => [reference, `$.shipmentReferences[${index}].reference`]),
  ];
  for (const [reference, path] of shipmentReferences) if (reference.typeCode === 'EQ') out.container(reference.reference, path);

  const call = event.transportDetails?.transportCall;
  if (call !== undefined) {
    const ship = call.vesselTransport;
    const at = '$.transportDetails.transportCall';
    const voyage = firstOf([
      [call.exportVoyageNumberOrReference?.carrierVoyageNumber, `${at}.exportVoyageNumberOrReference.carrierVoyageNumber`],
      [call.exportVoyageNumberOrReference?.universalVoyageReference, `${at}.exportVoyageNumberOrReference.universalVoyageReference`],
      [call.importVoyageNumberOrReference?.carrierVoyageNumber, `${at}.importVoyageNumberOrReference.carrierVoyageNumber`],
      [call.importVoyageNumberOrReference?.universalVoyageReference, `${at}.importVoyageNumberOrReference.universalVoyageReference`],
    ]);
    out.vessel(
      { imo: ship?.vesselIMONumber, callSign: ship?.vesselCallSign, name: ship?.vesselName, voyage: voyage?.[0] },
      { imo: `${at}.vesselTransport.vesselIMONumber`, callSign: `${at}.vesselTransport.vesselCallSign`, name: `${at}.vesselTransport.vesselName`, voyage: voyage?.[1] ?? at },
    );
  }
  out.fallbackReference(FALLBACK_PATHS_30[classification.eventTypeCode]);
  return out.build(item);
}

/** Which EventClassification field carries the code of each 3.0 event type. */
const CODE_FIELDS_30 = {
  SHIPMENT: 'shipmentEventTypeCode',
  TRANSPORT: 'transportEventTypeCode',
  EQUIPMENT: 'equipmentEventTypeCode',
  IOT: 'iotEventTypeCode',
  REEFER: 'reeferEventTypeCode',
} as const;

/** Where a 3.0 event that names nothing Kouan can follow should have named it. */
const FALLBACK_PATHS_30 = {
  SHIPMENT: '$.shipmentDetails.documentReference',
  TRANSPORT: '$.transportDetails.transportCall.vesselTransport',
  EQUIPMENT: '$.equipmentDetails.equipmentReference',
  IOT: '$.equipmentDetails.equipmentReference',
  REEFER: '$.equipmentDetails.equipmentReference',
} as const;

/** Location, facility and vessel of a 2.2 event: its own eventLocation first, then its transport call. */
function place22(out: EventBuilder, own: Dcsa22EquipmentEvent['eventLocation'], call: Dcsa22TransportCall | undefined): void {
  const location = firstOf([
    [own?.UNLocationCode, '$.eventLocation.UNLocationCode'],
    [call?.UNLocationCode, '$.transportCall.UNLocationCode'],
    [call?.location?.UNLocationCode, '$.transportCall.location.UNLocationCode'],
  ]);
  if (location !== undefined) out.location(...location);
  const facility = firstOf([
    [own?.facilityCode, '$.eventLocation.facilityCode'],
    [call?.facilityCode, '$.transportCall.facilityCode'],
    [call?.location?.facilityCode, '$.transportCall.location.facilityCode'],
    [call?.otherFacility, '$.transportCall.otherFacility'],
    [own?.locationName, '$.eventLocation.locationName'],
    [call?.location?.locationName, '$.transportCall.location.locationName'],
  ]);
  if (facility !== undefined) out.facility(...facility);
  if (call === undefined) return;
  // The export voyage, as 2.2 itself chooses for its deprecated carrierVoyageNumber.
  const voyage = firstOf([
    [call.exportVoyageNumber, '$.transportCall.exportVoyageNumber'],
    [call.carrierVoyageNumber, '$.transportCall.carrierVoyageNumber'],
    [call.importVoyageNumber, '$.transportCall.importVoyageNumber'],
  ]);
  const vessel = call.vessel;
  out.vessel(
    { imo: vessel?.vesselIMONumber, callSign: vessel?.vesselCallSignNumber, name: vessel?.vesselName, voyage: voyage?.[0] },
    { imo: '$.transportCall.vessel.vesselIMONumber', callSign: '$.transportCall.vessel.vesselCallSignNumber', name: '$.transportCall.vessel.vesselName', voyage: voyage?.[1] ?? '$.transportCall' },
  );
}

function documents22(out: EventBuilder, references: readonly { documentReferenceType: 'BKG' | 'TRD'; documentReferenceValue: string }[] | undefined): void {
  for (const [index, reference] of (references ?? []).entries()) {
    out.reference(reference.documentReferenceType === 'TRD' ? 'billOfLading' : 'bookingReference', reference.documentReferenceValue, `$.documentReferences[${index}].documentReferenceValue`);
  }
}

type Reference = 'billOfLading' | 'bookingReference';

/** Collects one Kouan event, where each field came from, and the problems found while mapping. */
class EventBuilder {
  private readonly sources = new Map<string, string>();
  private readonly errors: ItemError[] = [];
  private readonly references: TrackingEvent['references'] = {};
  private readonly fields: { eventId?: string; code?: string; location?: string; facility?: string; document?: TrackingEvent['document'] } = {};
  private passedOverImo: { value: string; path: string } | undefined;
  private fallback = '$';

  constructor(
    private readonly eventType: EventType,
    private readonly classifier: TrackingEvent['classifier'],
    private readonly eventTime: string,
  ) {}

  source(kouanPath: string, dcsaPath: string): this {
    this.sources.set(kouanPath, dcsaPath);
    return this;
  }

  eventId(id: string, path: string): void {
    this.fields.eventId = id;
    this.source('$.eventId', path);
  }

  document(document: NonNullable<TrackingEvent['document']>, path: string): void {
    this.fields.document = document;
    this.source('$.document', path);
  }

  code(code: string, path: string): void {
    this.fields.code = code;
    this.source('$.code', path);
  }

  location(code: string, path: string): void {
    this.fields.location = code;
    this.source('$.location', path);
  }

  facility(name: string, path: string): void {
    this.fields.facility = name;
    this.source('$.facility', path);
  }

  error(path: string, code: FieldCode, params: Params = {}): void {
    this.errors.push(itemError(path, code, params));
  }

  /** A booking or transport document reference: the first of each kind counts. */
  reference(kind: Reference, value: string, path: string): void {
    if (this.references[kind] !== undefined) return;
    this.references[kind] = value;
    this.source(`$.references.${kind}`, path);
  }

  /** The equipment: the first one named counts, and it must be an ISO 6346 number with its check digit. */
  container(value: string, path: string): void {
    if (this.references.container !== undefined || this.sources.has('$.references.container')) return;
    this.source('$.references.container', path);
    if (isValidContainerNumber(value)) this.references.container = value;
    else this.error(path, 'CONTAINER_CHECK_DIGIT', { value });
  }

  /** The vessel as the EDIFACT side takes it: an IMO number only with its check digit, then call sign and name. */
  vessel(ship: { imo: string | undefined; callSign: string | undefined; name: string | undefined; voyage: string | undefined }, paths: { imo: string; callSign: string; name: string; voyage: string }): void {
    if (ship.imo !== undefined && isValidImoNumber(ship.imo)) {
      this.references.vesselImo = ship.imo;
      this.source('$.references.vesselImo', paths.imo);
    } else if (ship.imo !== undefined && ship.imo !== '') {
      this.passedOverImo = { value: ship.imo, path: paths.imo };
    }
    const callSign = ship.callSign?.replace(/\s+/g, '').toUpperCase();
    if (callSign !== undefined && CALL_SIGN.test(callSign)) {
      this.references.vesselCallSign = callSign;
      this.source('$.references.vesselCallSign', paths.callSign);
    }
    const name = ship.name?.replace(/\s+/g, ' ').trim();
    if (name !== undefined && name !== '' && name.length <= 70 && !CONTROL.test(name)) {
      this.references.vesselName = name;
      this.source('$.references.vesselName', paths.name);
    }
    // A voyage means something only with its ship.
    const named = this.references.vesselImo !== undefined || this.references.vesselCallSign !== undefined || this.references.vesselName !== undefined;
    if (ship.voyage !== undefined && named) {
      this.references.voyage = ship.voyage;
      this.source('$.references.voyage', paths.voyage);
    }
  }

  /** Where to report an event that names nothing Kouan can follow (Kouan's `$.references`). */
  fallbackReference(path: string): void {
    this.fallback = path;
  }

  build(item: unknown): DcsaMapping {
    const { references } = this;
    const followable = references.container !== undefined || references.billOfLading !== undefined || references.vesselImo !== undefined;
    // A container that failed its check already says what is wrong; a passed-over IMO number is the reason only when nothing else is left.
    if (!followable && this.passedOverImo !== undefined && !this.errors.some((error) => error.code === 'CONTAINER_CHECK_DIGIT')) {
      this.error(this.passedOverImo.path, 'IMO_CHECK_DIGIT', { value: this.passedOverImo.value });
    }
    if (this.errors.length > 0 || this.fields.eventId === undefined || this.fields.code === undefined) {
      return { ok: false, eventId: this.fields.eventId ?? rawEventId(item), errors: this.errors };
    }
    this.sources.set('$.references', this.fallback);
    const event: TrackingEvent = {
      eventId: this.fields.eventId,
      eventType: this.eventType,
      code: this.fields.code,
      classifier: this.classifier,
      eventTime: this.eventTime,
      references,
    };
    if (this.fields.location !== undefined) event.location = this.fields.location;
    if (this.fields.facility !== undefined) event.facility = this.fields.facility;
    if (this.fields.document !== undefined) event.document = this.fields.document;
    return { ok: true, event, sources: this.sources };
  }
}

function firstOf(candidates: readonly [string | undefined, string][]): [string, string] | undefined {
  for (const [value, path] of candidates) if (value !== undefined && value !== '') return [value, path];
  return undefined;
}

/** The publisher's id when Kouan can keep it as it is, else a stable digest of it. */
function kouanId(prefix: string, id: string, max: number): string {
  return id.length <= max && VISIBLE_ASCII.test(id) ? id : hashedId(prefix, id);
}

function hashedId(prefix: string, text: string): string {
  return `${prefix}-${createHash('sha256').update(text).digest('hex')}`;
}

function rawEventId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const id = (item as { eventID?: unknown }).eventID;
  return typeof id === 'string' ? id : null;
}

function rejected(item: unknown, errors: ItemError[]): DcsaMapping {
  return { ok: false, eventId: rawEventId(item), errors };
}

function itemError(path: string, code: FieldCode, params: Params = {}): ItemError {
  return { path, code, message: fill(FIELD_PROBLEMS[code].en, params) };
}

/** Every problem the schema finds, one per path, in DCSA's JSON paths. */
function schemaErrors(validator: { Errors(value: unknown): Iterable<{ instancePath: string; keyword: string; params: unknown }> }, item: unknown): ItemError[] {
  const errors: ItemError[] = [];
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return [itemError('$', 'FIELD_TYPE', { type: 'object' })];
  for (const error of validator.Errors(item)) {
    const path = pointerToPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'boolean') continue;
    if (error.keyword === 'required') {
      for (const name of (params.requiredProperties as string[] | undefined) ?? []) errors.push(itemError(`${path}.${name}`, 'FIELD_REQUIRED'));
    } else if (error.keyword === 'enum' || error.keyword === 'const') {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? (params.allowedValue === undefined ? [] : [params.allowedValue]);
      errors.push(itemError(path, 'FIELD_NOT_ALLOWED', { allowed: allowed.join(', ') }));
    } else if (error.keyword === 'type') {
      errors.push(itemError(path, 'FIELD_TYPE', { type: String(params.type) }));
    } else if (error.keyword === 'maxLength' || error.keyword === 'minLength') {
      errors.push(itemError(path, 'FIELD_FORMAT', { format: `${error.keyword} ${String(params.limit)}` }));
    } else {
      errors.push(itemError(path, 'FIELD_FORMAT', { format: error.keyword }));
    }
  }
  const firstPerPath = new Map<string, ItemError>();
  for (const error of errors) if (!firstPerPath.has(error.path)) firstPerPath.set(error.path, error);
  return [...firstPerPath.values()];
}
