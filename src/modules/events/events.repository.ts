import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database, DomainEventTable } from '../../store/schema.js';
import type { DomainEvent, EventType } from './events.catalogue.js';

type Row = Omit<DomainEventTable, 'seq'> & { seq: number };

export interface EventFilter {
  readonly tenant?: string | undefined;
  readonly types?: readonly EventType[] | undefined;
}

export class EventsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * Inserts events in the caller's transaction; an event id already in the log is passed over.
   * KNOWN GAP (PostgreSQL): a bigserial is not commit order, so a reader may see seq 11 committed before seq 10
   * and move its cursor past 10. A transaction-scoped advisory lock here closed it but deadlocked against the
   * callers' row locks (taken in either order around the append); the fix is a (transaction id, seq) cursor
   * read below pg_snapshot_xmin. SQLite has one writer, so its seqs are in commit order.
   */
  async append(trx: Transaction<Database>, rows: readonly Omit<DomainEventTable, 'seq'>[]): Promise<void> {
    if (rows.length === 0) return;
    await trx.insertInto('domain_events').values([...rows]).onConflict((conflict) => conflict.column('event_id').doNothing()).execute();
  }

  async read(after: number, limit: number, filter: EventFilter, trx?: Transaction<Database>): Promise<DomainEvent[]> {
    let query = (trx ?? this.db).selectFrom('domain_events').selectAll().where('seq', '>', after).orderBy('seq').limit(limit);
    if (filter.tenant !== undefined) query = query.where('tenant_id', '=', filter.tenant);
    if (filter.types !== undefined) query = query.where('type', 'in', [...filter.types]);
    return (await query.execute()).map(toEvent);
  }

  async head(): Promise<number> {
    const row = await this.db.selectFrom('domain_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** The tenant of the first event about a subject, in the caller's transaction (so it sees what it appended). */
  async tenantOf(trx: Transaction<Database>, kind: string, id: string): Promise<string | undefined> {
    const row = await trx.selectFrom('domain_events').select('tenant_id').where('subject_kind', '=', kind).where('subject_id', '=', id).orderBy('seq').limit(1).executeTakeFirst();
    return row?.tenant_id;
  }

  /**
   * Takes the consumer's cursor for the transaction: the first statement is a write, so that on SQLite the write
   * lock is taken at once, and on PostgreSQL the upserted row stays locked, so two runners never handle the same batch.
   */
  async lockCursor(trx: Transaction<Database>, name: string, at: string): Promise<number> {
    await trx.insertInto('event_consumers').values({ name, seq: 0, updated_at: at }).onConflict((conflict) => conflict.column('name').doUpdateSet({ updated_at: at })).execute();
    const row = await trx.selectFrom('event_consumers').select('seq').where('name', '=', name).executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  async moveCursor(trx: Transaction<Database>, name: string, seq: number, at: string): Promise<void> {
    await trx.updateTable('event_consumers').set({ seq, updated_at: at }).where('name', '=', name).execute();
  }

  async cursor(name: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('event_consumers').select('seq').where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : Number(row.seq);
  }
}

function toEvent(row: Row): DomainEvent {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    type: row.type as EventType,
    tenant: row.tenant_id,
    subject: { kind: row.subject_kind, id: row.subject_id },
    docType: row.doc_type,
    payload: JSON.parse(row.payload) as unknown,
    at: row.at,
  };
}
