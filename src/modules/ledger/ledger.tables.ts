import type { Generated } from 'kysely';
import type { Direction } from './account-types.js';
import type { AccountStatus, EntryKind, WriteOffKind } from './ledger.schema.js';

/** Which side of a line a quantity is on: `credit` against what was granted, `debit` a manual's material consumed. */
export type Side = 'credit' | 'debit';

/** pending while its submission is decided; then posted (written off), voided, expired or superseded by an amendment; a posted one reversed when an approved withdrawal or amendment undoes the release. */
export const RESERVATION_STATUSES = ['pending', 'posted', 'voided', 'expired', 'superseded', 'reversed'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A licence, permit or certificate; quantities of its lines are integers in millionths of the unit. */
export interface LedgerAccountTable {
  number: string;
  tenant_id: string;
  type: string;
  issuer: string;
  holder: string;
  direction: Direction;
  valid_from: string;
  valid_to: string;
  max_uses: number | null;
  /** Submissions holding or having used it (pending or posted reservations). */
  uses: number;
  status: AccountStatus;
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
  side: Side;
  quantity: number;
  status: ReservationStatus;
  expires_at: string;
  created_at: string;
  updated_at: string;
  /** How the hold is written off when the model says (re-export, conversion, abandonment, destruction), 0023. */
  write_off: WriteOffKind | null;
}

export interface LedgerEntryTable {
  seq: Generated<number>;
  /** Idempotency id: a retried write with the same id changes nothing. */
  entry_id: string;
  account_number: string;
  line_no: number | null;
  kind: EntryKind;
  side: Side | null;
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
  write_off: WriteOffKind | null;
}

/** The ledger's tables: accounts, lines, reservations and the immutable entries. Only the module's repositories touch them. */
export interface LedgerTables {
  ledger_accounts: LedgerAccountTable;
  ledger_lines: LedgerLineTable;
  ledger_reservations: LedgerReservationTable;
  ledger_entries: LedgerEntryTable;
}
