import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { DelegationTable } from './delegations.tables.js';
import { PreparedQueries } from '../../store/prepared-queries.js';

export type DelegationRow = DelegationTable;

/** Which side of a delegation a party lists. */
export type Side = 'principal' | 'agent';

export interface ListFilter {
  readonly side: Side;
  readonly party: string;
  /** true: unrevoked and `day` within the period; false: all the others; undefined: all. */
  readonly active: boolean | undefined;
  readonly day: string;
  /** Only ids before this one (newest first paging). */
  readonly before: string | undefined;
  readonly limit: number;
}

export class DelegationsRepository {
  /** Its hot queries, compiled once (prepared-queries.ts). */
  private readonly prepared = new PreparedQueries();
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(row: DelegationRow): Promise<void> {
    await this.db.insertInto('delegations').values(row).execute();
  }

  find(id: string): Promise<DelegationRow | undefined> {
    return this.db.selectFrom('delegations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(filter: ListFilter): Promise<DelegationRow[]> {
    let query = this.db.selectFrom('delegations').selectAll().where(filter.side, '=', filter.party).orderBy('id', 'desc').limit(filter.limit);
    if (filter.active === true) {
      query = query.where('revoked_at', 'is', null).where('valid_from', '<=', filter.day).where('valid_to', '>=', filter.day);
    } else if (filter.active === false) {
      query = query.where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('valid_from', '>', filter.day), eb('valid_to', '<', filter.day)]));
    }
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    return query.execute();
  }

  /**
   * The unrevoked delegations from a principal (or from any, when undefined) to an agent whose period contains
   * `day`. Given a transaction on PostgreSQL, the rows stay share-locked until it ends, so a revocation waits
   * for it: whatever the transaction does relying on them commits before the revocation does.
   */
  async inForce(agent: string, principal: string | undefined, day: string, trx?: Transaction<Database>): Promise<DelegationRow[]> {
    const db = trx ?? this.db;
    const locked = trx !== undefined && this.dialect === 'postgres';
    const values = principal === undefined ? { agent, day } : { agent, day, principal };
    return this.prepared.rows(db, `inForce:${principal === undefined ? 'any' : 'principal'}:${locked ? 'share' : 'read'}`, values, (given) => {
      const query = db
        .selectFrom('delegations')
        .selectAll()
        .where('agent', '=', given.agent)
        .where('revoked_at', 'is', null)
        .where('valid_from', '<=', given.day)
        .where('valid_to', '>=', given.day)
        .orderBy('id')
        .$if('principal' in given, (filtered) => filtered.where('principal', '=', 'principal' in given ? given.principal : ''));
      return locked ? query.forShare() : query;
    });
  }

  /**
   * Revokes a delegation if `party` is its principal or its agent and it is not revoked yet; the guarded update
   * makes one of two racing revocations win. Returns the row as it is now, or undefined when `party` may not
   * see it (or there is none).
   */
  async revoke(id: string, party: string, at: string): Promise<{ row: DelegationRow; revokedNow: boolean } | undefined> {
    const revoked = await this.db
      .updateTable('delegations')
      .set({ revoked_at: at, revoked_by: party })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('principal', '=', party), eb('agent', '=', party)]))
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (revoked !== undefined) return { row: revoked, revokedNow: true };
    const row = await this.find(id);
    if (row === undefined || (row.principal !== party && row.agent !== party)) return undefined;
    return { row, revokedNow: false };
  }
}
