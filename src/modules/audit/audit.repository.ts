import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AuditTable } from './audit.tables.js';
import { InsertStatements } from '../../store/insert-statements.js';

export type AuditRow = Selectable<AuditTable>;
/** A record before it is chained: everything but its position and hashes. */
export type UnchainedRow = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;
/** Computes a record's hash from the previous record's hash and the record itself. */
export type Seal = (prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>) => string;

/** What a request's answer tells its pending record: the status sent, and the resource the handler named. */
export interface Settlement {
  readonly outcome: number;
  readonly resource: string | null;
  readonly resourceOwner: string | null;
}

export interface ChainBatch {
  /** New records, chained after the pending ones. */
  readonly direct: readonly UnchainedRow[];
  /** These pending records (by audit_pending id) are chained with what their requests' answers told. */
  readonly settled: ReadonlyMap<number, Settlement>;
  /** Pending records written before this time are chained as they are. */
  readonly staleBefore: string;
  readonly pendingLimit: number;
}

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

// Rows per INSERT (and ids per DELETE): 15 parameters each stays well under both stores' limits on bound parameters.
const INSERT_CHUNK = 500;

export class AuditRepository {
  /** The pending record's insert, compiled once per shape (insert-statements.ts): one per audited request. */
  private readonly inserts = new InsertStatements();
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Chains after the current head, in one transaction: the pending records of the settled requests (with what
   * their answers told), the pending records older than `staleBefore` (their request never settled: its process
   * died or its store went away), and then the direct rows; the pending rows chained are deleted in the same
   * transaction. The first statement takes the head row: on PostgreSQL that row lock makes every other chainer
   * (in any process) wait and then read the head and the pending rows this one leaves; on SQLite a write as the
   * first statement takes the database's write lock at once. Chaining is therefore serial, the chain cannot
   * fork and no pending record is chained twice. The new head is written before commit.
   */
  chain(batch: ChainBatch, seal: Seal): Promise<{ direct: AuditRow[]; pending: number }> {
    return this.db.transaction().execute(async (trx) => {
      const head = await trx
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb.ref('seq') }))
        .where('id', '=', 1)
        .returning(['seq', 'hash'])
        .executeTakeFirst();
      if (head === undefined) throw new Error('the audit head row is missing: the audit log has been tampered with or was not migrated');
      const settledIds = [...batch.settled.keys()];
      const pending = await trx
        .selectFrom('audit_pending')
        .selectAll()
        .where((eb) => (settledIds.length === 0 ? eb('at', '<', batch.staleBefore) : eb.or([eb('id', 'in', settledIds), eb('at', '<', batch.staleBefore)])))
        .orderBy('id')
        .limit(batch.pendingLimit)
        .execute();
      const fromPending = pending.map(({ id, ...row }): UnchainedRow => {
        const settlement = batch.settled.get(id);
        return settlement === undefined ? row : { ...row, outcome: settlement.outcome, resource: settlement.resource ?? row.resource, resource_owner: settlement.resourceOwner ?? row.resource_owner };
      });
      let seq = Number(head.seq);
      let prevHash = head.hash;
      const chained = [...fromPending, ...batch.direct].map((row): AuditRow => {
        seq += 1;
        const unsealed = { seq, ...row };
        const hash = seal(prevHash, unsealed);
        const record = { ...unsealed, prev_hash: prevHash, hash };
        prevHash = hash;
        return record;
      });
      if (chained.length === 0) return { direct: [], pending: 0 };
      for (let index = 0; index < chained.length; index += INSERT_CHUNK) {
        await trx.insertInto('audit_log').values(chained.slice(index, index + INSERT_CHUNK)).execute();
      }
      const ids = pending.map((row) => row.id);
      for (let index = 0; index < ids.length; index += INSERT_CHUNK) {
        await trx.deleteFrom('audit_pending').where('id', 'in', ids.slice(index, index + INSERT_CHUNK)).execute();
      }
      await trx.updateTable('audit_head').set({ seq, hash: prevHash }).where('id', '=', 1).execute();
      return { direct: chained.slice(fromPending.length), pending: pending.length };
    });
  }

  /** Writes the audit record of a request in the transaction of its write; returns its audit_pending id. */
  async insertPending(trx: Transaction<Database>, row: UnchainedRow): Promise<number> {
    const [inserted] = await this.inserts.run(trx, 'audit_pending', [row], () => trx.insertInto('audit_pending').values(row).returning('id'));
    if (inserted === undefined) throw new Error('the audit record was not inserted');
    return Number(inserted.id);
  }

  /** Whether any pending record was written before this time: a cheap look before a sweep takes the head's lock. */
  async hasPendingBefore(at: string): Promise<boolean> {
    const row = await this.db.selectFrom('audit_pending').select('id').where('at', '<', at).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** Records committed with their writes and not chained yet. */
  async pendingCount(): Promise<number> {
    const row = await this.db.selectFrom('audit_pending').select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
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
