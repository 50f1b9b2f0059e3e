import type { Kysely, Selectable } from 'kysely';
import type { AuditTable, Database } from '../../store/schema.js';

export type AuditRow = Selectable<AuditTable>;
/** A record before it is chained: everything but its position and hashes. */
export type UnchainedRow = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;
/** Computes a record's hash from the previous record's hash and the record itself. */
export type Seal = (prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>) => string;

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export interface AuditFilter {
  readonly tenant: string;
  readonly actor?: string | undefined;
  readonly party?: string | undefined;
  readonly action?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly after: number;
  readonly limit: number;
}

// Rows per INSERT: 15 parameters each stays well under both stores' limits on bound parameters.
const INSERT_CHUNK = 500;

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Chains and inserts records after the current head, in one transaction. The first statement moves the head
   * row forward: on PostgreSQL that row lock makes every other appender (in any process) wait and then read
   * the head this one leaves; on SQLite a write as the first statement takes the database's write lock at once.
   * Appends are therefore serial and the chain cannot fork. The new head hash is written before commit.
   */
  appendChained(rows: readonly UnchainedRow[], seal: Seal): Promise<AuditRow[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return this.db.transaction().execute(async (trx) => {
      // Only `seq` moves here, so `hash` still returns the previous record's hash.
      const head = await trx
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb('seq', '+', rows.length) }))
        .where('id', '=', 1)
        .returning(['seq', 'hash'])
        .executeTakeFirst();
      if (head === undefined) throw new Error('the audit head row is missing: the audit log has been tampered with or was not migrated');
      let seq = Number(head.seq) - rows.length;
      let prevHash = head.hash;
      const chained = rows.map((row): AuditRow => {
        seq += 1;
        const unsealed = { seq, ...row };
        const hash = seal(prevHash, unsealed);
        const record = { ...unsealed, prev_hash: prevHash, hash };
        prevHash = hash;
        return record;
      });
      for (let index = 0; index < chained.length; index += INSERT_CHUNK) {
        await trx.insertInto('audit_log').values(chained.slice(index, index + INSERT_CHUNK)).execute();
      }
      await trx.updateTable('audit_head').set({ hash: prevHash }).where('id', '=', 1).execute();
      return chained;
    });
  }

  /** The head and the highest stored seq, read in one statement so that both come from the same snapshot. */
  async head(): Promise<{ head: AuditHead | undefined; maxSeq: number | null }> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('audit_head').select('seq').where('id', '=', 1).as('head_seq'),
        eb.selectFrom('audit_head').select('hash').where('id', '=', 1).as('head_hash'),
        eb.selectFrom('audit_log').select((inner) => inner.fn.max('seq').as('max_seq')).as('max_seq'),
      ])
      .executeTakeFirstOrThrow();
    const head = row.head_seq === null || row.head_hash === null ? undefined : { seq: Number(row.head_seq), hash: row.head_hash };
    return { head, maxSeq: row.max_seq === null ? null : Number(row.max_seq) };
  }

  /** Records after `after` up to `upTo` (inclusive), in seq order. */
  page(after: number, upTo: number, limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '>', after).where('seq', '<=', upTo).orderBy('seq').limit(limit).execute();
  }

  find(seq: number): Promise<AuditRow | undefined> {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirst();
  }

  query(filter: AuditFilter): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', filter.tenant).where('seq', '>', filter.after);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    const party = filter.party;
    if (party !== undefined) query = query.where((eb) => eb.or([eb('actor', '=', party), eb('resource_owner', '=', party)]));
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    return query.orderBy('seq').limit(filter.limit).execute();
  }
}
