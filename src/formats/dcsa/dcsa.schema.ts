// DCSA's own JSON, as Track & Trace 2.2.0 and 3.0.0 publish it (versions and sources in dcsa.codes.ts). Field
// names, enums and lengths are DCSA's. Objects take fields DCSA may add (the specifications do not close them),
// so a publisher on a later minor version is not refused for an extra field; what Kouan keeps is in dcsa.mapper.ts.

import Type, { type Static } from 'typebox';
import { IngestResponseSchema } from '../../modules/tracking/index.js';
import {
  DCSA22_DOCUMENT_REFERENCE_TYPES,
  DCSA22_DOCUMENT_TYPES,
  DCSA22_EQUIPMENT_CODES,
  DCSA22_EVENT_TYPES,
  DCSA22_FACILITY_TYPES,
  DCSA22_MODES,
  DCSA22_REFERENCE_TYPES,
  DCSA22_SEAL_SOURCES,
  DCSA22_SEAL_TYPES,
  DCSA22_SHIPMENT_CODES,
  DCSA30_DOCUMENT_TYPES,
  DCSA30_EQUIPMENT_CODES,
  DCSA30_EVENT_TYPES,
  DCSA30_IOT_CODES,
  DCSA30_IOT_DETAIL_CODES,
  DCSA30_MODES,
  DCSA30_REEFER_CODES,
  DCSA30_SHIPMENT_CODES,
  DCSA30_SHIPMENT_REFERENCE_TYPES,
  DCSA_CLASSIFIERS,
  DCSA_EMPTY_INDICATORS,
  DCSA_FACILITY_PROVIDERS,
  DCSA_TRANSPORT_CODES,
} from './dcsa.codes.js';

const text = (maxLength: number) => Type.String({ maxLength });
const optional = (maxLength: number) => Type.Optional(text(maxLength));
// DCSA's date-time is RFC 3339 with its offset; whether it is a real instant is the ingest's check (EVENT_TIME_INVALID).
const DateTime = Type.String({ minLength: 1, maxLength: 40 });
const EventId = Type.String({ minLength: 1, maxLength: 500 });

// ---- 2.2 ---------------------------------------------------------------------------------------------------

const Address22 = Type.Object({
  name: optional(100), street: optional(100), streetNumber: optional(50), floor: optional(50), postCode: optional(10),
  city: optional(65), stateRegion: optional(65), country: optional(75),
});

const Location22 = Type.Object({
  locationName: optional(100), latitude: optional(10), longitude: optional(11), UNLocationCode: optional(5), facilityCode: optional(6),
  facilityCodeListProvider: Type.Optional(Type.Enum(DCSA_FACILITY_PROVIDERS)), address: Type.Optional(Address22),
});

const Vessel22 = Type.Object(
  {
    vesselIMONumber: text(7), vesselName: optional(35), vesselFlag: optional(2), vesselCallSignNumber: optional(10),
    vesselOperatorCarrierCode: optional(10), vesselOperatorCarrierCodeListProvider: Type.Optional(Type.Enum(['SMDG', 'NMFTA'] as const)),
  },
);

const TransportCall22 = Type.Object({
  transportCallID: text(100),
  carrierServiceCode: optional(5),
  carrierVoyageNumber: optional(50),
  exportVoyageNumber: optional(50),
  importVoyageNumber: optional(50),
  transportCallSequenceNumber: Type.Optional(Type.Integer()),
  UNLocationCode: optional(5),
  facilityCode: optional(6),
  facilityCodeListProvider: Type.Optional(Type.Enum(DCSA_FACILITY_PROVIDERS)),
  facilityTypeCode: Type.Optional(Type.Enum(DCSA22_FACILITY_TYPES)),
  otherFacility: optional(50),
  modeOfTransport: Type.Enum(DCSA22_MODES),
  location: Type.Optional(Location22),
  vessel: Type.Optional(Vessel22),
});

const DocumentReferences22 = Type.Array(Type.Object({ documentReferenceType: Type.Enum(DCSA22_DOCUMENT_REFERENCE_TYPES), documentReferenceValue: Type.String({ minLength: 1, maxLength: 100 }) }));
const References22 = Type.Array(Type.Object({ referenceType: Type.Enum(DCSA22_REFERENCE_TYPES), referenceValue: text(100) }));
const Seals22 = Type.Array(Type.Object({ sealNumber: text(15), sealSource: Type.Optional(Type.Enum(DCSA22_SEAL_SOURCES)), sealType: Type.Enum(DCSA22_SEAL_TYPES) }));

const base22 = {
  eventID: Type.Optional(EventId),
  eventCreatedDateTime: DateTime,
  eventClassifierCode: Type.Enum(DCSA_CLASSIFIERS),
  eventDateTime: DateTime,
};

/** What every 2.2 event has, read first so that the rest is checked against its own eventType. */
export const Dcsa22EnvelopeSchema = Type.Object({ eventType: Type.Enum(DCSA22_EVENT_TYPES) });

export const Dcsa22TransportEventSchema = Type.Object({
  ...base22,
  eventType: Type.Literal('TRANSPORT'),
  transportEventTypeCode: Type.Enum(DCSA_TRANSPORT_CODES),
  delayReasonCode: optional(3),
  changeRemark: optional(250),
  vesselScheduleChangeRemark: optional(250),
  transportCall: TransportCall22,
  documentReferences: Type.Optional(DocumentReferences22),
  references: Type.Optional(References22),
});

export const Dcsa22ShipmentEventSchema = Type.Object({
  ...base22,
  eventType: Type.Literal('SHIPMENT'),
  shipmentEventTypeCode: Type.Enum(DCSA22_SHIPMENT_CODES),
  documentID: Type.String({ minLength: 1, maxLength: 100 }),
  documentTypeCode: Type.Enum(DCSA22_DOCUMENT_TYPES),
  reason: Type.Optional(Type.String()),
  references: Type.Optional(References22),
});

export const Dcsa22EquipmentEventSchema = Type.Object({
  ...base22,
  eventType: Type.Literal('EQUIPMENT'),
  equipmentEventTypeCode: Type.Enum(DCSA22_EQUIPMENT_CODES),
  equipmentReference: optional(15),
  ISOEquipmentCode: optional(4),
  emptyIndicatorCode: Type.Enum(DCSA_EMPTY_INDICATORS),
  eventLocation: Type.Optional(Location22),
  transportCall: Type.Optional(TransportCall22),
  documentReferences: Type.Optional(DocumentReferences22),
  references: Type.Optional(References22),
  seals: Type.Optional(Seals22),
});

export type Dcsa22TransportEvent = Static<typeof Dcsa22TransportEventSchema>;
export type Dcsa22ShipmentEvent = Static<typeof Dcsa22ShipmentEventSchema>;
export type Dcsa22EquipmentEvent = Static<typeof Dcsa22EquipmentEventSchema>;
export type Dcsa22Event = Dcsa22TransportEvent | Dcsa22ShipmentEvent | Dcsa22EquipmentEvent;
export type Dcsa22TransportCall = Static<typeof TransportCall22>;

// ---- 3.0 ---------------------------------------------------------------------------------------------------

const Facility30 = Type.Object({ facilityName: optional(100), facilityCode: optional(6), facilityCodeListProvider: optional(10) });
const Location30 = Type.Object({
  locationName: optional(100),
  facilityTypeCode: optional(10),
  address: Type.Optional(Type.Object({})),
  UNLocationCode: optional(5),
  facility: Type.Optional(Facility30),
  geoCoordinate: Type.Optional(Type.Object({ latitude: optional(20), longitude: optional(20) })),
});

const DocumentReference30 = Type.Object({ typeCode: Type.Enum(DCSA30_DOCUMENT_TYPES), reference: Type.String({ minLength: 1, maxLength: 100 }) });
const ShipmentReference30 = Type.Object({ typeCode: Type.Enum(DCSA30_SHIPMENT_REFERENCE_TYPES), reference: Type.String({ minLength: 1, maxLength: 100 }) });
const Replacements = <T extends typeof DocumentReference30 | typeof ShipmentReference30>(item: T) =>
  Type.Array(Type.Object({ oldReferences: Type.Optional(Type.Array(item)), newReferences: Type.Optional(Type.Array(item)) }));

const ShipmentDetails30 = Type.Object({
  documentReference: Type.Optional(DocumentReference30),
  additionalDocumentReferences: Type.Optional(Type.Array(DocumentReference30)),
  documentReferenceReplacements: Type.Optional(Replacements(DocumentReference30)),
  shipmentReferences: Type.Optional(Type.Array(ShipmentReference30)),
  shipmentReferenceReplacements: Type.Optional(Replacements(ShipmentReference30)),
  shipmentLocationType: optional(3),
  reason: Type.Optional(Type.String()),
  priceCalculationDate: optional(10),
});

const VoyageNumberOrReference30 = Type.Object({ carrierVoyageNumber: optional(50), universalVoyageReference: optional(5) });
const TransportCall30 = Type.Object({
  transportCallReference: optional(100),
  transportCallSequenceNumber: Type.Optional(Type.Integer()),
  modeOfTransport: Type.Optional(Type.Enum(DCSA30_MODES)),
  portVisitReference: optional(50),
  serviceCodeOrReference: Type.Optional(Type.Object({ carrierServiceCode: optional(11), universalServiceReference: optional(8) })),
  exportVoyageNumberOrReference: Type.Optional(VoyageNumberOrReference30),
  importVoyageNumberOrReference: Type.Optional(VoyageNumberOrReference30),
  vesselTransport: Type.Optional(Type.Object({
    vesselIMONumber: optional(8), vesselName: optional(50), vesselFlag: optional(2), vesselCallSign: optional(10),
    operatorCarrierCode: optional(10), operatorCarrierCodeListProvider: optional(10),
  })),
  railTransport: Type.Optional(Type.Object({})),
  truckTransport: Type.Optional(Type.Object({})),
});

const Temperature = Type.Number();
const ReeferParameters30 = Type.Object({
  o2Percentage: Type.Optional(Type.Number()), co2Percentage: Type.Optional(Type.Number()), humidityPercentage: Type.Optional(Type.Number()),
  airExchangeValue: Type.Optional(Type.Number()), airExchangeUnit: Type.Optional(Type.Enum(['MQH', 'FQH'] as const)),
  isVentilationOpen: Type.Optional(Type.Boolean()), isDrainholesOpen: Type.Optional(Type.Boolean()), isBulbMode: Type.Optional(Type.Boolean()),
  isColdTreatmentRequired: Type.Optional(Type.Boolean()), isControlledAtmosphereRequired: Type.Optional(Type.Boolean()),
});

/** 3.0 `Event`: a classification and the details of its kind. */
export const Dcsa30EventSchema = Type.Object({
  eventRouting: Type.Optional(Type.Object({})),
  eventID: Type.Optional(EventId),
  isRetracted: Type.Optional(Type.Boolean()),
  eventDateTime: DateTime,
  eventUpdatedDateTime: Type.Optional(DateTime),
  eventLocation: Type.Optional(Location30),
  eventClassification: Type.Object({
    eventTypeCode: Type.Enum(DCSA30_EVENT_TYPES),
    eventClassifierCode: Type.Enum(DCSA_CLASSIFIERS),
    shipmentEventTypeCode: Type.Optional(Type.Enum(DCSA30_SHIPMENT_CODES)),
    transportEventTypeCode: Type.Optional(Type.Enum(DCSA_TRANSPORT_CODES)),
    equipmentEventTypeCode: Type.Optional(Type.Enum(DCSA30_EQUIPMENT_CODES)),
    iotEventTypeCode: Type.Optional(Type.Enum(DCSA30_IOT_CODES)),
    reeferEventTypeCode: Type.Optional(Type.Enum(DCSA30_REEFER_CODES)),
  }),
  // An earlier 3.0.0 draft put the document and shipment references on the event itself; both are read.
  relatedDocumentReferences: Type.Optional(Type.Array(DocumentReference30)),
  shipmentReferences: Type.Optional(Type.Array(ShipmentReference30)),
  shipmentDetails: Type.Optional(ShipmentDetails30),
  transportDetails: Type.Optional(Type.Object({ delayReasonCodes: Type.Optional(Type.Array(text(3))), changeRemark: optional(250), transportCall: Type.Optional(TransportCall30) })),
  equipmentDetails: Type.Optional(Type.Object({
    equipmentReference: optional(11),
    ISOEquipmentCode: optional(4),
    emptyIndicatorCode: Type.Optional(Type.Enum(DCSA_EMPTY_INDICATORS)),
    movementType: Type.Optional(Type.Enum(['IMPORT', 'EXPORT', 'TRANSSHIPMENT'] as const)),
    seals: Type.Optional(Type.Array(Type.Object({ number: optional(15), source: optional(3), type: optional(3), placement: optional(4) }))),
  })),
  iotDetails: Type.Optional(Type.Object({ iotEventCode: Type.Optional(Type.Enum(DCSA30_IOT_DETAIL_CODES)) })),
  reeferDetails: Type.Optional(Type.Object({
    temperatureUnit: Type.Optional(Type.Enum(['CEL', 'FAH'] as const)),
    internalSetpointTemperature: Type.Optional(Temperature),
    ambientMeasuredTemperature: Type.Optional(Temperature),
    temperatureProbeMeasurements: Type.Optional(Type.Array(Type.Object({ measuredTemperatureValue: Type.Optional(Temperature) }))),
    setpointParameters: Type.Optional(ReeferParameters30),
    measuredParameters: Type.Optional(ReeferParameters30),
  })),
});
export type Dcsa30Event = Static<typeof Dcsa30EventSchema>;
export type Dcsa30TransportCall = Static<typeof TransportCall30>;

// ---- requests and answers ------------------------------------------------------------------------------------

const MAX_EVENTS = 1000;

/** 2.2: what a publisher POSTs to a subscriber's callback URL, a bare array of events. */
export const Dcsa22RequestSchema = Type.Array(Type.Unknown(), {
  minItems: 1,
  maxItems: MAX_EVENTS,
  description: 'DCSA T&T 2.2.0 events (TransportEvent, ShipmentEvent, EquipmentEvent, by eventType), each validated on its own',
});

/** 3.0: the Event Consumer's `POST /events` body (PostEventsRequest). */
export const Dcsa30RequestSchema = Type.Object(
  { events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_EVENTS, description: 'DCSA T&T 3.0.0 Events, each validated on its own' }) },
  { additionalProperties: false },
);

/** 3.0 `FeedbackElement`: a problem of one event, with the JSONPath of the value in the request. */
export const FeedbackElementSchema = Type.Object({
  severity: Type.Enum(['ERROR', 'WARN', 'INFO'] as const),
  message: Type.String(),
  propertyPath: Type.String({ description: 'JSONPath in the request, e.g. $.events[2].equipmentDetails.equipmentReference' }),
});
export type FeedbackElement = Static<typeof FeedbackElementSchema>;

/** Kouan's ingest answer; for 3.0 also DCSA's PostEventsResponse `feedbackElements`, one per problem. */
export const DcsaIngestResponseSchema = Type.Object({
  ...IngestResponseSchema.properties,
  feedbackElements: Type.Optional(Type.Array(FeedbackElementSchema, { description: 'DCSA 3.0 only: each rejected event\'s problems as DCSA FeedbackElements' })),
});
export type DcsaIngestResponse = Static<typeof DcsaIngestResponseSchema>;
