import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { DomainEventTable } from './events.tables.js';
import type { DomainEvent, EventType, SubjectKind } from './events.catalogue.js';
import { InsertStatements } from '../../store/insert-statements.js';

type Row = Omit<DomainEventTable, 'seq' | 'tx_id'> & { seq: number; tx_id: number | string };
/** An event as appended: the log gives it its seq and transaction id. */
export type NewRow = Omit<DomainEventTable, 'seq' | 'tx_id'>;

export interface EventFilter {
  readonly tenant?: string | undefined;
  readonly types?: readonly EventType[] | undefined;
}

export class EventsRepository {
  /** The hot inserts, compiled once per shape (store/insert-statements.ts). */
  private readonly inserts = new InsertStatements();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * Inserts events in the caller's transaction; an event id already in the log is passed over. On PostgreSQL
   * each row takes its transaction's id (the column's default, 0029), which is what readers order by.
   */
  async append(trx: Transaction<Database>, rows: readonly NewRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.inserts.run(trx, 'domain_events', rows, () => trx.insertInto('domain_events').values([...rows]).onConflict((conflict) => conflict.column('event_id').doNothing()));
  }

  /**
   * Events after the one whose seq is `after`, in log order, up to `limit`.
   *
   * On PostgreSQL a bigserial is drawn at insert, not at commit: seq 11 may be visible while seq 10's transaction
   * is still running, and a reader that moved its cursor past 11 would never see 10. So the log's order is
   * (transaction id, seq), and a read returns only events of transactions older than the oldest one still
   * running (pg_snapshot_xmin of the statement's snapshot): those have all committed or rolled back, and any
   * event that commits later belongs to a younger transaction, so it sorts after everything returned. A cursor
   * stays a seq: its position is that event's (tx_id, seq). SQLite has one writer, so seq is already commit
   * order and tx_id is always 0.
   */
  async read(after: number, limit: number, filter: EventFilter, trx?: Transaction<Database>): Promise<DomainEvent[]> {
    let query = (trx ?? this.db).selectFrom('domain_events').selectAll().where(this.after(after)).limit(limit);
    if (this.dialect === 'postgres') query = query.where(this.settled()).orderBy('tx_id').orderBy('seq');
    else query = query.orderBy('seq');
    if (filter.tenant !== undefined) query = query.where('tenant_id', '=', filter.tenant);
    if (filter.types !== undefined) query = query.where('type', 'in', [...filter.types]);
    return (await query.execute()).map(toEvent);
  }

  /** The seq of the last event a read can return now (0 when none). */
  async head(): Promise<number> {
    let query = this.db.selectFrom('domain_events').select('seq').orderBy('tx_id', 'desc').orderBy('seq', 'desc').limit(1);
    if (this.dialect === 'postgres') query = query.where(this.settled());
    const row = await query.executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** Events after the cursor's position: (tx_id, seq) after the event `after` names (or the last one before it). */
  private after(after: number) {
    if (this.dialect === 'sqlite') return sql<boolean>`seq > ${after}`;
    return sql<boolean>`(tx_id, seq) > (coalesce((select cursor.tx_id from domain_events cursor where cursor.seq <= ${after} order by cursor.seq desc limit 1), 0), ${after})`;
  }

  /** Events of transactions older than every one still running: nothing can appear before them any more. */
  private settled() {
    return sql<boolean>`tx_id < (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`;
  }

  /** The tenant of the first event about a subject, in the caller's transaction (so it sees what it appended). */
  async tenantOf(trx: Transaction<Database>, kind: SubjectKind, id: string): Promise<string | undefined> {
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
    type: row.type,
    tenant: row.tenant_id,
    subject: { kind: row.subject_kind, id: row.subject_id },
    docType: row.doc_type,
    payload: JSON.parse(row.payload) as unknown,
    at: row.at,
  };
}
