/**
 * The database's types, in one place. Times are ISO 8601 UTC strings with milliseconds (`2026-11-27T06:40:00.000Z`),
 * identical on both stores and sortable as text; documents are JSON text whose decimals are canonical strings.
 */
import type { Generated } from 'kysely';
import type { AttachmentTables } from '../modules/attachments/attachments.tables.js';
import type { AmendmentTables } from '../modules/submissions/amendments.tables.js';

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
  /** JSON array of UN/LOCODEs where a terminal or port operates (migration 0013). */
  locations: Generated<string>;
}

export interface ApiKeyTable {
  id: string;
  party_id: string;
  /** SHA-256 (hex) of the key's secret part; the secret itself is never stored. */
  secret_hash: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  /** JSON array of scopes (users module KEY_SCOPES); null: all the party's rights. */
  scopes: string | null;
  expires_at: string | null;
  /** The key this one replaced (rotation). */
  rotated_from: string | null;
}

/** A person acting for a party in the portal. */
export interface UserTable {
  id: string;
  party_id: string;
  /** Lower-case; unique across the deployment (the login name). */
  email: string;
  name: string;
  /** JSON array of user roles; `admin` manages the party's users and keys. */
  roles: string;
  /** argon2id, as a PHC string. */
  password_hash: string;
  /** Base32 TOTP secret while the second factor is on. */
  totp_secret: string | null;
  /** Secret of an enrolment not yet confirmed with a code. */
  totp_pending_secret: string | null;
  /** The last TOTP time step accepted: no code is accepted twice. */
  totp_last_step: number | null;
  /** Consecutive failed logins since the last success or lock. */
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  disabled_at: string | null;
  /** 1 while the password is one an admin or operator set: the person must choose their own first (0021). */
  must_change_password: number;
}

/** Failed logins with an email that has no account, counted as an account's are (see users.failed_logins). */
export interface LoginFailureTable {
  /** SHA-256 (hex) of the normalised email. */
  email_hash: string;
  failed_logins: number;
  locked_until: string | null;
  updated_at: string;
}

/** A portal login session. */
export interface SessionTable {
  /** SHA-256 (hex) of the session token; the token itself is only in the user's cookie. */
  id: string;
  user_id: string;
  party_id: string;
  /** SHA-256 (hex) of the session's CSRF token. */
  csrf_token_hash: string;
  created_at: string;
  /** When the session ends unless used before: min(last seen + idle limit, created + absolute limit). */
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
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

export interface TariffLineTable {
  code: string;
  chapter: string;
  name_zh: string;
  name_en: string;
  unit1: string;
  unit2: string | null;
  declaration_elements: string;
  /** JSON object of the file's rate columns, as text. */
  rates: string;
}

export interface CustomsOfficeTable {
  code: string;
  name_zh: string;
  district: string;
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
  /** The declarant's detached JWS over the request body, when it signed. */
  signature: string | null;
  signature_kid: string | null;
  /** The request body exactly as signed (when signed), so the signature can be checked again from the store. */
  signed_body: string | null;
  /** Kouan's countersigned receipt (compact JWS) as answered; null for submissions stored before it was kept. */
  receipt: string | null;
  /** Kouan's SM2 countersignature of the same receipt, when KOUAN_SIGNING_ALGS lists SM2. */
  receipt_sm2: string | null;
  /** SHA-256 of the request that created it, to tell a retry from a reused key. */
  request_hash: string;
  /** Optimistic-concurrency counter, bumped by every status change. */
  version: number;
  /** The document's version: 1 as filed, one more for each approved amendment (0027). */
  document_version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The 18-digit declaration number (office, year, direction, sequence); null when the document names no office and direction. */
  number: string | null;
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

export interface SigningKeyTable {
  kid: string;
  issuer: string;
  alg: string;
  public_jwk: string;
  /** The private key (JWK). Whoever reads the database can sign: keep it like the keys of a CA. */
  private_jwk: string;
  /** The JWS `typ`s the key signs, space-separated (one for every key made since 0014). */
  purposes: string | null;
  created_at: string;
}

/** A licence, permit or certificate; quantities of its lines are integers in millionths of the unit. */
export interface LedgerAccountTable {
  number: string;
  tenant_id: string;
  type: string;
  issuer: string;
  holder: string;
  direction: string;
  valid_from: string;
  valid_to: string;
  max_uses: number | null;
  /** Submissions holding or having used it (pending or posted reservations). */
  uses: number;
  status: string;
  /** The issued content as signed (canonical JSON). */
  document: string;
  /** Compact JWS over `document`. */
  signature: string;
  /** The issuer's SM2 signature over `document` (a second compact JWS), when KOUAN_SIGNING_ALGS listed SM2 at issue (0016). */
  signature_sm2: string | null;
  issued_at: string;
  updated_at: string;
  /** How many times its deadline was extended (temporary admission, 0023); valid_to moves with each. */
  extensions: number;
  /** The day its goods entered, when its deadline runs from their entry (temporary admission, 0028); null before. */
  entered_on: string | null;
}

export interface LedgerLineTable {
  account_number: string;
  line_no: number;
  /** What the account's model keys the line on: an HS prefix, an item number, a bill and line, a currency (0023). */
  key: string;
  /** The HS code or prefix, for models whose lines are goods by HS code; null otherwise (0023). */
  hs_code: string | null;
  unit: string;
  granted: number;
  /** granted × (1 + tolerance): what reserved + posted may reach. */
  ceiling: number;
  reserved: number;
  posted: number;
  /** Processing-trade manuals: material held and consumed by exports, within what imports posted. */
  debit_reserved: number;
  debit_posted: number;
}

export interface LedgerReservationTable {
  id: string;
  account_number: string;
  line_no: number;
  submission_id: string;
  /** JSON path of the declaration line that holds it. */
  path: string;
  /** `credit`: against the granted quantity; `debit`: a manual's material consumed by an export. */
  side: string;
  quantity: number;
  status: string;
  expires_at: string;
  created_at: string;
  updated_at: string;
  /** How the hold is written off when the model says (re-export, conversion, abandonment, destruction), 0023. */
  write_off: string | null;
}

export interface LedgerEntryTable {
  seq: Generated<number>;
  /** Idempotency id: a retried write with the same id changes nothing. */
  entry_id: string;
  account_number: string;
  line_no: number | null;
  kind: string;
  side: string | null;
  quantity: number | null;
  reservation_id: string | null;
  submission_id: string | null;
  actor: string;
  /** The reason in the words it was written in (English for Kouan's own reasons). */
  reason: string | null;
  /** A reason Kouan wrote itself: its code (SYSTEM_REASONS in shared/reasons.ts); null for an officer's own words. */
  reason_code: string | null;
  /** That reason's parameters, a JSON object of strings. */
  reason_params: string | null;
  at: string;
  /** The write-off kind of the reservation it concerns, when its model records one (0023). */
  write_off: string | null;
}

export interface AuditTable {
  /** Dense from 1: assigned from the head, so a gap can only mean a deleted record. */
  seq: number;
  at: string;
  tenant_id: string;
  actor: string;
  actor_kind: string;
  key_id: string | null;
  action: string;
  resource: string | null;
  resource_owner: string | null;
  /** The HTTP status answered. */
  outcome: number;
  ip: string;
  request_id: string;
  /** Canonical JSON text, hashed exactly as stored. */
  detail: string | null;
  prev_hash: string;
  /** SHA-256 (hex) of prev_hash, a newline and the canonical JSON of the other columns (seq included). */
  hash: string;
}

/** One row (id 1): the seq and hash of the last record, moved in the same transaction as each append. */
/** An audit record committed with its request's write and not yet chained (0012); `id` orders them. */
export interface AuditPendingTable {
  id: Generated<number>;
  at: string;
  tenant_id: string;
  actor: string;
  actor_kind: string;
  key_id: string | null;
  action: string;
  resource: string | null;
  resource_owner: string | null;
  outcome: number;
  ip: string;
  request_id: string;
  detail: string | null;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** An enterprise's authorisation of a customs broker (委托报关); dates are inclusive UTC days. */
export interface DelegationTable {
  id: string;
  /** The enterprise granting it (the importer or exporter). */
  principal: string;
  /** The customs broker it authorises. */
  agent: string;
  /** JSON array of document type ids, sorted. */
  doc_types: string;
  /** JSON array of `import` and/or `export`. */
  directions: string;
  valid_from: string;
  valid_to: string;
  created_at: string;
  revoked_at: string | null;
  /** The principal, or the agent renouncing. */
  revoked_by: string | null;
}

/** A public key a party registered to sign its submissions (JWK: Ed25519 or P-256). */
export interface PartyKeyTable {
  kid: string;
  party_id: string;
  alg: string;
  jwk: string;
  created_at: string;
  revoked_at: string | null;
}

export interface PartyPolicyTable {
  party_id: string;
  /** 1 when every submission of the party must carry its signature. */
  require_signed_submissions: number;
  updated_at: string;
}

/** The tracking log: one row per event, in ingestion order. */
export interface TrackingEventTable {
  seq: Generated<number>;
  event_id: string;
  event_type: string;
  code: string;
  classifier: string;
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
  reference_kind: string;
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
  reference_kind: string;
  reference: string;
  url: string;
  secret: string;
  /** active | failing (gave up after the last attempt; replay starts it again) */
  status: string;
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
  /** delivered | failed */
  outcome: string;
  http_status: number | null;
  error: string | null;
}

/** An enterprise's unfinished declaration, saved to come back to; submitting it is the client's POST /submissions. */
export interface DraftTable {
  id: string;
  party_id: string;
  doc_type: string;
  title: string | null;
  /** The draft document as the client sent it (JSON text of an object); nothing is validated. */
  data: string;
  /** Optimistic-concurrency counter: 1 when created, bumped by every save. */
  version: number;
  /** The user (portal) or API key that created it, and that saved it last. */
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
}

/** The last sequence given in each series of declaration numbers (office, year, direction). */
export interface DeclarationCounterTable {
  office: string;
  year: number;
  /** '1' import, '0' export. */
  direction: string;
  last: number;
}

/** Every table; a module that owns its tables declares them itself (AttachmentTables) and only its repository touches them. */
export interface Database extends AttachmentTables, AmendmentTables {
  tenants: TenantTable;
  parties: PartyTable;
  api_keys: ApiKeyTable;
  code_lists: CodeListTable;
  hs_codes: HsCodeTable;
  locodes: LocodeTable;
  tariff_lines: TariffLineTable;
  customs_offices: CustomsOfficeTable;
  submissions: SubmissionTable;
  parts: PartTable;
  submission_history: HistoryTable;
  outbox: OutboxTable;
  inbox: InboxTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  signing_keys: SigningKeyTable;
  ledger_accounts: LedgerAccountTable;
  ledger_lines: LedgerLineTable;
  ledger_reservations: LedgerReservationTable;
  ledger_entries: LedgerEntryTable;
  delegations: DelegationTable;
  audit_log: AuditTable;
  audit_head: AuditHeadTable;
  audit_pending: AuditPendingTable;
  party_keys: PartyKeyTable;
  party_policies: PartyPolicyTable;
  tracking_events: TrackingEventTable;
  tracking_current: TrackingCurrentTable;
  tracking_bill_carriers: TrackingBillCarrierTable;
  tracking_subscriptions: TrackingSubscriptionTable;
  tracking_deliveries: TrackingDeliveryTable;
  users: UserTable;
  sessions: SessionTable;
  drafts: DraftTable;
  login_failures: LoginFailureTable;
  declaration_counters: DeclarationCounterTable;
  code_list_entries: CodeListEntryTable;
  // i12-events
  domain_events: DomainEventTable;
  event_consumers: EventConsumerTable;
  stats_day_counts: StatsDayCountTable;
  stats_parts: StatsPartTable;
  stats_inbox: StatsInboxTable;
  delivery_targets: DeliveryTargetTable;
  deliveries: DeliveryTable;
}

/** An entry of a store-backed code list (trade modes, levy natures ...); `extra` is a JSON object of text. */
export interface CodeListEntryTable {
  list: string;
  code: string;
  en: string;
  zh: string;
  extra: string;
}

// i12-events: the domain event log, its consumers, the stats consumer's tables and the delivery engine's.

/** One domain event; seq is the log's order (commit order: appends are serialised), event_id makes appends idempotent. */
export interface DomainEventTable {
  seq: Generated<number>;
  event_id: string;
  type: string;
  tenant_id: string;
  subject_kind: string;
  subject_id: string;
  doc_type: string | null;
  /** JSON text of the event's payload (its schema is the type's, events.catalogue.ts). */
  payload: string;
  at: string;
}

/** How far a named consumer has read the log: the last seq it handled. */
export interface EventConsumerTable {
  name: string;
  seq: number;
  updated_at: string;
}

export interface StatsDayCountTable {
  tenant_id: string;
  /** A UTC day, YYYY-MM-DD. */
  day: string;
  /** '' for counts of whole submissions. */
  agency: string;
  metric: string;
  count: number;
}

export interface StatsPartTable {
  submission_id: string;
  agency: string;
  tenant_id: string;
  status: string;
  stored_at: string;
  released_at: string | null;
}

export interface StatsInboxTable {
  tenant_id: string;
  agency: string;
  pending: number;
}

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
  /** 'pending' | 'delivered' | 'failed'. */
  status: string;
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
