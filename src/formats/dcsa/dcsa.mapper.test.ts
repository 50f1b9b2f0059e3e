import { describe, expect, it } from 'vitest';
import { ALL_EVENT_CODES, EVENT_CODES } from '../../modules/tracking/index.js';
import {
  DCSA22_EQUIPMENT_CODES,
  DCSA22_SHIPMENT_CODES,
  DCSA30_EQUIPMENT_CODES,
  DCSA30_IOT_CODES,
  DCSA30_REEFER_CODES,
  DCSA30_SHIPMENT_CODES,
  DCSA_TRANSPORT_CODES,
} from './dcsa.codes.js';
import { dcsaPathOf, mapDcsa22Event, mapDcsa30Event, type DcsaMapping } from './dcsa.mapper.js';
import { BILL, BOOKING, CONTAINER, DCSA22, DCSA30, VESSEL_IMO, VOYAGE } from './samples.fixture.js';

type Json = Record<string, unknown>;
const copy = (value: object): Json => structuredClone(value) as Json;

function mapped(mapping: DcsaMapping) {
  if (!mapping.ok) throw new Error(`not mapped: ${JSON.stringify(mapping.errors)}`);
  return mapping;
}
function problems(mapping: DcsaMapping): string[] {
  if (mapping.ok) throw new Error(`mapped: ${JSON.stringify(mapping.event)}`);
  return mapping.errors.map((error) => `${error.path} ${error.code}`);
}

describe('DCSA T&T 2.2.0 events', () => {
  it('maps an equipment event at its own location, with the bill, the booking and the equipment', () => {
    const { event, sources } = mapped(mapDcsa22Event(DCSA22.gateIn));
    expect(event).toEqual({
      eventId: DCSA22.gateIn.eventID,
      eventType: 'EQUIPMENT',
      code: 'GTIN',
      classifier: 'ACT',
      // The offset as the publisher wrote it: the ingest reads it as that instant.
      eventTime: '2026-11-20T07:58:00+01:00',
      location: 'NLRTM',
      facility: 'ECTDE',
      references: { container: CONTAINER, billOfLading: BILL, bookingReference: BOOKING },
    });
    expect(dcsaPathOf(sources, '$.references.container')).toBe('$.equipmentReference');
    expect(dcsaPathOf(sources, '$.references.billOfLading')).toBe('$.documentReferences[1].documentReferenceValue');
  });

  it('maps an equipment event on a vessel: place, vessel and export voyage from its transport call', () => {
    const { event, sources } = mapped(mapDcsa22Event(DCSA22.load));
    expect(event).toMatchObject({ code: 'LOAD', location: 'NLRTM', facility: 'ECTDE' });
    expect(event.references).toEqual({ container: CONTAINER, billOfLading: BILL, vesselImo: VESSEL_IMO, vesselCallSign: 'H3RC', vesselName: 'Ever Given', voyage: VOYAGE });
    expect(dcsaPathOf(sources, '$.references.voyage')).toBe('$.transportCall.exportVoyageNumber');
    expect(dcsaPathOf(sources, '$.location')).toBe('$.transportCall.UNLocationCode');
  });

  it('maps transport events, actual and estimated', () => {
    expect(mapped(mapDcsa22Event(DCSA22.departure)).event).toMatchObject({ eventType: 'TRANSPORT', code: 'DEPA', classifier: 'ACT', location: 'NLRTM', references: { vesselImo: VESSEL_IMO, voyage: VOYAGE, billOfLading: BILL } });
    expect(mapped(mapDcsa22Event(DCSA22.arrivalEstimate)).event).toMatchObject({ code: 'ARRI', classifier: 'EST', eventTime: '2026-12-24T06:00:00+08:00', location: 'CNSHA', facility: 'SGH' });
  });

  it('maps the transport document states DRFT, PENA, APPR, ISSU and SURR onto the bill', () => {
    const events = DCSA22.billStates.map((state) => mapped(mapDcsa22Event(state)).event);
    expect(events.map((event) => event.code)).toEqual(['DRFT', 'PENA', 'APPR', 'ISSU', 'SURR']);
    for (const event of events) expect(event).toMatchObject({ eventType: 'SHIPMENT', references: { billOfLading: BILL } });
  });

  it('keeps a booking event\'s booking reference, and reports a missing followable reference at documentID', () => {
    const { event, sources } = mapped(mapDcsa22Event(DCSA22.bookingConfirmed));
    expect(event).toMatchObject({ code: 'CONF', references: { bookingReference: BOOKING } });
    expect(dcsaPathOf(sources, '$.references')).toBe('$.documentID');
  });

  it('accepts every code of 2.2 and Kouan knows each of them under its event type', () => {
    for (const code of DCSA22_EQUIPMENT_CODES) expect(mapped(mapDcsa22Event({ ...DCSA22.gateIn, equipmentEventTypeCode: code })).event.code).toBe(code);
    for (const code of DCSA22_SHIPMENT_CODES) expect(mapped(mapDcsa22Event({ ...DCSA22.billStates[0], shipmentEventTypeCode: code })).event.code).toBe(code);
    for (const code of DCSA_TRANSPORT_CODES) expect(mapped(mapDcsa22Event({ ...DCSA22.departure, transportEventTypeCode: code })).event.code).toBe(code);
    expect(EVENT_CODES.EQUIPMENT).toEqual(expect.arrayContaining([...DCSA22_EQUIPMENT_CODES]));
    expect(EVENT_CODES.SHIPMENT).toEqual(expect.arrayContaining([...DCSA22_SHIPMENT_CODES]));
  });

  it('refuses a container number failing its ISO 6346 check digit at the DCSA field', () => {
    expect(problems(mapDcsa22Event({ ...DCSA22.gateIn, equipmentReference: 'CSQU3054384' }))).toEqual(['$.equipmentReference CONTAINER_CHECK_DIGIT']);
    const viaReference = copy(DCSA22.departure);
    viaReference.references = [{ referenceType: 'EQ', referenceValue: 'CSQU3054384' }];
    expect(problems(mapDcsa22Event(viaReference))).toEqual(['$.references[0].referenceValue CONTAINER_CHECK_DIGIT']);
  });

  it('refuses an unknown code, an unknown event type, a missing time and a missing transport call, each at its path', () => {
    expect(problems(mapDcsa22Event({ ...DCSA22.gateIn, equipmentEventTypeCode: 'CUSR' }))).toEqual(['$.equipmentEventTypeCode FIELD_NOT_ALLOWED']);
    expect(problems(mapDcsa22Event({ ...DCSA22.gateIn, eventType: 'REEFER' }))).toEqual(['$.eventType FIELD_NOT_ALLOWED']);
    const untimed = copy(DCSA22.load);
    delete untimed.eventDateTime;
    expect(problems(mapDcsa22Event(untimed))).toEqual(['$.eventDateTime FIELD_REQUIRED']);
    const noCall = copy(DCSA22.departure);
    delete noCall.transportCall;
    expect(problems(mapDcsa22Event(noCall))).toEqual(['$.transportCall FIELD_REQUIRED']);
    expect(problems(mapDcsa22Event({ ...DCSA22.load, eventClassifierCode: 'REQ' }))).toEqual(['$.eventClassifierCode FIELD_NOT_ALLOWED']);
    expect(problems(mapDcsa22Event(['not', 'an', 'event']))).toEqual(['$ FIELD_TYPE']);
  });

  it('passes over an IMO number failing its check digit while the call sign, name or container still tie the event', () => {
    const load = copy(DCSA22.load);
    (load.transportCall as { vessel: Json }).vessel.vesselIMONumber = '9811001';
    expect(mapped(mapDcsa22Event(load)).event.references).toEqual({ container: CONTAINER, billOfLading: BILL, vesselCallSign: 'H3RC', vesselName: 'Ever Given', voyage: VOYAGE });
    const departure = copy(DCSA22.departure);
    delete departure.documentReferences;
    (departure.transportCall as { vessel: Json }).vessel.vesselIMONumber = '9811001';
    expect(problems(mapDcsa22Event(departure))).toEqual(['$.transportCall.vessel.vesselIMONumber IMO_CHECK_DIGIT']);
  });

  it('names the DCSA field for what the ingest finds missing or wrong, never a Kouan field name', () => {
    const { sources } = mapped(mapDcsa22Event({ ...DCSA22.bookingConfirmed }));
    // A carrier's event without a bill: the ingest says $.references.billOfLading; DCSA would have named it in documentID.
    expect(dcsaPathOf(sources, '$.references.billOfLading')).toBe('$.documentID');
    const departure = copy(DCSA22.departure);
    delete (departure.transportCall as Json).UNLocationCode;
    const placeless = mapped(mapDcsa22Event(departure));
    expect(placeless.event.location).toBeUndefined();
    expect(dcsaPathOf(placeless.sources, '$.location')).toBe('$.transportCall.UNLocationCode');
    expect(dcsaPathOf(mapped(mapDcsa30Event(DCSA30.discharge)).sources, '$.document.id')).toBe('$.eventID');
    expect(dcsaPathOf(new Map(), '$.references.container')).toBe('$');
  });

  it('derives a stable event id from the event when the publisher sends no eventID', () => {
    const anonymous = copy(DCSA22.gateIn);
    delete anonymous.eventID;
    const first = mapped(mapDcsa22Event(anonymous)).event.eventId;
    expect(first).toMatch(/^dcsa2-[0-9a-f]{64}$/);
    expect(mapped(mapDcsa22Event(structuredClone(anonymous))).event.eventId).toBe(first);
    expect(mapped(mapDcsa22Event({ ...anonymous, eventDateTime: '2026-11-20T07:59:00+01:00' })).event.eventId).not.toBe(first);
  });
});

describe('DCSA T&T 3.0.0 events', () => {
  it('maps an equipment event: classification, location, facility, equipment, documents and vessel', () => {
    const { event, sources } = mapped(mapDcsa30Event(DCSA30.discharge));
    expect(event).toEqual({
      eventId: `${DCSA30.discharge.eventID}@${DCSA30.discharge.eventUpdatedDateTime}`,
      eventType: 'EQUIPMENT',
      code: 'DISC',
      classifier: 'ACT',
      eventTime: '2026-11-28T09:12:00+08:00',
      location: 'CNSHA',
      facility: 'SGH',
      document: { id: DCSA30.discharge.eventID, function: 'replacement' },
      references: { container: CONTAINER, billOfLading: BILL, bookingReference: BOOKING, vesselImo: VESSEL_IMO, vesselCallSign: 'H3RC', vesselName: 'EVER GIVEN', voyage: VOYAGE },
    });
    expect(dcsaPathOf(sources, '$.references.billOfLading')).toBe('$.shipmentDetails.documentReference.reference');
    expect(dcsaPathOf(sources, '$.references.bookingReference')).toBe('$.shipmentDetails.additionalDocumentReferences[0].reference');
    expect(dcsaPathOf(sources, '$.references.vesselImo')).toBe('$.transportDetails.transportCall.vesselTransport.vesselIMONumber');
    expect(dcsaPathOf(sources, '$.eventTime')).toBe('$.eventDateTime');
  });

  it('maps transport, shipment, IoT and reefer events', () => {
    expect(mapped(mapDcsa30Event(DCSA30.arrival)).event).toMatchObject({ eventType: 'TRANSPORT', code: 'ARRI', location: 'CNSHA', references: { vesselImo: VESSEL_IMO, voyage: VOYAGE, billOfLading: BILL } });
    expect(mapped(mapDcsa30Event(DCSA30.billApproved)).event).toMatchObject({ eventType: 'SHIPMENT', code: 'APPR', references: { billOfLading: BILL, bookingReference: BOOKING } });
    expect(mapped(mapDcsa30Event(DCSA30.doorOpened)).event).toMatchObject({ eventType: 'IOT', code: 'DETC', location: 'CNSHA', references: { container: CONTAINER, billOfLading: BILL } });
    expect(mapped(mapDcsa30Event(DCSA30.reeferReading)).event).toMatchObject({ eventType: 'REEFER', code: 'MEAS', classifier: 'ACT', eventTime: '2026-11-26T12:00:00Z', references: { container: CONTAINER } });
  });

  it('accepts every code of 3.0 and Kouan knows each of them under its event type', () => {
    const cases = [
      ['SHIPMENT', 'shipmentEventTypeCode', DCSA30_SHIPMENT_CODES],
      ['TRANSPORT', 'transportEventTypeCode', DCSA_TRANSPORT_CODES],
      ['EQUIPMENT', 'equipmentEventTypeCode', DCSA30_EQUIPMENT_CODES],
      ['IOT', 'iotEventTypeCode', DCSA30_IOT_CODES],
      ['REEFER', 'reeferEventTypeCode', DCSA30_REEFER_CODES],
    ] as const;
    for (const [eventType, field, codes] of cases) {
      expect(EVENT_CODES[eventType]).toEqual(expect.arrayContaining([...codes]));
      for (const code of codes) {
        const event = { ...DCSA30.discharge, eventClassification: { eventTypeCode: eventType, eventClassifierCode: 'EST', [field]: code } };
        expect(mapped(mapDcsa30Event(event)).event).toMatchObject({ eventType, code, classifier: 'EST' });
      }
    }
    expect(ALL_EVENT_CODES).toContain('DETC');
  });

  it('keeps each update of an event apart, as a replacement of its eventID, and a retraction as a cancellation', () => {
    const first = mapped(mapDcsa30Event(DCSA30.discharge)).event;
    const later = mapped(mapDcsa30Event({ ...DCSA30.discharge, eventDateTime: '2026-11-28T09:20:00+08:00', eventUpdatedDateTime: '2026-11-28T10:00:00+08:00' })).event;
    expect(later.eventId).not.toBe(first.eventId);
    expect(later.document).toEqual(first.document);
    expect(mapped(mapDcsa30Event({ ...DCSA30.discharge, isRetracted: true, eventUpdatedDateTime: '2026-11-28T11:00:00+08:00' })).event.document).toEqual({ id: DCSA30.discharge.eventID, function: 'cancellation' });
  });

  it('digests an eventID longer than Kouan keeps, the same way every time', () => {
    const long = { ...DCSA30.doorOpened, eventID: `event-${'X'.repeat(200)}`, eventUpdatedDateTime: '2026-11-29T02:11:00Z' };
    const { event } = mapped(mapDcsa30Event(long));
    expect(event.eventId).toMatch(/^dcsa3-[0-9a-f]{64}$/);
    expect(event.document?.id).toMatch(/^dcsa3-[0-9a-f]{64}$/);
    expect(mapped(mapDcsa30Event(structuredClone(long))).event.eventId).toBe(event.eventId);
  });

  it('refuses a bad container, an unknown code, a missing code and a missing time, each at its DCSA path', () => {
    const badBox = copy(DCSA30.reeferReading);
    badBox.equipmentDetails = { equipmentReference: 'CSQU3054384' };
    expect(problems(mapDcsa30Event(badBox))).toEqual(['$.equipmentDetails.equipmentReference CONTAINER_CHECK_DIGIT']);
    expect(problems(mapDcsa30Event({ ...DCSA30.discharge, eventClassification: { eventTypeCode: 'EQUIPMENT', eventClassifierCode: 'ACT', equipmentEventTypeCode: 'LOADED' } }))).toEqual(['$.eventClassification.equipmentEventTypeCode FIELD_NOT_ALLOWED']);
    expect(problems(mapDcsa30Event({ ...DCSA30.doorOpened, eventClassification: { eventTypeCode: 'IOT', eventClassifierCode: 'ACT' } }))).toEqual(['$.eventClassification.iotEventTypeCode FIELD_REQUIRED']);
    const untimed = copy(DCSA30.arrival);
    delete untimed.eventDateTime;
    expect(problems(mapDcsa30Event(untimed))).toEqual(['$.eventDateTime FIELD_REQUIRED']);
    expect(problems(mapDcsa30Event({ ...DCSA30.arrival, eventClassification: { eventTypeCode: 'CLEARANCE', eventClassifierCode: 'ACT' } }))).toEqual(['$.eventClassification.eventTypeCode FIELD_NOT_ALLOWED']);
  });
});
