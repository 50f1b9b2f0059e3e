import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { PreparedQueries } from '../../store/prepared-queries.js';

/** Signing keys (Kouan's own and the issuers' it signs for), the keys parties register, and their policies. */
export class SignaturesRepository {
  /** Its hot queries, compiled once (prepared-queries.ts). */
  private readonly prepared = new PreparedQueries();
  constructor(private readonly db: Kysely<Database>) {}

  /** The issuer's newest key for one purpose (keys made before 0014 carry several purposes and are only verified). */
  async activeKey(issuer: string, purpose: string, alg: string): Promise<{ kid: string; alg: string; privateJwk: string } | undefined> {
    const row = await this.db.selectFrom('signing_keys').selectAll().where('issuer', '=', issuer).where('purposes', '=', purpose).where('alg', '=', alg).orderBy('created_at', 'desc').orderBy('kid', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? undefined : { kid: row.kid, alg: row.alg, privateJwk: row.private_jwk };
  }

  /** Stores a key unless the issuer got one meanwhile (two processes racing); returns the issuer's key either way. */
  async insertKey(key: { kid: string; issuer: string; alg: string; purposes: string; publicJwk: string; privateJwk: string; createdAt: string }): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({ kid: key.kid, issuer: key.issuer, alg: key.alg, purposes: key.purposes, public_jwk: key.publicJwk, private_jwk: key.privateJwk, created_at: key.createdAt })
      .execute();
  }

  async publicKeys(): Promise<{ kid: string; issuer: string; alg: string; purposes: string[]; publicJwk: string }[]> {
    const rows = await this.db.selectFrom('signing_keys').select(['kid', 'issuer', 'alg', 'purposes', 'public_jwk']).orderBy('issuer').orderBy('created_at').orderBy('kid').execute();
    return rows.map((row) => ({ kid: row.kid, issuer: row.issuer, alg: row.alg, purposes: (row.purposes ?? '').split(' ').filter((purpose) => purpose !== ''), publicJwk: row.public_jwk }));
  }

  async insertPartyKey(key: { kid: string; partyId: string; alg: string; jwk: string; createdAt: string }): Promise<void> {
    await this.db.insertInto('party_keys').values({ kid: key.kid, party_id: key.partyId, alg: key.alg, jwk: key.jwk, created_at: key.createdAt, revoked_at: null }).execute();
  }

  async partyKeys(partyId: string): Promise<{ kid: string; alg: string; jwk: string; createdAt: string; revokedAt: string | null }[]> {
    const rows = await this.db.selectFrom('party_keys').selectAll().where('party_id', '=', partyId).orderBy('created_at').execute();
    return rows.map((row) => ({ kid: row.kid, alg: row.alg, jwk: row.jwk, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async findPartyKey(kid: string): Promise<{ kid: string; partyId: string; alg: string; jwk: string; createdAt: string; revokedAt: string | null } | undefined> {
    const row = await this.db.selectFrom('party_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
    return row === undefined ? undefined : { kid: row.kid, partyId: row.party_id, alg: row.alg, jwk: row.jwk, createdAt: row.created_at, revokedAt: row.revoked_at };
  }

  async revokePartyKey(partyId: string, kid: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('party_keys').set({ revoked_at: at }).where('kid', '=', kid).where('party_id', '=', partyId).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async requiresSignature(partyId: string): Promise<boolean> {
    const [row] = await this.prepared.rows(this.db, 'requiresSignature', { partyId }, (given) => this.db.selectFrom('party_policies').select('require_signed_submissions').where('party_id', '=', given.partyId));
    return row?.require_signed_submissions === 1;
  }

  async setRequiresSignature(partyId: string, required: boolean, at: string): Promise<void> {
    const value = required ? 1 : 0;
    await this.db
      .insertInto('party_policies')
      .values({ party_id: partyId, require_signed_submissions: value, updated_at: at })
      .onConflict((conflict) => conflict.column('party_id').doUpdateSet({ require_signed_submissions: value, updated_at: at }))
      .execute();
  }
}
