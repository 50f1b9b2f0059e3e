// DCSA Track & Trace events as carriers publish them, written for Kouan's tests after the shapes and examples of
// DCSA T&T 2.2.0 and 3.0.0: a laden container of one bill of lading from Rotterdam to Shanghai.

export const BILL = 'HLCURTM2611A01';
export const BOOKING = 'RTM2611A01';
export const CONTAINER = 'CSQU3054383';
export const VESSEL_IMO = '9811000';
export const VOYAGE = '2611E';

const vessel22 = { vesselIMONumber: VESSEL_IMO, vesselName: 'Ever Given', vesselFlag: 'PA', vesselCallSignNumber: 'H3RC', vesselOperatorCarrierCode: 'EGLV', vesselOperatorCarrierCodeListProvider: 'SMDG' };

const callAtRotterdam = {
  transportCallID: '8b64d20b-523b-4491-b2e5-32cfa5174eed',
  carrierServiceCode: 'FE1',
  exportVoyageNumber: VOYAGE,
  importVoyageNumber: '2612W',
  transportCallSequenceNumber: 1,
  UNLocationCode: 'NLRTM',
  facilityCode: 'ECTDE',
  facilityCodeListProvider: 'SMDG',
  facilityTypeCode: 'POTE',
  modeOfTransport: 'VESSEL',
  vessel: vessel22,
};

const callAtShanghai = { ...callAtRotterdam, transportCallID: 'c5bc4c86-6a3a-4c32-9d1a-0d7e2b1b9a10', transportCallSequenceNumber: 7, UNLocationCode: 'CNSHA', facilityCode: 'SGH', facilityTypeCode: 'POTE' };

/** DCSA T&T 2.2.0: gate-in and loading at Rotterdam, the vessel's departure, the bill's life, an estimated arrival. */
export const DCSA22 = {
  gateIn: {
    eventID: '0d5a2c94-3c3b-4f5b-9f62-5a3f2b1c7e01',
    eventCreatedDateTime: '2026-11-20T08:05:12+01:00',
    eventType: 'EQUIPMENT',
    eventClassifierCode: 'ACT',
    eventDateTime: '2026-11-20T07:58:00+01:00',
    equipmentEventTypeCode: 'GTIN',
    equipmentReference: CONTAINER,
    ISOEquipmentCode: '45G1',
    emptyIndicatorCode: 'LADEN',
    eventLocation: { locationName: 'Euromax Terminal', UNLocationCode: 'NLRTM', facilityCode: 'ECTDE', facilityCodeListProvider: 'SMDG' },
    documentReferences: [
      { documentReferenceType: 'BKG', documentReferenceValue: BOOKING },
      { documentReferenceType: 'TRD', documentReferenceValue: BILL },
    ],
    references: [{ referenceType: 'FF', referenceValue: 'FWD-55120' }, { referenceType: 'PO', referenceValue: 'PO-2026-0442' }],
    seals: [{ sealNumber: 'HL8812345', sealSource: 'CAR', sealType: 'BLT' }],
  },
  load: {
    eventID: '6f2d1a0e-2c8b-4b7c-8a51-7d9e0c3b4a02',
    eventCreatedDateTime: '2026-11-21T22:41:03+01:00',
    eventType: 'EQUIPMENT',
    eventClassifierCode: 'ACT',
    eventDateTime: '2026-11-21T22:35:00+01:00',
    equipmentEventTypeCode: 'LOAD',
    equipmentReference: CONTAINER,
    emptyIndicatorCode: 'LADEN',
    transportCall: callAtRotterdam,
    documentReferences: [{ documentReferenceType: 'TRD', documentReferenceValue: BILL }],
  },
  departure: {
    eventID: 'a1c6d3e8-9f4b-4e2a-b7d5-1c8e0f2a3b03',
    eventCreatedDateTime: '2026-11-22T03:20:00+01:00',
    eventType: 'TRANSPORT',
    eventClassifierCode: 'ACT',
    eventDateTime: '2026-11-22T03:12:00+01:00',
    transportEventTypeCode: 'DEPA',
    transportCall: callAtRotterdam,
    documentReferences: [{ documentReferenceType: 'TRD', documentReferenceValue: BILL }],
  },
  arrivalEstimate: {
    eventID: 'b2d7e4f9-0a5c-4f3b-c8e6-2d9f1a3b4c04',
    eventCreatedDateTime: '2026-11-22T03:20:00+01:00',
    eventType: 'TRANSPORT',
    eventClassifierCode: 'EST',
    eventDateTime: '2026-12-24T06:00:00+08:00',
    transportEventTypeCode: 'ARRI',
    delayReasonCode: 'WEA',
    changeRemark: 'Bad weather in the Bay of Biscay',
    transportCall: callAtShanghai,
    documentReferences: [{ documentReferenceType: 'TRD', documentReferenceValue: BILL }],
  },
  /** The transport document's states, each a ShipmentEvent on TRD. */
  billStates: (['DRFT', 'PENA', 'APPR', 'ISSU', 'SURR'] as const).map((code, index) => ({
    eventID: `3e8f5a1b-7c2d-4e9f-a0b1-c2d3e4f5a6${String(10 + index)}`,
    eventCreatedDateTime: `2026-11-2${String(index)}T10:00:00+01:00`,
    eventType: 'SHIPMENT',
    eventClassifierCode: 'ACT',
    eventDateTime: `2026-11-2${String(index)}T10:00:00+01:00`,
    shipmentEventTypeCode: code,
    documentTypeCode: 'TRD',
    documentID: BILL,
    ...(code === 'PENA' ? { reason: 'Awaiting shipper approval of the draft' } : {}),
    references: [{ referenceType: 'SI', referenceValue: 'SHIPPER-REF-9' }],
  })),
  bookingConfirmed: {
    eventID: 'c3e8f5a0-1b6d-4a4c-d9f7-3e0a2b4c5d05',
    eventCreatedDateTime: '2026-11-15T09:00:00+01:00',
    eventType: 'SHIPMENT',
    eventClassifierCode: 'ACT',
    eventDateTime: '2026-11-15T09:00:00+01:00',
    shipmentEventTypeCode: 'CONF',
    documentTypeCode: 'BKG',
    documentID: BOOKING,
  },
};

const vesselTransport = { vesselIMONumber: VESSEL_IMO, vesselName: 'EVER GIVEN', vesselFlag: 'PA', vesselCallSign: 'H3RC', operatorCarrierCode: 'EGLV', operatorCarrierCodeListProvider: 'SMDG' };
const shanghaiCall = {
  transportCallReference: 'TC-SHA-2611E-07',
  transportCallSequenceNumber: 7,
  modeOfTransport: 'VESSEL',
  serviceCodeOrReference: { carrierServiceCode: 'FE1', universalServiceReference: 'SR12345A' },
  exportVoyageNumberOrReference: { carrierVoyageNumber: VOYAGE, universalVoyageReference: '2611E' },
  importVoyageNumberOrReference: { carrierVoyageNumber: '2612W' },
  vesselTransport,
};
const shanghai = { locationName: 'Shanghai Yangshan', UNLocationCode: 'CNSHA', facilityTypeCode: 'POTE', facility: { facilityCode: 'SGH', facilityCodeListProvider: 'SMDG', facilityName: 'Yangshan Phase IV' } };
const documents = { documentReference: { typeCode: 'TRD', reference: BILL }, additionalDocumentReferences: [{ typeCode: 'BKG', reference: BOOKING }] };

/** DCSA T&T 3.0.0: arrival and discharge at Shanghai, the bill approved, a door opening, reefer readings. */
export const DCSA30 = {
  arrival: {
    eventID: 'evt-EGLV-2611E-CNSHA-ARRI',
    eventDateTime: '2026-11-28T05:30:00+08:00',
    eventUpdatedDateTime: '2026-11-28T05:41:00+08:00',
    eventLocation: shanghai,
    eventClassification: { eventTypeCode: 'TRANSPORT', eventClassifierCode: 'ACT', transportEventTypeCode: 'ARRI' },
    transportDetails: { delayReasonCodes: ['WEA'], changeRemark: 'Fog at the Yangtze estuary', transportCall: shanghaiCall },
    shipmentDetails: documents,
  },
  discharge: {
    eventRouting: { originatingParty: { partyCode: 'EGLV', codeListProvider: 'SMDG', codeListName: 'LCL' } },
    eventID: 'evt-HLCURTM2611A01-CSQU3054383-DISC',
    eventDateTime: '2026-11-28T09:12:00+08:00',
    eventUpdatedDateTime: '2026-11-28T09:15:00+08:00',
    eventLocation: shanghai,
    eventClassification: { eventTypeCode: 'EQUIPMENT', eventClassifierCode: 'ACT', equipmentEventTypeCode: 'DISC' },
    equipmentDetails: { equipmentReference: CONTAINER, ISOEquipmentCode: '45G1', emptyIndicatorCode: 'LADEN', movementType: 'IMPORT', seals: [{ number: 'HL8812345', source: 'CAR', type: 'BLT', placement: 'DOOR' }] },
    transportDetails: { transportCall: shanghaiCall },
    shipmentDetails: { ...documents, shipmentReferences: [{ typeCode: 'FF', reference: 'FWD-55120' }, { typeCode: 'CSI', reference: 'CUST-SHIP-77' }] },
  },
  billApproved: {
    eventID: 'evt-HLCURTM2611A01-APPR',
    eventDateTime: '2026-11-19T14:00:00+01:00',
    eventUpdatedDateTime: '2026-11-19T14:00:05+01:00',
    eventClassification: { eventTypeCode: 'SHIPMENT', eventClassifierCode: 'ACT', shipmentEventTypeCode: 'APPR' },
    shipmentDetails: { ...documents, reason: 'Draft approved by the shipper' },
  },
  doorOpened: {
    eventID: 'event-HLCURTM2611A01-CSQU3054383-IoT-DRO-2026-11-29T02:10:00Z',
    eventDateTime: '2026-11-29T02:10:00Z',
    eventLocation: { UNLocationCode: 'CNSHA', geoCoordinate: { latitude: '30.626', longitude: '122.066' } },
    eventClassification: { eventTypeCode: 'IOT', eventClassifierCode: 'ACT', iotEventTypeCode: 'DETC' },
    equipmentDetails: { equipmentReference: CONTAINER },
    iotDetails: { iotEventCode: 'DRO' },
    shipmentDetails: documents,
  },
  reeferReading: {
    eventID: 'evt-CSQU3054383-MEAS-20261126T1200Z',
    eventDateTime: '2026-11-26T12:00:00Z',
    eventClassification: { eventTypeCode: 'REEFER', eventClassifierCode: 'ACT', reeferEventTypeCode: 'MEAS' },
    equipmentDetails: { equipmentReference: CONTAINER },
    reeferDetails: {
      temperatureUnit: 'CEL',
      internalSetpointTemperature: -18,
      ambientMeasuredTemperature: 21.5,
      temperatureProbeMeasurements: [{ measuredTemperatureValue: -17.6, USDAProbeNumber: 1 }],
      measuredParameters: { humidityPercentage: 62, airExchangeValue: 15.4, airExchangeUnit: 'MQH', isVentilationOpen: false },
    },
    shipmentDetails: documents,
  },
};
