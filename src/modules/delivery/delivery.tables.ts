import type { DeliveryStatus } from './delivery.schema.js';

/** Where the delivery engine pushes: a URL and the HMAC secret, owned by a party. */
export interface DeliveryTargetTable {
  id: string;
  owner: string;
  url: string;
  secret: string;
  created_at: string;
}

/** One message to push to one target, with its attempts and lease. */
export interface DeliveryTable {
  id: string;
  target_id: string;
  owner: string;
  /** Who is told of the outcome (the module that asked for the delivery). */
  topic: string;
  /** The message's own id: one record per target and message. */
  message_key: string;
  /** JSON text of the message's own headers (the engine adds type, attempt and signature). */
  headers: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  last_status: number | null;
  created_at: string;
  delivered_at: string | null;
  failed_at: string | null;
}

/** The delivery engine's tables: targets and delivery records. Only the module's repositories touch them. */
export interface DeliveryTables {
  delivery_targets: DeliveryTargetTable;
  deliveries: DeliveryTable;
}
