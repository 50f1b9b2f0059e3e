import Type, { type Static } from 'typebox';
import { DeliveryRecordSchema } from '../delivery/delivery.schema.js';

// After DCSA Track & Trace: what happened (eventType + code), whether it happened or is expected (classifier).
// IOT and REEFER are DCSA T&T 3.0's (src/formats/dcsa/); CLEARANCE is Kouan's own.
export const EVENT_TYPES = ['SHIPMENT', 'EQUIPMENT', 'TRANSPORT', 'IOT', 'REEFER', 'CLEARANCE'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_CLASSIFIERS = ['PLN', 'EST', 'ACT'] as const;
export type EventClassifier = (typeof EVENT_CLASSIFIERS)[number];

export const CLEARANCE_CODES = ['RECE', 'ACCE', 'REJE', 'RELS', 'HOLD', 'INSP'] as const;
export type ClearanceCode = (typeof CLEARANCE_CODES)[number];

/**
 * The codes each event type may carry: those of DCSA Track & Trace 2.2 (transportEventTypeCode,
 * equipmentEventTypeCode, shipmentEventTypeCode) and 3.0.0 (EventClassification's *EventTypeCode), and Kouan's
 * clearance codes. src/formats/dcsa/dcsa.codes.ts says which version has which.
 */
export const EVENT_CODES: Readonly<Record<EventType, readonly string[]>> = {
  TRANSPORT: ['ARRI', 'DEPA'],
  EQUIPMENT: [
    'LOAD', 'DISC', 'GTIN', 'GTOT', 'STUF', 'STRP', 'INSP', 'PICK', 'DROP', 'RSEA', 'RMVD',
    'AVDO', 'AVPU', 'CROS', 'CUSI', 'CUSR', 'CUSS',
  ],
  SHIPMENT: [
    'RECE', 'CONF', 'ISSU', 'SURR', 'DRFT', 'PENA', 'PENU', 'REJE', 'APPR', 'SUBM', 'VOID', 'REQS', 'CMPL', 'HOLD', 'RELS',
    'AMCF', 'AMCN', 'AMDC', 'AMPR', 'AMRE', 'CACF', 'CADC', 'CANC', 'CARE', 'DECL', 'PENM', 'PSAM', 'PSDL', 'SUAM', 'SUDL',
    'UPCF', 'UPCN', 'UPDC', 'UPDT', 'UPRE',
  ],
  IOT: ['DETC'],
  REEFER: ['MEAS', 'ADJU'],
  CLEARANCE: CLEARANCE_CODES,
};

export const ALL_EVENT_CODES = [...new Set(Object.values(EVENT_CODES).flat())].sort();

/** A message's function (EDIFACT BGM 1225: 9 original, 5 replacement, 1 or 3 cancellation). */
export const DOCUMENT_FUNCTIONS = ['original', 'replacement', 'cancellation'] as const;
export type DocumentFunction = (typeof DOCUMENT_FUNCTIONS)[number];

export const REFERENCE_KINDS = ['container', 'billOfLading', 'vessel', 'submission'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export const TrackingReferencesSchema = Type.Object(
  {
    container: Type.Optional(Type.String({ maxLength: 20, description: 'ISO 6346 container number with its check digit, e.g. MSKU1234565' })),
    billOfLading: Type.Optional(Type.String({ minLength: 1, maxLength: 35, pattern: '^[A-Z0-9]+$', description: 'Transport document number' })),
    vesselImo: Type.Optional(Type.String({ maxLength: 20, description: 'IMO ship number, 7 digits with check digit, no "IMO" prefix' })),
    vesselCallSign: Type.Optional(Type.String({ minLength: 1, maxLength: 35, pattern: '^[A-Z0-9]+$', description: 'Radio call sign of the ship (EDIFACT code list 103), e.g. 9V2345; shown on the event, not a timeline' })),
    vesselName: Type.Optional(Type.String({ minLength: 1, maxLength: 70, pattern: '^[^\\x00-\\x1f\\x7f]+$', description: 'Name of the ship as sent; shown on the event, not a timeline' })),
    voyage: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9._-]+$', description: "Carrier's voyage number; needs vesselImo, vesselCallSign or vesselName" })),
    bookingReference: Type.Optional(Type.String({ minLength: 1, maxLength: 35, pattern: '^[\\x21-\\x7e]+$', description: "The carrier's booking reference (DCSA carrierBookingReference, a BKG document reference); shown on the event, not a timeline" })),
    submission: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'A Kouan submission id (clearance events)' })),
  },
  { additionalProperties: false },
);

export const TrackingEventSchema = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$', description: "The publisher's stable id: publishing it again is a no-op" }),
    eventType: Type.Enum(EVENT_TYPES),
    code: Type.Enum(ALL_EVENT_CODES, { description: 'Must be one of the codes of its eventType (docs/tracking.md)' }),
    classifier: Type.Enum(EVENT_CLASSIFIERS, { description: 'PLN planned, EST estimated, ACT actual' }),
    eventTime: Type.String({ maxLength: 40, description: 'ISO 8601 with a zone (Z or ±hh:mm); stored in UTC' }),
    timeZoneAssumed: Type.Optional(Type.String({
      minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+/-]+$',
      description: 'The time was sent without a zone and read in this IANA zone (that of its location), or UTC when the zone there is not known (docs/tracking.md)',
    })),
    location: Type.Optional(Type.String({ maxLength: 10, description: 'UN/LOCODE, e.g. CNSHA' })),
    facility: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The agency a CLEARANCE event is about (defaults to the publishing agency)' })),
    references: TrackingReferencesSchema,
    document: Type.Optional(Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 70, pattern: '^[\\x21-\\x7e]+$', description: "The sender's document number (EDIFACT BGM 1004), the same in the original, its replacements and its cancellation" }),
        function: Type.Enum(DOCUMENT_FUNCTIONS, { description: 'original; replacement: supersedes the earlier events of the same publisher and document; cancellation: retracts them (docs/tracking.md)' }),
      },
      { additionalProperties: false, description: 'The message the event came in (EDIFACT BGM 1225 message function)' },
    )),
  },
  { additionalProperties: false },
);
export type TrackingEvent = Static<typeof TrackingEventSchema>;

export const TrackingEventViewSchema = Type.Object({
  ...TrackingEventSchema.properties,
  seq: Type.Integer({ description: 'Ingestion order' }),
  publisher: Type.String({ description: 'The party that published the event' }),
  receivedAt: Type.String({ format: 'date-time' }),
  // What replacement and cancellation made of the event (docs/tracking.md, "Replacement and cancellation"); read from the log, never stored.
  supersededBy: Type.Optional(Type.String({ description: 'A replacement of its document (same publisher and document id) is in force: the eventId of its first event. Left out of the current state' })),
  retractedBy: Type.Optional(Type.String({ description: 'Its document was cancelled (same publisher and document id): the eventId of the cancellation. Left out of the current state' })),
  replaces: Type.Optional(Type.Array(Type.String(), { description: 'On a replacement or cancellation: the eventIds stored before it that it supersedes or retracts' })),
  shipment: Type.Optional(Type.String({ description: 'Container timelines: the shipment the event belongs to (timeline.shipments)' })),
  earlier: Type.Optional(Type.Boolean({ description: 'Container timelines: true when the event belongs to an earlier shipment than the current one' })),
});
export type TrackingEventView = Static<typeof TrackingEventViewSchema>;

export const INGEST_STATUSES = ['stored', 'duplicate', 'rejected'] as const;

export const ItemErrorSchema = Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() });
export type ItemError = Static<typeof ItemErrorSchema>;

export const IngestResultSchema = Type.Object({
  index: Type.Integer({ description: 'Position of the event in the request' }),
  eventId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(INGEST_STATUSES),
  seq: Type.Optional(Type.Integer({ description: 'The stored event (for a duplicate, the one stored first)' })),
  errors: Type.Optional(Type.Array(ItemErrorSchema)),
});
export type IngestResult = Static<typeof IngestResultSchema>;

export const IngestResponseSchema = Type.Object({
  stored: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(IngestResultSchema, { description: 'One per event, in request order (for EDIFACT, in the order the interchange maps to)' }),
  unmapped: Type.Optional(
    Type.Array(
      Type.Object({ segment: Type.Integer(), tag: Type.String(), position: Type.Integer(), code: Type.String(), message: Type.String() }),
      { description: 'EDIFACT only: segments that map to no event, with why (the rest of the interchange is still taken)' },
    ),
  ),
});
export type IngestResponse = Static<typeof IngestResponseSchema>;

export const IngestRequestSchema = Type.Object(
  {
    events: Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: 1000,
      description: 'Tracking events (TrackingEvent); each is validated on its own, so one bad event does not fail the batch',
    }),
  },
  { additionalProperties: false },
);

export const MilestoneSchema = Type.Object({
  eventType: Type.Enum(EVENT_TYPES),
  code: Type.String(),
  classifier: Type.Enum(EVENT_CLASSIFIERS),
  eventTime: Type.String(),
  location: Type.Union([Type.String(), Type.Null()]),
  facility: Type.Union([Type.String(), Type.Null()]),
  eventId: Type.String(),
  seq: Type.Integer(),
});
export type Milestone = Static<typeof MilestoneSchema>;

export const ClearanceStateSchema = Type.Object({
  agency: Type.Union([Type.String(), Type.Null()]),
  code: Type.Enum(CLEARANCE_CODES),
  eventTime: Type.String(),
  eventId: Type.String(),
  seq: Type.Integer(),
});
export type ClearanceState = Static<typeof ClearanceStateSchema>;

const projectedStateProperties = {
  lastActualTime: Type.Union([Type.String(), Type.Null()], { description: 'The time of the latest actual event (movement or clearance)' }),
  lastEventTime: Type.Union([Type.String(), Type.Null()], { description: 'The time of the latest event of any classifier (an estimate may lie ahead)' }),
  lastSeq: Type.Integer({ description: 'The last event of the log this state includes (superseded, retracted and earlier-shipment events too)' }),
  actual: Type.Record(Type.String(), MilestoneSchema, { description: 'Latest actual (ACT) movement event per code' }),
  estimated: Type.Record(Type.String(), MilestoneSchema, { description: 'Latest estimate per code (EST preferred over PLN, then the last received); never mixed with actual' }),
  clearance: Type.Array(ClearanceStateSchema, { description: "Each agency's latest clearance state, in event-time order" }),
  shipment: Type.Union([Type.String(), Type.Null()], { description: 'Containers: the shipment the state is of (the one the container is on now); null for other references' }),
};

/** What the projection stores per reference: codes and UTC times only, so ingest and rebuild agree byte for byte; text is rendered at the answer. */
export const ProjectedStateSchema = Type.Object(projectedStateProperties);
export type ProjectedState = Static<typeof ProjectedStateSchema>;

export const CurrentStateSchema = Type.Object({
  text: Type.String({ description: 'The state in a line of the caller\'s language (Accept-Language, zh or en), times in the platform time zone with their offset, e.g. "discharged at CNSHA 14:40 UTC+8, customs released 17:12"' }),
  ...projectedStateProperties,
});
export type CurrentState = Static<typeof CurrentStateSchema>;

export const ShipmentSchema = Type.Object({
  id: Type.String({ description: 'The first of its voyages ("vessel IMO/voyage"), else of its bills of lading ("bl NUMBER"), else of its submissions ("submission ID")' }),
  voyages: Type.Array(Type.String(), { description: '"IMO/voyage" of each voyage it was on' }),
  billsOfLading: Type.Array(Type.String()),
  submissions: Type.Array(Type.String(), { description: 'The declarations about it' }),
  firstEventTime: Type.String(),
  lastEventTime: Type.String(),
  current: Type.Boolean({ description: 'The shipment the container is on now: the one with the latest actual movement or declaration; current describes it alone' }),
});
export type Shipment = Static<typeof ShipmentSchema>;

export const TimelineSchema = Type.Object({
  reference: Type.Object({ kind: Type.Enum(REFERENCE_KINDS), value: Type.String() }),
  shipments: Type.Array(ShipmentSchema, { description: 'Containers: the shipments the shown events belong to, oldest first; empty for other references' }),
  events: Type.Array(TrackingEventViewSchema, { description: 'Ordered by eventTime, then by ingestion order: the latest `limit` events' }),
  truncated: Type.Boolean({ description: 'Earlier events were left out (raise limit, up to 5000); current still covers them all' }),
  current: CurrentStateSchema,
});
export type Timeline = Static<typeof TimelineSchema>;

const referenceQueryProperties = {
  container: Type.Optional(Type.String({ pattern: '^[A-Z]{3}[UJZ][0-9]{7}$', description: 'ISO 6346 container number' })),
  bl: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,35}$', description: 'Bill of lading number' })),
  vessel: Type.Optional(Type.String({ pattern: '^[0-9]{7}$', description: 'IMO number' })),
  voyage: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,50}$', description: 'With vessel only' })),
  submission: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Submission id' })),
};

export const TimelineQuerySchema = Type.Object(
  {
    ...referenceQueryProperties,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'At most this many events, the latest' })),
  },
  { additionalProperties: false },
);
export type TimelineQueryParams = Static<typeof TimelineQuerySchema>;

/** Which timeline to read: exactly one reference. */
export type TimelineQuery =
  | { readonly container: string }
  | { readonly billOfLading: string }
  | { readonly vesselImo: string; readonly voyage?: string | undefined }
  | { readonly submission: string };

/** A clearance event the submission pipeline records inside its own transaction. */
export interface ClearanceRecord {
  readonly submissionId: string;
  readonly tenant: string;
  /** The party whose action this is: the deciding agency, or the declarant for RECE. */
  readonly publisher: string;
  readonly agency: string | null;
  readonly code: ClearanceCode;
  /** ISO UTC time of the decision. */
  readonly at: string;
  readonly references?: { readonly container?: string; readonly billOfLading?: string; readonly vesselImo?: string; readonly voyage?: string };
  /** A stable id makes a retried pipeline step a no-op; default a new id. */
  readonly eventId?: string;
}

export const StreamQuerySchema = Type.Object(referenceQueryProperties, { additionalProperties: false });
export type StreamQueryParams = Static<typeof StreamQuerySchema>;

export const SubscriptionRequestSchema = Type.Object(
  {
    ...referenceQueryProperties,
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'Where Kouan POSTs the events, signed with the secret' }),
  },
  { additionalProperties: false },
);
export type SubscriptionRequest = Static<typeof SubscriptionRequestSchema>;

export const SUBSCRIPTION_STATUSES = ['active', 'failing'] as const;

export const SubscriptionSchema = Type.Object({
  id: Type.String(),
  reference: Type.Object({ kind: Type.Enum(REFERENCE_KINDS), value: Type.String() }),
  url: Type.String(),
  status: Type.Enum(SUBSCRIPTION_STATUSES, { description: 'failing: Kouan gave up the push on its way after 15 attempts; POST …/replay starts it again' }),
  cursor: Type.Integer({ description: 'The last event seq delivered (or passed over as not yours)' }),
  head: Type.Integer({ description: "The newest event seq of the reference; head > cursor means events are on their way" }),
  attempts: Type.Integer({ description: 'Failed attempts of the push on its way' }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the push on its way is tried next; null when none is' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: "The push on its way's latest failure: `HTTP <status>`, `unreachable` or `refused`" }),
  lastDeliveredAt: Type.Union([Type.String(), Type.Null()]),
  deliveredEvents: Type.Integer(),
  createdAt: Type.String(),
});
export type Subscription = Static<typeof SubscriptionSchema>;

export const SubscriptionCreatedSchema = Type.Object({
  ...SubscriptionSchema.properties,
  secret: Type.String({ description: 'Signs every push (Kouan-Signature); shown only now' }),
});
export type SubscriptionCreated = Static<typeof SubscriptionCreatedSchema>;

export const SubscriptionListSchema = Type.Object({ subscriptions: Type.Array(SubscriptionSchema) });

/** A push of a subscription: the delivery engine's record, and the events it carries. */
export const SubscriptionDeliverySchema = Type.Object({
  ...DeliveryRecordSchema.properties,
  firstSeq: Type.Integer({ description: 'The seq of its first event' }),
  lastSeq: Type.Integer({ description: 'The cursor once it is delivered: the last seq it covers' }),
  events: Type.Integer({ description: 'How many events it carries' }),
});
export const DeliveryListSchema = Type.Object({ deliveries: Type.Array(SubscriptionDeliverySchema, { description: 'The latest 100 pushes, newest first' }) });
export type DeliveryList = Static<typeof DeliveryListSchema>;

export const ReplayRequestSchema = Type.Object(
  { fromSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'Deliver again from this event seq; without it, retry from where delivery stopped' })) },
  { additionalProperties: false },
);

/** What a subscription push carries (the body of the POST to the subscriber's URL). */
export const SubscriptionPushSchema = Type.Object({
  subscriptionId: Type.String(),
  reference: Type.Object({ kind: Type.Enum(REFERENCE_KINDS), value: Type.String() }),
  events: Type.Array(TrackingEventViewSchema),
});
export type SubscriptionPush = Static<typeof SubscriptionPushSchema>;
