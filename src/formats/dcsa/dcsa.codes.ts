// The code lists of DCSA Track & Trace as each version publishes them, and how they become Kouan's.
//
// 2.2: "DCSA OpenAPI specification for Track & Trace" 2.2.0 (SwaggerHub dcsaorg/DCSA_TNT/2.2.0; the resolved
//      copy DCSA keeps in dcsaorg/Conformance-Gateway, tnt/.../TNT_v2.2.0-resolved.yaml; Information Model 3.3).
// 3.0: "DCSA Track and Trace API" 3.0.0 (dcsaorg/Conformance-Gateway, tnt/.../TNT_v3.0.0.yaml, the revision with
//      `eventClassification` and four-letter codes). DCSA marks 3.0.0 "work in progress"; where its drafts differ,
//      the comment at the field says which one is read.
//
// Every DCSA event type and code maps to the same Kouan eventType and code: Kouan's codes are DCSA's (EVENT_CODES in
// src/modules/tracking/tracking.schema.ts holds the union), so no code is translated, only checked.

export const DCSA_CLASSIFIERS = ['ACT', 'PLN', 'EST'] as const;

/** 2.2 `eventType`. */
export const DCSA22_EVENT_TYPES = ['SHIPMENT', 'TRANSPORT', 'EQUIPMENT'] as const;

/** 2.2 `transportEventTypeCode`, and 3.0 `eventClassification.transportEventTypeCode`. */
export const DCSA_TRANSPORT_CODES = ['ARRI', 'DEPA'] as const;

/** 2.2 `equipmentEventTypeCode` (2.1.2 added PICK, DROP, INSP, RSEA, RMVD). */
export const DCSA22_EQUIPMENT_CODES = ['LOAD', 'DISC', 'GTIN', 'GTOT', 'STUF', 'STRP', 'PICK', 'DROP', 'INSP', 'RSEA', 'RMVD'] as const;

/** 2.2 `shipmentEventTypeCode`. */
export const DCSA22_SHIPMENT_CODES = ['RECE', 'DRFT', 'PENA', 'PENU', 'REJE', 'APPR', 'ISSU', 'SURR', 'SUBM', 'VOID', 'CONF', 'REQS', 'CMPL', 'HOLD', 'RELS'] as const;

/** 2.2 `documentTypeCode` of a shipment event: what `documentID` is the number of. */
export const DCSA22_DOCUMENT_TYPES = ['CBR', 'BKG', 'SHI', 'SRM', 'TRD', 'ARN', 'VGM', 'CAS', 'CUS', 'DGD', 'OOG'] as const;

/** 2.2 `documentReferences[].documentReferenceType`. */
export const DCSA22_DOCUMENT_REFERENCE_TYPES = ['BKG', 'TRD'] as const;

/** 2.2 `references[].referenceType`. */
export const DCSA22_REFERENCE_TYPES = ['FF', 'SI', 'PO', 'CR', 'AAO', 'EQ'] as const;

export const DCSA22_FACILITY_TYPES = ['BOCR', 'CLOC', 'COFS', 'COYA', 'OFFD', 'DEPO', 'INTE', 'POTE', 'RAMP'] as const;
export const DCSA22_MODES = ['VESSEL', 'RAIL', 'TRUCK', 'BARGE'] as const;
export const DCSA_FACILITY_PROVIDERS = ['SMDG', 'BIC'] as const;
export const DCSA_EMPTY_INDICATORS = ['EMPTY', 'LADEN'] as const;
export const DCSA22_SEAL_SOURCES = ['CAR', 'SHI', 'PHY', 'VET', 'CUS'] as const;
export const DCSA22_SEAL_TYPES = ['KLP', 'BLT', 'WIR'] as const;

/** 3.0 `eventClassification.eventTypeCode`. */
export const DCSA30_EVENT_TYPES = ['SHIPMENT', 'TRANSPORT', 'EQUIPMENT', 'IOT', 'REEFER'] as const;

/** 3.0 `eventClassification.shipmentEventTypeCode`: 2.2's and the amendment, update, cancellation and surrender states. */
export const DCSA30_SHIPMENT_CODES = [
  'AMCF', 'AMCN', 'AMDC', 'AMPR', 'AMRE', 'APPR', 'CACF', 'CADC', 'CANC', 'CARE', 'CMPL', 'CONF', 'DECL', 'DRFT', 'HOLD',
  'ISSU', 'PENA', 'PENM', 'PENU', 'PSAM', 'PSDL', 'RECE', 'REJE', 'RELS', 'REQS', 'SUAM', 'SUBM', 'SUDL', 'SURR', 'UPCF',
  'UPCN', 'UPDC', 'UPDT', 'UPRE', 'VOID',
] as const;

/** 3.0 `eventClassification.equipmentEventTypeCode`: 2.2's and availability, border crossing and customs states. */
export const DCSA30_EQUIPMENT_CODES = [
  'AVDO', 'AVPU', 'CROS', 'CUSI', 'CUSR', 'CUSS', 'DISC', 'DROP', 'GTIN', 'GTOT', 'INSP', 'LOAD', 'PICK', 'RMVD', 'RSEA', 'STRP', 'STUF',
] as const;

/** 3.0 `eventClassification.iotEventTypeCode`; what was detected is `iotDetails.iotEventCode`. */
export const DCSA30_IOT_CODES = ['DETC'] as const;
export const DCSA30_IOT_DETAIL_CODES = ['DRC', 'DRO', 'LOC'] as const;

/** 3.0 `eventClassification.reeferEventTypeCode`. */
export const DCSA30_REEFER_CODES = ['MEAS', 'ADJU'] as const;

/** 3.0 `DocumentReference.typeCode`. */
export const DCSA30_DOCUMENT_TYPES = [
  'AMF', 'ARN', 'BKG', 'CAS', 'CBR', 'CEA', 'CEO', 'CQU', 'CRO', 'CUC', 'DEI', 'DEO', 'DGD', 'FCE', 'HCE', 'ICE', 'INV', 'OOG',
  'PCE', 'PFD', 'SHI', 'TRD', 'TRO', 'VCE', 'VGM',
] as const;

/** 3.0 `ShipmentReference.typeCode`. */
export const DCSA30_SHIPMENT_REFERENCE_TYPES = ['AAO', 'AES', 'BID', 'BPR', 'CER', 'CR', 'CSI', 'DUE', 'ECR', 'EQ', 'FF', 'PO', 'RUC', 'SI'] as const;

export const DCSA30_MODES = ['VESSEL', 'RAIL', 'TRUCK', 'BARGE', 'MULTIMODAL'] as const;
