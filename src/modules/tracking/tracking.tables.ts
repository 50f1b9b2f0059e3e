import type { Generated } from 'kysely';
import type { EVENT_CLASSIFIERS, EventType, ReferenceKind, SUBSCRIPTION_STATUSES } from './tracking.schema.js';

/** The tracking log: one row per event, in ingestion order. */
export interface TrackingEventTable {
  seq: Generated<number>;
  event_id: string;
  event_type: EventType;
  code: string;
  classifier: (typeof EVENT_CLASSIFIERS)[number];
  event_time: string;
  location: string | null;
  facility: string | null;
  container: string | null;
  bill_of_lading: string | null;
  vessel_imo: string | null;
  voyage: string | null;
  submission_id: string | null;
  agency: string | null;
  publisher: string;
  tenant_id: string;
  payload: string;
  received_at: string;
  /** The message the event came in (0017): the sender's document number and its function (original, replacement, cancellation). */
  document_id: string | null;
  document_function: string | null;
}

/** The current state of each reference, a projection of the log (rebuildable). */
export interface TrackingCurrentTable {
  tenant_id: string;
  reference_kind: ReferenceKind;
  reference: string;
  summary: string;
  last_seq: number;
}

/** The carrier a bill of lading belongs to: the first carrier to publish on it (migration 0013). */
export interface TrackingBillCarrierTable {
  tenant_id: string;
  bill_of_lading: string;
  carrier: string;
  claimed_at: string;
}

/** A webhook subscription to the events of one reference. */
export interface TrackingSubscriptionTable {
  id: string;
  tenant_id: string;
  party_id: string;
  party_kind: string;
  reference_kind: ReferenceKind;
  reference: string;
  url: string;
  secret: string;
  /** failing: gave up after the last attempt; replay starts it again. */
  status: (typeof SUBSCRIPTION_STATUSES)[number];
  cursor_seq: number;
  head_seq: number;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  last_delivered_at: string | null;
  delivered_events: Generated<number>;
  created_at: string;
}

/** One delivery attempt of a subscription. */
export interface TrackingDeliveryTable {
  seq: Generated<number>;
  subscription_id: string;
  attempted_at: string;
  first_seq: number;
  last_seq: number;
  events: number;
  attempt: number;
  outcome: 'delivered' | 'failed';
  http_status: number | null;
  error: string | null;
}

/** The tracking module's tables: the event log, the current states, bill claims, subscriptions and their deliveries. Only the module's repositories touch them. */
export interface TrackingTables {
  tracking_events: TrackingEventTable;
  tracking_current: TrackingCurrentTable;
  tracking_bill_carriers: TrackingBillCarrierTable;
  tracking_subscriptions: TrackingSubscriptionTable;
  tracking_deliveries: TrackingDeliveryTable;
}
