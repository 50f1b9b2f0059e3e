import type { Generated } from 'kysely';
import type { PartStatus, SubmissionStatus } from '../doctypes/index.js';

export interface SubmissionTable {
  id: string;
  tenant_id: string;
  doc_type: string;
  declarant_id: string;
  /** The domestic importer or exporter the declaration is for, when it is a party. */
  trader_id: string | null;
  status: SubmissionStatus;
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
  status: PartStatus;
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
  /** A part's status when `agency` is set, else the submission's. */
  from_status: SubmissionStatus | PartStatus | null;
  to_status: SubmissionStatus | PartStatus;
  actor: string;
  reasons: string | null;
  at: string;
}

/** The last sequence given in each series of declaration numbers (office, year, direction). */
export interface DeclarationCounterTable {
  office: string;
  year: number;
  /** '1' import, '0' export. */
  direction: '1' | '0';
  last: number;
}

/** The submissions module's tables: documents, their parts and history, the declaration-number counters. Only the module's repositories touch them. */
export interface SubmissionTables {
  submissions: SubmissionTable;
  parts: PartTable;
  submission_history: HistoryTable;
  declaration_counters: DeclarationCounterTable;
}
