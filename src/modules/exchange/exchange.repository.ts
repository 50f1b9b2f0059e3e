import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../store/store.js';
import type { Database, InboxTable } from '../../store/schema.js';
import type { InboxMessage, MessageKind, OutboxMessage } from './exchange.schema.js';

// Any constant shared by every Kouan process; it names the advisory lock that serialises dispatchers.
const DISPATCH_LOCK = 0x6b6f75616e;

export class ExchangeRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Writes messages to the outbox inside the caller's transaction. */
  async enqueue(trx: Transaction<Database>, messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await trx
      .insertInto('outbox')
      .values(
        messages.map((message) => ({
          message_id: message.messageId,
          agency: message.agency,
          kind: message.kind,
          submission_id: message.submissionId,
          payload: JSON.stringify(message.payload),
          created_at: message.createdAt,
          dispatched_at: null,
        })),
      )
      .execute();
  }

  /**
   * Moves up to `limit` pending outbox rows into their agencies' inboxes and marks them dispatched.
   * One dispatcher at a time holds the lock, so inbox sequence numbers are assigned in commit order and a
   * cursor never skips a row; the unique message id makes a repeated dispatch harmless.
   */
  dispatchBatch(limit: number, at: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
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
      await trx
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
        .execute();
      // Agencies with a webhook also get each message pushed; the delivery row drives the retries.
      await trx
        .insertInto('webhook_deliveries')
        .columns(['message_id', 'agency', 'attempts', 'next_attempt_at', 'last_error', 'delivered_at', 'failed_at', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('inbox')
            .innerJoin('webhooks', 'webhooks.agency', 'inbox.agency')
            .select([
              'inbox.message_id',
              'inbox.agency',
              sql<number>`0`.as('attempts'),
              sql<string>`cast(${at} as text)`.as('next_attempt_at'),
              sql<null>`cast(null as text)`.as('last_error'),
              sql<null>`cast(null as text)`.as('delivered_at'),
              sql<null>`cast(null as text)`.as('failed_at'),
              sql<string>`cast(${at} as text)`.as('created_at'),
            ])
            .where('inbox.message_id', 'in', pending.map((row) => row.message_id)),
        )
        .onConflict((conflict) => conflict.column('message_id').doNothing())
        .execute();
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

  /** Marks a message acknowledged (once; a repeated ack keeps the first time) and returns it. */
  async ack(trx: Transaction<Database>, agency: string, messageId: string, at: string): Promise<InboxMessage | undefined> {
    await trx.updateTable('inbox').set({ acked_at: at }).where('agency', '=', agency).where('message_id', '=', messageId).where('acked_at', 'is', null).execute();
    const row = await trx.selectFrom('inbox').selectAll().where('agency', '=', agency).where('message_id', '=', messageId).executeTakeFirst();
    return row === undefined ? undefined : toMessage(row);
  }

  async setWebhook(webhook: { agency: string; url: string; secret: string; createdAt: string }): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({ agency: webhook.agency, url: webhook.url, secret: webhook.secret, created_at: webhook.createdAt })
      .onConflict((conflict) => conflict.column('agency').doUpdateSet({ url: webhook.url, secret: webhook.secret, created_at: webhook.createdAt }))
      .execute();
  }

  async findWebhook(agency: string): Promise<{ url: string; createdAt: string } | undefined> {
    const row = await this.db.selectFrom('webhooks').select(['url', 'created_at']).where('agency', '=', agency).executeTakeFirst();
    return row === undefined ? undefined : { url: row.url, createdAt: row.created_at };
  }

  /** Removes the webhook and the pushes still pending; the messages stay in the pull inbox. */
  async deleteWebhook(agency: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('agency', '=', agency).where('delivered_at', 'is', null).execute();
      const result = await trx.deleteFrom('webhooks').where('agency', '=', agency).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async webhookStats(agency: string): Promise<{ pending: number; delivered: number; failed: number; lastError: string | null }> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .select(['delivered_at', 'failed_at', 'last_error', 'next_attempt_at'])
      .where('agency', '=', agency)
      .execute();
    const failing = rows.filter((row) => row.delivered_at === null && row.last_error !== null).sort((a, b) => (a.next_attempt_at < b.next_attempt_at ? 1 : -1));
    return {
      pending: rows.filter((row) => row.delivered_at === null && row.failed_at === null).length,
      delivered: rows.filter((row) => row.delivered_at !== null).length,
      failed: rows.filter((row) => row.failed_at !== null).length,
      lastError: failing[0]?.last_error ?? null,
    };
  }

  /**
   * Claims pushes that are due by moving their next attempt to `leaseUntil`, so that another process does not
   * send them at the same time; a process that dies mid-push leaves them to be retried after the lease.
   */
  async claimDueDeliveries(now: string, leaseUntil: string, limit: number): Promise<DuePush[]> {
    // The pusher runs after every dispatch: look before taking the write lock, which is usually for nothing.
    const due = await this.db
      .selectFrom('webhook_deliveries')
      .select('message_id')
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .limit(1)
      .executeTakeFirst();
    if (due === undefined) return [];
    const claimed = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('message_id', 'in', (eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select('message_id')
          .where('delivered_at', 'is', null)
          .where('failed_at', 'is', null)
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .limit(limit),
      )
      .returning(['message_id', 'attempts'])
      .execute();
    if (claimed.length === 0) return [];
    const rows = await this.db
      .selectFrom('inbox')
      .innerJoin('webhooks', 'webhooks.agency', 'inbox.agency')
      .selectAll('inbox')
      .select(['webhooks.url', 'webhooks.secret'])
      .where('inbox.message_id', 'in', claimed.map((row) => row.message_id))
      .execute();
    const attempts = new Map(claimed.map((row) => [row.message_id, row.attempts]));
    return rows.map((row) => ({ message: toMessage(row), url: row.url, secret: row.secret, attempts: attempts.get(row.message_id) ?? 0 }));
  }

  async recordPushed(messageId: string, attempts: number, at: string): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({ delivered_at: at, attempts, last_error: null }).where('message_id', '=', messageId).execute();
  }

  async recordPushFailure(messageId: string, failure: { attempts: number; error: string; nextAttemptAt: string; gaveUpAt: string | null }): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ attempts: failure.attempts, last_error: failure.error.slice(0, 500), next_attempt_at: failure.nextAttemptAt, failed_at: failure.gaveUpAt })
      .where('message_id', '=', messageId)
      .execute();
  }
}

export interface DuePush {
  readonly message: InboxMessage;
  readonly url: string;
  readonly secret: string;
  readonly attempts: number;
}

function toMessage(row: { [K in keyof InboxTable]: K extends 'seq' ? number : InboxTable[K] }): InboxMessage {
  return {
    messageId: row.message_id,
    seq: row.seq,
    agency: row.agency,
    kind: row.kind as MessageKind,
    submissionId: row.submission_id,
    payload: JSON.parse(row.payload) as unknown,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    ackedAt: row.acked_at,
  };
}
