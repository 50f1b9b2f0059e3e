/**
 * The database's types, in one place. Times are ISO 8601 UTC strings with milliseconds (`2026-11-27T06:40:00.000Z`),
 * identical on both stores and sortable as text; documents are JSON text whose decimals are canonical strings.
 */
import type { Generated } from 'kysely';

export interface TenantTable {
  id: string;
  name: string;
  created_at: string;
}

export interface PartyTable {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  /** JSON array of role names. */
  roles: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: string;
  party_id: string;
  /** SHA-256 (hex) of the key's secret part; the secret itself is never stored. */
  secret_hash: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface CodeListTable {
  list: string;
  source: string;
  entries: number;
  imported_at: string;
}

export interface HsCodeTable {
  code: string;
  description: string;
  parent: string | null;
  level: number;
}

export interface LocodeTable {
  code: string;
  country: string;
  name: string;
  subdivision: string | null;
  functions: string;
  status: string | null;
}

export interface SubmissionTable {
  id: string;
  tenant_id: string;
  doc_type: string;
  declarant_id: string;
  /** The domestic importer or exporter the declaration is for, when it is a party. */
  trader_id: string | null;
  status: string;
  /** The validated, canonical declaration (JSON). */
  data: string;
  idempotency_key: string | null;
  /** SHA-256 of the request that created it, to tell a retry from a reused key. */
  request_hash: string;
  /** Optimistic-concurrency counter, bumped by every status change. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PartTable {
  id: string;
  submission_id: string;
  agency: string;
  doc_type: string;
  status: string;
  /** The agency's projection of the declaration (JSON). */
  data: string;
  /** JSON array of the last decision's reasons. */
  reasons: string | null;
  created_at: string;
  updated_at: string;
}

export interface HistoryTable {
  seq: Generated<number>;
  submission_id: string;
  agency: string | null;
  from_status: string | null;
  to_status: string;
  actor: string;
  reasons: string | null;
  at: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  message_id: string;
  agency: string;
  kind: string;
  submission_id: string;
  payload: string;
  created_at: string;
  dispatched_at: string | null;
}

export interface InboxTable {
  seq: Generated<number>;
  message_id: string;
  agency: string;
  kind: string;
  submission_id: string;
  payload: string;
  created_at: string;
  delivered_at: string;
  acked_at: string | null;
}

export interface WebhookTable {
  agency: string;
  url: string;
  /** The HMAC key Kouan signs pushes with; the agency holds the same secret to verify them. */
  secret: string;
  created_at: string;
}

export interface WebhookDeliveryTable {
  message_id: string;
  agency: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
  /** Set when Kouan gave up retrying; the message stays in the pull inbox. */
  failed_at: string | null;
  created_at: string;
}

export interface Database {
  tenants: TenantTable;
  parties: PartyTable;
  api_keys: ApiKeyTable;
  code_lists: CodeListTable;
  hs_codes: HsCodeTable;
  locodes: LocodeTable;
  submissions: SubmissionTable;
  parts: PartTable;
  submission_history: HistoryTable;
  outbox: OutboxTable;
  inbox: InboxTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
}
