import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database } from '../../store/schema.js';
import type { InboxTable } from './exchange.tables.js';
import type { InboxMessage, OutboxMessage } from './exchange.schema.js';
import { InsertStatements } from '../../store/insert-statements.js';
import { PreparedQueries } from '../../store/prepared-queries.js';

// Any constant shared by every Kouan process; it names the advisory lock that serialises dispatchers.
const DISPATCH_LOCK = 0x6b6f75616e;

export class ExchangeRepository {
  /** The hot inserts, compiled once per shape (store/insert-statements.ts), and the acknowledgement (prepared-queries.ts). */
  private readonly inserts = new InsertStatements();
  private readonly prepared = new PreparedQueries();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** The dispatcher's (Store.background): on PostgreSQL a pool of its own, not queued behind the requests. */
    private readonly background: Kysely<Database> = db,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Writes messages to the outbox inside the caller's transaction. */
  async enqueue(trx: Transaction<Database>, messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const rows = messages.map((message) => ({
      message_id: message.messageId,
      agency: message.agency,
      kind: message.kind,
      submission_id: message.submissionId,
      payload: JSON.stringify(message.payload),
      created_at: message.createdAt,
      dispatched_at: null,
    }));
    await this.inserts.run(trx, 'outbox', rows, () => trx.insertInto('outbox').values(rows));
  }

  /**
   * Moves up to `limit` pending outbox rows into their agencies' inboxes and marks them dispatched.
   * One dispatcher at a time holds the lock, so inbox sequence numbers are assigned in commit order and a
   * cursor never skips a row; the unique message id makes a repeated dispatch harmless.
   */
  dispatchBatch(limit: number, at: string, moved: (trx: Transaction<Database>, messages: readonly InboxMessage[]) => Promise<void>): Promise<number> {
    return this.background.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${DISPATCH_LOCK})`.execute(trx);
      // Marking first makes the transaction's first statement a write, so SQLite takes its write lock at once
      // instead of failing to upgrade a read snapshot when another process dispatches too.
      const claimed = await trx
        .updateTable('outbox')
        .set({ dispatched_at: at })
        .where('seq', 'in', (eb) => eb.selectFrom('outbox').select('seq').where('dispatched_at', 'is', null).orderBy('seq').limit(limit))
        .returningAll()
        .execute();
      if (claimed.length === 0) return 0;
      const pending = claimed.sort((a, b) => a.seq - b.seq);
      const inserted = await trx
        .insertInto('inbox')
        .values(
          pending.map((row) => ({
            message_id: row.message_id,
            agency: row.agency,
            kind: row.kind,
            submission_id: row.submission_id,
            payload: row.payload,
            created_at: row.created_at,
            delivered_at: at,
            acked_at: null,
          })),
        )
        .onConflict((conflict) => conflict.column('message_id').doNothing())
        .returningAll()
        .execute();
      // What the move means beyond the inbox (a push to the agency's webhook) commits with it.
      await moved(trx, inserted.sort((a, b) => a.seq - b.seq).map(toMessage));
      return pending.length;
    });
  }

  async pendingCount(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('count')).where('dispatched_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async readInbox(agency: string, after: number, limit: number, unackedOnly: boolean): Promise<InboxMessage[]> {
    let query = this.db.selectFrom('inbox').selectAll().where('agency', '=', agency).where('seq', '>', after).orderBy('seq').limit(limit);
    if (unackedOnly) query = query.where('acked_at', 'is', null);
    return (await query.execute()).map(toMessage);
  }

  /** Marks a message acknowledged (once; a repeated ack keeps the first time) and returns it, and whether this ack was the first. */
  async ack(trx: Transaction<Database>, agency: string, messageId: string, at: string): Promise<{ message: InboxMessage; first: boolean } | undefined> {
    const [first] = await this.prepared.rows(trx, 'ack', { agency, messageId, at }, (given) =>
      trx.updateTable('inbox').set({ acked_at: given.at }).where('agency', '=', given.agency).where('message_id', '=', given.messageId).where('acked_at', 'is', null).returningAll(),
    );
    if (first !== undefined) return { message: toMessage(first), first: true };
    const row = await trx.selectFrom('inbox').selectAll().where('agency', '=', agency).where('message_id', '=', messageId).executeTakeFirst();
    return row === undefined ? undefined : { message: toMessage(row), first: false };
  }

}

function toMessage(row: { [K in keyof InboxTable]: K extends 'seq' ? number : InboxTable[K] }): InboxMessage {
  return {
    messageId: row.message_id,
    seq: row.seq,
    agency: row.agency,
    kind: row.kind,
    submissionId: row.submission_id,
    payload: JSON.parse(row.payload) as unknown,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    ackedAt: row.acked_at,
  };
}
