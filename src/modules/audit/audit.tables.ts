import type { Generated } from 'kysely';
import type { ActorKind } from './audit.schema.js';

export interface AuditTable {
  /** Dense from 1: assigned from the head, so a gap can only mean a deleted record. */
  seq: number;
  at: string;
  tenant_id: string;
  actor: string;
  actor_kind: ActorKind;
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

/** An audit record committed with its request's write and not yet chained (0012); `id` orders them. */
export interface AuditPendingTable {
  id: Generated<number>;
  at: string;
  tenant_id: string;
  actor: string;
  actor_kind: ActorKind;
  key_id: string | null;
  action: string;
  resource: string | null;
  resource_owner: string | null;
  outcome: number;
  ip: string;
  request_id: string;
  detail: string | null;
}

/** One row (id 1): the seq and hash of the last record, moved in the same transaction as each append. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** The audit module's tables: the hash-chained log, records not chained yet, the head. Only the module's repositories touch them. */
export interface AuditTables {
  audit_log: AuditTable;
  audit_head: AuditHeadTable;
  audit_pending: AuditPendingTable;
}
