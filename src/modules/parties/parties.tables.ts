import type { Generated } from 'kysely';
import type { PartyKind } from './parties.schema.js';

export interface TenantTable {
  id: string;
  name: string;
  created_at: string;
}

export interface PartyTable {
  id: string;
  tenant_id: string;
  kind: PartyKind;
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

/** The parties module's tables: tenants, parties and their API keys (whose terms the users module sets through the parties service). Only the module's repositories touch them. */
export interface PartiesTables {
  tenants: TenantTable;
  parties: PartyTable;
  api_keys: ApiKeyTable;
}
