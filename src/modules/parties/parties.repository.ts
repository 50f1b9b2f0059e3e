import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Party, PartyKind, Role } from './parties.schema.js';
import type { KeyScope } from '../users/users.schema.js';
import { PreparedQueries } from '../../store/prepared-queries.js';

/** An API key's terms, which the users module sets: scopes, expiry, the key it replaced. */
export interface KeyTermsRecord {
  readonly id: string;
  readonly partyId: string;
  readonly label: string | null;
  /** null: all the party's rights. */
  readonly scopes: readonly KeyScope[] | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly rotatedFrom: string | null;
}

/** What limits a key: its scopes (null: all the party's rights), its expiry, the key it replaced. */
export interface KeyTerms {
  readonly scopes: readonly KeyScope[] | null;
  readonly expiresAt: string | null;
  readonly rotatedFrom: string | null;
}

/** No limits: the key of a party created at the command line or by a test. */
export const UNLIMITED: KeyTerms = { scopes: null, expiresAt: null, rotatedFrom: null };

const KEY_COLUMNS = ['id', 'party_id', 'label', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'rotated_from'] as const;

interface PartyRow {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  roles: string;
  locations: string;
  created_at: string;
}

export interface KeyRecord {
  readonly id: string;
  readonly secretHash: string;
  readonly revoked: boolean;
  readonly party: Party;
}

export class PartiesRepository {
  /** Its hot queries, compiled once (prepared-queries.ts). */
  private readonly prepared = new PreparedQueries();
  constructor(private readonly db: Kysely<Database>) {}

  async insertParty(party: Party): Promise<boolean> {
    const result = await this.db
      .insertInto('parties')
      .values({ id: party.id, tenant_id: party.tenant, kind: party.kind, name: party.name, roles: JSON.stringify(party.roles), locations: JSON.stringify(party.locations), created_at: party.createdAt })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Replaces a party's roles and locations; false when there is no such party. */
  async updateRoles(id: string, roles: readonly Role[], locations: readonly string[]): Promise<boolean> {
    const result = await this.db.updateTable('parties').set({ roles: JSON.stringify(roles), locations: JSON.stringify(locations) }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async findParty(id: string): Promise<Party | undefined> {
    const row = await this.db.selectFrom('parties').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toParty(row);
  }

  async listParties(filter: { kind?: PartyKind | undefined; tenants?: readonly string[] | undefined; q?: string | undefined; limit?: number | undefined }): Promise<Party[]> {
    let query = this.db.selectFrom('parties').selectAll().orderBy('kind').orderBy('id');
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.tenants !== undefined) query = query.where('tenant_id', 'in', [...filter.tenants]);
    if (filter.q !== undefined) {
      const needle = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      query = query.where((eb) => eb.or([eb(eb.fn('lower', ['id']), 'like', sql<string>`${needle} escape '\\'`), eb(eb.fn('lower', ['name']), 'like', sql<string>`${needle} escape '\\'`)]));
    }
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(toParty);
  }

  async insertTenant(tenant: { id: string; name: string; createdAt: string }): Promise<boolean> {
    const result = await this.db
      .insertInto('tenants')
      .values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async listTenants(): Promise<{ id: string; name: string; createdAt: string }[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }

  async tenantExists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Stores a key with its terms, in one row: a key never exists, even for a moment, without its limits. */
  async insertKey(key: { id: string; partyId: string; secretHash: string; label: string | null; createdAt: string; terms: KeyTerms }): Promise<void> {
    const { scopes, expiresAt, rotatedFrom } = key.terms;
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        party_id: key.partyId,
        secret_hash: key.secretHash,
        label: key.label,
        created_at: key.createdAt,
        revoked_at: null,
        scopes: scopes === null ? null : JSON.stringify(scopes),
        expires_at: expiresAt,
        rotated_from: rotatedFrom,
      })
      .execute();
  }

  async findKey(id: string): Promise<KeyRecord | undefined> {
    const [row] = await this.prepared.rows(this.db, 'findKey', { id }, (given) =>
      this.db
        .selectFrom('api_keys')
        .innerJoin('parties', 'parties.id', 'api_keys.party_id')
        .select(['api_keys.id as key_id', 'api_keys.secret_hash', 'api_keys.revoked_at', 'parties.id', 'parties.tenant_id', 'parties.kind', 'parties.name', 'parties.roles', 'parties.locations', 'parties.created_at'])
        .where('api_keys.id', '=', given.id),
    );
    if (row === undefined) return undefined;
    return { id: row.key_id, secretHash: row.secret_hash, revoked: row.revoked_at !== null, party: toParty(row) };
  }

  async revokeKey(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async listKeys(partyId: string): Promise<{ id: string; label: string | null; createdAt: string; revokedAt: string | null }[]> {
    const rows = await this.db.selectFrom('api_keys').select(['id', 'label', 'created_at', 'revoked_at']).where('party_id', '=', partyId).orderBy('created_at').execute();
    return rows.map((row) => ({ id: row.id, label: row.label, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async findKeyTerms(id: string): Promise<KeyTermsRecord | undefined> {
    const [row] = await this.prepared.rows(this.db, 'findKeyTerms', { id }, (given) => this.db.selectFrom('api_keys').select(KEY_COLUMNS).where('id', '=', given.id));
    return row === undefined ? undefined : toKeyTerms(row);
  }

  async listKeyTerms(partyId: string): Promise<KeyTermsRecord[]> {
    const rows = await this.db.selectFrom('api_keys').select(KEY_COLUMNS).where('party_id', '=', partyId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toKeyTerms);
  }

  /** Brings a live key's expiry forward to `expiresAt` (never later than it already was). */
  async shortenKeyExpiry(id: string, expiresAt: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ expires_at: expiresAt })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toParty(row: PartyRow): Party {
  return {
    id: row.id,
    tenant: row.tenant_id,
    kind: row.kind as PartyKind,
    name: row.name,
    roles: JSON.parse(row.roles) as Role[],
    locations: JSON.parse(row.locations) as string[],
    createdAt: row.created_at,
  };
}

function toKeyTerms(row: {
  id: string;
  party_id: string;
  label: string | null;
  scopes: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_from: string | null;
}): KeyTermsRecord {
  return {
    id: row.id,
    partyId: row.party_id,
    label: row.label,
    scopes: row.scopes === null ? null : (JSON.parse(row.scopes) as KeyScope[]),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rotatedFrom: row.rotated_from,
  };
}
