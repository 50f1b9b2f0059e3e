import type { Generated } from 'kysely';
import type { PartyKind } from '../parties/parties.schema.js';
import type { EVENT_CLASSIFIERS, EventType, ReferenceKind } from './tracking.schema.js';

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

/**
 * A webhook subscription to the events of one reference: a cursor over its log, pushed by the delivery engine
 * (0030). Its retry columns of before (attempts, next_attempt_at, last_error) and tracking_deliveries are no
 * longer read: the push on its way is a delivery record.
 */
export interface TrackingSubscriptionTable {
  id: string;
  tenant_id: string;
  party_id: string;
  party_kind: PartyKind;
  reference_kind: ReferenceKind;
  reference: string;
  url: string;
  secret: string;
  /** Written `active` since 0030 and not read: a subscription fails when the push on its way is given up. */
  status: 'active' | 'failing';
  /** The last event seq delivered (or passed over as not the subscriber's). */
  cursor_seq: number;
  /** The newest event seq of the reference. */
  head_seq: number;
  /** Written at creation since 0030 and not read. */
  next_attempt_at: string;
  /** The message key of the push on its way (a delivery record of target `tracking:<id>`), if one is. */
  pending_key: string | null;
  /** The cursor once that push is delivered: the last seq it covers. */
  pending_to: number | null;
  last_delivered_at: string | null;
  delivered_events: Generated<number>;
  created_at: string;
}

/** The tracking module's tables: the event log, the current states, bill claims, subscriptions and their deliveries. Only the module's repositories touch them. */
export interface TrackingTables {
  tracking_events: TrackingEventTable;
  tracking_current: TrackingCurrentTable;
  tracking_bill_carriers: TrackingBillCarrierTable;
  tracking_subscriptions: TrackingSubscriptionTable;
}
